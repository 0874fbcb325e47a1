#include "controllers/node_port_allocator.h"

namespace minik {

NodePortAllocator::NodePortAllocator(int first, int last, RangeBitmap::Random random)
    : first_(first),
      last_(last),
      bits_(static_cast<uint64_t>(last - first + 1),
            staticSizeForPorts(static_cast<uint64_t>(last - first + 1)), std::move(random)) {}

std::optional<std::string> NodePortAllocator::allocate(int port) {
  if (!inRange(port)) {
    return "provided port is not in the valid range. The range of valid ports is " + range();
  }
  if (!bits_.allocate(static_cast<uint64_t>(port - first_))) {
    return std::string("provided port is already allocated");
  }
  return std::nullopt;
}

std::optional<int> NodePortAllocator::allocateNext() {
  std::optional<uint64_t> slot = bits_.allocateNext();
  if (!slot) return std::nullopt;
  return first_ + static_cast<int>(*slot);
}

void NodePortAllocator::release(int port) {
  if (inRange(port)) bits_.release(static_cast<uint64_t>(port - first_));
}

bool NodePortAllocator::has(int port) const {
  return inRange(port) && bits_.has(static_cast<uint64_t>(port - first_));
}

std::string NodePortAllocator::range() const {
  return std::to_string(first_) + "-" + std::to_string(last_);
}

}  // namespace minik
