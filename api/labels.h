// api/labels.h — label validation and label selectors.
//
// A LabelSelector is parsed once (from the query-string form kubectl sends, or
// from a metav1.LabelSelector JSON object) and then matched against label maps.
// Parsing and matching follow k8s.io/apimachinery/pkg/labels: requirements are
// kept sorted by key; values of a set requirement form a sorted set; "!=" and
// "notin" match objects that lack the key; errors are worded as Go's parser
// words them (e.g. "found 'b', expected: ',' or 'end of string'").
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "api/field_error.h"

namespace minik {

using Labels = std::map<std::string, std::string>;

class LabelSelector {
 public:
  // GreaterThan/LessThan are the string form's "x>1", "x<1" (integer compare).
  enum class Op { Equals, NotEquals, In, NotIn, Exists, DoesNotExist, GreaterThan, LessThan };
  struct Requirement {
    std::string key;
    Op op;
    std::vector<std::string> values;
  };

  // The string form: "a=b,c!=d,e in (x,y),f notin (z),g,!h". Empty matches all.
  // Returns nullopt and sets error (Kubernetes' wording) when unparsable.
  static std::optional<LabelSelector> parse(std::string_view text, std::string* error);
  // A metav1.LabelSelector object ({matchLabels, matchExpressions}). A null or
  // empty object matches everything.
  static std::optional<LabelSelector> fromJson(const nlohmann::json& selector, std::string* error);

  bool matches(const Labels& labels) const;
  bool empty() const { return requirements_.empty(); }
  const std::vector<Requirement>& requirements() const { return requirements_; }

 private:
  std::vector<Requirement> requirements_;
};

// Labels of an object's metadata.labels (missing: empty).
Labels labelsOf(const nlohmann::json& object);

// Validates a label map at path (e.g. "metadata.labels").
void validateLabels(const nlohmann::json& labels, const std::string& path, FieldErrors& errors);

// Validates a metav1.LabelSelector object at path (e.g. "spec.selector"), as
// metav1validation.ValidateLabelSelector: matchLabels, and per expression its
// operator, key and values.
void validateLabelSelector(const nlohmann::json& selector, const std::string& path, FieldErrors& errors);

// Label keys ("qualified names": optional DNS subdomain prefix, '/', name of
// at most 63) and label values, with Kubernetes' messages (empty when valid).
std::vector<std::string> checkQualifiedName(std::string_view key);
std::vector<std::string> checkLabelValue(std::string_view value);

}  // namespace minik
