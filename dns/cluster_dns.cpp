// Placeholder until the DNS server lands.
#include "dns/cluster_dns.h"

namespace minik {

namespace {
class NoClusterDns : public ClusterDns {
 public:
  bool start(std::string*) override { return true; }
  void stop() override {}
};
}  // namespace

std::unique_ptr<ClusterDns> makeClusterDns(uv_loop_t*, ClusterClient&, const ClusterConfig&,
                                           const ClusterDnsOptions&) {
  return std::make_unique<NoClusterDns>();
}

}  // namespace minik
