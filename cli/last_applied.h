// cli/last_applied.h — the kubectl.kubernetes.io/last-applied-configuration
// annotation, byte for byte as kubectl writes it (k8s.io/kubectl
// util.GetModifiedConfiguration): the manifest without that annotation but
// with its annotations map (an empty {} when it had none), as Go's
// json.Encoder writes it (sorted keys, compact, a trailing newline).
// Identical bytes are what let `minik apply` and `kubectl apply` take turns
// on an object and both report `unchanged`.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace minik {

extern const char* const kLastAppliedAnnotation;

// The annotation's value for a manifest.
std::string lastAppliedConfiguration(const nlohmann::json& manifest);

// The manifest with the annotation set: what kubectl creates, and the
// "modified" side of its three-way patch.
nlohmann::json withLastApplied(const nlohmann::json& manifest);

// The configuration stored on a live object: null when it has none; false
// when the annotation is not valid JSON.
bool originalConfiguration(const nlohmann::json& live, nlohmann::json* original);

}  // namespace minik
