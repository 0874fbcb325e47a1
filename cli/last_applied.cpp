#include "cli/last_applied.h"

#include "cli/go_json.h"

namespace minik {

using json = nlohmann::json;

const char* const kLastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

namespace {

// metadata.annotations as kubectl sets them back on the object: a map, empty
// when the manifest had none (SetAnnotations with a non-nil map).
json& annotationsOf(json& object) {
  json& metadata = object["metadata"];
  if (!metadata.is_object()) metadata = json::object();
  json& annotations = metadata["annotations"];
  if (!annotations.is_object()) annotations = json::object();
  return annotations;
}

}  // namespace

std::string lastAppliedConfiguration(const json& manifest) {
  json copy = manifest;
  annotationsOf(copy).erase(kLastAppliedAnnotation);
  return goJsonCompact(copy) + "\n";
}

json withLastApplied(const json& manifest) {
  json modified = manifest;
  annotationsOf(modified)[kLastAppliedAnnotation] = lastAppliedConfiguration(manifest);
  return modified;
}

bool originalConfiguration(const json& live, json* original) {
  *original = nullptr;
  const json* annotations = nullptr;
  if (live.contains("metadata") && live["metadata"].is_object() && live["metadata"].contains("annotations")) {
    annotations = &live["metadata"]["annotations"];
  }
  if (!annotations || !annotations->is_object() || !annotations->contains(kLastAppliedAnnotation)) return true;
  const json& text = (*annotations)[kLastAppliedAnnotation];
  if (!text.is_string() || text.get<std::string>().empty()) return true;
  *original = json::parse(text.get<std::string>(), nullptr, false);
  if (original->is_discarded()) {
    *original = nullptr;
    return false;
  }
  return true;
}

}  // namespace minik
