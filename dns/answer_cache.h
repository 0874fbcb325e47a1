// dns/answer_cache.h — a small cache of upstream responses, as CoreDNS's
// `cache 30`: positive and negative answers kept for their TTL capped at 30
// seconds, a bounded number of entries (oldest evicted first), TTLs counted
// down when served.
//
// Contract: keyed by (name, type, class, DO, CD) of the question, case-
// insensitively; a served copy carries the asker's id and question case.
// lookup allocates nothing once warm (it reuses one key buffer); store does.
// Single-threaded: used from the serving loop only.
#pragma once

#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>
#include <vector>

#include "dns/wire.h"

namespace minik::dns {

class AnswerCache {
 public:
  AnswerCache(size_t capacity = 2048, uint32_t maxTtl = 30) : capacity_(capacity), maxTtl_(maxTtl) {}

  // Keeps response (an upstream answer to query) when it is cacheable:
  // NOERROR or NXDOMAIN, not truncated, with a record whose TTL gives it a
  // lifetime (the smallest TTL in it, capped).
  void store(const Query& query, const uint8_t* response, size_t length, uint64_t nowMs);

  // Writes the cached response for query into out (id, question case and
  // TTLs adjusted); returns its length, or 0 on a miss or when it does not
  // fit capacity.
  size_t lookup(const Query& query, const uint8_t* packet, uint64_t nowMs, uint8_t* out, size_t capacity);

  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::vector<uint8_t> message;
    uint64_t storedMs = 0;
    uint32_t ttl = 0;
    std::list<std::string>::iterator order;
  };
  const std::string& keyOf(const Query& query);

  size_t capacity_;
  uint32_t maxTtl_;
  std::string key_;  // reused: no allocation per lookup
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> order_;  // oldest first
};

}  // namespace minik::dns
