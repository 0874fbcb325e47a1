// controllers/object_fields.h — reading the few fields controllers need from
// an object's JSON without throwing (missing or mistyped fields read as
// empty), and the ownerReference Kubernetes writes for a controller.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "api/kinds.h"

namespace minik {

// Members by JSON pointer ("/metadata/name"); fallback when absent or mistyped.
std::string stringAt(const nlohmann::json& object, const char* pointer);
int64_t intAt(const nlohmann::json& object, const char* pointer, int64_t fallback = 0);
bool boolAt(const nlohmann::json& object, const char* pointer, bool fallback = false);
const nlohmann::json& at(const nlohmann::json& object, const char* pointer);  // null when absent

// "namespace/name" (or "name" for cluster-scoped objects): the key of work queues.
std::string objectKey(const nlohmann::json& object);
std::string objectKey(const std::string& ns, const std::string& name);
// Splits a key made by objectKey.
void splitKey(const std::string& key, std::string* ns, std::string* name);

bool isBeingDeleted(const nlohmann::json& object);
bool hasFinalizer(const nlohmann::json& object, const std::string& finalizer);

// The uid of the ownerReference with controller: true ("" when none).
std::string controllerUid(const nlohmann::json& object);

// metav1.NewControllerRef: apiVersion, kind, name, uid, controller: true,
// blockOwnerDeletion: true.
nlohmann::json controllerRef(const KindInfo& ownerKind, const nlohmann::json& owner);

// The reason of an API error ("AlreadyExists", "Conflict", "NotFound", ...).
template <class Result>
std::string errorReason(const Result& r) {
  if (!r.error) return "";
  const auto& status = r.error->status;
  return status.is_object() && status.contains("reason") && status["reason"].is_string()
             ? status["reason"].template get<std::string>()
             : "";
}

}  // namespace minik
