// api/field_selector.h — field selectors (?fieldSelector=) as the Kubernetes
// API supports them per kind: metadata.name, metadata.namespace for every
// kind; spec.nodeName, status.phase, status.podIP for pods; involvedObject.*,
// reason, type, source for events; type for secrets.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "api/kinds.h"

namespace minik {

class FieldSelector {
 public:
  struct Term {
    std::string field;
    bool negated;  // "!="
    std::string value;
  };
  // "a=b,c!=d" ("==" accepted). Fields the kind does not support are an error
  // worded as Kubernetes' ('field label not supported: foo').
  static std::optional<FieldSelector> parse(const KindInfo& kind, std::string_view text,
                                            std::string* error);
  bool matches(const nlohmann::json& object) const;
  bool empty() const { return terms_.empty(); }

 private:
  std::vector<Term> terms_;
};

}  // namespace minik
