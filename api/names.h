// api/names.h — Kubernetes name rules (DNS-1123 labels and subdomains, and the
// messages Kubernetes gives when a name breaks them).
//
// What it offers: checks for each naming rule Kubernetes applies, returning
// the problems worded exactly as k8s.io/apimachinery/pkg/util/validation does
// (empty when the value is valid). They never throw and accept any bytes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace minik {

// Each returns the problems, worded as Kubernetes' validation does (empty when valid).
std::vector<std::string> checkDns1123Label(std::string_view value);
std::vector<std::string> checkDns1123Subdomain(std::string_view value);
// RFC 1035 label: a DNS-1123 label that starts with a letter (Service names).
std::vector<std::string> checkDns1035Label(std::string_view value);
// Keys of ConfigMap and Secret data: [-._a-zA-Z0-9]+, at most 253, not "." or "..".
std::vector<std::string> checkConfigMapKey(std::string_view value);
// IANA service port name: at most 15 of [-a-z0-9], one letter at least.
std::vector<std::string> checkPortName(std::string_view value);

}  // namespace minik
