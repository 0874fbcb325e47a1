// controllers/pod_template_hash.h — the pod-template-hash of a Deployment's
// ReplicaSets, computed the way controller.ComputeHash does in spirit.
//
// Kubernetes hashes (FNV-32a) the template as dumped by a Go pretty-printer
// (spew), then appends collisionCount as 8 bytes (uint32 little-endian and
// four zero bytes), and renders the decimal sum with rand.SafeEncodeString.
// Go's printer cannot be reproduced byte for byte, so minik hashes the
// template's canonical JSON (keys sorted, no spaces) instead: the names have
// Kubernetes' shape and alphabet ("bcdfghjklmnpqrstvwxz2456789", so a hash
// such as "5d8f9c7b46") but not its exact values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace minik {

// FNV-1a, 32 bits, over bytes (hash/fnv New32a).
uint32_t fnv32a(const std::string& bytes, uint32_t seed = 2166136261u);

// rand.SafeEncodeString: each character c becomes alphabet[c % 27].
std::string safeEncodeString(const std::string& text);

// The label value and ReplicaSet name suffix for a pod template.
std::string podTemplateHash(const nlohmann::json& podTemplate, std::optional<int32_t> collisionCount);

// Equal for two templates exactly when they are equal ignoring the
// pod-template-hash label (deploymentutil.EqualIgnoreHash).
std::string templateDigest(const nlohmann::json& podTemplate);

}  // namespace minik
