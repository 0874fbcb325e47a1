// controllers/range_bitmap.h — which slots of a numbered range are taken: the
// store behind the ClusterIP and NodePort allocators (Kubernetes'
// allocator.AllocationBitmap with its static sub-range).
//
// Contract:
//  - Slots are 0 .. size()-1. allocate(slot) takes one slot; allocateNext()
//    takes a free slot chosen at random, first from the dynamic part
//    [staticSize, size) and only when that is full from the static part
//    [0, staticSize): so addresses people write in manifests (the low ones,
//    e.g. the cluster DNS 10.43.0.10) stay free for them as long as possible.
//  - Slots marked excluded are never returned by allocateNext(); they can
//    still be taken by allocate().
//  - Memory: one bit per slot.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <vector>

namespace minik {

class RangeBitmap {
 public:
  // random(n) returns a number in [0, n); a seeded one makes tests repeatable.
  using Random = std::function<uint64_t(uint64_t n)>;

  RangeBitmap(uint64_t size, uint64_t staticSize, Random random = nullptr);

  uint64_t size() const { return size_; }
  uint64_t used() const { return used_; }
  bool has(uint64_t slot) const;
  // False when the slot is out of range or already taken.
  bool allocate(uint64_t slot);
  // nullopt when no slot is left.
  std::optional<uint64_t> allocateNext();
  // Releasing a free or out-of-range slot does nothing.
  void release(uint64_t slot);
  void exclude(uint64_t slot) { excluded_.insert(slot); }

 private:
  std::optional<uint64_t> scan(uint64_t begin, uint64_t end);

  uint64_t size_;
  uint64_t staticSize_;
  uint64_t used_ = 0;
  std::vector<uint64_t> words_;
  std::set<uint64_t> excluded_;
  Random random_;
};

// Kubernetes' calculateRangeOffset for Service IPs: min(max(16, size/16), 256),
// and 0 for ranges under 16 addresses.
uint64_t staticSizeForIps(uint64_t size);
// The NodePort variant: min(max(16, size/32), 128), 0 under 16 ports.
uint64_t staticSizeForPorts(uint64_t size);

}  // namespace minik
