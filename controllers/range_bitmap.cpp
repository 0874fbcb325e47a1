#include "controllers/range_bitmap.h"

#include <random>

namespace minik {

namespace {

uint64_t defaultRandom(uint64_t n) {
  static std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_int_distribution<uint64_t>(0, n - 1)(engine);
}

uint64_t clampOffset(uint64_t size, uint64_t step, uint64_t max) {
  const uint64_t min = 16;
  if (size < min) return 0;
  uint64_t offset = size / step;
  if (offset < min) return min;
  return offset > max ? max : offset;
}

}  // namespace

uint64_t staticSizeForIps(uint64_t size) { return clampOffset(size, 16, 256); }
uint64_t staticSizeForPorts(uint64_t size) { return clampOffset(size, 32, 128); }

RangeBitmap::RangeBitmap(uint64_t size, uint64_t staticSize, Random random)
    : size_(size),
      staticSize_(staticSize > size ? size : staticSize),
      words_((size + 63) / 64, 0),
      random_(random ? std::move(random) : Random(defaultRandom)) {}

bool RangeBitmap::has(uint64_t slot) const {
  return slot < size_ && (words_[slot / 64] >> (slot % 64)) & 1;
}

bool RangeBitmap::allocate(uint64_t slot) {
  if (slot >= size_ || has(slot)) return false;
  words_[slot / 64] |= uint64_t{1} << (slot % 64);
  ++used_;
  return true;
}

void RangeBitmap::release(uint64_t slot) {
  if (!has(slot)) return;
  words_[slot / 64] &= ~(uint64_t{1} << (slot % 64));
  --used_;
}

// From a random start, the first free slot of [begin, end), wrapping around,
// as Kubernetes' randomScanStrategyWithOffset does.
std::optional<uint64_t> RangeBitmap::scan(uint64_t begin, uint64_t end) {
  if (begin >= end) return std::nullopt;
  uint64_t span = end - begin;
  uint64_t start = random_(span);
  for (uint64_t i = 0; i < span; ++i) {
    uint64_t slot = begin + (start + i) % span;
    if (!has(slot) && !excluded_.count(slot)) return slot;
  }
  return std::nullopt;
}

std::optional<uint64_t> RangeBitmap::allocateNext() {
  std::optional<uint64_t> slot = scan(staticSize_, size_);
  if (!slot) slot = scan(0, staticSize_);
  if (slot) allocate(*slot);
  return slot;
}

}  // namespace minik
