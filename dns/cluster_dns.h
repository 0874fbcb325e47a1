// dns/cluster_dns.h — the cluster DNS server (Kubernetes DNS-based service
// discovery, schema 1.1.0): zone built from watches of Services,
// EndpointSlices and Pods; serving on UDP and TCP on its own loop thread.
// As a PodBackedServer, its serving half can be stopped and started again
// (when kube-system/coredns is deleted and replaced) while the zone keeps
// following the watches.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <uv.h>

#include "api/cluster_config.h"
#include "api/pod_backed_server.h"
#include "client/cluster_client.h"

namespace minik {

struct ClusterDnsOptions {
  std::vector<std::string> listen;  // "127.0.0.1:5353", "10.43.0.10:53"
  std::string resolvConf = "/etc/resolv.conf";
};

class ClusterDns : public PodBackedServer {
 public:
  virtual ~ClusterDns() = default;
  // Starts watching (on loop, the client's thread) and serving (own thread).
  // False with error set when a listen address could not be bound.
  virtual bool start(std::string* error) = 0;
  // Stops serving and watching.
  virtual void stop() = 0;
};

std::unique_ptr<ClusterDns> makeClusterDns(uv_loop_t* loop, ClusterClient& client,
                                           const ClusterConfig& config,
                                           const ClusterDnsOptions& options);

}  // namespace minik
