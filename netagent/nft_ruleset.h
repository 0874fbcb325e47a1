// netagent/nft_ruleset.h — the layout of minik's own nftables table, and the
// messages that put a virtual service into it, change it or take it out.
// Writes into a NetlinkWriter, sends nothing.
//
// The table (family ip, default name "minik") keeps Services in maps, not
// in rules:
//   chain prerouting  { type nat hook prerouting priority -100; jump services }
//   chain output      { type nat hook output priority -100; jump services }
//   chain services    { ip daddr . meta l4proto . th dport vmap @services
//                       fib daddr type local meta l4proto . th dport vmap @nodeports }
//   map services  { ipv4_addr . inet_proto . inet_service : verdict }  ClusterIP:port -> goto pick-N
//   map nodeports { inet_proto . inet_service : verdict }              node port -> goto nodeport-pick-N
//   map endpoints { ipv4_addr . inet_proto . inet_service . integer : ipv4_addr . inet_service }
//                 (ClusterIP, protocol, port, slot 0..N-1) -> the N active backends
//   map nodeport-endpoints { inet_proto . inet_service . integer : ipv4_addr . inet_service }
//   chain pick-N      { ip saddr != CLUSTER_CIDR meta mark set meta mark | MASQ
//                       dnat to ip daddr . meta l4proto . th dport . numgen random mod N map @endpoints }
//   chain nodeport-pick-N { the same, keyed by meta l4proto . th dport }
//   Services with sessionAffinity ClientIP (ClusterIP traffic) go to
//   pick-N-affinity instead, which first sends a remembered client to its
//   backend:
//   map affinity { ipv4_addr . ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service;
//                  flags dynamic, timeout }   client . ClusterIP . protocol . port -> backend
//   chain pick-N-affinity { the mark rule;
//                       dnat to ip saddr . ip daddr . meta l4proto . th dport map @affinity;
//                       the rule of pick-N }
//   chain remember-prerouting { type filter hook prerouting priority -99;  (and remember-output)
//                       ct state new ct original ip daddr . meta l4proto . ct original proto-dst
//                       vmap @sticky-services }    -> goto remember-T (T: the Service's timeout)
//   chain remember-T  { ct original (saddr . daddr) . l4proto . proto-dst . ct reply (saddr . proto-src)
//                       in @affinity-backends: update @affinity { client . service timeout T : backend } }
//   set affinity-backends { ipv4_addr . inet_proto . inet_service . ipv4_addr . inet_service }
//                 (ClusterIP, protocol, port, backend) for the active backends of those Services
//   This is kube-proxy's nftables affinity (refreshed by each new connection,
//   consulted before the random pick) with one map for all Services instead
//   of a set and a rule per endpoint, so a sticky Service costs a change the
//   same few elements. Clients remembered for a backend that left are
//   deleted by the backend (departedStickyBackends, forgetElement).
//   chain no-endpoints { drop }
//   chain postrouting { type nat hook postrouting priority 100;
//                       meta mark & MASQ != 0 meta mark set meta mark & ~MASQ masquerade fully-random
//                       ct status dnat ip saddr . ip daddr @hairpin masquerade fully-random }
//   set hairpin   { ipv4_addr . ipv4_addr }   (endpoint, endpoint): a pod reaching itself
//
// Why maps: the kernel finds sets by walking a list, binds an anonymous set
// by walking the whole transaction, walks a map's elements for each chain
// that binds it, and validates every rule reachable from the hooks on each
// commit. One chain or set per Service made programming 10,000 Services
// quadratic and every change cost a walk of 100,000 rules; here a change is
// a few map elements, and there is one pick chain per backend count.
//
// Invariants: everything minik programs is inside this one table, so
// removing the table removes all of it and nothing else. A change touches
// only its virtual service's map elements (and adds a pick chain for a
// backend count not seen before).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "netagent/netlink_writer.h"
#include "netagent/proxy_rules.h"

namespace minik::netagent {

struct NftLayout {
  std::string table = "minik";
  std::string clusterCidr = "10.42.0.0/16";  // sources that need no masquerade
  uint32_t masqueradeMark = 0x4000;          // the bit kube-proxy uses
};

// How many elements each map and set of the table holds, and how many rules
// each chain: what the kernel is compared with.
struct NftCensus {
  std::map<std::string, size_t> elements;
  std::map<std::string, int> rules;
  bool operator==(const NftCensus& o) const { return elements == o.elements && rules == o.rules; }
};

class NftRuleset {
 public:
  explicit NftRuleset(NftLayout layout);

  const NftLayout& layout() const { return layout_; }
  // What the table holds after writeReplaceAll(state) and the changes since.
  NftCensus census(const ProxyState& state) const;

  // Replaces the whole table (creating it if missing) with state, in one
  // batch; hairpin pairs for every backend address of state.
  void writeReplaceAll(NetlinkWriter& w, const ProxyState& state);
  // Removes the table if present.
  void writeRemoveAll(NetlinkWriter& w);
  // One change (see diffStates), into an open batch.
  void writeChange(NetlinkWriter& w, const ProxyChange& change);
  void writeHairpin(NetlinkWriter& w, const std::vector<uint32_t>& addresses, bool add) const;

  // ClientIP affinity bookkeeping. The affinity map is filled by packets:
  // when changes take active backends away from Services with affinity,
  // the clients remembered for them must be deleted, or they would keep
  // going to a backend that left. departedStickyBackends names those
  // backends as ClusterIP . protocol . port . backend . port;
  // remembersOneOf says whether an element of the map (key and data as the
  // kernel dumps them) is for one of them; forgetElement deletes one.
  static std::set<std::vector<uint8_t>> departedStickyBackends(const std::vector<ProxyChange>& changes);
  static bool remembersOneOf(const std::vector<uint8_t>& key, const std::vector<uint8_t>& data,
                             const std::set<std::vector<uint8_t>>& departed);
  static const char* affinityMap();
  void writeForget(NetlinkWriter& w, const std::vector<uint8_t>& key) const;

  // IPVS mode does the DNAT itself; the table then only masquerades
  // (replacing whatever the table held):
  //   chain postrouting { type nat hook postrouting priority 100;
  //     ct original ip daddr SERVICE_CIDR ip saddr != CLUSTER_CIDR masquerade fully-random
  //     ct original ip daddr SERVICE_CIDR ip saddr . ip daddr @hairpin masquerade fully-random }
  void writeIpvsMasquerade(NetlinkWriter& w, const std::string& serviceCidr,
                           const std::vector<uint32_t>& hairpin);

 private:
  void writeSkeleton(NetlinkWriter& w);
  void writeHairpinSet(NetlinkWriter& w);
  // (active backends, with ClientIP affinity).
  using PickChain = std::pair<size_t, bool>;
  void ensurePickChains(NetlinkWriter& w, const PickChain& pick, bool nodePort);
  void ensureRememberChain(NetlinkWriter& w, uint32_t seconds);
  void writeElements(NetlinkWriter& w, const VirtualService& vs, bool add);

  NftLayout layout_;
  uint32_t clusterNet_ = 0;
  uint32_t clusterMask_ = 0;
  uint32_t nextSetId_ = 1;
  // Pick chains (cluster, node port) in the table.
  std::set<PickChain> pickChains_, nodePortPickChains_;
  std::set<uint32_t> rememberChains_;  // affinity timeouts with a remember chain
};

// Every distinct backend address of a state, sorted.
std::vector<uint32_t> backendAddresses(const ProxyState& state);

}  // namespace minik::netagent
