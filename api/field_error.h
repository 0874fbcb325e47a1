// api/field_error.h — one problem with one field of an object, as Kubernetes'
// field.Error reports it (the "causes" of an Invalid Status).
//
// What it offers: the FieldError record, builders that word each error type
// exactly as Go's field.Error.ErrorBody() does ("Required value", "Invalid
// value: \"x\": detail", "Unsupported value: \"x\": supported values: ..."),
// and the printers the API server needs for a Status message.
//
// Invariant: message never contains the field path; describe() prepends it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace minik {

struct FieldError {
  // Kubernetes' cause reason: "FieldValueRequired", "FieldValueInvalid",
  // "FieldValueNotSupported", "FieldValueDuplicate", "FieldValueForbidden",
  // "FieldValueTooLong", "FieldValueTypeInvalid", "FieldValueNotFound".
  std::string reason;
  std::string field;    // path, e.g. "metadata.name", "spec.ports[0].port"
  std::string message;  // as Kubernetes words it, e.g. "Invalid value: \"A\": a lowercase RFC 1123 ..."
};

using FieldErrors = std::vector<FieldError>;

// "metadata.name: Invalid value: ..." — how Kubernetes prints one error.
std::string describe(const FieldError& error);

// How Kubernetes prints a list of errors (utilerrors.Aggregate): the one error
// alone, or "[a, b]"; identical messages are printed once. Empty for none.
std::string describeAll(const FieldErrors& errors);

// Go's strconv.Quote / %q: "a\"b" with Go's escapes.
std::string quoteGo(std::string_view text);

// A rejected value as Go's field.Error prints it: strings quoted, numbers and
// booleans plain, anything else in Go's %#v form.
struct BadValue {
  std::string text;

  static BadValue quoted(std::string_view s) { return {quoteGo(s)}; }
  static BadValue number(long long n) { return {std::to_string(n)}; }
  // Already rendered (Go %#v of a struct, e.g. "v1.LabelSelector{...}").
  static BadValue verbatim(std::string rendered) { return {std::move(rendered)}; }
  // A JSON value: string -> %q, number/bool plain, null -> "null", an object
  // of strings -> map[string]string{"k":"v"}, an array of strings ->
  // []string{"a", "b"}; other shapes print as JSON.
  static BadValue of(const nlohmann::json& value);
  // A map[string]string field that may be absent: absent prints as
  // map[string]string(nil), as Go prints a nil map.
  static BadValue stringMap(const nlohmann::json* value);
  // A []string field that may be absent ([]string(nil)).
  static BadValue stringList(const nlohmann::json* value);
};

// Builders named after Go's field.Required, field.Invalid, ...
FieldError requiredError(std::string path, std::string_view detail = "");
FieldError invalidError(std::string path, const BadValue& value, std::string_view detail);
FieldError notSupportedError(std::string path, const BadValue& value,
                             const std::vector<std::string>& supported);
FieldError duplicateError(std::string path, const BadValue& value);
FieldError forbiddenError(std::string path, std::string_view detail);
FieldError notFoundError(std::string path, const BadValue& value);
FieldError tooLongError(std::string path, long long maxBytes);
// A value of the wrong JSON type (what Go's decoder would have refused).
FieldError typeInvalidError(std::string path, const BadValue& value, std::string_view detail);

}  // namespace minik
