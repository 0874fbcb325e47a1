// controllers/scheduler.h — binds pods to nodes: every pod of the default
// scheduler without spec.nodeName gets one (written by an update of the pod
// where Kubernetes posts a pods/binding) and the condition PodScheduled True.
//
// Choice (pickNode): among Ready, schedulable nodes whose labels satisfy the
// pod's nodeSelector, the one running the fewest pods, then by name. When
// none fits, the pod stays Pending with PodScheduled False, reason
// Unschedulable, and is tried again when a node changes.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <uv.h>

#include <nlohmann/json.hpp>

#include "api/labels.h"
#include "client/cluster_client.h"
#include "controllers/workload_pod_view.h"
#include "controllers/view_cache.h"
#include "controllers/work_queue.h"

namespace minik {

struct NodeView {
  std::string ns, name, uid, ownerUid;  // ns and ownerUid stay empty
  int64_t revision = 0;
  bool ready = false;
  bool unschedulable = false;
  Labels labels;
  static NodeView fromObject(const nlohmann::json& node);
};

struct NodeChoice {
  std::optional<std::string> node;
  std::string whyNot;  // the Unschedulable message when no node fits
};

// podsPerNode: pods bound to each node now.
NodeChoice pickNode(const std::vector<const NodeView*>& nodes, const Labels& nodeSelector,
                    const std::unordered_map<std::string, int>& podsPerNode);

class Scheduler {
 public:
  Scheduler(uv_loop_t* loop, ClusterClient& client, ViewCache<WorkloadPodView>& pods,
            ViewCache<NodeView>& nodes);

 private:
  WorkQueue::Outcome schedule(const std::string& key);

  ClusterClient& client_;
  ViewCache<WorkloadPodView>& pods_;
  ViewCache<NodeView>& nodes_;
  const KindInfo& podKind_;
  WorkQueue queue_;
  std::unordered_set<std::string> waiting_;  // unbound pods
  std::unordered_map<std::string, int> podsPerNode_;
};

}  // namespace minik
