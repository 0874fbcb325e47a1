// Deployment and ReplicaSet defaults (apps/v1 SetDefaults_Deployment,
// SetDefaults_ReplicaSet) and the pod-spec defaults of their templates.
#include "api/json_fields.h"
#include "api/kind_rules.h"

namespace minik {

namespace {

void defaultTemplate(json& spec) {
  json* tmpl = objectMember(spec, "template");
  json* podSpec = tmpl ? objectMember(*tmpl, "spec") : nullptr;
  if (podSpec) defaultPodSpec(*podSpec);
}

}  // namespace

void defaultDeployment(json& deployment) {
  json* spec = objectMember(deployment, "spec");
  if (spec == nullptr) return;
  defaultValue(*spec, "replicas", 1);
  json* strategy = objectMember(*spec, "strategy");
  if (strategy) {
    defaultString(*strategy, "type", "RollingUpdate");
    if (stringMember(*strategy, "type") == "RollingUpdate") {
      if (json* rolling = objectMember(*strategy, "rollingUpdate")) {
        defaultValue(*rolling, "maxUnavailable", "25%");
        defaultValue(*rolling, "maxSurge", "25%");
      }
    }
  }
  defaultValue(*spec, "revisionHistoryLimit", 10);
  defaultValue(*spec, "progressDeadlineSeconds", 600);
  defaultTemplate(*spec);
}

void defaultReplicaSet(json& replicaSet) {
  json* spec = objectMember(replicaSet, "spec");
  if (spec == nullptr) return;
  defaultValue(*spec, "replicas", 1);
  defaultTemplate(*spec);
}

}  // namespace minik
