// Secret defaults: type Opaque (SetDefaults_Secret), and stringData folded into
// data as base64, which Kubernetes does when converting a v1 Secret (so
// stringData is never stored nor returned).
#include "api/json_fields.h"
#include "api/kind_rules.h"

namespace minik {

namespace {

std::string base64(const std::string& in) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? alphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace

void defaultSecret(json& secret) {
  defaultString(secret, "type", "Opaque");
  const json* stringData = member(secret, "stringData");
  if (stringData == nullptr || !stringData->is_object()) return;
  json* data = objectMember(secret, "data");
  if (data == nullptr) return;
  for (const auto& [key, value] : stringData->items()) {
    if (value.is_string()) (*data)[key] = base64(value.get<std::string>());
  }
  secret.erase("stringData");
}

}  // namespace minik
