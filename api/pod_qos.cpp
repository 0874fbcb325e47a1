// A pod's QoS class, as Kubernetes' qos.GetPodQOS computes it from the cpu and
// memory requests and limits of its containers.
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>

#include "api/json_fields.h"
#include "api/kind_rules.h"

namespace minik {

namespace {

// A resource.Quantity string ("500m", "1.5Gi", "2e3") as a number.
std::optional<long double> parseQuantity(const json& q) {
  if (q.is_number()) return q.get<long double>();
  if (!q.is_string()) return std::nullopt;
  const std::string& s = q.get_ref<const std::string&>();
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  long double number = std::strtold(s.c_str(), &end);
  if (end == s.c_str()) return std::nullopt;
  std::string suffix(end);
  static const std::map<std::string, long double> scale = {
      {"", 1.0L},          {"n", 1e-9L},        {"u", 1e-6L},        {"m", 1e-3L},
      {"k", 1e3L},         {"M", 1e6L},         {"G", 1e9L},         {"T", 1e12L},
      {"P", 1e15L},        {"E", 1e18L},        {"Ki", 1024.0L},     {"Mi", std::pow(1024.0L, 2)},
      {"Gi", std::pow(1024.0L, 3)}, {"Ti", std::pow(1024.0L, 4)}, {"Pi", std::pow(1024.0L, 5)},
      {"Ei", std::pow(1024.0L, 6)}};
  auto it = scale.find(suffix);
  if (it == scale.end()) return std::nullopt;
  return number * it->second;
}

bool isQosResource(const std::string& name) { return name == "cpu" || name == "memory"; }

}  // namespace

std::string podQosClass(const json& spec) {
  std::map<std::string, long double> requests, limits;
  bool guaranteed = true;
  for (const char* list : {"containers", "initContainers"}) {
    const json* containers = member(spec, list);
    if (containers == nullptr || !containers->is_array()) continue;
    for (const auto& c : *containers) {
      const json* resources = member(c, "resources");
      const json* req = resources ? member(*resources, "requests") : nullptr;
      const json* lim = resources ? member(*resources, "limits") : nullptr;
      if (req && req->is_object()) {
        for (const auto& [name, q] : req->items()) {
          auto v = parseQuantity(q);
          if (isQosResource(name) && v && *v != 0) requests[name] += *v;
        }
      }
      int limitsFound = 0;
      if (lim && lim->is_object()) {
        for (const auto& [name, q] : lim->items()) {
          auto v = parseQuantity(q);
          if (isQosResource(name) && v && *v != 0) {
            limits[name] += *v;
            ++limitsFound;
          }
        }
      }
      if (limitsFound < 2) guaranteed = false;  // both cpu and memory limits are needed
    }
  }
  if (requests.empty() && limits.empty()) return "BestEffort";
  if (guaranteed) {
    for (const auto& [name, value] : requests) {
      auto it = limits.find(name);
      if (it == limits.end() || std::fabs(static_cast<double>(it->second - value)) > 1e-9 * std::fmax(1.0, std::fabs(static_cast<double>(value)))) guaranteed = false;
    }
  }
  return guaranteed && requests.size() == limits.size() ? "Guaranteed" : "Burstable";
}

}  // namespace minik
