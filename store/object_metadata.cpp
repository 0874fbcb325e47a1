// Stamping of store-owned metadata fields.
#include "store/object_metadata.h"

#include <ctime>

namespace minik {
namespace {

nlohmann::json* metadataOf(nlohmann::json& object) {
  nlohmann::json& meta = object["metadata"];
  if (meta.is_null()) meta = nlohmann::json::object();
  return meta.is_object() ? &meta : nullptr;
}

const nlohmann::json* storedField(const nlohmann::json& stored, const char* field) {
  auto meta = stored.find("metadata");
  if (meta == stored.end() || !meta->is_object()) return nullptr;
  auto it = meta->find(field);
  return it == meta->end() ? nullptr : &*it;
}

}  // namespace

std::string newUid(std::mt19937_64& random) {
  uint64_t hi = random(), lo = random();
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  char buf[37];
  snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
           static_cast<unsigned>((hi >> 16) & 0xffff), static_cast<unsigned>(hi & 0xffff),
           static_cast<unsigned>(lo >> 48),
           static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return buf;
}

std::string rfc3339Utc(int64_t unixSeconds) {
  time_t t = static_cast<time_t>(unixSeconds);
  struct tm tm;
  gmtime_r(&t, &tm);
  char buf[32];
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

bool stampCreated(nlohmann::json& object, int64_t revision, const std::string& uid,
                  const std::string& creationTimestamp) {
  nlohmann::json* meta = metadataOf(object);
  if (!meta) return false;
  (*meta)["uid"] = uid;
  (*meta)["creationTimestamp"] = creationTimestamp;
  (*meta)["generation"] = 1;
  (*meta)["resourceVersion"] = std::to_string(revision);
  return true;
}

bool stampUpdated(nlohmann::json& object, const nlohmann::json& stored, int64_t revision) {
  nlohmann::json* meta = metadataOf(object);
  if (!meta) return false;
  for (const char* kept : {"uid", "creationTimestamp"}) {
    if (const nlohmann::json* v = storedField(stored, kept)) (*meta)[kept] = *v;
    else meta->erase(kept);
  }
  int64_t generation = 1;
  if (const nlohmann::json* g = storedField(stored, "generation"))
    if (g->is_number_integer()) generation = g->get<int64_t>();
  auto oldSpec = stored.find("spec");
  auto newSpec = object.find("spec");
  bool hadSpec = oldSpec != stored.end(), hasSpec = newSpec != object.end();
  if (hadSpec != hasSpec || (hasSpec && *oldSpec != *newSpec)) ++generation;
  (*meta)["generation"] = generation;
  (*meta)["resourceVersion"] = std::to_string(revision);
  return true;
}

bool stampRevision(nlohmann::json& object, int64_t revision) {
  nlohmann::json* meta = metadataOf(object);
  if (!meta) return false;
  (*meta)["resourceVersion"] = std::to_string(revision);
  return true;
}

std::string objectUid(const nlohmann::json& object) {
  const nlohmann::json* uid = storedField(object, "uid");
  return uid && uid->is_string() ? uid->get<std::string>() : std::string();
}

}  // namespace minik
