// controllers/pod_ranking.h — which pods a ReplicaSet deletes first when it
// scales down, in the order of controller.ActivePodsWithRanks:
//   unassigned < assigned; Pending < Unknown < Running; not ready < ready;
//   lower pod-deletion-cost first; more pods of the same owner on the node
//   first ("doubled up"); ready for less time first; more restarts first;
//   newer first. Times compare on a log2 scale (LogarithmicScaleDown, on by
//   default since 1.22), ties broken by uid.
#pragma once

#include <cstdint>
#include <vector>

#include "controllers/workload_pod_view.h"

namespace minik {

// The `count` pods to delete, chosen from candidates; related are the pods
// used to compute how doubled up a node is (the owner's pods).
std::vector<const WorkloadPodView*> podsToDelete(std::vector<const WorkloadPodView*> candidates,
                                         const std::vector<const WorkloadPodView*>& related, size_t count,
                                         int64_t now);

}  // namespace minik
