#include "controllers/cluster_ip_allocator.h"

#include <cstdlib>

namespace minik {

std::unique_ptr<ClusterIpAllocator> ClusterIpAllocator::forCidr(const std::string& cidr,
                                                                std::string* error,
                                                                RangeBitmap::Random random) {
  size_t slash = cidr.find('/');
  std::optional<uint32_t> address = parseIpv4(cidr.substr(0, slash));
  char* end = nullptr;
  long prefix = slash == std::string::npos ? -1 : std::strtol(cidr.c_str() + slash + 1, &end, 10);
  if (!address || prefix < 1 || prefix > 30 || (end && *end != 0)) {
    if (error) *error = "service CIDR " + cidr + " is not an IPv4 network of /1 to /30";
    return nullptr;
  }
  uint32_t mask = ~uint32_t{0} << (32 - prefix);
  uint32_t network = *address & mask;
  uint64_t size = (uint64_t{1} << (32 - prefix)) - 2;
  std::string canonical = formatIpv4(network) + "/" + std::to_string(prefix);
  return std::unique_ptr<ClusterIpAllocator>(
      new ClusterIpAllocator(network + 1, size, canonical, std::move(random)));
}

ClusterIpAllocator::ClusterIpAllocator(uint32_t base, uint64_t size, std::string cidr,
                                       RangeBitmap::Random random)
    : base_(base), cidr_(std::move(cidr)), bits_(size, staticSizeForIps(size), std::move(random)) {}

std::optional<uint64_t> ClusterIpAllocator::slotOf(const std::string& ip) const {
  std::optional<uint32_t> address = parseIpv4(ip);
  if (!address || *address < base_ || uint64_t{*address} - base_ >= bits_.size()) return std::nullopt;
  return uint64_t{*address} - base_;
}

bool ClusterIpAllocator::contains(const std::string& ip) const { return slotOf(ip).has_value(); }

std::optional<std::string> ClusterIpAllocator::allocate(const std::string& ip) {
  std::optional<uint64_t> slot = slotOf(ip);
  if (!slot) {
    return "the provided IP (" + ip + ") is not in the valid range. The range of valid IPs is " + cidr_;
  }
  if (!bits_.allocate(*slot)) return std::string("provided IP is already allocated");
  return std::nullopt;
}

std::optional<std::string> ClusterIpAllocator::allocateNext() {
  std::optional<uint64_t> slot = bits_.allocateNext();
  if (!slot) return std::nullopt;
  return formatIpv4(base_ + static_cast<uint32_t>(*slot));
}

void ClusterIpAllocator::release(const std::string& ip) {
  if (auto slot = slotOf(ip)) bits_.release(*slot);
}

bool ClusterIpAllocator::has(const std::string& ip) const {
  auto slot = slotOf(ip);
  return slot && bits_.has(*slot);
}

void ClusterIpAllocator::neverDynamic(const std::string& ip) {
  if (auto slot = slotOf(ip)) bits_.exclude(*slot);
}

std::string ClusterIpAllocator::first() const { return formatIpv4(base_); }

}  // namespace minik
