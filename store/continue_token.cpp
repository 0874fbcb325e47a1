// Continue tokens: base64url(JSON), as Kubernetes encodes its own.
#include "store/continue_token.h"

#include <nlohmann/json.hpp>

namespace minik {
namespace {

const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64UrlEncode(const std::string& in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  uint32_t bits = 0;
  int count = 0;
  for (unsigned char c : in) {
    bits = (bits << 8) | c;
    count += 8;
    while (count >= 6) {
      count -= 6;
      out.push_back(kAlphabet[(bits >> count) & 0x3f]);
    }
  }
  if (count > 0) out.push_back(kAlphabet[(bits << (6 - count)) & 0x3f]);
  return out;
}

bool base64UrlDecode(const std::string& in, std::string* out) {
  uint32_t bits = 0;
  int count = 0;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '-' || c == '+') v = 62;  // accept both alphabets
    else if (c == '_' || c == '/') v = 63;
    else if (c == '=') break;
    else return false;
    bits = (bits << 6) | static_cast<uint32_t>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out->push_back(static_cast<char>((bits >> count) & 0xff));
    }
  }
  return true;
}

}  // namespace

std::string encodeContinueToken(const ListPosition& position) {
  nlohmann::json j = {{"v", "meta.k8s.io/v1"},
                      {"rv", position.revision},
                      {"start", position.ns + "/" + position.name}};
  return base64UrlEncode(j.dump());
}

bool decodeContinueToken(const std::string& token, ListPosition* position, std::string* error) {
  std::string raw;
  auto fail = [&](const std::string& why) {
    if (error) *error = "invalid continue token: " + why;
    return false;
  };
  if (!base64UrlDecode(token, &raw)) return fail("continue key is not valid: illegal base64 data");
  nlohmann::json j = nlohmann::json::parse(raw, nullptr, false);
  if (!j.is_object()) return fail("continue key is not valid: not a JSON object");
  auto v = j.find("v");
  if (v == j.end() || *v != "meta.k8s.io/v1")
    return fail("continue key is not valid: server does not recognize this encoded version");
  auto rv = j.find("rv");
  auto start = j.find("start");
  if (rv == j.end() || !rv->is_number_integer() || rv->get<int64_t>() <= 0)
    return fail("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
  if (start == j.end() || !start->is_string())
    return fail("continue key is not valid: encoded start key is missing");
  const std::string& key = start->get_ref<const std::string&>();
  size_t slash = key.find('/');
  if (slash == std::string::npos || slash + 1 == key.size())
    return fail("continue key is not valid: encoded start key is malformed");
  position->revision = rv->get<int64_t>();
  position->ns = key.substr(0, slash);
  position->name = key.substr(slash + 1);
  return true;
}

}  // namespace minik
