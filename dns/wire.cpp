#include "dns/wire.h"

#include <cstring>

namespace minik::dns {

namespace {

inline uint8_t lower(uint8_t c) { return (c >= 'A' && c <= 'Z') ? uint8_t(c + 32) : c; }

constexpr uint16_t kFlagQr = 0x8000;
constexpr uint16_t kFlagRd = 0x0100;
constexpr uint16_t kFlagCd = 0x0010;
constexpr size_t kOptSize = 11;  // root name, type, class, ttl, rdlength

}  // namespace

uint16_t readU16(const uint8_t* p) { return uint16_t((p[0] << 8) | p[1]); }
uint32_t readU32(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
}
void writeU16(uint8_t* p, uint16_t v) {
  p[0] = uint8_t(v >> 8);
  p[1] = uint8_t(v);
}
void writeU32(uint8_t* p, uint32_t v) {
  p[0] = uint8_t(v >> 24);
  p[1] = uint8_t(v >> 16);
  p[2] = uint8_t(v >> 8);
  p[3] = uint8_t(v);
}

size_t Query::udpLimit() const {
  if (!edns || udpSize <= kPlainUdpSize) return kPlainUdpSize;
  return udpSize > kServerUdpSize ? kServerUdpSize : udpSize;
}

size_t skipName(const uint8_t* msg, size_t length, size_t offset) {
  size_t at = offset;
  while (at < length) {
    uint8_t n = msg[at];
    if ((n & 0xC0) == 0xC0) return at + 2 <= length ? at + 2 - offset : 0;
    if (n & 0xC0) return 0;  // extended label types (RFC 6891 obsoleted them)
    if (n == 0) return at + 1 - offset;
    at += size_t(n) + 1;
    if (at - offset > kMaxNameLength) return 0;
  }
  return 0;
}

ParseResult parseQuery(const uint8_t* p, size_t length, Query* q) {
  if (length < kHeaderSize) return ParseResult::Drop;
  q->id = readU16(p);
  q->flags = readU16(p + 2);
  if (q->flags & kFlagQr) return ParseResult::Drop;  // a response: answering could loop
  q->opcode = uint8_t((q->flags >> 11) & 0x0F);
  q->recursionDesired = (q->flags & kFlagRd) != 0;
  q->checkingDisabled = (q->flags & kFlagCd) != 0;
  q->hasQuestion = false;
  q->edns = false;
  q->udpSize = 0;
  q->ednsVersion = 0;
  q->dnssecOk = false;
  q->nameLength = 0;
  q->labelCount = 0;
  if (q->opcode != 0) return ParseResult::NotImp;
  size_t qd = readU16(p + 4), an = readU16(p + 6), ns = readU16(p + 8), ar = readU16(p + 10);
  if (qd != 1) return ParseResult::FormErr;

  // The question. Nothing precedes it but the header, so a compression
  // pointer in it can only be an attack or garbage.
  size_t at = kHeaderSize, out = 0, labels = 0;
  for (;;) {
    if (at >= length) return ParseResult::FormErr;
    uint8_t n = p[at];
    if (n == 0) {
      q->name[out++] = 0;
      ++at;
      break;
    }
    if (n > 63) return ParseResult::FormErr;
    if (at + 1 + n > length || out + 1 + n + 1 > kMaxNameLength) return ParseResult::FormErr;
    q->labelOffsets[labels++] = uint8_t(out);
    q->name[out++] = n;
    for (size_t i = 0; i < n; ++i) q->name[out++] = lower(p[at + 1 + i]);
    at += 1 + size_t(n);
  }
  if (at + 4 > length) return ParseResult::FormErr;
  q->nameLength = uint8_t(out);
  q->labelCount = uint8_t(labels);
  q->type = readU16(p + at);
  q->klass = readU16(p + at + 2);
  at += 4;
  q->questionEnd = uint16_t(at);
  q->hasQuestion = true;

  // Records a query should not carry are skipped; the additional section may
  // hold the OPT record (at most one, owned by the root).
  for (size_t i = 0; i < an + ns + ar; ++i) {
    size_t n = skipName(p, length, at);
    if (n == 0 || at + n + 10 > length) return ParseResult::FormErr;
    size_t fixed = at + n;
    uint16_t type = readU16(p + fixed);
    size_t rdlength = readU16(p + fixed + 8);
    if (fixed + 10 + rdlength > length) return ParseResult::FormErr;
    if (i >= an + ns && type == kTypeOPT) {
      if (q->edns || n != 1) return ParseResult::FormErr;
      q->edns = true;
      q->udpSize = readU16(p + fixed + 2);
      q->ednsVersion = p[fixed + 5];
      q->dnssecOk = (readU16(p + fixed + 6) & 0x8000) != 0;
    }
    at = fixed + 10 + rdlength;
  }
  if (q->edns && q->ednsVersion != 0) return ParseResult::BadVersion;
  return ParseResult::Ok;
}

size_t writeHeaderOnly(const Query& q, uint16_t rcode, uint8_t* out, size_t capacity) {
  if (capacity < kHeaderSize) return 0;
  std::memset(out, 0, kHeaderSize);
  writeU16(out, q.id);
  writeU16(out + 2, uint16_t(kFlagQr | (uint16_t(q.opcode) << 11) | (q.flags & (kFlagRd | kFlagCd)) |
                             (rcode & 0x0F)));
  return kHeaderSize;
}

void MessageWriter::begin(const Query& q, const uint8_t* packet, size_t limit) {
  limit_ = limit < capacity_ ? limit : capacity_;
  pos_ = kHeaderSize;
  overflow_ = false;
  counts_[0] = counts_[1] = counts_[2] = 0;
  suffixCount_ = 0;
  rcode_ = kNoError;
  flags_ = uint16_t(kFlagQr | (uint16_t(q.opcode) << 11) | (q.flags & (kFlagRd | kFlagCd)));
  edns_ = q.edns && limit_ >= kHeaderSize + kOptSize;
  dnssecOk_ = q.dnssecOk;
  if (edns_) limit_ -= kOptSize;  // the OPT record always fits
  writeU16(buf_, q.id);
  questionCount_ = 0;
  if (!q.hasQuestion) return;
  size_t questionLength = q.questionEnd - kHeaderSize;
  if (kHeaderSize + questionLength > limit_) return;
  std::memcpy(buf_ + kHeaderSize, packet + kHeaderSize, questionLength);
  pos_ += questionLength;
  questionCount_ = 1;
  for (size_t i = 0; i < q.labelCount; ++i) {
    remember(kHeaderSize + q.labelOffsets[i], q.nameLength - q.labelOffsets[i]);
  }
}

void MessageWriter::remember(size_t offset, size_t remaining) {
  if (suffixCount_ < kMaxSuffixes && offset < 0x3FFF && remaining > 1) {
    suffixes_[suffixCount_++] = Suffix{uint16_t(offset), uint8_t(remaining)};
  }
}

bool MessageWriter::sameNameAt(size_t offset, const uint8_t* wire) const {
  size_t at = offset;
  for (int hops = 0;;) {
    uint8_t n = buf_[at];
    if ((n & 0xC0) == 0xC0) {
      if (++hops > 32) return false;
      at = (size_t(n & 0x3F) << 8) | buf_[at + 1];
      continue;
    }
    if (n != *wire) return false;
    if (n == 0) return true;
    for (size_t i = 1; i <= n; ++i) {
      if (lower(buf_[at + i]) != lower(wire[i])) return false;
    }
    at += size_t(n) + 1;
    wire += size_t(n) + 1;
  }
}

void MessageWriter::putName(const uint8_t* wire) {
  size_t starts[kMaxLabels];
  size_t count = 0, total = 0;
  while (wire[total] != 0 && count < kMaxLabels) {
    starts[count++] = total;
    total += size_t(wire[total]) + 1;
  }
  total += 1;
  // The longest suffix already in the message wins.
  size_t literal = total - 1;  // bytes of labels written before a pointer
  int pointer = -1;
  for (size_t i = 0; i < count && pointer < 0; ++i) {
    size_t remaining = total - starts[i];
    for (size_t s = 0; s < suffixCount_; ++s) {
      if (suffixes_[s].remaining == remaining && sameNameAt(suffixes_[s].offset, wire + starts[i])) {
        literal = starts[i];
        pointer = suffixes_[s].offset;
        break;
      }
    }
  }
  size_t need = literal + (pointer >= 0 ? 2 : 1);
  if (!fits(need)) {
    overflow_ = true;
    return;
  }
  for (size_t i = 0; i < count && starts[i] < literal; ++i) remember(pos_ + starts[i], total - starts[i]);
  std::memcpy(buf_ + pos_, wire, literal);
  pos_ += literal;
  if (pointer >= 0) {
    writeU16(buf_ + pos_, uint16_t(0xC000 | pointer));
    pos_ += 2;
  } else {
    buf_[pos_++] = 0;
  }
}

void MessageWriter::beginRecord(Section section, const uint8_t* owner, uint16_t type, uint32_t ttl) {
  recordStart_ = pos_;
  suffixMark_ = suffixCount_;
  section_ = section;
  putName(owner);
  putU16(type);
  putU16(kClassIN);
  putU32(ttl);
  rdlengthAt_ = pos_;
  putU16(0);
}

void MessageWriter::beginRecordAtQuestion(Section section, uint16_t type, uint32_t ttl) {
  recordStart_ = pos_;
  suffixMark_ = suffixCount_;
  section_ = section;
  putU16(0xC000 | kHeaderSize);
  putU16(type);
  putU16(kClassIN);
  putU32(ttl);
  rdlengthAt_ = pos_;
  putU16(0);
}

void MessageWriter::putU16(uint16_t v) {
  if (!fits(2)) {
    overflow_ = true;
    return;
  }
  writeU16(buf_ + pos_, v);
  pos_ += 2;
}

void MessageWriter::putU32(uint32_t v) {
  if (!fits(4)) {
    overflow_ = true;
    return;
  }
  writeU32(buf_ + pos_, v);
  pos_ += 4;
}

void MessageWriter::putBytes(const void* data, size_t n) {
  if (!fits(n)) {
    overflow_ = true;
    return;
  }
  std::memcpy(buf_ + pos_, data, n);
  pos_ += n;
}

void MessageWriter::putCharacterString(std::string_view s) {
  size_t n = s.size() > 255 ? 255 : s.size();
  if (!fits(n + 1)) {
    overflow_ = true;
    return;
  }
  buf_[pos_++] = uint8_t(n);
  std::memcpy(buf_ + pos_, s.data(), n);
  pos_ += n;
}

bool MessageWriter::endRecord() {
  if (overflow_) {
    pos_ = recordStart_;
    suffixCount_ = suffixMark_;
    overflow_ = false;
    return false;
  }
  writeU16(buf_ + rdlengthAt_, uint16_t(pos_ - rdlengthAt_ - 2));
  ++counts_[section_];
  return true;
}

size_t MessageWriter::finish() {
  uint16_t additional = counts_[kAdditional];
  if (edns_) {
    uint8_t* o = buf_ + pos_;
    o[0] = 0;
    writeU16(o + 1, kTypeOPT);
    writeU16(o + 3, uint16_t(kServerUdpSize));
    o[5] = uint8_t(rcode_ >> 4);  // extended rcode, upper 8 bits
    o[6] = 0;                     // version
    writeU16(o + 7, dnssecOk_ ? 0x8000 : 0);
    writeU16(o + 9, 0);
    pos_ += kOptSize;
    ++additional;
  }
  writeU16(buf_ + 2, uint16_t(flags_ | (rcode_ & 0x0F)));
  writeU16(buf_ + 4, questionCount_);
  writeU16(buf_ + 6, counts_[kAnswer]);
  writeU16(buf_ + 8, counts_[kAuthority]);
  writeU16(buf_ + 10, additional);
  return pos_;
}

size_t readName(const uint8_t* msg, size_t length, size_t offset, uint8_t* out) {
  size_t at = offset, written = 0, inPlace = 0;
  bool jumped = false;
  for (int hops = 0; at < length;) {
    uint8_t n = msg[at];
    if ((n & 0xC0) == 0xC0) {
      if (at + 2 > length || ++hops > 64) return 0;
      if (!jumped) inPlace = at + 2 - offset;
      jumped = true;
      at = (size_t(n & 0x3F) << 8) | msg[at + 1];
      continue;
    }
    if (n & 0xC0) return 0;
    if (written + 1 + n > kMaxNameLength || at + 1 + n > length) return 0;
    std::memcpy(out + written, msg + at, size_t(n) + 1);
    written += size_t(n) + 1;
    at += size_t(n) + 1;
    if (n == 0) return jumped ? inPlace : at - offset;
  }
  return 0;
}

size_t removeOpt(uint8_t* msg, size_t length) {
  if (length < kHeaderSize) return length;
  size_t qd = readU16(msg + 4), an = readU16(msg + 6), ns = readU16(msg + 8), ar = readU16(msg + 10);
  size_t at = kHeaderSize;
  for (size_t i = 0; i < qd; ++i) {
    size_t n = skipName(msg, length, at);
    if (n == 0 || at + n + 4 > length) return length;
    at += n + 4;
  }
  for (size_t i = 0; i < an + ns + ar; ++i) {
    size_t n = skipName(msg, length, at);
    if (n == 0 || at + n + 10 > length) return length;
    size_t end = at + n + 10 + readU16(msg + at + n + 8);
    if (end > length) return length;
    if (i >= an + ns && readU16(msg + at + n) == kTypeOPT) {
      std::memmove(msg + at, msg + end, length - end);
      writeU16(msg + 10, uint16_t(ar - 1));
      return length - (end - at);
    }
    at = end;
  }
  return length;
}

bool copyAnswers(const uint8_t* msg, size_t length, MessageWriter& writer) {
  if (length < kHeaderSize) return false;
  size_t qd = readU16(msg + 4), an = readU16(msg + 6);
  size_t at = kHeaderSize;
  for (size_t i = 0; i < qd; ++i) {
    size_t n = skipName(msg, length, at);
    if (n == 0 || at + n + 4 > length) return false;
    at += n + 4;
  }
  uint8_t owner[kMaxNameLength], name[kMaxNameLength];
  for (size_t i = 0; i < an; ++i) {
    size_t n = readName(msg, length, at, owner);
    if (n == 0 || at + n + 10 > length) return false;
    at += n;
    uint16_t type = readU16(msg + at);
    uint32_t ttl = readU32(msg + at + 4);
    size_t rdlength = readU16(msg + at + 8);
    size_t rdata = at + 10;
    if (rdata + rdlength > length) return false;
    at = rdata + rdlength;
    if (readU16(msg + rdata - 8) != kClassIN) continue;
    writer.beginRecord(MessageWriter::kAnswer, owner, type, ttl);
    // Names inside rdata may point into msg: expand the types that carry one.
    const uint16_t kTypeMX = 15;
    size_t fixed = type == kTypeSRV ? 6 : type == kTypeMX ? 2 : 0;
    if (type == kTypeCNAME || type == kTypeNS || type == kTypePTR || type == kTypeSRV || type == kTypeMX) {
      if (rdlength < fixed) return false;
      writer.putBytes(msg + rdata, fixed);
      if (readName(msg, rdata + rdlength, rdata + fixed, name) == 0) return false;
      writer.putName(name);
    } else {
      writer.putBytes(msg + rdata, rdlength);
    }
    if (!writer.endRecord()) {
      writer.setTruncated();
      return false;
    }
  }
  return true;
}

size_t toWireName(std::string_view dotted, uint8_t* out, size_t capacity) {
  if (!dotted.empty() && dotted.back() == '.') dotted.remove_suffix(1);
  size_t at = 0;
  while (!dotted.empty()) {
    size_t dot = dotted.find('.');
    std::string_view label = dotted.substr(0, dot);
    if (label.empty() || label.size() > 63 || at + label.size() + 2 > capacity ||
        at + label.size() + 2 > kMaxNameLength) {
      return 0;
    }
    out[at++] = uint8_t(label.size());
    for (char c : label) out[at++] = lower(uint8_t(c));
    dotted = dot == std::string_view::npos ? std::string_view() : dotted.substr(dot + 1);
  }
  if (at + 1 > capacity) return 0;
  out[at++] = 0;
  return at;
}

}  // namespace minik::dns
