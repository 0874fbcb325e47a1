#include "api/json_fields.h"

namespace minik {

const nlohmann::json* member(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string stringMember(const nlohmann::json& object, std::string_view key) {
  const nlohmann::json* v = member(object, key);
  return v && v->is_string() ? v->get<std::string>() : std::string();
}

nlohmann::json* objectMember(nlohmann::json& parent, std::string_view key) {
  if (!parent.is_object()) return nullptr;
  nlohmann::json& v = parent[std::string(key)];
  if (v.is_null()) v = nlohmann::json::object();
  return v.is_object() ? &v : nullptr;
}

void defaultString(nlohmann::json& object, std::string_view key, std::string_view value) {
  if (!object.is_object()) return;
  auto it = object.find(key);
  if (it == object.end() || it->is_null() || (it->is_string() && it->get_ref<const std::string&>().empty())) {
    object[std::string(key)] = std::string(value);
  }
}

void defaultValue(nlohmann::json& object, std::string_view key, nlohmann::json value) {
  if (!object.is_object()) return;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) object[std::string(key)] = std::move(value);
}

bool isUnset(const nlohmann::json& object, std::string_view key) {
  const nlohmann::json* v = member(object, key);
  if (v == nullptr) return true;
  if (v->is_string()) return v->get_ref<const std::string&>().empty();
  if (v->is_object() || v->is_array()) return v->empty();
  return false;
}

}  // namespace minik
