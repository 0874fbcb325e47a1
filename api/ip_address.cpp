// IP address syntax as Kubernetes' validation accepts it (netutils.ParseIPSloppy):
// dotted IPv4 whose octets may carry leading zeros, and IPv6 in any RFC 4291 form.
#include <arpa/inet.h>

#include <string>

#include "api/ipv4.h"
#include "api/kind_rules.h"

namespace minik {

bool isIpv4Address(std::string_view text) {
  int octets = 0;
  size_t i = 0;
  while (true) {
    size_t start = i;
    unsigned value = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i - start < 3) {
      value = value * 10 + static_cast<unsigned>(text[i] - '0');
      ++i;
    }
    if (i == start || value > 255) return false;
    ++octets;
    if (i == text.size()) return octets == 4;
    if (text[i] != '.' || octets == 4) return false;
    ++i;
  }
}

bool isIpv6Address(std::string_view text) {
  if (text.find(':') == std::string_view::npos || text.find('%') != std::string_view::npos) return false;
  unsigned char buf[16];
  return inet_pton(AF_INET6, std::string(text).c_str(), buf) == 1;
}

bool isIpAddress(std::string_view text) { return isIpv4Address(text) || isIpv6Address(text); }

std::optional<uint32_t> parseIpv4(const std::string& text) {
  in_addr address;
  if (inet_pton(AF_INET, text.c_str(), &address) != 1) return std::nullopt;
  return ntohl(address.s_addr);
}

std::string formatIpv4(uint32_t address) {
  in_addr in;
  in.s_addr = htonl(address);
  char text[INET_ADDRSTRLEN];
  return inet_ntop(AF_INET, &in, text, sizeof text) ? text : "";
}

}  // namespace minik
