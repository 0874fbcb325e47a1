#include "dns/client_ranges.h"

#include <netinet/in.h>

#include <cstdlib>
#include <cstring>

namespace minik::dns {

Address addressOf(const sockaddr* sa) {
  Address a;
  if (!sa) return a;
  if (sa->sa_family == AF_INET) {
    a.length = 4;
    std::memcpy(a.bytes, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, 4);
  } else if (sa->sa_family == AF_INET6) {
    const auto* in6 = &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr;
    if (IN6_IS_ADDR_V4MAPPED(in6)) {
      a.length = 4;
      std::memcpy(a.bytes, in6->s6_addr + 12, 4);
    } else {
      a.length = 16;
      std::memcpy(a.bytes, in6->s6_addr, 16);
    }
  }
  return a;
}

bool ClientRanges::add(const std::string& cidr) {
  size_t slash = cidr.find('/');
  Range r;
  r.network = Address::parse(cidr.substr(0, slash));
  if (!r.network.valid()) return false;
  r.prefix = r.network.length * 8;
  if (slash != std::string::npos) {
    char* end = nullptr;
    long prefix = std::strtol(cidr.c_str() + slash + 1, &end, 10);
    if (!end || *end != 0 || prefix < 0 || prefix > r.prefix) return false;
    r.prefix = int(prefix);
  }
  ranges_.push_back(r);
  return true;
}

bool ClientRanges::allows(const Address& a) const {
  for (const auto& r : ranges_) {
    if (r.network.length != a.length) continue;
    int full = r.prefix / 8, rest = r.prefix % 8;
    if (std::memcmp(r.network.bytes, a.bytes, size_t(full)) != 0) continue;
    if (rest == 0) return true;
    uint8_t mask = uint8_t(0xFF << (8 - rest));
    if ((r.network.bytes[full] & mask) == (a.bytes[full] & mask)) return true;
  }
  return false;
}

bool ClientRanges::allows(const sockaddr* address) const { return allows(addressOf(address)); }

}  // namespace minik::dns
