// api/cluster_config.h — the addresses and names that define this cluster,
// from `minik server` flags (defaults as k3s: pods 10.42.0.0/16, services
// 10.43.0.0/16, cluster DNS 10.43.0.10, domain cluster.local).
#pragma once

#include <string>

namespace minik {

struct ClusterConfig {
  std::string serviceCidr = "10.43.0.0/16";
  std::string clusterCidr = "10.42.0.0/16";
  std::string clusterDns = "10.43.0.10";
  std::string clusterDomain = "cluster.local";
  std::string nodeName;  // this node: the hostname unless --node-name
  std::string nodeIp;    // this node's primary IPv4 address
  std::string apiAddress;  // host:port the API listens on
};

}  // namespace minik
