// api/unknown_fields.h — fields a kind does not have, and what the
// fieldValidation directive of a write does about them.
//
// What it offers: unknownFields() walks a JSON object (or a merge or
// strategic merge patch of one) along the kind's schema (protobuf_schema.h,
// which names every field of every kind minik serves with its JSON name) and
// returns the paths of the keys the kind does not have, written as Kubernetes
// writes them in `strict decoding error: unknown field "spec.replica"`:
// dotted keys, list elements as `[i]`, e.g.
// "spec.template.spec.containers[0].imagee". dropUnknownFields() removes the
// same keys, as Kubernetes' typed decoding drops them.
// applyFieldValidation() is the fieldValidation query parameter of create,
// update and patch: Strict refuses a body with unknown fields (400), Warn
// drops them and returns one warning per field, Ignore drops them silently;
// an absent parameter means Warn, as in Kubernetes 1.27+.
//
// Contract: only what the schema describes is checked. Maps (labels,
// annotations, data, nodeSelector, resource limits), free-form values
// (managedFields' fieldsV1) and scalars are never entered. Names the schema
// deliberately leaves out (the in-tree cloud volume sources of a Volume and
// a pod's ephemeralContainers) are known but not entered, so a valid
// manifest is never refused. A kind without a schema has no unknown fields.
// Values of the wrong JSON type are not judged here (validation does that).
// Paths come in the object's key order (sorted, as nlohmann::json keeps
// keys); duplicate keys are not detected: the JSON parser keeps the last.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/kinds.h"
#include "api/status.h"

namespace minik {

// What a body is: a whole object (create, update) or a merge/strategic
// merge patch, whose `$` directives and null values (deletions) are no
// fields of the kind.
enum class BodyShape { Object, Patch };

std::vector<std::string> unknownFields(const nlohmann::json& body, const KindInfo& kind,
                                       BodyShape shape = BodyShape::Object);

// Removes the keys unknownFields() names; returns their paths.
std::vector<std::string> dropUnknownFields(nlohmann::json& body, const KindInfo& kind,
                                           BodyShape shape = BodyShape::Object);

// The write a body belongs to: it names the options kind of a bad directive
// and words the refusal as Kubernetes' handler for that verb does.
enum class WriteVerb { Create, Update, Patch };

struct FieldValidationOutcome {
  std::optional<ApiError> error;      // set: refuse the request with it
  std::vector<std::string> warnings;  // `unknown field "spec.replica"`, for Warn
};

// Applies directive (the fieldValidation query value) to body, which it may
// prune. A Patch write takes a merge or strategic merge patch body.
FieldValidationOutcome applyFieldValidation(nlohmann::json& body, const KindInfo& kind,
                                            std::string_view directive, WriteVerb verb);

}  // namespace minik
