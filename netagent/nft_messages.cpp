#include "netagent/nft_messages.h"

#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>

#include <cstring>

namespace minik::netagent::nft {

namespace {

uint16_t messageType(int type) { return static_cast<uint16_t>((NFNL_SUBSYS_NFTABLES << 8) | type); }

void beginMessage(NetlinkWriter& w, int type, uint16_t flags) {
  nfgenmsg header{};
  header.nfgen_family = NFPROTO_IPV4;
  header.version = NFNETLINK_V0;
  header.res_id = 0;
  w.begin(messageType(type), flags, &header, sizeof header);
}

void putData(NetlinkWriter& w, uint16_t type, const Bytes& value) {
  size_t nest = w.nestBegin(type);
  w.put(NFTA_DATA_VALUE, value.data(), value.size());
  w.nestEnd(nest);
}

void putVerdict(NetlinkWriter& w, uint16_t type, const Verdict& v) {
  size_t data = w.nestBegin(type);
  size_t verdict = w.nestBegin(NFTA_DATA_VERDICT);
  w.putBe32(NFTA_VERDICT_CODE, static_cast<uint32_t>(v.code));
  if (!v.chain.empty()) w.putString(NFTA_VERDICT_CHAIN, v.chain);
  w.nestEnd(verdict);
  w.nestEnd(data);
}

size_t elementSize(const Element& e) { return 64 + e.key.size() + e.data.size() + e.verdict.chain.size(); }

void elementMessages(NetlinkWriter& w, int type, uint16_t flags, const std::string& table,
                     const std::string& set, uint32_t setId, const std::vector<Element>& elements) {
  constexpr size_t kMaxListBytes = 32 * 1024;
  size_t i = 0;
  while (i < elements.size()) {
    beginMessage(w, type, flags);
    w.putString(NFTA_SET_ELEM_LIST_TABLE, table);
    w.putString(NFTA_SET_ELEM_LIST_SET, set);
    if (setId) w.putBe32(NFTA_SET_ELEM_LIST_SET_ID, setId);
    size_t list = w.nestBegin(NFTA_SET_ELEM_LIST_ELEMENTS);
    size_t bytes = 0;
    for (; i < elements.size() && bytes < kMaxListBytes; ++i) {
      const Element& e = elements[i];
      bytes += elementSize(e);
      size_t item = w.nestBegin(NFTA_LIST_ELEM);
      putData(w, NFTA_SET_ELEM_KEY, e.key);
      if (e.hasVerdict) {
        putVerdict(w, NFTA_SET_ELEM_DATA, e.verdict);
      } else if (!e.data.empty()) {
        putData(w, NFTA_SET_ELEM_DATA, e.data);
      }
      w.nestEnd(item);
    }
    w.nestEnd(list);
    w.end();
  }
}

}  // namespace

Bytes be16(uint16_t value) { return {static_cast<uint8_t>(value >> 8), static_cast<uint8_t>(value)}; }

Bytes be32(uint32_t value) {
  return {static_cast<uint8_t>(value >> 24), static_cast<uint8_t>(value >> 16),
          static_cast<uint8_t>(value >> 8), static_cast<uint8_t>(value)};
}

Bytes host32(uint32_t value) {
  Bytes out(4);
  std::memcpy(out.data(), &value, 4);
  return out;
}

Bytes padded(const Bytes& field) {
  Bytes out = field;
  out.resize((field.size() + 3) / 4 * 4, 0);
  return out;
}

Bytes concat(std::initializer_list<Bytes> fields) {
  Bytes out;
  for (const Bytes& f : fields) {
    Bytes p = padded(f);
    out.insert(out.end(), p.begin(), p.end());
  }
  return out;
}

void batchBegin(NetlinkWriter& w) {
  nfgenmsg header{};
  header.nfgen_family = AF_UNSPEC;
  header.version = NFNETLINK_V0;
  header.res_id = htons(NFNL_SUBSYS_NFTABLES);
  w.begin(NFNL_MSG_BATCH_BEGIN, 0, &header, sizeof header);
  w.end();
}

void batchEnd(NetlinkWriter& w) {
  nfgenmsg header{};
  header.nfgen_family = AF_UNSPEC;
  header.version = NFNETLINK_V0;
  header.res_id = htons(NFNL_SUBSYS_NFTABLES);
  w.begin(NFNL_MSG_BATCH_END, 0, &header, sizeof header);
  w.end();
}

void newTable(NetlinkWriter& w, const std::string& table) {
  beginMessage(w, NFT_MSG_NEWTABLE, NLM_F_CREATE);
  w.putString(NFTA_TABLE_NAME, table);
  w.putBe32(NFTA_TABLE_FLAGS, 0);
  w.end();
}

void deleteTable(NetlinkWriter& w, const std::string& table) {
  beginMessage(w, NFT_MSG_DELTABLE, 0);
  w.putString(NFTA_TABLE_NAME, table);
  w.end();
}

void newChain(NetlinkWriter& w, const std::string& table, const std::string& chain) {
  beginMessage(w, NFT_MSG_NEWCHAIN, NLM_F_CREATE);
  w.putString(NFTA_CHAIN_TABLE, table);
  w.putString(NFTA_CHAIN_NAME, chain);
  w.end();
}

void newBaseChain(NetlinkWriter& w, const std::string& table, const std::string& chain, const Hook& hook) {
  beginMessage(w, NFT_MSG_NEWCHAIN, NLM_F_CREATE);
  w.putString(NFTA_CHAIN_TABLE, table);
  w.putString(NFTA_CHAIN_NAME, chain);
  size_t nest = w.nestBegin(NFTA_CHAIN_HOOK);
  w.putBe32(NFTA_HOOK_HOOKNUM, hook.number);
  w.putBe32(NFTA_HOOK_PRIORITY, static_cast<uint32_t>(hook.priority));
  w.nestEnd(nest);
  w.putString(NFTA_CHAIN_TYPE, hook.type);
  w.putBe32(NFTA_CHAIN_POLICY, NF_ACCEPT);
  w.end();
}

void deleteChain(NetlinkWriter& w, const std::string& table, const std::string& chain) {
  beginMessage(w, NFT_MSG_DELCHAIN, 0);
  w.putString(NFTA_CHAIN_TABLE, table);
  w.putString(NFTA_CHAIN_NAME, chain);
  w.end();
}

void flushChain(NetlinkWriter& w, const std::string& table, const std::string& chain) {
  beginMessage(w, NFT_MSG_DELRULE, 0);
  w.putString(NFTA_RULE_TABLE, table);
  w.putString(NFTA_RULE_CHAIN, chain);
  w.end();
}

void newSet(NetlinkWriter& w, const std::string& table, const SetSpec& set) {
  beginMessage(w, NFT_MSG_NEWSET, NLM_F_CREATE);
  w.putString(NFTA_SET_TABLE, table);
  w.putString(NFTA_SET_NAME, set.name);
  uint32_t flags = set.flags | (set.isMap || set.verdictMap ? NFT_SET_MAP : 0);
  w.putBe32(NFTA_SET_FLAGS, flags);
  w.putBe32(NFTA_SET_KEY_TYPE, set.keyType);
  w.putBe32(NFTA_SET_KEY_LEN, set.keyLen);
  if (set.verdictMap) {
    w.putBe32(NFTA_SET_DATA_TYPE, NFT_DATA_VERDICT);
  } else if (set.isMap) {
    w.putBe32(NFTA_SET_DATA_TYPE, set.dataType);
    w.putBe32(NFTA_SET_DATA_LEN, set.dataLen);
  }
  w.putBe32(NFTA_SET_ID, set.id);
  if (set.size) {
    size_t desc = w.nestBegin(NFTA_SET_DESC);
    w.putBe32(NFTA_SET_DESC_SIZE, set.size);
    w.nestEnd(desc);
  }
  w.end();
}

void deleteSet(NetlinkWriter& w, const std::string& table, const std::string& set) {
  beginMessage(w, NFT_MSG_DELSET, 0);
  w.putString(NFTA_SET_TABLE, table);
  w.putString(NFTA_SET_NAME, set);
  w.end();
}

void flushSet(NetlinkWriter& w, const std::string& table, const std::string& set) {
  beginMessage(w, NFT_MSG_DELSETELEM, 0);
  w.putString(NFTA_SET_ELEM_LIST_TABLE, table);
  w.putString(NFTA_SET_ELEM_LIST_SET, set);
  w.end();
}

void newElements(NetlinkWriter& w, const std::string& table, const std::string& set, uint32_t setId,
                 const std::vector<Element>& elements) {
  elementMessages(w, NFT_MSG_NEWSETELEM, NLM_F_CREATE, table, set, setId, elements);
}

void deleteElements(NetlinkWriter& w, const std::string& table, const std::string& set,
                    const std::vector<Element>& elements) {
  elementMessages(w, NFT_MSG_DELSETELEM, 0, table, set, 0, elements);
}

Rule::Rule(NetlinkWriter& w, const std::string& table, const std::string& chain) : w_(w) {
  beginMessage(w_, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND);
  w_.putString(NFTA_RULE_TABLE, table);
  w_.putString(NFTA_RULE_CHAIN, chain);
  expressions_ = w_.nestBegin(NFTA_RULE_EXPRESSIONS);
}

Rule::~Rule() {
  w_.nestEnd(expressions_);
  w_.end();
}

void Rule::beginExpression(const char* name) {
  element_ = w_.nestBegin(NFTA_LIST_ELEM);
  w_.putString(NFTA_EXPR_NAME, name);
  data_ = w_.nestBegin(NFTA_EXPR_DATA);
}

void Rule::endExpression() {
  w_.nestEnd(data_);
  w_.nestEnd(element_);
}

Rule& Rule::payload(uint32_t base, uint32_t offset, uint32_t len, uint32_t dreg) {
  beginExpression("payload");
  w_.putBe32(NFTA_PAYLOAD_DREG, dreg);
  w_.putBe32(NFTA_PAYLOAD_BASE, base);
  w_.putBe32(NFTA_PAYLOAD_OFFSET, offset);
  w_.putBe32(NFTA_PAYLOAD_LEN, len);
  endExpression();
  return *this;
}

Rule& Rule::meta(uint32_t key, uint32_t dreg) {
  beginExpression("meta");
  w_.putBe32(NFTA_META_KEY, key);
  w_.putBe32(NFTA_META_DREG, dreg);
  endExpression();
  return *this;
}

Rule& Rule::metaSet(uint32_t key, uint32_t sreg) {
  beginExpression("meta");
  w_.putBe32(NFTA_META_KEY, key);
  w_.putBe32(NFTA_META_SREG, sreg);
  endExpression();
  return *this;
}

Rule& Rule::ct(uint32_t key, uint32_t dreg, int direction) {
  beginExpression("ct");
  w_.putBe32(NFTA_CT_KEY, key);
  w_.putBe32(NFTA_CT_DREG, dreg);
  if (direction >= 0) w_.putU8(NFTA_CT_DIRECTION, static_cast<uint8_t>(direction));
  endExpression();
  return *this;
}

Rule& Rule::cmp(uint32_t op, uint32_t sreg, const Bytes& data) {
  beginExpression("cmp");
  w_.putBe32(NFTA_CMP_SREG, sreg);
  w_.putBe32(NFTA_CMP_OP, op);
  putData(w_, NFTA_CMP_DATA, data);
  endExpression();
  return *this;
}

Rule& Rule::bitwise(uint32_t sreg, uint32_t dreg, const Bytes& mask, const Bytes& xorValue) {
  beginExpression("bitwise");
  w_.putBe32(NFTA_BITWISE_SREG, sreg);
  w_.putBe32(NFTA_BITWISE_DREG, dreg);
  w_.putBe32(NFTA_BITWISE_LEN, static_cast<uint32_t>(mask.size()));
  putData(w_, NFTA_BITWISE_MASK, mask);
  putData(w_, NFTA_BITWISE_XOR, xorValue);
  endExpression();
  return *this;
}

Rule& Rule::numgen(uint32_t dreg, uint32_t modulus, bool random) {
  beginExpression("numgen");
  w_.putBe32(NFTA_NG_DREG, dreg);
  w_.putBe32(NFTA_NG_MODULUS, modulus);
  w_.putBe32(NFTA_NG_TYPE, random ? NFT_NG_RANDOM : NFT_NG_INCREMENTAL);
  endExpression();
  return *this;
}

Rule& Rule::lookup(const std::string& set, uint32_t setId, uint32_t sreg, uint32_t dreg) {
  beginExpression("lookup");
  w_.putString(NFTA_LOOKUP_SET, set);
  if (setId) w_.putBe32(NFTA_LOOKUP_SET_ID, setId);
  w_.putBe32(NFTA_LOOKUP_SREG, sreg);
  if (dreg != UINT32_MAX) w_.putBe32(NFTA_LOOKUP_DREG, dreg);
  endExpression();
  return *this;
}

Rule& Rule::dynset(const std::string& set, uint32_t op, uint32_t sregKey, uint32_t sregData,
                   uint64_t timeoutMillis) {
  beginExpression("dynset");
  w_.putString(NFTA_DYNSET_SET_NAME, set);
  w_.putBe32(NFTA_DYNSET_OP, op);
  w_.putBe32(NFTA_DYNSET_SREG_KEY, sregKey);
  if (sregData != UINT32_MAX) w_.putBe32(NFTA_DYNSET_SREG_DATA, sregData);
  if (timeoutMillis) w_.putBe64(NFTA_DYNSET_TIMEOUT, timeoutMillis);
  endExpression();
  return *this;
}

Rule& Rule::fibDaddrType(uint32_t dreg) {
  beginExpression("fib");
  w_.putBe32(NFTA_FIB_DREG, dreg);
  w_.putBe32(NFTA_FIB_RESULT, NFT_FIB_RESULT_ADDRTYPE);
  w_.putBe32(NFTA_FIB_FLAGS, NFTA_FIB_F_DADDR);
  endExpression();
  return *this;
}

Rule& Rule::dnat(uint32_t addrReg, uint32_t protoReg) {
  beginExpression("nat");
  w_.putBe32(NFTA_NAT_TYPE, NFT_NAT_DNAT);
  w_.putBe32(NFTA_NAT_FAMILY, NFPROTO_IPV4);
  w_.putBe32(NFTA_NAT_REG_ADDR_MIN, addrReg);
  w_.putBe32(NFTA_NAT_REG_PROTO_MIN, protoReg);
  w_.putBe32(NFTA_NAT_FLAGS, NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED);
  endExpression();
  return *this;
}

Rule& Rule::masquerade(bool fullyRandom) {
  beginExpression("masq");
  if (fullyRandom) w_.putBe32(NFTA_MASQ_FLAGS, NF_NAT_RANGE_PROTO_RANDOM_FULLY);
  endExpression();
  return *this;
}

Rule& Rule::verdict(const Verdict& v) {
  beginExpression("immediate");
  w_.putBe32(NFTA_IMMEDIATE_DREG, kRegVerdict);
  putVerdict(w_, NFTA_IMMEDIATE_DATA, v);
  endExpression();
  return *this;
}

Rule& Rule::load(uint32_t dreg, const Bytes& data) {
  beginExpression("immediate");
  w_.putBe32(NFTA_IMMEDIATE_DREG, dreg);
  putData(w_, NFTA_IMMEDIATE_DATA, data);
  endExpression();
  return *this;
}

}  // namespace minik::netagent::nft
