// dns/cluster_dns.h — the cluster DNS server (Kubernetes DNS-based service
// discovery, schema 1.1.0): zone built from watches of Services,
// EndpointSlices and Pods; serving on UDP and TCP on its own loop thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <uv.h>

#include "api/cluster_config.h"
#include "client/cluster_client.h"

namespace minik {

struct ClusterDnsOptions {
  std::vector<std::string> listen;  // "127.0.0.1:5353", "10.43.0.10:53"
  std::string resolvConf = "/etc/resolv.conf";
};

class ClusterDns {
 public:
  virtual ~ClusterDns() = default;
  // Starts watching (on loop, the client's thread) and serving (own thread).
  // False with error set when no listen address could be bound.
  virtual bool start(std::string* error) = 0;
  virtual void stop() = 0;
};

std::unique_ptr<ClusterDns> makeClusterDns(uv_loop_t* loop, ClusterClient& client,
                                           const ClusterConfig& config,
                                           const ClusterDnsOptions& options);

}  // namespace minik
