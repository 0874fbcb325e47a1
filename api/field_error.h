// api/field_error.h — one problem with one field of an object, as Kubernetes'
// field.Error reports it (the "causes" of an Invalid Status).
#pragma once

#include <string>
#include <vector>

namespace minik {

struct FieldError {
  // Kubernetes' cause reason: "FieldValueRequired", "FieldValueInvalid",
  // "FieldValueNotSupported", "FieldValueDuplicate", "FieldValueForbidden",
  // "FieldValueTooLong", "FieldValueTypeInvalid".
  std::string reason;
  std::string field;    // path, e.g. "metadata.name", "spec.ports[0].port"
  std::string message;  // as Kubernetes words it, e.g. "Invalid value: \"A\": a lowercase RFC 1123 ..."
};

using FieldErrors = std::vector<FieldError>;

// "metadata.name: Invalid value: ..." — how Kubernetes prints one error.
std::string describe(const FieldError& error);

}  // namespace minik
