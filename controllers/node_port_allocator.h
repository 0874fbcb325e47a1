// controllers/node_port_allocator.h — NodePorts out of the node port range
// (Kubernetes' portallocator over --service-node-port-range, 30000-32767).
//
// Contract: a port is handed out at most once until released;
// allocateNext() prefers the upper part of the range (RangeBitmap's static
// part keeps the low ports for manifests that name them); refusals are
// worded as Kubernetes' errors.
#pragma once

#include <optional>
#include <string>

#include "controllers/range_bitmap.h"

namespace minik {

class NodePortAllocator {
 public:
  explicit NodePortAllocator(int first = 30000, int last = 32767, RangeBitmap::Random random = nullptr);

  // Takes port; on refusal returns why ("provided port is already allocated").
  std::optional<std::string> allocate(int port);
  std::optional<int> allocateNext();
  void release(int port);
  bool has(int port) const;
  // "30000-32767", as Kubernetes prints a port range.
  std::string range() const;
  uint64_t used() const { return bits_.used(); }

 private:
  bool inRange(int port) const { return port >= first_ && port <= last_; }

  int first_;
  int last_;
  RangeBitmap bits_;
};

}  // namespace minik
