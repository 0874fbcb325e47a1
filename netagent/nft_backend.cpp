#include "netagent/nft_backend.h"

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <functional>
#include <map>

#include "netagent/netlink_channel.h"
#include "netagent/nft_messages.h"

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
    hairpinRefs_.clear();
    for (const auto& [key, vs] : state) countHairpin(vs, +1, hairpinRefs_);
    return true;
  }

  bool apply(const std::vector<ProxyChange>& changes, std::string* error) override {
    if (changes.empty()) return true;
    NetlinkWriter w = writer();
    nft::batchBegin(w);
    std::map<uint32_t, int> delta;  // endpoint address -> change in users
    for (const ProxyChange& change : changes) {
      ruleset_.writeChange(w, change);
      if (change.after) countHairpin(*change.after, +1, delta);
      if (change.before) countHairpin(*change.before, -1, delta);
    }
    std::vector<uint32_t> added, removed;
    for (const auto& [address, d] : delta) {
      auto it = hairpinRefs_.find(address);
      int before = it == hairpinRefs_.end() ? 0 : it->second;
      if (before == 0 && before + d > 0) added.push_back(address);
      if (before > 0 && before + d <= 0) removed.push_back(address);
    }
    ruleset_.writeHairpin(w, removed, false);
    ruleset_.writeHairpin(w, added, true);
    finishBatch(w);
    if (!send(w, error)) return false;
    for (const auto& [address, d] : delta) {
      int& refs = hairpinRefs_[address];
      refs += d;
      if (refs <= 0) hairpinRefs_.erase(address);
    }
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

  static void countHairpin(const VirtualService& vs, int delta, std::map<uint32_t, int>& refs) {
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
    NetlinkWriter w = writer();
    dumpRequest(w, NFT_MSG_GETSETELEM, [&] {
      w.putString(NFTA_SET_ELEM_LIST_TABLE, ruleset_.layout().table);
      w.putString(NFTA_SET_ELEM_LIST_SET, set);
    });
    std::string error;
    return channel_->exchange(
        w,
        [&](const nlmsghdr& message) {
          forEachAttribute(message, sizeof(nfgenmsg), [&](uint16_t type, const uint8_t* v, size_t len) {
            if (type != NFTA_SET_ELEM_LIST_ELEMENTS) return;
            forEachAttribute(v, len, [&](uint16_t, const uint8_t*, size_t) { ++*count; });
          });
        },
        &error);
  }

  std::unique_ptr<NetlinkChannel> channel_;
  NftRuleset ruleset_;
  std::map<uint32_t, int> hairpinRefs_;  // endpoint address -> virtual services using it
};

}  // namespace

std::unique_ptr<ProxyBackend> makeNftBackend(const NftLayout& layout, std::string* error) {
  auto channel = NetlinkChannel::open(NETLINK_NETFILTER, error);
  if (!channel) return nullptr;
  return std::make_unique<NftBackend>(std::move(channel), layout);
}

}  // namespace minik::netagent
