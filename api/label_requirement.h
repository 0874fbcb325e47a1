// api/label_requirement.h — building one label selector requirement with the
// checks of Go's labels.NewRequirement (key, value count per operator, value
// format). Shared by the string parser and the JSON selector reader.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/labels.h"

namespace minik {

// Returns nullopt and sets error (Go's aggregated field errors, paths
// "key", "values", "values[i][key]") when the requirement is invalid.
std::optional<LabelSelector::Requirement> makeLabelRequirement(std::string key, LabelSelector::Op op,
                                                               std::vector<std::string> values,
                                                               std::string* error);

// The label-key error of the string parser: "<nil>: Invalid value: ..." (the
// parser validates keys with no field path, which Go prints as "<nil>").
std::optional<std::string> labelKeyParseError(const std::string& key);

}  // namespace minik
