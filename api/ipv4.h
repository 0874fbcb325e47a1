// api/ipv4.h — IPv4 addresses as 32-bit numbers in host byte order, for the
// parts that do arithmetic on them (ClusterIP ranges, kernel rules).
// Strict dotted-quad parsing (inet_pton): no leading zeros, unlike the
// validation's isIpv4Address, which accepts what Kubernetes accepts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace minik {

std::optional<uint32_t> parseIpv4(const std::string& text);
std::string formatIpv4(uint32_t address);

}  // namespace minik
