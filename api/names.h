// api/names.h — Kubernetes name rules (DNS-1123 labels and subdomains, and the
// messages Kubernetes gives when a name breaks them).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace minik {

// Each returns the problems, worded as Kubernetes' validation does (empty when valid).
std::vector<std::string> checkDns1123Label(std::string_view value);
std::vector<std::string> checkDns1123Subdomain(std::string_view value);

}  // namespace minik
