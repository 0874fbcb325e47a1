// Netlink messages the service proxy sends, decoded back: the writer's
// layout, nf_tables batches for whole states and for single changes.
#include <catch2/catch.hpp>

#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "netagent/netlink_channel.h"
#include "netagent/netlink_writer.h"
#include "netagent/nft_messages.h"
#include "netagent/nft_ruleset.h"

using namespace minik::netagent;
using minik::parseIpv4;

namespace {

struct Decoded {
  uint16_t type;  // nf_tables message type, or the batch markers
  uint16_t flags;
  uint32_t seq;
  std::string chain;            // the chain or set the message is about
  std::vector<std::string> expressions;
  size_t elements = 0;
};

std::string text(const uint8_t* v, size_t len) {
  return std::string(reinterpret_cast<const char*>(v), strnlen(reinterpret_cast<const char*>(v), len));
}

std::vector<Decoded> decode(const NetlinkWriter& w) {
  std::vector<Decoded> out;
  const auto& bytes = w.bytes();
  size_t offset = 0;
  while (offset < bytes.size()) {
    nlmsghdr h;
    std::memcpy(&h, bytes.data() + offset, sizeof h);
    REQUIRE(h.nlmsg_len >= NLMSG_HDRLEN);
    REQUIRE(offset + h.nlmsg_len <= bytes.size());
    Decoded d{static_cast<uint16_t>(h.nlmsg_type & 0xff), h.nlmsg_flags, h.nlmsg_seq, {}, {}, 0};
    if (h.nlmsg_type == NFNL_MSG_BATCH_BEGIN || h.nlmsg_type == NFNL_MSG_BATCH_END) {
      d.type = h.nlmsg_type;
    } else {
      CHECK((h.nlmsg_type >> 8) == NFNL_SUBSYS_NFTABLES);
      const auto& message = *reinterpret_cast<const nlmsghdr*>(bytes.data() + offset);
      forEachAttribute(message, sizeof(nfgenmsg), [&](uint16_t type, const uint8_t* v, size_t len) {
        if (d.type == NFT_MSG_NEWRULE && type == NFTA_RULE_CHAIN) d.chain = text(v, len);
        if (d.type == NFT_MSG_DELRULE && type == NFTA_RULE_CHAIN) d.chain = text(v, len);
        if ((d.type == NFT_MSG_NEWCHAIN || d.type == NFT_MSG_DELCHAIN) && type == NFTA_CHAIN_NAME) d.chain = text(v, len);
        if ((d.type == NFT_MSG_NEWSET || d.type == NFT_MSG_DELSET) && type == NFTA_SET_NAME) d.chain = text(v, len);
        if ((d.type == NFT_MSG_NEWSETELEM || d.type == NFT_MSG_DELSETELEM) && type == NFTA_SET_ELEM_LIST_SET) {
          d.chain = text(v, len);
        }
        if (type == NFTA_SET_ELEM_LIST_ELEMENTS &&
            (d.type == NFT_MSG_NEWSETELEM || d.type == NFT_MSG_DELSETELEM)) {
          forEachAttribute(v, len, [&](uint16_t, const uint8_t*, size_t) { ++d.elements; });
        }
        if (d.type == NFT_MSG_NEWRULE && type == NFTA_RULE_EXPRESSIONS) {
          forEachAttribute(v, len, [&](uint16_t, const uint8_t* e, size_t elen) {
            forEachAttribute(e, elen, [&](uint16_t t, const uint8_t* n, size_t nlen) {
              if (t == NFTA_EXPR_NAME) d.expressions.push_back(text(n, nlen));
            });
          });
        }
      });
    }
    out.push_back(d);
    offset += NLMSG_ALIGN(h.nlmsg_len);
  }
  return out;
}

VirtualService web(std::vector<const char*> backends) {
  VirtualService vs;
  vs.clusterIp = *parseIpv4("10.43.0.20");
  vs.port = 80;
  for (const char* b : backends) vs.backends.push_back({*parseIpv4(b), 8080, false});
  return vs;
}

std::vector<uint16_t> typesOf(const std::vector<Decoded>& messages) {
  std::vector<uint16_t> out;
  for (const auto& m : messages) out.push_back(m.type);
  return out;
}

}  // namespace

TEST_CASE("the writer aligns messages and attributes and sizes nests") {
  NetlinkWriter w(100);
  uint8_t header[3] = {1, 2, 3};
  CHECK(w.begin(42, NLM_F_ACK, header, sizeof header) == 100);
  w.putU8(1, 7);
  size_t nest = w.nestBegin(2);
  w.putString(3, "abc");
  w.nestEnd(nest);
  w.end();
  w.begin(43, 0, nullptr, 0);
  w.end();
  w.ackLast();
  REQUIRE(w.messageCount() == 2);
  CHECK(w.awaited() == std::vector<uint32_t>{100, 101});
  const auto& b = w.bytes();
  nlmsghdr h;
  std::memcpy(&h, b.data(), sizeof h);
  // header 16 + family header 3 -> 4, u8 attr 5 -> 8, nest 4 + string attr 8 -> 12
  CHECK(h.nlmsg_len == 16 + 4 + 8 + 12);
  CHECK(h.nlmsg_type == 42);
  CHECK((h.nlmsg_flags & (NLM_F_REQUEST | NLM_F_ACK)) == (NLM_F_REQUEST | NLM_F_ACK));
  nlattr a;
  std::memcpy(&a, b.data() + 16 + 4 + 8, sizeof a);
  CHECK(a.nla_len == 12);
  CHECK(a.nla_type == (2 | NLA_F_NESTED));
  CHECK(b.size() == h.nlmsg_len + 16u);
  std::vector<std::string> seen;
  forEachAttribute(*reinterpret_cast<const nlmsghdr*>(b.data()), 3, [&](uint16_t type, const uint8_t* v, size_t len) {
    seen.push_back(std::to_string(type) + ":" + std::to_string(len));
  });
  CHECK(seen == std::vector<std::string>{"1:1", "2:8"});
}

// Rules per chain and elements per set, as decoded from the messages.
NftCensus censusOf(const std::vector<Decoded>& messages) {
  NftCensus c;
  for (const auto& m : messages) {
    if (m.type == NFT_MSG_NEWCHAIN) c.rules[m.chain] += 0;
    if (m.type == NFT_MSG_NEWRULE) c.rules[m.chain] += 1;
    if (m.type == NFT_MSG_NEWSETELEM) c.elements[m.chain] += m.elements;
  }
  return c;
}

TEST_CASE("a whole state is one batch that recreates minik's table") {
  NftRuleset ruleset(NftLayout{});
  ProxyState state = {{"default/web:/TCP", web({"10.42.0.2", "10.42.0.3"})}};
  NetlinkWriter w;
  nft::batchBegin(w);
  ruleset.writeReplaceAll(w, state);
  nft::batchEnd(w);
  auto messages = decode(w);
  REQUIRE(messages.size() > 4);
  CHECK(messages.front().type == NFNL_MSG_BATCH_BEGIN);
  CHECK(messages.back().type == NFNL_MSG_BATCH_END);
  // Create-then-delete removes the table whether or not it existed.
  CHECK(messages[1].type == NFT_MSG_NEWTABLE);
  CHECK(messages[2].type == NFT_MSG_DELTABLE);
  std::map<std::string, std::vector<std::vector<std::string>>> rules;
  for (const auto& m : messages) {
    if (m.type == NFT_MSG_NEWRULE) rules[m.chain].push_back(m.expressions);
  }
  CHECK(rules["prerouting"] == std::vector<std::vector<std::string>>{{"immediate"}});
  CHECK(rules["output"] == std::vector<std::vector<std::string>>{{"immediate"}});
  CHECK(rules["no-endpoints"] == std::vector<std::vector<std::string>>{{"immediate"}});
  REQUIRE(rules["services"].size() == 2);
  CHECK(rules["services"][0] == std::vector<std::string>{"payload", "meta", "payload", "lookup"});
  REQUIRE(rules["postrouting"].size() == 2);
  CHECK(rules["postrouting"][0].back() == "masq");
  // Two backends: the pick chain for two marks traffic from outside the
  // pods, then picks slot 0 or 1 of the Service's address.
  REQUIRE(rules["pick-2"].size() == 2);
  CHECK(rules["pick-2"][1] == std::vector<std::string>{"payload", "meta", "payload", "numgen", "lookup", "nat"});
  // And the two chains that remember clients of Services with affinity.
  CHECK(rules["remember-output"].size() == 1);
  CHECK(rules.size() == 8);
  NftCensus decoded = censusOf(messages);
  CHECK(decoded.elements["endpoints"] == 2);
  CHECK(decoded.elements["services"] == 1);
  CHECK(decoded.elements["hairpin"] == 2);
  decoded.elements.emplace("nodeports", 0);
  decoded.elements.emplace("nodeport-endpoints", 0);
  decoded.elements.emplace("affinity-backends", 0);
  decoded.elements.emplace("sticky-services", 0);
  CHECK(ruleset.census(state) == decoded);
}

TEST_CASE("an endpoint change rewrites one Service's map elements and nothing else") {
  NftRuleset ruleset(NftLayout{});
  ProxyChange change{"default/web:/TCP", web({"10.42.0.2", "10.42.0.3"}), web({"10.42.0.2"})};
  NetlinkWriter w;
  ruleset.writeChange(w, change);
  auto first = decode(w);
  // A backend count seen for the first time brings its pick chain.
  CHECK(typesOf(first) == std::vector<uint16_t>{NFT_MSG_DELSETELEM, NFT_MSG_DELSETELEM, NFT_MSG_NEWCHAIN,
                                                NFT_MSG_NEWRULE, NFT_MSG_NEWRULE, NFT_MSG_NEWSETELEM,
                                                NFT_MSG_NEWSETELEM});
  CHECK(first[0].chain == "services");
  CHECK(first[1].chain == "endpoints");
  CHECK(first[1].elements == 2);  // the two old slots
  CHECK(first[2].chain == "pick-1");
  CHECK(first[5].chain == "endpoints");
  CHECK(first[5].elements == 1);  // the one new slot
  CHECK(first[6].chain == "services");
  w.clear();
  ruleset.writeChange(w, {"default/web:/TCP", web({"10.42.0.2"}), web({"10.42.0.4"})});
  CHECK(typesOf(decode(w)) == std::vector<uint16_t>{NFT_MSG_DELSETELEM, NFT_MSG_DELSETELEM, NFT_MSG_NEWSETELEM,
                                                    NFT_MSG_NEWSETELEM});
}

TEST_CASE("a service without active backends goes to no-endpoints; one that goes away leaves the maps") {
  NftRuleset ruleset(NftLayout{});
  NetlinkWriter w;
  ruleset.writeChange(w, {"default/web:/TCP", std::nullopt, web({})});
  auto added = decode(w);
  CHECK(typesOf(added) == std::vector<uint16_t>{NFT_MSG_NEWSETELEM});
  CHECK(added[0].chain == "services");
  w.clear();
  VirtualService withNodePort = web({"10.42.0.2"});
  withNodePort.nodePort = 30080;
  ruleset.writeChange(w, {"default/web:/TCP", withNodePort, std::nullopt});
  auto removed = decode(w);
  CHECK(typesOf(removed) == std::vector<uint16_t>{NFT_MSG_DELSETELEM, NFT_MSG_DELSETELEM, NFT_MSG_DELSETELEM,
                                                  NFT_MSG_DELSETELEM});
  std::vector<std::string> sets;
  for (const auto& m : removed) sets.push_back(m.chain);
  CHECK(sets == std::vector<std::string>{"services", "nodeports", "endpoints", "nodeport-endpoints"});
}

TEST_CASE("large element lists are split so that no attribute overflows") {
  std::vector<nft::Element> elements(5000);
  for (size_t i = 0; i < elements.size(); ++i) elements[i].key = nft::be32(static_cast<uint32_t>(i));
  NetlinkWriter w;
  nft::newElements(w, "minik", "hairpin", 0, elements);
  auto messages = decode(w);
  REQUIRE(messages.size() > 1);
  size_t total = 0;
  for (const auto& m : messages) {
    CHECK(m.type == NFT_MSG_NEWSETELEM);
    total += m.elements;
  }
  CHECK(total == elements.size());
}

TEST_CASE("concatenated keys pad each field to 32 bits") {
  CHECK(nft::concat({nft::be32(0x0a2b0014), {6}, nft::be16(80)}) ==
        nft::Bytes{0x0a, 0x2b, 0x00, 0x14, 6, 0, 0, 0, 0, 80, 0, 0});
}

TEST_CASE("ClientIP affinity: remembered clients first, then the random pick; remembered after the DNAT") {
  NftRuleset ruleset(NftLayout{});
  VirtualService sticky = web({"10.42.0.2", "10.42.0.3"});
  sticky.affinitySeconds = 60;
  sticky.nodePort = 30080;
  ProxyState state = {{"default/sticky:/TCP", sticky}, {"default/web:/TCP", web({"10.42.0.4", "10.42.0.5"})}};
  state["default/web:/TCP"].clusterIp = *parseIpv4("10.43.0.21");
  NetlinkWriter w;
  ruleset.writeReplaceAll(w, state);
  auto messages = decode(w);
  std::map<std::string, std::vector<std::vector<std::string>>> rules;
  std::vector<std::string> sets;
  for (const auto& m : messages) {
    if (m.type == NFT_MSG_NEWRULE) rules[m.chain].push_back(m.expressions);
    if (m.type == NFT_MSG_NEWSET) sets.push_back(m.chain);
  }
  for (const char* set : {"affinity", "affinity-backends", "sticky-services"}) {
    CHECK(std::count(sets.begin(), sets.end(), set) == 1);
  }
  using E = std::vector<std::string>;
  REQUIRE(rules["pick-2"].size() == 2);
  const auto& pick = rules["pick-2-affinity"];
  REQUIRE(pick.size() == 3);
  CHECK(pick[1] == E{"payload", "payload", "meta", "payload", "lookup", "nat"});
  CHECK(pick[2] == rules["pick-2"][1]);
  // Node ports balance every connection.
  CHECK(rules.count("nodeport-pick-2") == 1);
  CHECK(rules.count("nodeport-pick-2-affinity") == 0);
  for (const char* chain : {"remember-prerouting", "remember-output"}) {
    REQUIRE(rules[chain].size() == 1);
    CHECK(rules[chain][0] == E{"ct", "bitwise", "cmp", "ct", "meta", "ct", "lookup"});
  }
  REQUIRE(rules["remember-60"].size() == 1);
  CHECK(rules["remember-60"][0] == E{"ct", "ct", "meta", "ct", "ct", "ct", "lookup", "dynset"});
  NftCensus decoded = censusOf(messages);
  CHECK(decoded.elements["affinity-backends"] == 2);
  CHECK(decoded.elements["sticky-services"] == 1);
  CHECK(decoded.elements.count("affinity") == 0);  // filled by packets only
  CHECK(ruleset.census(state) == decoded);
}

TEST_CASE("an endpoint change of a sticky Service swaps its elements, affinity-backends included") {
  NftRuleset ruleset(NftLayout{});
  VirtualService before = web({"10.42.0.2", "10.42.0.3"});
  before.affinitySeconds = 10800;
  VirtualService after = web({"10.42.0.2", "10.42.0.4"});
  after.affinitySeconds = 10800;
  NetlinkWriter w;
  ruleset.writeChange(w, {"default/web:/TCP", std::nullopt, before});
  w.clear();
  ruleset.writeChange(w, {"default/web:/TCP", before, after});
  auto messages = decode(w);
  // Same backend count and timeout: no chain, only elements.
  std::vector<std::string> sets;
  for (const auto& m : messages) {
    CHECK((m.type == NFT_MSG_NEWSETELEM || m.type == NFT_MSG_DELSETELEM));
    sets.push_back((m.type == NFT_MSG_NEWSETELEM ? "+" : "-") + m.chain);
  }
  CHECK(sets == std::vector<std::string>{"-services", "-sticky-services", "-endpoints", "-affinity-backends",
                                         "+affinity-backends", "+sticky-services", "+endpoints", "+services"});
}

TEST_CASE("clients remembered for a backend that left its sticky Service are found for deletion") {
  VirtualService before = web({"10.42.0.2", "10.42.0.3"});
  before.affinitySeconds = 60;
  VirtualService after = web({"10.42.0.2"});
  after.affinitySeconds = 60;
  auto departed = NftRuleset::departedStickyBackends({{"default/web:/TCP", before, after}});
  REQUIRE(departed.size() == 1);
  // An element of the affinity map as the kernel dumps it: client .
  // ClusterIP . protocol . port -> backend . port.
  const nft::Bytes client = nft::be32(*parseIpv4("10.42.0.50"));
  nft::Bytes key = nft::concat({client, nft::be32(*parseIpv4("10.43.0.20")), {6}, nft::be16(80)});
  CHECK(NftRuleset::remembersOneOf(key, nft::concat({nft::be32(*parseIpv4("10.42.0.3")), nft::be16(8080)}),
                                   departed));
  CHECK_FALSE(NftRuleset::remembersOneOf(
      key, nft::concat({nft::be32(*parseIpv4("10.42.0.2")), nft::be16(8080)}), departed));
  // Plain Services remember nobody; a sticky Service that goes away takes
  // all its backends; a draining backend already takes no new clients.
  CHECK(NftRuleset::departedStickyBackends({{"default/web:/TCP", web({"10.42.0.2"}), std::nullopt}}).empty());
  CHECK(NftRuleset::departedStickyBackends({{"default/web:/TCP", before, std::nullopt}}).size() == 2);
  VirtualService draining = before;
  draining.backends[1].draining = true;
  CHECK(NftRuleset::departedStickyBackends({{"default/web:/TCP", before, draining}}).size() == 1);
}

TEST_CASE("the remember rule carries the Service's timeout in milliseconds and names the affinity map") {
  NetlinkWriter w;
  {
    nft::Rule r(w, "minik", "c");
    r.dynset("affinity", NFT_DYNSET_OP_UPDATE, nft::kReg1, nft::reg32(4), 60000);
  }
  std::map<uint16_t, std::vector<uint8_t>> dynset;
  forEachAttribute(*reinterpret_cast<const nlmsghdr*>(w.bytes().data()), sizeof(nfgenmsg),
                   [&](uint16_t type, const uint8_t* v, size_t len) {
                     if (type != NFTA_RULE_EXPRESSIONS) return;
                     forEachAttribute(v, len, [&](uint16_t, const uint8_t* e, size_t elen) {
                       forEachAttribute(e, elen, [&](uint16_t t, const uint8_t* d, size_t dlen) {
                         if (t != NFTA_EXPR_DATA) return;
                         forEachAttribute(d, dlen, [&](uint16_t a, const uint8_t* x, size_t xlen) {
                           dynset[a] = std::vector<uint8_t>(x, x + xlen);
                         });
                       });
                     });
                   });
  CHECK(text(dynset[NFTA_DYNSET_SET_NAME].data(), dynset[NFTA_DYNSET_SET_NAME].size()) == "affinity");
  CHECK(dynset[NFTA_DYNSET_OP] == nft::be32(NFT_DYNSET_OP_UPDATE));
  CHECK(dynset[NFTA_DYNSET_SREG_KEY] == nft::be32(nft::kReg1));
  CHECK(dynset[NFTA_DYNSET_SREG_DATA] == nft::be32(nft::reg32(4)));
  CHECK(dynset[NFTA_DYNSET_TIMEOUT] == nft::Bytes{0, 0, 0, 0, 0, 0, 0xea, 0x60});
}

TEST_CASE("an SCTP Service port is keyed by protocol 132 like TCP and UDP") {
  NftRuleset ruleset(NftLayout{});
  VirtualService sctp = web({"10.42.0.2"});
  sctp.protocol = L4Protocol::Sctp;
  sctp.port = 9999;
  NetlinkWriter w;
  ruleset.writeChange(w, {"default/sctp:/SCTP", std::nullopt, sctp});
  auto messages = decode(w);
  REQUIRE(!messages.empty());
  CHECK(messages.back().chain == "services");
  CHECK(messages.back().elements == 1);
  // The key of the services map: ClusterIP . protocol . port, each padded.
  const auto& bytes = w.bytes();
  const nft::Bytes key = nft::concat({nft::be32(*parseIpv4("10.43.0.20")), {132}, nft::be16(9999)});
  CHECK(std::search(bytes.begin(), bytes.end(), key.begin(), key.end()) != bytes.end());
}
