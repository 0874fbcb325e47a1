// cli/three_way_patch.h — the strategic merge patch `kubectl apply` sends:
// a port of k8s.io/apimachinery strategicpatch.CreateThreeWayMergePatch.
//
// original is the last applied configuration (null when there is none),
// modified the new manifest (with its last-applied annotation), current the
// live object. The patch holds what changed from current to modified, plus
// the deletions from original to modified (fields the user removed from the
// manifest), never fields that others set and the manifest never had.
// Lists are merged by key where the kind's patch strategy says so (pod
// containers by name, ...), with the $setElementOrder, $deleteFromPrimitiveList,
// $retainKeys and `$patch: delete` directives kubectl writes. An empty patch
// ({}) means `unchanged`.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace minik {

// group: "" or "apps"; kind: "Deployment". False with error when a document
// breaks the patch rules (a merge-list item without its key, a changed
// apiVersion, kind or name).
bool threeWayMergePatch(const std::string& group, const std::string& kind, const nlohmann::json& original,
                        const nlohmann::json& modified, const nlohmann::json& current, nlohmann::json* patch,
                        std::string* error);

}  // namespace minik
