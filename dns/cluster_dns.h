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

// Where it serves. The kube-dns Service's ClusterIP is never bound: the
// service proxy sends its traffic (from pods and from the node) to the
// kube-dns endpoints, which list the coredns pod's podIP, port 53. So the
// server serves port 53 on the first of podAddresses it can bind (the node's
// address, then its address on the pod network when another resolver holds
// port 53 there), and that address is podIp(): the endpoint lists where it
// really listens. With none bound it logs why, is not serving (the pod is
// not Ready) and tries again every 5 s.
struct ClusterDnsOptions {
  std::vector<std::string> podAddresses;  // IPv4/IPv6 addresses, in order of preference
  std::vector<std::string> listen;        // extra "address:port"s (--dns-listen); an error when unbindable
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
