// api/strategic_merge.h — the patch formats Kubernetes accepts:
// JSON merge patch (RFC 7386), JSON patch (RFC 6902) and strategic merge
// patch for the built-in kinds (lists merged by key, e.g. containers by name,
// with the $patch, $retainKeys, $deleteFromPrimitiveList and
// $setElementOrder directives kubectl apply sends).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "api/kinds.h"

namespace minik {

// Each returns false and sets error (worded for a 400/422 Status) on a
// malformed patch; target is left unchanged then.
bool applyMergePatch(nlohmann::json& target, const nlohmann::json& patch, std::string* error);
bool applyJsonPatch(nlohmann::json& target, const nlohmann::json& patch, std::string* error);
bool applyStrategicMergePatch(const KindInfo& kind, nlohmann::json& target,
                              const nlohmann::json& patch, std::string* error);

}  // namespace minik
