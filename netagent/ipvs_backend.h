// netagent/ipvs_backend.h — the IPVS proxy mode: a ProxyBackend that keeps
// IPVS virtual and real servers (generic netlink, family "IPVS", through
// libnl-genl) in step with the desired state, as kube-proxy's IPVS mode:
//  - the ClusterIPs as /32 addresses on a dummy interface (minik-ipvs0), so
//    locally originated traffic to them is routed at all;
//  - one virtual server per ClusterIP x port x protocol, and per node
//    address x node port; masquerade (NAT) forwarding; the scheduler asked
//    for ("rr" by default); ClientIP affinity as persistence with the
//    Service's timeout;
//  - a real server per backend: weight 1, or 0 while draining, so open
//    connections finish;
//  - net.ipv4.vs.conntrack=1 and expire_nodest_conn=1, as kube-proxy sets;
//  - masquerading for node-originated and hairpin traffic in minik's own
//    nftables table (no iptables, no ipset).
// What minik owns in IPVS: the virtual servers on addresses it programmed
// (ClusterIPs on its interface, node addresses with a node port of a
// Service); replaceAll removes other virtual servers only on those addresses
// or inside the service range.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "netagent/proxy_backend.h"

namespace minik::netagent {

struct IpvsOptions {
  std::string scheduler = "rr";
  std::string interfaceName = "minik-ipvs0";
  std::string serviceCidr = "10.43.0.0/16";
  std::string clusterCidr = "10.42.0.0/16";
  std::string nftTable = "minik";
  std::vector<uint32_t> nodeAddresses;  // host byte order
};

// Null with error set when the IPVS family does not resolve.
std::unique_ptr<ProxyBackend> makeIpvsBackend(const IpvsOptions& options, std::string* error);

// Removes minik's interface and the virtual servers on the service range
// (for cleanup when the proxy is not running).
bool cleanupIpvs(const IpvsOptions& options, std::string* error);

}  // namespace minik::netagent
