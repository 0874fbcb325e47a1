// Endpoints and EndpointSlice defaults: every port's protocol is TCP unless
// set (SetDefaults_Endpoints, discovery/v1 SetDefaults_EndpointPort, which also
// makes an EndpointSlice port's name "").
#include "api/json_fields.h"
#include "api/kind_rules.h"

namespace minik {

namespace {

void defaultPorts(json& holder, bool nameToo) {
  if (!holder.is_object() || !holder.contains("ports") || !holder["ports"].is_array()) return;
  for (auto& port : holder["ports"]) {
    defaultString(port, "protocol", "TCP");
    if (nameToo) defaultValue(port, "name", "");
  }
}

}  // namespace

void defaultEndpoints(json& endpoints) {
  if (!endpoints.contains("subsets") || !endpoints["subsets"].is_array()) return;
  for (auto& subset : endpoints["subsets"]) defaultPorts(subset, false);
}

void defaultEndpointSlice(json& slice) { defaultPorts(slice, true); }

}  // namespace minik
