// api/json_fields.h — tolerant access to JSON objects for defaulting and
// validation: reads never throw on absent members or wrong types, and writes
// fill only what is unset (Go's zero value: absent, null, or "" for strings).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace minik {

// The member, or nullptr when object is not an object or the member is absent or null.
const nlohmann::json* member(const nlohmann::json& object, std::string_view key);
// The member's string, "" when absent or not a string.
std::string stringMember(const nlohmann::json& object, std::string_view key);
// An object member, created when absent or null; nullptr when parent is not an
// object or the member holds something else (validation reports that).
nlohmann::json* objectMember(nlohmann::json& parent, std::string_view key);
// Sets key to value when it is absent, null, or "" (unset in Go's terms).
void defaultString(nlohmann::json& object, std::string_view key, std::string_view value);
// Sets key to value when it is absent or null.
void defaultValue(nlohmann::json& object, std::string_view key, nlohmann::json value);
// True when the member is absent, null, "", {} or [].
bool isUnset(const nlohmann::json& object, std::string_view key);

inline std::string indexed(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }
inline std::string keyed(const std::string& path, const std::string& key) { return path + "[" + key + "]"; }

}  // namespace minik
