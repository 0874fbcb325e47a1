#include "controllers/pod_template_hash.h"

#include <cstdio>

namespace minik {

using nlohmann::json;

namespace {

constexpr char kAlphanums[] = "bcdfghjklmnpqrstvwxz2456789";
constexpr uint32_t kFnvPrime32 = 16777619u;

}  // namespace

uint32_t fnv32a(const std::string& bytes, uint32_t seed) {
  uint32_t h = seed;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= kFnvPrime32;
  }
  return h;
}

std::string safeEncodeString(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) out.push_back(kAlphanums[c % (sizeof(kAlphanums) - 1)]);
  return out;
}

std::string podTemplateHash(const json& podTemplate, std::optional<int32_t> collisionCount) {
  uint32_t h = fnv32a(podTemplate.dump());
  if (collisionCount) {
    std::string bytes(8, '\0');
    uint32_t c = static_cast<uint32_t>(*collisionCount);
    for (int i = 0; i < 4; ++i) bytes[i] = static_cast<char>((c >> (8 * i)) & 0xff);
    h = fnv32a(bytes, h);
  }
  return safeEncodeString(std::to_string(h));
}

std::string templateDigest(const json& podTemplate) {
  json copy = podTemplate.is_object() ? podTemplate : json::object();
  auto meta = copy.find("metadata");
  if (meta != copy.end() && meta->is_object()) {
    auto labels = meta->find("labels");
    if (labels != meta->end() && labels->is_object()) {
      labels->erase("pod-template-hash");
      if (labels->empty()) meta->erase("labels");
    }
  }
  // 64-bit FNV-1a: a digest for equality, never shown.
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : copy.dump()) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h));
  return text;
}

}  // namespace minik
