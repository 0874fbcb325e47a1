// dns/wire.h — the DNS message format (RFC 1035, 2181, 3596, 2782, 6891):
// parse a query, write a response with name compression, and the few
// operations the forwarder needs on whole messages.
//
// Contract:
//  - Nothing here allocates or throws: parsing reads a caller's buffer into a
//    fixed-size Query, writing fills a caller's buffer up to a limit.
//  - parseQuery never reads outside [packet, packet + length) whatever the
//    bytes are; the writer never writes past its limit. A record that does
//    not fit is rolled back whole, so a message is always well formed.
//  - Names handed to the writer are in wire form (length-prefixed labels,
//    ending with the root label) and at most 255 bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace minik::dns {

enum RecordType : uint16_t {
  kTypeA = 1,
  kTypeNS = 2,
  kTypeCNAME = 5,
  kTypeSOA = 6,
  kTypePTR = 12,
  kTypeTXT = 16,
  kTypeAAAA = 28,
  kTypeSRV = 33,
  kTypeOPT = 41,
  kTypeIXFR = 251,
  kTypeAXFR = 252,
  kTypeANY = 255,
};

enum RecordClass : uint16_t { kClassIN = 1, kClassANY = 255 };

enum Rcode : uint16_t {
  kNoError = 0,
  kFormErr = 1,
  kServFail = 2,
  kNxDomain = 3,
  kNotImp = 4,
  kRefused = 5,
  kBadVers = 16,  // extended (EDNS) rcode: needs an OPT record
};

constexpr size_t kHeaderSize = 12;
constexpr size_t kMaxNameLength = 255;
constexpr size_t kMaxLabels = 128;
constexpr size_t kPlainUdpSize = 512;       // without EDNS (RFC 1035 4.2.1)
constexpr size_t kServerUdpSize = 1232;     // what we advertise and cap at (DNS flag day 2020)
constexpr size_t kMaxMessageSize = 65535;   // TCP

// One question, as asked, with what the header and OPT record said about it.
struct Query {
  uint16_t id = 0;
  uint16_t flags = 0;  // header flags word as received
  uint8_t opcode = 0;
  bool recursionDesired = false;
  bool checkingDisabled = false;

  bool hasQuestion = false;  // the question parsed (rcodes can still echo it)
  uint8_t name[kMaxNameLength] = {};  // lowercased wire form, root label included
  uint8_t nameLength = 0;
  uint8_t labelCount = 0;             // without the root label
  uint8_t labelOffsets[kMaxLabels] = {};
  uint16_t type = 0;
  uint16_t klass = 0;
  uint16_t questionEnd = 0;  // offset just past the question in the packet

  bool edns = false;
  uint16_t udpSize = 0;  // advertised by the client (EDNS)
  uint8_t ednsVersion = 0;
  bool dnssecOk = false;

  std::string_view label(size_t i) const {
    return {reinterpret_cast<const char*>(name) + labelOffsets[i] + 1, name[labelOffsets[i]]};
  }
  // The largest response the client accepts over UDP.
  size_t udpLimit() const;
};

enum class ParseResult {
  Ok,
  Drop,        // not a query we can answer at all (too short, a response)
  FormErr,     // header readable, the rest is not
  NotImp,      // opcode other than QUERY
  BadVersion,  // EDNS version we do not speak
};

ParseResult parseQuery(const uint8_t* packet, size_t length, Query* query);

// Builds one response in a caller's buffer.
class MessageWriter {
 public:
  enum Section { kAnswer = 0, kAuthority = 1, kAdditional = 2 };

  MessageWriter(uint8_t* buffer, size_t capacity) : buf_(buffer), capacity_(capacity) {}

  // Header from the query (id, opcode, RD, CD; QR set) and, when it parsed,
  // the question copied from packet as the client sent it (its case echoed).
  // limit: the largest message allowed (UDP size or 65535); an OPT record is
  // reserved within it when the query had EDNS.
  void begin(const Query& query, const uint8_t* packet, size_t limit);
  void setRcode(uint16_t rcode) { rcode_ = rcode; }
  uint16_t rcode() const { return rcode_; }
  void setAuthoritative(bool on) { setFlag(0x0400, on); }
  void setRecursionAvailable(bool on) { setFlag(0x0080, on); }
  void setTruncated() { setFlag(0x0200, true); }
  bool truncated() const { return (flags_ & 0x0200) != 0; }

  // Records: beginRecord writes owner, type, class, ttl and a placeholder
  // length; rdata follows; endRecord fixes the length and counts it, or rolls
  // the record back and returns false when it did not fit.
  void beginRecord(Section section, const uint8_t* owner, uint16_t type, uint32_t ttl);
  void beginRecordAtQuestion(Section section, uint16_t type, uint32_t ttl);  // owner = the qname
  void putU16(uint16_t v);
  void putU32(uint32_t v);
  void putBytes(const void* data, size_t n);
  void putName(const uint8_t* wire);  // compressed where a suffix was written before
  void putCharacterString(std::string_view s);
  bool endRecord();

  // Finishes the header counts and the OPT record; returns the length.
  size_t finish();
  size_t size() const { return pos_; }
  uint16_t count(Section s) const { return counts_[s]; }

 private:
  void setFlag(uint16_t bit, bool on) { flags_ = on ? (flags_ | bit) : (flags_ & ~bit); }
  bool fits(size_t n) const { return !overflow_ && pos_ + n <= limit_; }
  void remember(size_t offset, size_t remaining);
  bool sameNameAt(size_t offset, const uint8_t* wire) const;

  struct Suffix {
    uint16_t offset;     // where the label starts in the message
    uint8_t remaining;   // uncompressed length of the name from that label
  };
  static constexpr size_t kMaxSuffixes = 48;

  uint8_t* buf_;
  size_t capacity_;
  size_t limit_ = 0;
  size_t pos_ = 0;
  size_t recordStart_ = 0;
  size_t rdlengthAt_ = 0;
  Section section_ = kAnswer;
  bool overflow_ = false;
  bool edns_ = false;
  bool dnssecOk_ = false;
  uint16_t flags_ = 0;
  uint16_t rcode_ = 0;
  uint16_t counts_[3] = {};
  uint16_t questionCount_ = 0;
  Suffix suffixes_[kMaxSuffixes];
  size_t suffixCount_ = 0;
  size_t suffixMark_ = 0;  // suffixes_ size at beginRecord, for rollback
};

// A header-only response (no question), for packets whose question did not
// parse: FORMERR, NOTIMP. Returns the length (12), or 0 if capacity < 12.
size_t writeHeaderOnly(const Query& query, uint16_t rcode, uint8_t* out, size_t capacity);

// Length of the wire name starting at offset (following no pointers: the
// bytes it occupies in place), or 0 when malformed.
size_t skipName(const uint8_t* msg, size_t length, size_t offset);

// Reads the name at offset, following compression pointers, into out (wire
// form, lowercase kept as is); returns the bytes the name occupies in place,
// or 0 when malformed (overrun, pointer loop, longer than 255).
size_t readName(const uint8_t* msg, size_t length, size_t offset, uint8_t* out);

// Removes the OPT record from msg, fixing ARCOUNT; returns the new length
// (unchanged when there is none or msg is malformed).
size_t removeOpt(uint8_t* msg, size_t length);

// Appends the answer records of msg (a response) to writer's answer section,
// names decompressed and compressed again. False when msg is malformed or
// the records did not all fit (writer is then marked truncated).
bool copyAnswers(const uint8_t* msg, size_t length, MessageWriter& writer);

// Calls visit(ttlField) for every record's TTL field (not OPT) in msg, in
// order. Returns false when msg is malformed.
template <typename Visit>
bool forEachTtl(uint8_t* msg, size_t length, Visit visit);

uint16_t readU16(const uint8_t* p);
uint32_t readU32(const uint8_t* p);
void writeU16(uint8_t* p, uint16_t v);
void writeU32(uint8_t* p, uint32_t v);

// Wire form of a dotted name ("cluster.local" -> 7cluster5local0), lowercased;
// returns the length or 0 when a label is empty or too long.
size_t toWireName(std::string_view dotted, uint8_t* out, size_t capacity);

// ---- template definition --------------------------------------------------

template <typename Visit>
bool forEachTtl(uint8_t* msg, size_t length, Visit visit) {
  if (length < kHeaderSize) return false;
  size_t qd = readU16(msg + 4);
  size_t rr = size_t(readU16(msg + 6)) + readU16(msg + 8) + readU16(msg + 10);
  size_t at = kHeaderSize;
  for (size_t i = 0; i < qd; ++i) {
    size_t n = skipName(msg, length, at);
    if (n == 0 || at + n + 4 > length) return false;
    at += n + 4;
  }
  for (size_t i = 0; i < rr; ++i) {
    size_t n = skipName(msg, length, at);
    if (n == 0 || at + n + 10 > length) return false;
    at += n;
    uint16_t type = readU16(msg + at);
    size_t rdlength = readU16(msg + at + 8);
    if (at + 10 + rdlength > length) return false;
    if (type != kTypeOPT) visit(msg + at + 4, type);
    at += 10 + rdlength;
  }
  return true;
}

}  // namespace minik::dns
