// controllers/uid.h — an object's metadata.uid as the views keep it, one per
// pod in several caches: the 16 bytes of a canonical UUID instead of a
// 36-character string (a 32-byte std::string plus a 48-byte heap block).
//
// Contract: a Uid reads back exactly the text it was made from (str()), and
// compares (==, <) and hashes as that text would. A canonical UUID (8-4-4-4-12
// lowercase hex digits, what the API server assigns) is held as its bytes;
// any other text (and the nil UUID) is held interned, so nothing is lost.
// Invariant: canonical texts are never held interned, so two Uids of the same
// text have the same representation. 32 bytes, no heap block of its own.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>

#include "controllers/interned_string.h"

namespace minik {

class Uid {
 public:
  Uid() = default;
  Uid(const std::string& text);  // NOLINT: implicit, so views assign the uid they read
  Uid(const char* text) : Uid(std::string(text)) {}  // NOLINT

  std::string str() const;
  operator std::string() const { return str(); }  // NOLINT: reads as its text
  bool empty() const { return !canonical() && other_.empty(); }

  friend bool operator==(const Uid& a, const Uid& b) {
    return a.bytes_ == b.bytes_ && a.other_ == b.other_;
  }
  friend bool operator!=(const Uid& a, const Uid& b) { return !(a == b); }
  friend bool operator==(const Uid& a, const std::string& b) { return a == Uid(b); }
  friend bool operator==(const std::string& a, const Uid& b) { return Uid(a) == b; }
  friend bool operator!=(const Uid& a, const std::string& b) { return !(a == b); }
  friend bool operator!=(const std::string& a, const Uid& b) { return !(a == b); }
  // The order of the texts: for two canonical UUIDs, byte order is text order
  // (fixed dash positions, hex digits in ascending order).
  friend bool operator<(const Uid& a, const Uid& b) {
    if (a.canonical() && b.canonical()) return a.bytes_ < b.bytes_;
    return a.str() < b.str();
  }

  size_t hash() const;

 private:
  // Canonical: the bytes are not all zero (the nil UUID is held as text).
  bool canonical() const { return other_.empty() && bytes_ != std::array<uint8_t, 16>{}; }

  std::array<uint8_t, 16> bytes_{};  // all zero unless canonical
  InternedString other_;  // the text, when not a canonical UUID
};

struct UidHash {
  size_t operator()(const Uid& uid) const { return uid.hash(); }
};

}  // namespace minik
