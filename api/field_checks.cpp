// Small checks shared by the per-kind validators.
#include "api/json_fields.h"
#include "api/kind_rules.h"

namespace minik {

const std::vector<std::string> kSupportedPortProtocols = {"SCTP", "TCP", "UDP"};

std::optional<long long> integerMember(const json& object, std::string_view key, const std::string& path,
                                       FieldErrors& errors) {
  const json* v = member(object, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_number_integer() || v->is_number_unsigned()) return v->get<long long>();
  if (v->is_number_float() && v->get<double>() == static_cast<double>(static_cast<long long>(v->get<double>()))) {
    return static_cast<long long>(v->get<double>());
  }
  errors.push_back(typeInvalidError(path, BadValue::of(*v), "must be an integer"));
  return std::nullopt;
}

void appendInvalid(const std::string& path, const std::string& value, const std::vector<std::string>& messages,
                   FieldErrors& errors) {
  for (const auto& msg : messages) errors.push_back(invalidError(path, BadValue::quoted(value), msg));
}

}  // namespace minik
