// controllers/replica_set_view.h — what the Deployment and ReplicaSet
// controllers remember of a ReplicaSet: sizes wanted and observed, the
// deployment annotations, and a digest of its pod template (without the
// pod-template-hash label) to recognise the Deployment's current template.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "controllers/label_set.h"

namespace minik {

struct ReplicaSetView {
  std::string ns, name, uid;
  std::string ownerUid;  // the controlling Deployment, or ""
  int64_t revision = 0;
  int64_t generation = 0;
  int64_t created = 0;
  bool deleting = false;
  int32_t specReplicas = 0;
  int32_t minReadySeconds = 0;
  LabelSet templateLabels;  // interned: its pods carry the same labels
  std::string templateDigest;

  // status
  int32_t replicas = 0;
  int32_t fullyLabeledReplicas = 0;
  int32_t readyReplicas = 0;
  int32_t availableReplicas = 0;
  int64_t observedGeneration = 0;

  // deployment.kubernetes.io/{revision,desired-replicas,max-replicas}
  int64_t revisionNumber = 0;
  std::optional<int32_t> desiredReplicas;
  std::optional<int32_t> maxReplicas;

  static ReplicaSetView fromObject(const nlohmann::json& rs);
};

}  // namespace minik
