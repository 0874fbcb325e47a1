#include "controllers/replica_set_view.h"

#include <cstdlib>

#include "controllers/object_fields.h"
#include "controllers/pod_template_hash.h"
#include "controllers/rfc3339.h"

namespace minik {

using nlohmann::json;

namespace {

std::optional<int32_t> intAnnotation(const json& rs, const char* pointer) {
  std::string text = stringAt(rs, pointer);
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  long v = std::strtol(text.c_str(), &end, 10);
  if (*end != 0) return std::nullopt;
  return static_cast<int32_t>(v);
}

}  // namespace

ReplicaSetView ReplicaSetView::fromObject(const json& rs) {
  ReplicaSetView v;
  v.ns = stringAt(rs, "/metadata/namespace");
  v.name = stringAt(rs, "/metadata/name");
  v.uid = stringAt(rs, "/metadata/uid");
  v.revision = std::atoll(stringAt(rs, "/metadata/resourceVersion").c_str());
  v.ownerUid = controllerUid(rs);
  v.generation = intAt(rs, "/metadata/generation");
  v.created = parseRfc3339(stringAt(rs, "/metadata/creationTimestamp"));
  v.deleting = isBeingDeleted(rs);
  v.specReplicas = static_cast<int32_t>(intAt(rs, "/spec/replicas", 1));
  v.minReadySeconds = static_cast<int32_t>(intAt(rs, "/spec/minReadySeconds"));
  const json& templ = at(rs, "/spec/template");
  v.templateLabels = labelsOf(templ);
  v.templateDigest = ::minik::templateDigest(templ);
  v.replicas = static_cast<int32_t>(intAt(rs, "/status/replicas"));
  v.fullyLabeledReplicas = static_cast<int32_t>(intAt(rs, "/status/fullyLabeledReplicas"));
  v.readyReplicas = static_cast<int32_t>(intAt(rs, "/status/readyReplicas"));
  v.availableReplicas = static_cast<int32_t>(intAt(rs, "/status/availableReplicas"));
  v.observedGeneration = intAt(rs, "/status/observedGeneration");
  v.revisionNumber = intAnnotation(rs, "/metadata/annotations/deployment.kubernetes.io~1revision").value_or(0);
  v.desiredReplicas = intAnnotation(rs, "/metadata/annotations/deployment.kubernetes.io~1desired-replicas");
  v.maxReplicas = intAnnotation(rs, "/metadata/annotations/deployment.kubernetes.io~1max-replicas");
  return v;
}

}  // namespace minik
