// controllers/cluster_ip_allocator.h — ClusterIPs out of the service CIDR
// (Kubernetes' ipallocator.Range over an IPv4 network).
//
// Contract:
//  - The range is the CIDR without its network and broadcast addresses
//    (10.43.0.1 .. 10.43.255.254 for 10.43.0.0/16); first() is the address
//    of the `kubernetes` Service.
//  - An address is handed out at most once until released.
//  - allocateNext() takes a random free address from above the static part
//    of the range (RangeBitmap), never one marked neverDynamic(), so the
//    `kubernetes` and cluster DNS addresses wait for the Services that ask
//    for them by name.
//  - Refusals are worded as Kubernetes' errors (ErrAllocated, ErrNotInRange
//    of Kubernetes 1.31).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "api/ipv4.h"
#include "controllers/range_bitmap.h"

namespace minik {

class ClusterIpAllocator {
 public:
  // nullptr and *error set when cidr is not an IPv4 network with at least
  // two usable addresses.
  static std::unique_ptr<ClusterIpAllocator> forCidr(const std::string& cidr, std::string* error,
                                                     RangeBitmap::Random random = nullptr);

  // Takes ip; on refusal returns why ("provided IP is already allocated").
  std::optional<std::string> allocate(const std::string& ip);
  // A free address, or nullopt when the range is full.
  std::optional<std::string> allocateNext();
  // Releasing a free or foreign address does nothing.
  void release(const std::string& ip);
  bool has(const std::string& ip) const;
  bool contains(const std::string& ip) const;
  void neverDynamic(const std::string& ip);

  // The network as Kubernetes prints it: "10.43.0.0/16".
  const std::string& cidr() const { return cidr_; }
  std::string first() const;
  uint64_t used() const { return bits_.used(); }

 private:
  ClusterIpAllocator(uint32_t base, uint64_t size, std::string cidr, RangeBitmap::Random random);
  std::optional<uint64_t> slotOf(const std::string& ip) const;

  uint32_t base_;  // the first usable address, host order
  std::string cidr_;
  RangeBitmap bits_;
};

}  // namespace minik
