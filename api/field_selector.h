// api/field_selector.h — field selectors (?fieldSelector=) as the Kubernetes
// API supports them per kind: metadata.name, metadata.namespace for every
// kind; spec.nodeName, spec.restartPolicy, spec.schedulerName,
// spec.serviceAccountName, spec.hostNetwork, status.phase, status.podIP(s),
// status.nominatedNodeName for pods; involvedObject.*, reason,
// reportingComponent, source, type for events; type for secrets;
// spec.clusterIP, spec.type for services; status.phase for namespaces (which,
// like nodes, do not accept metadata.namespace); spec.unschedulable for nodes.
// Values may escape ',', '=' and '\' with a backslash, as in Go's parser.
// A field missing from an object has the value "" (booleans: "false").
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
  // worded as Kubernetes' ('field label not supported: foo' for kinds with
  // their own fields, '"foo" is not a known field selector: only
  // "metadata.name", "metadata.namespace"' for the others).
  static std::optional<FieldSelector> parse(const KindInfo& kind, std::string_view text,
                                            std::string* error);
  bool matches(const nlohmann::json& object) const;
  bool empty() const { return terms_.empty(); }

 private:
  std::vector<Term> terms_;
};

}  // namespace minik
