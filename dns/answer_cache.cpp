#include "dns/answer_cache.h"

#include <cstring>

namespace minik::dns {

const std::string& AnswerCache::keyOf(const Query& q) {
  key_.assign(reinterpret_cast<const char*>(q.name), q.nameLength);
  char tail[5] = {char(q.type >> 8), char(q.type), char(q.klass >> 8), char(q.klass),
                  char((q.dnssecOk ? 1 : 0) | (q.checkingDisabled ? 2 : 0))};
  key_.append(tail, sizeof tail);
  return key_;
}

void AnswerCache::store(const Query& q, const uint8_t* response, size_t length, uint64_t nowMs) {
  if (length < kHeaderSize || capacity_ == 0) return;
  uint16_t flags = readU16(response + 2);
  uint16_t rcode = flags & 0x0F;
  if ((flags & 0x0200) || (rcode != kNoError && rcode != kNxDomain)) return;
  // lookup() puts the asker's question over the stored one: it must be the
  // same question, written out in place.
  if (readU16(response + 4) != 1 || length < q.questionEnd) return;
  for (size_t i = 0; i < q.nameLength; ++i) {
    uint8_t c = response[kHeaderSize + i];
    if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != q.name[i]) return;
  }
  const uint8_t* typeAndClass = response + kHeaderSize + q.nameLength;
  if (readU16(typeAndClass) != q.type || readU16(typeAndClass + 2) != q.klass) return;
  std::vector<uint8_t> copy(response, response + length);
  uint32_t ttl = maxTtl_;
  bool any = false;
  if (!forEachTtl(copy.data(), copy.size(), [&](uint8_t* field, uint16_t) {
        uint32_t t = readU32(field);
        if (t < ttl) ttl = t;
        any = true;
      })) {
    return;
  }
  if (!any || ttl == 0) return;
  const std::string& key = keyOf(q);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    while (entries_.size() >= capacity_ && !order_.empty()) {
      entries_.erase(order_.front());
      order_.pop_front();
    }
    order_.push_back(key);
    it = entries_.emplace(key, Entry{}).first;
    it->second.order = std::prev(order_.end());
  }
  it->second.message = std::move(copy);
  it->second.storedMs = nowMs;
  it->second.ttl = ttl;
}

size_t AnswerCache::lookup(const Query& q, const uint8_t* packet, uint64_t nowMs, uint8_t* out,
                           size_t capacity) {
  auto it = entries_.find(keyOf(q));
  if (it == entries_.end()) return 0;
  Entry& e = it->second;
  uint64_t age = (nowMs - e.storedMs) / 1000;
  if (age >= e.ttl) {
    order_.erase(e.order);
    entries_.erase(it);
    return 0;
  }
  size_t length = e.message.size();
  size_t questionLength = q.questionEnd - kHeaderSize;
  if (length > capacity || length < kHeaderSize + questionLength) return 0;
  std::memcpy(out, e.message.data(), length);
  writeU16(out, q.id);
  // Same name (case aside), so the question occupies the same bytes.
  std::memcpy(out + kHeaderSize, packet + kHeaderSize, questionLength);
  uint32_t left = uint32_t(e.ttl - age);
  forEachTtl(out, length, [left](uint8_t* field, uint16_t) {
    if (readU32(field) > left) writeU32(field, left);
  });
  return length;
}

}  // namespace minik::dns
