// api/patch_failure.h — private to the patch implementations: how a patch
// application gives up, and Go's rendering of decoded JSON so error texts are
// worded as Kubernetes' (json-patch and strategicpatch are Go code).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace minik::patch_detail {

// Thrown inside a patch application; the entry points turn it into *error
// after leaving the target untouched.
struct PatchFailure {
  std::string message;
};

[[noreturn]] inline void fail(std::string message) { throw PatchFailure{std::move(message)}; }

inline bool startsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// fmt's %v of a value decoded into interface{}.
std::string goValue(const nlohmann::json& v);
// The Go type name of a decoded value ("string", "float64", "map[string]interface {}").
std::string goTypeName(const nlohmann::json& v);
// %v of a string value, or goValue otherwise.
std::string goString(const nlohmann::json& v);
// encoding/json's name of a JSON value's kind in unmarshal errors ("string", "number", ...).
std::string goJsonKind(const nlohmann::json& v);

}  // namespace minik::patch_detail
