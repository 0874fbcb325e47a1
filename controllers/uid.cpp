// controllers/uid.cpp — canonical UUID text <-> 16 bytes.
#include "controllers/uid.h"

namespace minik {
namespace {

constexpr size_t kTextSize = 36;

bool isDash(size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

int lowerHexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // upper case too: it would not read back as the same text
}

}  // namespace

Uid::Uid(const std::string& text) {
  if (text.size() == kTextSize) {
    std::array<uint8_t, 16> bytes{};
    size_t out = 0;
    bool ok = true;
    for (size_t i = 0; i < kTextSize && ok; ++i) {
      if (isDash(i)) {
        ok = text[i] == '-';
        continue;
      }
      int v = lowerHexValue(text[i]);
      if (v < 0) ok = false;
      else bytes[out / 2] = static_cast<uint8_t>(out % 2 ? bytes[out / 2] | v : v << 4), ++out;
    }
    if (ok && bytes != std::array<uint8_t, 16>{}) {
      bytes_ = bytes;
      return;
    }
  }
  other_ = text;
}

std::string Uid::str() const {
  if (!canonical()) return other_.str();
  static const char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(kTextSize);
  for (size_t i = 0; i < bytes_.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    text.push_back(kDigits[bytes_[i] >> 4]);
    text.push_back(kDigits[bytes_[i] & 15]);
  }
  return text;
}

size_t Uid::hash() const {
  if (!canonical()) return std::hash<std::string>()(other_.str());
  uint64_t h = 1469598103934665603ull;  // FNV-1a over the 16 bytes
  for (uint8_t b : bytes_) {
    h ^= b;
    h *= 1099511628211ull;
  }
  return static_cast<size_t>(h);
}

}  // namespace minik
