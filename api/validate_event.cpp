// Event validation: an Event lives in the namespace of the object it is about
// (core ValidateEventCreate for the v1 API; "default" is allowed for events
// about cluster-scoped objects).
#include "api/json_fields.h"
#include "api/kind_rules.h"

namespace minik {

void validateEvent(const json& event, FieldErrors& errors) {
  const json* meta = member(event, "metadata");
  std::string ns = meta ? stringMember(*meta, "namespace") : "";
  const json* involved = member(event, "involvedObject");
  std::string involvedNs = involved ? stringMember(*involved, "namespace") : "";
  bool mismatch = involvedNs.empty() ? !(ns.empty() || ns == "default") : ns != involvedNs;
  if (mismatch) {
    errors.push_back(invalidError("involvedObject.namespace", BadValue::quoted(involvedNs), "does not match event.namespace"));
  }
}

}  // namespace minik
