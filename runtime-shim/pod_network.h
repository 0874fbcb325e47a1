// runtime-shim/pod_network.h — the network half of a pod sandbox: a network
// namespace per pod (bind-mounted at /run/netns/minik-<uid prefix>, so
// `ip netns exec` and nsenter find it), a veth pair whose host end joins the
// bridge minik0 and whose pod end is eth0 with the pod's address, loopback
// up, and a default route via the bridge's address (the pod CIDR's first
// address).
//
// Contract:
//  - Touches only what it made: minik0, veth links named mk<uid prefix>,
//    namespaces named minik-<uid prefix>. The bridge's address gives the node
//    its connected route to the pod CIDR; nothing else on the host changes
//    but forwarding on minik0 itself (so pods reach ClusterIPs DNATed back
//    onto the bridge).
//  - setUp() and tearDown() are idempotent, so a restart of minik can run
//    them again over what exists. Blocking; call off the event loop.
#pragma once

#include <string>

namespace minik {

struct PodNetworkNames {
  std::string netns;      // "minik-0123456789ab"
  std::string netnsPath;  // "/run/netns/minik-0123456789ab"
  std::string hostVeth;   // "mk0123456789ab"
};
PodNetworkNames podNetworkNames(const std::string& podUid);

// Why pods on one bridge cannot reach each other through a Service in this
// network namespace ("" when they can): a pod's packet to a ClusterIP is
// DNATed to a pod on the same bridge, whose answer is bridged straight back
// unless br_netfilter hands bridged traffic to the IP hooks
// (net.bridge.bridge-nf-call-iptables=1), where conntrack undoes the DNAT.
std::string bridgeNetfilterProblem();

class PodNetwork {
 public:
  // bridgeCidr: the gateway address with the pod CIDR's prefix ("10.42.0.1/24").
  PodNetwork(std::string bridgeName, std::string bridgeCidr);

  // Creates the bridge if missing, gives it its address, brings it up.
  bool ensureBridge(std::string* error);
  // Namespace, veth, address, routes for a pod.
  bool setUp(const std::string& podUid, const std::string& podIp, std::string* error);
  // Removes the veth and the namespace (processes in it must be gone).
  void tearDown(const std::string& podUid);
  bool exists(const std::string& podUid) const;

 private:
  std::string bridge_;
  std::string bridgeCidr_;
};

}  // namespace minik
