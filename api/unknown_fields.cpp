// Unknown fields, found along protobuf_schema.h's tables. The tables are the
// protobuf shape of each kind, whose rows carry the JSON names too, so one
// description of the kinds serves both the protobuf decoder and this check.
#include "api/unknown_fields.h"

#include <cstring>

#include "api/protobuf_schema.h"

namespace minik {

using nlohmann::json;
using protobuf::FieldSchema;
using protobuf::MessageSchema;
using protobuf::ValueType;

namespace {

// Fields Kubernetes has and the schema leaves out on purpose (see
// protobuf_schema.cpp): valid in a manifest, never entered.
constexpr const char* kUncheckedVolumeSources[] = {
    "gcePersistentDisk", "awsElasticBlockStore", "azureDisk",   "azureFile",
    "cinder",            "cephfs",               "rbd",         "iscsi",
    "fc",                "flexVolume",           "flocker",     "glusterfs",
    "gitRepo",           "photonPersistentDisk", "portworxVolume", "quobyte",
    "scaleIO",           "storageos",            "vsphereVolume",
};

bool isUncheckedField(const MessageSchema& message, const std::string& key) {
  if (std::strcmp(message.name, "VolumeSource") == 0 ||
      std::strcmp(message.name, "PersistentVolumeSource") == 0) {
    for (const char* name : kUncheckedVolumeSources) {
      if (key == name) return true;
    }
  }
  return std::strcmp(message.name, "PodSpec") == 0 && key == "ephemeralContainers";
}

enum class Lookup { Unknown, Unchecked, Field };

// The row for a JSON key, looking through inlined messages (Go's
// `json:",inline"`, an empty JSON name) as the JSON flattens them.
Lookup lookup(const MessageSchema& message, const std::string& key, const FieldSchema** row) {
  for (std::size_t i = 0; i < message.count; ++i) {
    const FieldSchema& field = message.fields[i];
    if (field.jsonName[0] == '\0' && field.message) {
      Lookup inner = lookup(*field.message, key, row);
      if (inner != Lookup::Unknown) return inner;
    } else if (key == field.jsonName) {
      *row = &field;
      return Lookup::Field;
    }
  }
  return isUncheckedField(message, key) ? Lookup::Unchecked : Lookup::Unknown;
}

struct UnknownKey {
  const json* parent;
  std::string key;
  std::string path;
};

void walk(const json& object, const MessageSchema& message, const std::string& prefix, bool topLevel,
          BodyShape shape, std::vector<UnknownKey>& out) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    const std::string& key = it.key();
    const json& value = it.value();
    if (shape == BodyShape::Patch && (value.is_null() || (!key.empty() && key[0] == '$'))) continue;
    // TypeMeta is no protobuf field: it is the envelope of the top message.
    if (topLevel && (key == "apiVersion" || key == "kind")) continue;
    std::string path = prefix.empty() ? key : prefix + "." + key;
    const FieldSchema* field = nullptr;
    Lookup found = lookup(message, key, &field);
    if (found == Lookup::Unknown) {
      out.push_back({&object, key, std::move(path)});
      continue;
    }
    if (found == Lookup::Unchecked || field->type != ValueType::Message || !field->message ||
        (field->flags & protobuf::kMap)) {
      continue;
    }
    if (value.is_array()) {
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i].is_object()) {
          walk(value[i], *field->message, path + "[" + std::to_string(i) + "]", false, shape, out);
        }
      }
    } else if (value.is_object()) {
      walk(value, *field->message, path, false, shape, out);
    }
  }
}

std::vector<UnknownKey> findUnknownKeys(const json& body, const KindInfo& kind, BodyShape shape) {
  std::vector<UnknownKey> found;
  const MessageSchema* message = protobuf::messageForKind(kind.apiVersion(), kind.kind);
  if (message && body.is_object()) walk(body, *message, "", true, shape, found);
  return found;
}

ApiError unsupportedDirective(std::string_view directive, WriteVerb verb) {
  const char* options = verb == WriteVerb::Create   ? "CreateOptions"
                        : verb == WriteVerb::Update ? "UpdateOptions"
                                                    : "PatchOptions";
  std::string detail = "Unsupported value: \"" + std::string(directive) +
                       "\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"";
  json details = {{"group", "meta.k8s.io"},
                  {"kind", options},
                  {"causes", json::array({{{"reason", "FieldValueNotSupported"},
                                           {"message", detail},
                                           {"field", "fieldValidation"}}})}};
  return statusError(422, "Invalid",
                     std::string(options) + ".meta.k8s.io \"\" is invalid: fieldValidation: " + detail,
                     details);
}

}  // namespace

std::vector<std::string> unknownFields(const json& body, const KindInfo& kind, BodyShape shape) {
  std::vector<std::string> paths;
  for (auto& unknown : findUnknownKeys(body, kind, shape)) paths.push_back(std::move(unknown.path));
  return paths;
}

std::vector<std::string> dropUnknownFields(json& body, const KindInfo& kind, BodyShape shape) {
  std::vector<std::string> paths;
  for (auto& unknown : findUnknownKeys(body, kind, shape)) {
    // The parents are inside body, which is ours to change; no recorded parent
    // lies under a removed key, since the walk never enters an unknown one.
    const_cast<json*>(unknown.parent)->erase(unknown.key);
    paths.push_back(std::move(unknown.path));
  }
  return paths;
}

FieldValidationOutcome applyFieldValidation(json& body, const KindInfo& kind, std::string_view directive,
                                            WriteVerb verb) {
  FieldValidationOutcome outcome;
  if (directive != "" && directive != "Strict" && directive != "Warn" && directive != "Ignore") {
    outcome.error = unsupportedDirective(directive, verb);
    return outcome;
  }
  BodyShape shape = verb == WriteVerb::Patch ? BodyShape::Patch : BodyShape::Object;
  if (directive == "Strict") {
    std::vector<std::string> paths = unknownFields(body, kind, shape);
    if (paths.empty()) return outcome;
    std::string message = "strict decoding error: ";
    for (std::size_t i = 0; i < paths.size(); ++i) {
      if (i) message += ", ";
      message += "unknown field \"" + paths[i] + "\"";
    }
    // The create and update handlers word a decoding error with the kind;
    // the patch handler passes the converter's error as it is.
    if (verb != WriteVerb::Patch) {
      message = kind.kind + " in version \"" + kind.version + "\" cannot be handled as a " + kind.kind +
                ": " + message;
    }
    outcome.error = badRequest(message);
    return outcome;
  }
  std::vector<std::string> paths = dropUnknownFields(body, kind, shape);
  if (directive != "Ignore") {
    for (const auto& path : paths) outcome.warnings.push_back("unknown field \"" + path + "\"");
  }
  return outcome;
}

}  // namespace minik
