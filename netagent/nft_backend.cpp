#include "netagent/nft_backend.h"

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <functional>
#include <map>
#include <set>

#include "netagent/netlink_channel.h"
#include "netagent/nft_messages.h"
#include "netagent/reference_counts.h"

namespace minik::netagent {

namespace {

class NftBackend : public ProxyBackend {
 public:
  NftBackend(std::unique_ptr<NetlinkChannel> channel, const NftLayout& layout)
      : channel_(std::move(channel)), ruleset_(layout) {}

  const char* mode() const override { return "nftables"; }

  bool replaceAll(const ProxyState& state, std::string* error) override {
    NetlinkWriter w = writer();
    nft::batchBegin(w);
    ruleset_.writeReplaceAll(w, state);
    finishBatch(w);
    if (!send(w, error)) return false;
    ReferenceCounts::Delta users;
    for (const auto& [key, vs] : state) countHairpin(vs, +1, users);
    hairpinRefs_.clear();
    hairpinRefs_.commit(users);
    return true;
  }

  bool apply(const std::vector<ProxyChange>& changes, std::string* error) override {
    if (changes.empty()) return true;
    NetlinkWriter w = writer();
    nft::batchBegin(w);
    ReferenceCounts::Delta delta;
    for (const ProxyChange& change : changes) {
      ruleset_.writeChange(w, change);
      if (change.after) countHairpin(*change.after, +1, delta);
      if (change.before) countHairpin(*change.before, -1, delta);
    }
    std::vector<uint32_t> added, removed;
    hairpinRefs_.split(delta, &added, &removed);
    ruleset_.writeHairpin(w, removed, false);
    ruleset_.writeHairpin(w, added, true);
    finishBatch(w);
    if (!send(w, error)) return false;
    hairpinRefs_.commit(delta);
    forgetClientsOf(NftRuleset::departedStickyBackends(changes));
    return true;
  }

  bool holds(const ProxyState& state) override {
    NftCensus kernel;
    if (!dumpRules(&kernel.rules)) return false;
    for (const auto& [set, count] : ruleset_.census(state).elements) {
      if (!countElements(set, &kernel.elements[set])) return false;
    }
    return kernel == ruleset_.census(state);
  }

  bool cleanup(std::string* error) override {
    NetlinkWriter w = writer();
    nft::batchBegin(w);
    ruleset_.writeRemoveAll(w);
    finishBatch(w);
    hairpinRefs_.clear();
    return send(w, error);
  }

  BackendCounters counters() const override {
    return {channel_->messagesSent(), channel_->bytesSent()};
  }

 private:
  NetlinkWriter writer() { return NetlinkWriter(channel_->takeSequences(1u << 20)); }

  // The last message of the batch asks for an ack, so that the channel
  // knows when the kernel has answered the whole batch (errors of earlier
  // messages come before it).
  static void finishBatch(NetlinkWriter& w) {
    w.ackLast();
    nft::batchEnd(w);
  }

  bool send(const NetlinkWriter& w, std::string* error) {
    std::string why;
    if (channel_->exchange(w, nullptr, &why)) return true;
    *error = "nftables batch of " + std::to_string(w.messageCount()) + " messages: " + why;
    return false;
  }

  static void countHairpin(const VirtualService& vs, int delta, ReferenceCounts::Delta& refs) {
    for (const Backend& b : vs.backends) refs[b.ip] += delta;
  }

  void dumpRequest(NetlinkWriter& w, int type, const std::function<void()>& attributes) {
    nfgenmsg header{};
    header.nfgen_family = NFPROTO_IPV4;
    header.version = NFNETLINK_V0;
    w.begin(static_cast<uint16_t>((NFNL_SUBSYS_NFTABLES << 8) | type), NLM_F_DUMP, &header, sizeof header);
    attributes();
    w.end();
  }

  // Rules per chain of minik's table, from a dump of the kernel's rules.
  bool dumpRules(std::map<std::string, int>* rules) {
    NetlinkWriter w = writer();
    const std::string& table = ruleset_.layout().table;
    dumpRequest(w, NFT_MSG_GETRULE, [&] { w.putString(NFTA_RULE_TABLE, table); });
    // Chains without rules count too: dump them first.
    NetlinkWriter chains = writer();
    dumpRequest(chains, NFT_MSG_GETCHAIN, [&] { chains.putString(NFTA_CHAIN_TABLE, table); });
    std::string error;
    auto collect = [&](uint16_t tableAttr, uint16_t chainAttr, int add) {
      return [=, &table](const nlmsghdr& message) {
        std::string t, c;
        forEachAttribute(message, sizeof(nfgenmsg), [&](uint16_t type, const uint8_t* v, size_t len) {
          if (type == tableAttr) t.assign(reinterpret_cast<const char*>(v), strnlen(reinterpret_cast<const char*>(v), len));
          if (type == chainAttr) c.assign(reinterpret_cast<const char*>(v), strnlen(reinterpret_cast<const char*>(v), len));
        });
        if (t == table) (*rules)[c] += add;
      };
    };
    if (!channel_->exchange(chains, collect(NFTA_CHAIN_TABLE, NFTA_CHAIN_NAME, 0), &error)) return false;
    return channel_->exchange(w, collect(NFTA_RULE_TABLE, NFTA_RULE_CHAIN, 1), &error);
  }

  bool countElements(const std::string& set, size_t* count) {
    return forEachElement(set, [&](const nft::Bytes&, const nft::Bytes&) { ++*count; });
  }

  // Calls each(key, data) for every element of a set of minik's table.
  bool forEachElement(const std::string& set,
                      const std::function<void(const nft::Bytes& key, const nft::Bytes& data)>& each) {
    NetlinkWriter w = writer();
    dumpRequest(w, NFT_MSG_GETSETELEM, [&] {
      w.putString(NFTA_SET_ELEM_LIST_TABLE, ruleset_.layout().table);
      w.putString(NFTA_SET_ELEM_LIST_SET, set);
    });
    auto valueOf = [](const uint8_t* v, size_t len) {
      nft::Bytes out;
      forEachAttribute(v, len, [&](uint16_t type, const uint8_t* d, size_t dlen) {
        if (type == NFTA_DATA_VALUE) out.assign(d, d + dlen);
      });
      return out;
    };
    std::string error;
    return channel_->exchange(
        w,
        [&](const nlmsghdr& message) {
          forEachAttribute(message, sizeof(nfgenmsg), [&](uint16_t type, const uint8_t* v, size_t len) {
            if (type != NFTA_SET_ELEM_LIST_ELEMENTS) return;
            forEachAttribute(v, len, [&](uint16_t, const uint8_t* e, size_t elen) {
              nft::Bytes key, data;
              forEachAttribute(e, elen, [&](uint16_t a, const uint8_t* x, size_t xlen) {
                if (a == NFTA_SET_ELEM_KEY) key = valueOf(x, xlen);
                if (a == NFTA_SET_ELEM_DATA) data = valueOf(x, xlen);
              });
              each(key, data);
            });
          });
        },
        &error);
  }

  // Deletes the clients remembered for backends that left their Service.
  // Each delete is a batch of its own: an element may expire between the
  // dump and its delete, and one missing element must not undo the others.
  // Best effort: a client left behind expires with its timeout.
  void forgetClientsOf(const std::set<nft::Bytes>& departed) {
    if (departed.empty()) return;
    std::vector<nft::Bytes> keys;
    forEachElement(NftRuleset::affinityMap(), [&](const nft::Bytes& key, const nft::Bytes& data) {
      if (NftRuleset::remembersOneOf(key, data, departed)) keys.push_back(key);
    });
    // The kernel reads one batch per sendmsg.
    for (const nft::Bytes& key : keys) {
      NetlinkWriter w = writer();
      nft::batchBegin(w);
      ruleset_.writeForget(w, key);
      finishBatch(w);
      std::string error;
      channel_->exchange(w, nullptr, &error, [](uint32_t, int errnum) { return errnum == ENOENT; });
    }
  }

  std::unique_ptr<NetlinkChannel> channel_;
  NftRuleset ruleset_;
  ReferenceCounts hairpinRefs_;  // endpoint address -> virtual services using it
};

}  // namespace

std::unique_ptr<ProxyBackend> makeNftBackend(const NftLayout& layout, std::string* error) {
  auto channel = NetlinkChannel::open(NETLINK_NETFILTER, error);
  if (!channel) return nullptr;
  return std::make_unique<NftBackend>(std::move(channel), layout);
}

}  // namespace minik::netagent
