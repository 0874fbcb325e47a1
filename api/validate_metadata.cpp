// metadata validation on create and update (apimachinery's ValidateObjectMeta
// and ValidateObjectMetaUpdate, with core's extra finalizer-name rule).
#include <algorithm>
#include <cctype>
#include <set>

#include "api/json_fields.h"
#include "api/kind_rules.h"
#include "api/labels.h"
#include "api/names.h"
#include "api/validation_messages.h"

namespace minik {

namespace {

constexpr long long kTotalAnnotationSizeLimit = 256 * 1024;

// Names that a random suffix will be appended to may end in '-': Go masks the
// dash (quirk kept: it drops two characters and appends 'a').
std::string maskTrailingDash(const std::string& name) {
  if (name.size() > 1 && name.back() == '-') return name.substr(0, name.size() - 2) + "a";
  return name;
}

bool isStandardFinalizer(const std::string& name) {
  return name == "kubernetes" || name == "orphan" || name == "foregroundDeletion";
}

std::vector<std::string> finalizersOf(const json& meta) {
  std::vector<std::string> out;
  const json* list = member(meta, "finalizers");
  if (list == nullptr || !list->is_array()) return out;
  for (const auto& f : *list) out.push_back(f.is_string() ? f.get<std::string>() : f.dump());
  return out;
}

void validateFinalizers(const json& meta, const std::string& path, FieldErrors& errors) {
  std::vector<std::string> finalizers = finalizersOf(meta);
  bool orphan = false, foreground = false;
  for (const auto& f : finalizers) {
    appendInvalid(path, f, checkQualifiedName(f), errors);
    orphan |= f == "orphan";
    foreground |= f == "foregroundDeletion";
  }
  if (orphan && foreground) {
    errors.push_back(invalidError(path, BadValue::stringList(member(meta, "finalizers")),
                                  "finalizer orphan and foregroundDeletion cannot be both set"));
  }
}

// Core's rule: a finalizer without a '/' must be one of Kubernetes' own.
void validateKubeFinalizers(const json& meta, const std::string& path, FieldErrors& errors) {
  std::vector<std::string> finalizers = finalizersOf(meta);
  for (size_t i = 0; i < finalizers.size(); ++i) {
    const std::string& f = finalizers[i];
    if (f.find('/') == std::string::npos && !isStandardFinalizer(f)) {
      errors.push_back(invalidError(indexed(path, i), BadValue::quoted(f),
                                    "name is neither a standard finalizer name nor is it fully qualified"));
    }
  }
}

void validateOwnerReferences(const json& meta, const std::string& path, FieldErrors& errors) {
  const json* refs = member(meta, "ownerReferences");
  if (refs == nullptr || !refs->is_array()) return;
  std::string firstController;
  for (const auto& ref : *refs) {
    std::string apiVersion = stringMember(ref, "apiVersion");
    std::string kind = stringMember(ref, "kind");
    std::string version = apiVersion.substr(apiVersion.find('/') == std::string::npos ? 0 : apiVersion.find('/') + 1);
    if (version.empty()) {
      errors.push_back(invalidError(path + ".apiVersion", BadValue::quoted(apiVersion), "version must not be empty"));
    }
    if (kind.empty()) errors.push_back(invalidError(path + ".kind", BadValue::quoted(kind), "must not be empty"));
    if (stringMember(ref, "name").empty()) {
      errors.push_back(invalidError(path + ".name", BadValue::quoted(""), "must not be empty"));
    }
    if (stringMember(ref, "uid").empty()) {
      errors.push_back(invalidError(path + ".uid", BadValue::quoted(""), "must not be empty"));
    }
    const json* controller = member(ref, "controller");
    if (controller && controller->is_boolean() && controller->get<bool>()) {
      std::string name = kind + "/" + stringMember(ref, "name");
      if (!firstController.empty()) {
        errors.push_back(invalidError(path, BadValue::of(*refs),
                                      "Only one reference can have Controller set to true. Found \"true\" in "
                                      "references for " + firstController + " and " + name));
      } else {
        firstController = name;
      }
    }
  }
}

// The parts shared by create and update.
void validateMetaCommon(const json& meta, FieldErrors& errors) {
  if (const json* labels = member(meta, "labels")) validateLabels(*labels, "metadata.labels", errors);
  if (const json* annotations = member(meta, "annotations")) {
    validateAnnotations(*annotations, "metadata.annotations", errors);
  }
  validateOwnerReferences(meta, "metadata.ownerReferences", errors);
  validateFinalizers(meta, "metadata.finalizers", errors);
}

void checkImmutable(const json& meta, const json& oldMeta, const char* key, FieldErrors& errors) {
  const json* now = member(meta, key);
  const json* was = member(oldMeta, key);
  if ((now == nullptr) != (was == nullptr) || (now && *now != *was)) {
    errors.push_back(invalidError(std::string("metadata.") + key, now ? BadValue::of(*now) : BadValue::quoted(""),
                                  kImmutableMessage));
  }
}

}  // namespace

NameCheck nameCheckFor(const KindInfo& kind) {
  if (kind.kind == "Namespace") return checkDns1123Label;
  if (kind.kind == "Service") return checkDns1035Label;
  return checkDns1123Subdomain;
}

void validateAnnotations(const json& annotations, const std::string& path, FieldErrors& errors) {
  if (!annotations.is_object()) {
    errors.push_back(typeInvalidError(path, BadValue::of(annotations), "must be a map of strings"));
    return;
  }
  long long total = 0;
  for (const auto& [key, value] : annotations.items()) {
    std::string lower = key;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    appendInvalid(path, key, checkQualifiedName(lower), errors);
    total += static_cast<long long>(key.size());
    if (value.is_string()) total += static_cast<long long>(value.get_ref<const std::string&>().size());
    else errors.push_back(typeInvalidError(path, BadValue::of(value), "must be a string"));
  }
  if (total > kTotalAnnotationSizeLimit) errors.push_back(tooLongError(path, kTotalAnnotationSizeLimit));
}

void validateObjectMeta(const KindInfo& kind, const json& object, FieldErrors& errors) {
  static const json kEmpty = json::object();
  const json* metaPtr = member(object, "metadata");
  if (metaPtr && !metaPtr->is_object()) {
    errors.push_back(typeInvalidError("metadata", BadValue::of(*metaPtr), "must be an object"));
    return;
  }
  const json& meta = metaPtr ? *metaPtr : kEmpty;
  NameCheck check = nameCheckFor(kind);
  std::string generateName = stringMember(meta, "generateName");
  std::string name = stringMember(meta, "name");
  if (!generateName.empty()) {
    appendInvalid("metadata.generateName", generateName, check(maskTrailingDash(generateName)), errors);
  }
  if (name.empty()) {
    // The server generates the name from generateName; only both missing is an error.
    if (generateName.empty()) errors.push_back(requiredError("metadata.name", "name or generateName is required"));
  } else {
    appendInvalid("metadata.name", name, check(name), errors);
  }
  std::string ns = stringMember(meta, "namespace");
  if (kind.namespaced) {
    if (ns.empty()) errors.push_back(requiredError("metadata.namespace"));
    else appendInvalid("metadata.namespace", ns, checkDns1123Label(ns), errors);
  } else if (!ns.empty()) {
    errors.push_back(forbiddenError("metadata.namespace", "not allowed on this type"));
  }
  if (auto generation = integerMember(meta, "generation", "metadata.generation", errors); generation && *generation < 0) {
    errors.push_back(invalidError("metadata.generation", BadValue::number(*generation), kNegativeMessage));
  }
  validateMetaCommon(meta, errors);
  validateKubeFinalizers(meta, "metadata.finalizers", errors);
}

void validateObjectMetaUpdate(const json& object, const json& old, FieldErrors& errors) {
  static const json kEmpty = json::object();
  const json* metaPtr = member(object, "metadata");
  const json& meta = metaPtr && metaPtr->is_object() ? *metaPtr : kEmpty;
  const json* oldPtr = member(old, "metadata");
  const json& oldMeta = oldPtr && oldPtr->is_object() ? *oldPtr : kEmpty;

  if (member(oldMeta, "deletionTimestamp")) {
    std::vector<std::string> now = finalizersOf(meta), was = finalizersOf(oldMeta);
    std::set<std::string> extra(now.begin(), now.end());
    for (const auto& f : was) extra.erase(f);
    if (!extra.empty()) {
      json list(std::vector<std::string>(extra.begin(), extra.end()));
      errors.push_back(forbiddenError("metadata.finalizers",
                                      "no new finalizers can be added if the object is being deleted, found new "
                                      "finalizers " + BadValue::stringList(&list).text));
    }
  }
  checkImmutable(meta, oldMeta, "name", errors);
  checkImmutable(meta, oldMeta, "namespace", errors);
  // A client may omit the uid; the server keeps the stored one then.
  if (member(meta, "uid")) checkImmutable(meta, oldMeta, "uid", errors);
  validateMetaCommon(meta, errors);
  validateKubeFinalizers(meta, "metadata.finalizers", errors);
}

}  // namespace minik
