// Namespace validation: spec.finalizers are qualified names, and a finalizer
// without a '/' must be one of Kubernetes' own (core ValidateNamespace).
#include "api/json_fields.h"
#include "api/kind_rules.h"
#include "api/labels.h"

namespace minik {

void validateNamespace(const json& ns, FieldErrors& errors) {
  const json* spec = member(ns, "spec");
  const json* finalizers = spec ? member(*spec, "finalizers") : nullptr;
  if (finalizers == nullptr || !finalizers->is_array()) return;
  for (const auto& f : *finalizers) {
    std::string name = f.is_string() ? f.get<std::string>() : f.dump();
    appendInvalid("spec.finalizers", name, checkQualifiedName(name), errors);
    if (name.find('/') == std::string::npos && name != "kubernetes" && name != "orphan" &&
        name != "foregroundDeletion") {
      errors.push_back(invalidError("spec.finalizers", BadValue::quoted(name),
                                    "name is neither a standard finalizer name nor is it fully qualified"));
    }
  }
}

}  // namespace minik
