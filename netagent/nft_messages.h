// netagent/nft_messages.h — nf_tables netlink messages, built by hand on a
// NetlinkWriter (uapi <linux/netfilter/nf_tables.h>): tables, chains, sets
// and maps, their elements, and rules made of expressions.
//
// Why by hand: libnftnl's static archive needs libmnl, of which Debian ships
// no static archive; the handful of message kinds minik sends are simple to
// encode, and encoding them into one buffer lets a batch of 100,000 changes
// cost one allocation.
//
// Contract:
//  - Every message is for one table of family ip (NFPROTO_IPV4).
//  - Messages must sit between batchBegin and batchEnd: the kernel applies
//    the whole batch or none of it.
//  - Registers: Reg1 is the first 128-bit register (== 32-bit register 0),
//    Reg32(n) the n-th 32-bit one; concatenated keys put each field in its own
//    32-bit register, as nft does.
//  - Values in expressions are raw bytes in the order the kernel compares
//    them: network order for packet fields, host order for meta mark.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "netagent/netlink_writer.h"

namespace minik::netagent::nft {

using Bytes = std::vector<uint8_t>;

constexpr uint32_t kRegVerdict = 0;
constexpr uint32_t kReg1 = 1;
constexpr uint32_t reg32(int n) { return 8 + static_cast<uint32_t>(n); }

Bytes be16(uint16_t value);
Bytes be32(uint32_t value);
Bytes host32(uint32_t value);
// A field of a concatenated key, padded to 4 bytes.
Bytes padded(const Bytes& field);
Bytes concat(std::initializer_list<Bytes> fields);

void batchBegin(NetlinkWriter& w);
void batchEnd(NetlinkWriter& w);

void newTable(NetlinkWriter& w, const std::string& table);
void deleteTable(NetlinkWriter& w, const std::string& table);

// A base chain: attached to a hook (NF_INET_*), of type "nat" or "filter".
struct Hook {
  uint32_t number = 0;
  int32_t priority = 0;
  std::string type = "nat";
};
void newChain(NetlinkWriter& w, const std::string& table, const std::string& chain);
void newBaseChain(NetlinkWriter& w, const std::string& table, const std::string& chain, const Hook& hook);
void deleteChain(NetlinkWriter& w, const std::string& table, const std::string& chain);
// Deletes every rule of a chain (the chain stays).
void flushChain(NetlinkWriter& w, const std::string& table, const std::string& chain);

struct SetSpec {
  std::string name;      // a "%d" in it is numbered by the kernel
  uint32_t id = 0;       // names the set to later messages of the same batch
  uint32_t flags = 0;    // NFT_SET_*
  uint32_t keyType = 0;  // nft's datatype ids, so `nft list` prints it well
  uint32_t keyLen = 0;
  bool isMap = false;
  bool verdictMap = false;  // data is a verdict (vmap)
  uint32_t dataType = 0;
  uint32_t dataLen = 0;
  uint32_t size = 0;        // expected element count (anonymous sets), 0: unset
};
void newSet(NetlinkWriter& w, const std::string& table, const SetSpec& set);
void deleteSet(NetlinkWriter& w, const std::string& table, const std::string& set);
// Deletes every element of a set (the set stays).
void flushSet(NetlinkWriter& w, const std::string& table, const std::string& set);

// A verdict: NF_ACCEPT/NF_DROP or NFT_JUMP/NFT_GOTO with a chain.
struct Verdict {
  int32_t code = 0;
  std::string chain;
};

struct Element {
  Bytes key;
  Bytes data;          // for a map with data
  bool hasVerdict = false;
  Verdict verdict;     // for a vmap
};
// Elements go in messages of at most ~32 KiB each (an attribute's length is
// 16 bits). setId 0: a set that existed before the batch.
void newElements(NetlinkWriter& w, const std::string& table, const std::string& set, uint32_t setId,
                 const std::vector<Element>& elements);
void deleteElements(NetlinkWriter& w, const std::string& table, const std::string& set,
                    const std::vector<Element>& elements);

// A rule's expressions, appended in order while the rule is open.
class Rule {
 public:
  // Appends the rule at the end of chain.
  Rule(NetlinkWriter& w, const std::string& table, const std::string& chain);
  ~Rule();  // closes the message
  Rule(const Rule&) = delete;
  Rule& operator=(const Rule&) = delete;

  // base: NFT_PAYLOAD_NETWORK_HEADER or NFT_PAYLOAD_TRANSPORT_HEADER.
  Rule& payload(uint32_t base, uint32_t offset, uint32_t len, uint32_t dreg);
  Rule& meta(uint32_t key, uint32_t dreg);
  Rule& metaSet(uint32_t key, uint32_t sreg);
  // direction: -1 for keys without one, else IP_CT_DIR_ORIGINAL/REPLY.
  Rule& ct(uint32_t key, uint32_t dreg, int direction = -1);
  Rule& cmp(uint32_t op, uint32_t sreg, const Bytes& data);
  // dreg = (sreg & mask) ^ xorValue.
  Rule& bitwise(uint32_t sreg, uint32_t dreg, const Bytes& mask, const Bytes& xorValue);
  Rule& numgen(uint32_t dreg, uint32_t modulus, bool random);
  // dreg kRegVerdict with a vmap; no dreg (pass UINT32_MAX) for a plain set.
  Rule& lookup(const std::string& set, uint32_t setId, uint32_t sreg, uint32_t dreg);
  // Adds, refreshes or deletes (NFT_DYNSET_OP_*) the element keyed by sregKey
  // in a set with NFT_SET_EVAL, from the packet path; a map takes its data
  // from sregData (UINT32_MAX for a set). timeoutMillis 0: the set's own
  // timeout. Refreshing an element restarts its timeout, keeps its data.
  Rule& dynset(const std::string& set, uint32_t op, uint32_t sregKey, uint32_t sregData, uint64_t timeoutMillis);
  Rule& fibDaddrType(uint32_t dreg);
  Rule& dnat(uint32_t addrReg, uint32_t protoReg);
  Rule& masquerade(bool fullyRandom);
  Rule& verdict(const Verdict& v);
  // Loads constant data (up to 16 bytes) into a register.
  Rule& load(uint32_t dreg, const Bytes& data);

 private:
  void beginExpression(const char* name);
  void endExpression();

  NetlinkWriter& w_;
  size_t expressions_;
  size_t element_ = 0;
  size_t data_ = 0;
};

}  // namespace minik::netagent::nft
