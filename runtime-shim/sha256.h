// runtime-shim/sha256.h — SHA-256 (FIPS 180-4), for the content digests that
// name image blobs ("sha256:<64 hex>"). Streaming: update() any number of
// times, then hex() once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace minik {

class Sha256 {
 public:
  Sha256();
  void update(const void* data, size_t size);
  // The digest as 64 lowercase hex digits; the object is spent afterwards.
  std::string hex();

 private:
  void block(const uint8_t* p);
  uint32_t state_[8];
  uint8_t buffer_[64];
  size_t buffered_ = 0;
  uint64_t total_ = 0;
};

}  // namespace minik
