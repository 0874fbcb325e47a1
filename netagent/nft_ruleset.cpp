#include "netagent/nft_ruleset.h"

#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tuple_common.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/rtnetlink.h>

#include <algorithm>

#include "netagent/nft_messages.h"

namespace minik::netagent {

namespace {

using nft::Bytes;

// nft's datatype ids (src/datatype.h), so that `nft list` prints the maps
// with their types; concatenations shift by 6 bits per field.
// The slot of a backend is typed as a mark (32 bits, host order, as numgen
// writes it): nft cannot print an integer of unknown size in a concatenation.
constexpr uint32_t kTypeMark = 19;
constexpr uint32_t kTypeIpAddr = 7;
constexpr uint32_t kTypeInetProto = 12;
constexpr uint32_t kTypeInetService = 13;
constexpr uint32_t concatType(uint32_t a, uint32_t b) { return (a << 6) | b; }

constexpr char kServicesMap[] = "services";
constexpr char kNodePortsMap[] = "nodeports";
constexpr char kEndpointsMap[] = "endpoints";
constexpr char kNodePortEndpointsMap[] = "nodeport-endpoints";
constexpr char kHairpinSet[] = "hairpin";
constexpr char kAffinityMap[] = "affinity";
constexpr char kAffinityBackendsSet[] = "affinity-backends";
constexpr char kStickyServicesMap[] = "sticky-services";
constexpr char kServicesChain[] = "services";
constexpr char kNoEndpointsChain[] = "no-endpoints";

using PickChain = std::pair<size_t, bool>;  // as NftRuleset::PickChain

Bytes ip(uint32_t address) { return nft::be32(address); }
Bytes proto(L4Protocol p) { return {static_cast<uint8_t>(p)}; }

std::string pickChain(const PickChain& pick, bool nodePort) {
  std::string name = (nodePort ? "nodeport-pick-" : "pick-") + std::to_string(pick.first);
  if (pick.second) name += "-affinity";
  return name;
}

std::string rememberChain(uint32_t seconds) { return "remember-" + std::to_string(seconds); }

// ClientIP affinity in ClusterIP traffic only: node ports balance every
// connection (their packets name no ClusterIP to remember the client by).
bool sticky(const VirtualService& vs, bool nodePort) { return vs.affinitySeconds != 0 && !nodePort; }

// Where a virtual service's dispatch element sends its packets.
std::string targetOf(const VirtualService& vs, bool nodePort) {
  size_t active = vs.activeCount();
  return active == 0 ? kNoEndpointsChain : pickChain({active, sticky(vs, nodePort)}, nodePort);
}

nft::Element dispatchElement(const Bytes& key, const std::string& chain) {
  nft::Element e;
  e.key = key;
  e.hasVerdict = true;
  e.verdict = {NFT_GOTO, chain};
  return e;
}

Bytes serviceKey(const VirtualService& vs) {
  return nft::concat({ip(vs.clusterIp), proto(vs.protocol), nft::be16(vs.port)});
}

Bytes nodePortKey(const VirtualService& vs) { return nft::concat({proto(vs.protocol), nft::be16(vs.nodePort)}); }

// Chooses one of count active backends at random; its address and port land
// in dreg and the 32-bit register after it.
nft::Rule& pickAtRandom(nft::Rule& r, size_t count, bool nodePort, uint32_t dreg) {
  if (nodePort) {
    return r.meta(NFT_META_L4PROTO, nft::kReg1)
        .payload(NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, nft::reg32(1))
        .numgen(nft::reg32(2), static_cast<uint32_t>(count), true)
        .lookup(kNodePortEndpointsMap, 0, nft::kReg1, dreg);
  }
  return r.payload(NFT_PAYLOAD_NETWORK_HEADER, 16, 4, nft::kReg1)
      .meta(NFT_META_L4PROTO, nft::reg32(1))
      .payload(NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, nft::reg32(2))
      .numgen(nft::reg32(3), static_cast<uint32_t>(count), true)
      .lookup(kEndpointsMap, 0, nft::kReg1, dreg);
}

nft::SetSpec mapSpec(const char* name, uint32_t id, uint32_t keyType, uint32_t keyLen) {
  nft::SetSpec spec;
  spec.name = name;
  spec.id = id;
  spec.keyType = keyType;
  spec.keyLen = keyLen;
  spec.isMap = true;
  spec.dataType = concatType(kTypeIpAddr, kTypeInetService);
  spec.dataLen = 8;
  return spec;
}

}  // namespace

std::vector<uint32_t> backendAddresses(const ProxyState& state) {
  std::vector<uint32_t> out;
  for (const auto& [key, vs] : state) {
    for (const Backend& b : vs.backends) out.push_back(b.ip);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

NftRuleset::NftRuleset(NftLayout layout) : layout_(std::move(layout)) {
  if (auto cidr = parseIpv4Cidr(layout_.clusterCidr)) {
    clusterNet_ = cidr->first;
    clusterMask_ = cidr->second == 0 ? 0 : ~uint32_t{0} << (32 - cidr->second);
  }
}

NftCensus NftRuleset::census(const ProxyState& state) const {
  NftCensus c;
  c.rules = {{"prerouting", 1}, {"output", 1}, {"postrouting", 2}, {kServicesChain, 2}, {kNoEndpointsChain, 1}};
  const int marks = clusterMask_ != 0 ? 1 : 0;
  auto rulesOf = [&](const PickChain& pick) { return marks + (pick.second ? 2 : 1); };
  for (const PickChain& p : pickChains_) c.rules[pickChain(p, false)] = rulesOf(p);
  for (const PickChain& p : nodePortPickChains_) c.rules[pickChain(p, true)] = rulesOf(p);
  c.rules["remember-prerouting"] = 1;
  c.rules["remember-output"] = 1;
  for (uint32_t seconds : rememberChains_) c.rules[rememberChain(seconds)] = 1;
  size_t services = 0, nodePorts = 0, endpoints = 0, nodePortEndpoints = 0, affinityBackends = 0, stickies = 0;
  for (const auto& [key, vs] : state) {
    const size_t active = vs.activeCount();
    ++services;
    endpoints += active;
    if (vs.nodePort) {
      ++nodePorts;
      nodePortEndpoints += active;
    }
    if (vs.affinitySeconds) {
      affinityBackends += active;
      ++stickies;
    }
  }
  c.elements = {{kServicesMap, services},
                {kNodePortsMap, nodePorts},
                {kEndpointsMap, endpoints},
                {kNodePortEndpointsMap, nodePortEndpoints},
                {kHairpinSet, backendAddresses(state).size()},
                {kAffinityBackendsSet, affinityBackends},
                {kStickyServicesMap, stickies}};
  // The affinity map is filled by packets: its size says nothing.
  return c;
}

void NftRuleset::writeRemoveAll(NetlinkWriter& w) {
  // Creating first makes the delete succeed whether or not the table exists.
  nft::newTable(w, layout_.table);
  nft::deleteTable(w, layout_.table);
  pickChains_.clear();
  nodePortPickChains_.clear();
  rememberChains_.clear();
}

void NftRuleset::writeReplaceAll(NetlinkWriter& w, const ProxyState& state) {
  writeRemoveAll(w);
  writeSkeleton(w);
  for (const auto& [key, vs] : state) writeElements(w, vs, true);
  writeHairpin(w, backendAddresses(state), true);
}

void NftRuleset::writeSkeleton(NetlinkWriter& w) {
  const std::string& t = layout_.table;
  nft::newTable(w, t);

  nft::SetSpec services;
  services.name = kServicesMap;
  services.id = nextSetId_++;
  services.keyType = concatType(concatType(kTypeIpAddr, kTypeInetProto), kTypeInetService);
  services.keyLen = 12;
  services.verdictMap = true;
  nft::newSet(w, t, services);

  nft::SetSpec nodePorts;
  nodePorts.name = kNodePortsMap;
  nodePorts.id = nextSetId_++;
  nodePorts.keyType = concatType(kTypeInetProto, kTypeInetService);
  nodePorts.keyLen = 8;
  nodePorts.verdictMap = true;
  nft::newSet(w, t, nodePorts);

  nft::newSet(w, t, mapSpec(kEndpointsMap, nextSetId_++,
                            concatType(concatType(concatType(kTypeIpAddr, kTypeInetProto), kTypeInetService),
                                       kTypeMark),
                            16));
  nft::newSet(w, t, mapSpec(kNodePortEndpointsMap, nextSetId_++,
                            concatType(concatType(kTypeInetProto, kTypeInetService), kTypeMark), 12));

  writeHairpinSet(w);

  const uint32_t serviceType = concatType(concatType(kTypeIpAddr, kTypeInetProto), kTypeInetService);
  // Client address . service -> the backend it was sent to, filled and
  // refreshed by packets, each element expiring after its Service's timeout.
  nft::SetSpec affinity = mapSpec(kAffinityMap, nextSetId_++, (kTypeIpAddr << 18) | serviceType, 16);
  affinity.flags = NFT_SET_EVAL | NFT_SET_TIMEOUT;
  nft::newSet(w, t, affinity);

  // Service . backend for the active backends of Services with affinity.
  nft::SetSpec affinityBackends;
  affinityBackends.name = kAffinityBackendsSet;
  affinityBackends.id = nextSetId_++;
  affinityBackends.keyType = concatType(concatType(serviceType, kTypeIpAddr), kTypeInetService);
  affinityBackends.keyLen = 20;
  nft::newSet(w, t, affinityBackends);

  // ClusterIP . protocol . port of Services with affinity -> goto remember-T.
  nft::SetSpec stickyServices;
  stickyServices.name = kStickyServicesMap;
  stickyServices.id = nextSetId_++;
  stickyServices.keyType = serviceType;
  stickyServices.keyLen = 12;
  stickyServices.verdictMap = true;
  nft::newSet(w, t, stickyServices);

  nft::newChain(w, t, kNoEndpointsChain);
  nft::Rule(w, t, kNoEndpointsChain).verdict({NF_DROP, ""});

  nft::newChain(w, t, kServicesChain);
  {
    nft::Rule r(w, t, kServicesChain);
    r.payload(NFT_PAYLOAD_NETWORK_HEADER, 16, 4, nft::kReg1)
        .meta(NFT_META_L4PROTO, nft::reg32(1))
        .payload(NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, nft::reg32(2))
        .lookup(kServicesMap, 0, nft::kReg1, nft::kRegVerdict);
  }
  {
    nft::Rule r(w, t, kServicesChain);
    r.fibDaddrType(nft::kReg1)
        .cmp(NFT_CMP_EQ, nft::kReg1, nft::host32(RTN_LOCAL))
        .meta(NFT_META_L4PROTO, nft::kReg1)
        .payload(NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, nft::reg32(1))
        .lookup(kNodePortsMap, 0, nft::kReg1, nft::kRegVerdict);
  }

  const nft::Verdict toServices{NFT_JUMP, kServicesChain};
  nft::newBaseChain(w, t, "prerouting", {NF_INET_PRE_ROUTING, -100, "nat"});
  nft::Rule(w, t, "prerouting").verdict(toServices);
  // nft 1.0.6 refuses the dstnat keyword at output: the number is the same.
  nft::newBaseChain(w, t, "output", {NF_INET_LOCAL_OUT, -100, "nat"});
  nft::Rule(w, t, "output").verdict(toServices);

  // Right after the DNAT, new connections to Services with affinity have
  // their backend remembered, read from the conntrack entry: nft (1.0.6)
  // cannot print a rule that feeds a map's result into a set, so the pick
  // chains do not remember it themselves.
  for (const auto& [chain, hook] : {std::make_pair("remember-prerouting", NF_INET_PRE_ROUTING),
                                    std::make_pair("remember-output", NF_INET_LOCAL_OUT)}) {
    nft::newBaseChain(w, t, chain, {static_cast<uint32_t>(hook), -99, "filter"});
    nft::Rule r(w, t, chain);
    r.ct(NFT_CT_STATE, nft::kReg1)
        .bitwise(nft::kReg1, nft::kReg1, nft::host32(NF_CT_STATE_BIT(IP_CT_NEW)), nft::host32(0))
        .cmp(NFT_CMP_NEQ, nft::kReg1, nft::host32(0))
        .ct(NFT_CT_DST_IP, nft::kReg1, IP_CT_DIR_ORIGINAL)
        .meta(NFT_META_L4PROTO, nft::reg32(1))
        .ct(NFT_CT_PROTO_DST, nft::reg32(2), IP_CT_DIR_ORIGINAL)
        .lookup(kStickyServicesMap, 0, nft::kReg1, nft::kRegVerdict);
  }

  nft::newBaseChain(w, t, "postrouting", {NF_INET_POST_ROUTING, 100, "nat"});
  const uint32_t mark = layout_.masqueradeMark;
  {
    nft::Rule r(w, t, "postrouting");
    r.meta(NFT_META_MARK, nft::kReg1)
        .bitwise(nft::kReg1, nft::kReg1, nft::host32(mark), nft::host32(0))
        .cmp(NFT_CMP_NEQ, nft::kReg1, nft::host32(0))
        // Clear the bit so that nothing after minik mistakes it for its own.
        .meta(NFT_META_MARK, nft::kReg1)
        .bitwise(nft::kReg1, nft::kReg1, nft::host32(~mark), nft::host32(0))
        .metaSet(NFT_META_MARK, nft::kReg1)
        .masquerade(true);
  }
  {
    nft::Rule r(w, t, "postrouting");
    r.ct(NFT_CT_STATUS, nft::kReg1)
        .bitwise(nft::kReg1, nft::kReg1, nft::host32(IPS_DST_NAT), nft::host32(0))
        .cmp(NFT_CMP_NEQ, nft::kReg1, nft::host32(0))
        .payload(NFT_PAYLOAD_NETWORK_HEADER, 12, 4, nft::kReg1)
        .payload(NFT_PAYLOAD_NETWORK_HEADER, 16, 4, nft::reg32(1))
        .lookup(kHairpinSet, 0, nft::kReg1, UINT32_MAX)
        .masquerade(true);
  }
}

void NftRuleset::ensurePickChains(NetlinkWriter& w, const PickChain& pick, bool nodePort) {
  auto& known = nodePort ? nodePortPickChains_ : pickChains_;
  if (pick.first == 0 || !known.insert(pick).second) return;
  const std::string& t = layout_.table;
  const std::string chain = pickChain(pick, nodePort);
  nft::newChain(w, t, chain);
  if (clusterMask_ != 0) {
    // Traffic from outside the pods is masqueraded, so that answers come
    // back through this node.
    nft::Rule r(w, t, chain);
    r.payload(NFT_PAYLOAD_NETWORK_HEADER, 12, 4, nft::kReg1)
        .bitwise(nft::kReg1, nft::kReg1, nft::be32(clusterMask_), nft::be32(0))
        .cmp(NFT_CMP_NEQ, nft::kReg1, nft::be32(clusterNet_))
        .meta(NFT_META_MARK, nft::kReg1)
        .bitwise(nft::kReg1, nft::kReg1, nft::host32(~layout_.masqueradeMark),
                 nft::host32(layout_.masqueradeMark))
        .metaSet(NFT_META_MARK, nft::kReg1);
  }
  if (pick.second) {
    // A client remembered for this Service goes to its backend again.
    nft::Rule r(w, t, chain);
    r.payload(NFT_PAYLOAD_NETWORK_HEADER, 12, 4, nft::kReg1)
        .payload(NFT_PAYLOAD_NETWORK_HEADER, 16, 4, nft::reg32(1))
        .meta(NFT_META_L4PROTO, nft::reg32(2))
        .payload(NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, nft::reg32(3))
        .lookup(kAffinityMap, 0, nft::kReg1, nft::reg32(4))
        .dnat(nft::reg32(4), nft::reg32(5));
  }
  nft::Rule r(w, t, chain);
  pickAtRandom(r, pick.first, nodePort, nft::kReg1).dnat(nft::kReg1, nft::reg32(1));
}

// ClientIP affinity as kube-proxy's nftables mode has it: each new
// connection remembers (or refreshes) the client's backend for the
// Service's timeout, only while that backend is active.
void NftRuleset::ensureRememberChain(NetlinkWriter& w, uint32_t seconds) {
  if (!rememberChains_.insert(seconds).second) return;
  const std::string& t = layout_.table;
  const std::string chain = rememberChain(seconds);
  nft::newChain(w, t, chain);
  nft::Rule r(w, t, chain);
  r.ct(NFT_CT_SRC_IP, nft::kReg1, IP_CT_DIR_ORIGINAL)
      .ct(NFT_CT_DST_IP, nft::reg32(1), IP_CT_DIR_ORIGINAL)
      .meta(NFT_META_L4PROTO, nft::reg32(2))
      .ct(NFT_CT_PROTO_DST, nft::reg32(3), IP_CT_DIR_ORIGINAL)
      .ct(NFT_CT_SRC_IP, nft::reg32(4), IP_CT_DIR_REPLY)
      .ct(NFT_CT_PROTO_SRC, nft::reg32(5), IP_CT_DIR_REPLY)
      .lookup(kAffinityBackendsSet, 0, nft::reg32(1), UINT32_MAX)
      .dynset(kAffinityMap, NFT_DYNSET_OP_UPDATE, nft::kReg1, nft::reg32(4), uint64_t{seconds} * 1000);
}

void NftRuleset::writeElements(NetlinkWriter& w, const VirtualService& vs, bool add) {
  const std::string& t = layout_.table;
  std::vector<nft::Element> slots, nodePortSlots, affinityBackends;
  for (const Backend& b : vs.backends) {
    if (b.draining) continue;
    const uint32_t slot = static_cast<uint32_t>(slots.size());
    const Bytes target = nft::concat({ip(b.ip), nft::be16(b.port)});
    if (vs.affinitySeconds) {
      nft::Element a;
      a.key = serviceKey(vs);
      a.key.insert(a.key.end(), target.begin(), target.end());
      affinityBackends.push_back(std::move(a));
    }
    nft::Element e;
    e.key = nft::concat({ip(vs.clusterIp), proto(vs.protocol), nft::be16(vs.port), nft::host32(slot)});
    if (add) e.data = target;
    slots.push_back(std::move(e));
    if (vs.nodePort) {
      nft::Element n;
      n.key = nft::concat({proto(vs.protocol), nft::be16(vs.nodePort), nft::host32(slot)});
      if (add) n.data = target;
      nodePortSlots.push_back(std::move(n));
    }
  }
  std::vector<nft::Element> services = {dispatchElement(serviceKey(vs), targetOf(vs, false))};
  std::vector<nft::Element> nodePorts, stickyServices;
  if (vs.nodePort) nodePorts.push_back(dispatchElement(nodePortKey(vs), targetOf(vs, true)));
  if (vs.affinitySeconds) stickyServices.push_back(dispatchElement(serviceKey(vs), rememberChain(vs.affinitySeconds)));
  if (add) {
    ensurePickChains(w, {slots.size(), sticky(vs, false)}, false);
    if (vs.nodePort) ensurePickChains(w, {slots.size(), false}, true);
    if (vs.affinitySeconds) ensureRememberChain(w, vs.affinitySeconds);
    nft::newElements(w, t, kAffinityBackendsSet, 0, affinityBackends);
    nft::newElements(w, t, kStickyServicesMap, 0, stickyServices);
    nft::newElements(w, t, kEndpointsMap, 0, slots);
    nft::newElements(w, t, kNodePortEndpointsMap, 0, nodePortSlots);
    nft::newElements(w, t, kServicesMap, 0, services);
    nft::newElements(w, t, kNodePortsMap, 0, nodePorts);
  } else {
    nft::deleteElements(w, t, kServicesMap, services);
    nft::deleteElements(w, t, kNodePortsMap, nodePorts);
    nft::deleteElements(w, t, kStickyServicesMap, stickyServices);
    nft::deleteElements(w, t, kEndpointsMap, slots);
    nft::deleteElements(w, t, kNodePortEndpointsMap, nodePortSlots);
    nft::deleteElements(w, t, kAffinityBackendsSet, affinityBackends);
  }
}

void NftRuleset::writeChange(NetlinkWriter& w, const ProxyChange& change) {
  // Old elements out, new ones in, in the same batch: no packet sees the
  // virtual service half changed.
  if (change.before) writeElements(w, *change.before, false);
  if (change.after) writeElements(w, *change.after, true);
}

std::set<Bytes> NftRuleset::departedStickyBackends(const std::vector<ProxyChange>& changes) {
  std::set<Bytes> departed;
  auto activeOf = [](const VirtualService& vs) {
    std::set<std::pair<uint32_t, uint16_t>> out;
    for (const Backend& b : vs.backends) {
      if (!b.draining) out.insert({b.ip, b.port});
    }
    return out;
  };
  for (const ProxyChange& change : changes) {
    if (!change.before || !change.before->affinitySeconds) continue;
    const VirtualService& before = *change.before;
    std::set<std::pair<uint32_t, uint16_t>> kept;
    if (change.after && change.after->affinitySeconds && serviceKey(*change.after) == serviceKey(before)) {
      kept = activeOf(*change.after);
    }
    for (const auto& [address, port] : activeOf(before)) {
      if (kept.count({address, port})) continue;
      Bytes key = serviceKey(before);
      const Bytes target = nft::concat({ip(address), nft::be16(port)});
      key.insert(key.end(), target.begin(), target.end());
      departed.insert(std::move(key));
    }
  }
  return departed;
}

bool NftRuleset::remembersOneOf(const Bytes& key, const Bytes& data, const std::set<Bytes>& departed) {
  if (key.size() != 16 || data.size() != 8) return false;
  Bytes serviceAndBackend(key.begin() + 4, key.end());  // without the client
  serviceAndBackend.insert(serviceAndBackend.end(), data.begin(), data.end());
  return departed.count(serviceAndBackend) != 0;
}

const char* NftRuleset::affinityMap() { return kAffinityMap; }

void NftRuleset::writeForget(NetlinkWriter& w, const Bytes& key) const {
  nft::Element e;
  e.key = key;
  nft::deleteElements(w, layout_.table, kAffinityMap, {e});
}

void NftRuleset::writeIpvsMasquerade(NetlinkWriter& w, const std::string& serviceCidr,
                                     const std::vector<uint32_t>& hairpin) {
  const std::string& t = layout_.table;
  writeRemoveAll(w);
  nft::newTable(w, t);
  writeHairpinSet(w);
  nft::newBaseChain(w, t, "postrouting", {NF_INET_POST_ROUTING, 100, "nat"});
  auto services = parseIpv4Cidr(serviceCidr).value_or(std::make_pair(0u, 0));
  uint32_t servicesMask = services.second == 0 ? 0 : ~uint32_t{0} << (32 - services.second);
  auto toServiceRange = [&](nft::Rule& r) -> nft::Rule& {
    return r.ct(NFT_CT_DST_IP, nft::kReg1, IP_CT_DIR_ORIGINAL)
        .bitwise(nft::kReg1, nft::kReg1, nft::be32(servicesMask), nft::be32(0))
        .cmp(NFT_CMP_EQ, nft::kReg1, nft::be32(services.first));
  };
  if (clusterMask_ != 0) {
    nft::Rule r(w, t, "postrouting");
    toServiceRange(r)
        .payload(NFT_PAYLOAD_NETWORK_HEADER, 12, 4, nft::kReg1)
        .bitwise(nft::kReg1, nft::kReg1, nft::be32(clusterMask_), nft::be32(0))
        .cmp(NFT_CMP_NEQ, nft::kReg1, nft::be32(clusterNet_))
        .masquerade(true);
  }
  {
    nft::Rule r(w, t, "postrouting");
    toServiceRange(r)
        .payload(NFT_PAYLOAD_NETWORK_HEADER, 12, 4, nft::kReg1)
        .payload(NFT_PAYLOAD_NETWORK_HEADER, 16, 4, nft::reg32(1))
        .lookup(kHairpinSet, 0, nft::kReg1, UINT32_MAX)
        .masquerade(true);
  }
  writeHairpin(w, hairpin, true);
}

void NftRuleset::writeHairpinSet(NetlinkWriter& w) {
  nft::SetSpec pairs;
  pairs.name = kHairpinSet;
  pairs.id = nextSetId_++;
  pairs.keyType = concatType(kTypeIpAddr, kTypeIpAddr);
  pairs.keyLen = 8;
  nft::newSet(w, layout_.table, pairs);
}

void NftRuleset::writeHairpin(NetlinkWriter& w, const std::vector<uint32_t>& addresses, bool add) const {
  if (addresses.empty()) return;
  std::vector<nft::Element> elements;
  elements.reserve(addresses.size());
  for (uint32_t a : addresses) {
    nft::Element e;
    e.key = nft::concat({ip(a), ip(a)});
    elements.push_back(std::move(e));
  }
  if (add) {
    nft::newElements(w, layout_.table, kHairpinSet, 0, elements);
  } else {
    nft::deleteElements(w, layout_.table, kHairpinSet, elements);
  }
}

}  // namespace minik::netagent
