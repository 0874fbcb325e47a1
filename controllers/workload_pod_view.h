// controllers/workload_pod_view.h — what the workload controllers remember of a Pod:
// identity, owner, node, phase and readiness, and the few facts Kubernetes
// ranks pods by when it chooses which to delete. No spec, no JSON.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "controllers/interned_string.h"
#include "controllers/label_set.h"
#include "controllers/uid.h"

namespace minik {

enum class PodPhase : uint8_t { Pending, Running, Succeeded, Failed, Unknown };

struct WorkloadPodView {
  InternedString ns;
  std::string name;
  Uid uid;
  InternedString ownerUid;  // the controlling owner (a ReplicaSet), or ""
  int64_t revision = 0;
  InternedString nodeName;
  std::string podIp;
  LabelSet labels;  // shared with the other pods of its ReplicaSet
  PodPhase phase = PodPhase::Pending;
  bool ready = false;
  bool deleting = false;
  bool defaultScheduler = true;  // spec.schedulerName is default-scheduler
  int64_t created = 0;      // epoch seconds
  int64_t readySince = 0;   // lastTransitionTime of the Ready condition, when ready
  int32_t maxRestarts = 0;  // the highest restartCount of its containers
  int32_t deletionCost = 0;  // controller.kubernetes.io/pod-deletion-cost

  static WorkloadPodView fromObject(const nlohmann::json& pod);

  // Counted by a ReplicaSet: not terminated and not being deleted
  // (controller.FilterActivePods).
  bool active() const {
    return !deleting && phase != PodPhase::Succeeded && phase != PodPhase::Failed;
  }
  // podutil.IsPodAvailable: ready for at least minReadySeconds at time now.
  bool availableAt(int32_t minReadySeconds, int64_t now) const {
    return ready && (minReadySeconds == 0 || (readySince > 0 && readySince + minReadySeconds <= now));
  }
};

}  // namespace minik
