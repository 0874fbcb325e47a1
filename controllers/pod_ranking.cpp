#include "controllers/pod_ranking.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

namespace minik {

namespace {

int phaseOrdinal(PodPhase phase) {
  switch (phase) {
    case PodPhase::Pending: return 0;
    case PodPhase::Unknown: return 1;
    case PodPhase::Running: return 2;
    default: return 3;
  }
}

// controller.logarithmicRankDiff with seconds: the log2 bucket of each age.
int logRank(int64_t time, int64_t now) {
  int64_t age = now - time;
  // Kubernetes works in nanoseconds; the bucket boundaries shift by a
  // constant, so the comparison is the same.
  return age > 0 ? static_cast<int>(std::log2(static_cast<double>(age) * 1e9)) : -1;
}

}  // namespace

std::vector<const WorkloadPodView*> podsToDelete(std::vector<const WorkloadPodView*> candidates,
                                         const std::vector<const WorkloadPodView*>& related, size_t count,
                                         int64_t now) {
  std::unordered_map<std::string, int> perNode;
  for (auto* p : related) {
    if (p->active() && !p->nodeName.empty()) ++perNode[p->nodeName];
  }
  auto rank = [&](const WorkloadPodView* p) {
    auto it = perNode.find(p->nodeName);
    return p->nodeName.empty() || it == perNode.end() ? 0 : it->second;
  };
  auto before = [&](const WorkloadPodView* a, const WorkloadPodView* b) {
    if (a->nodeName.empty() != b->nodeName.empty()) return a->nodeName.empty();
    if (phaseOrdinal(a->phase) != phaseOrdinal(b->phase)) return phaseOrdinal(a->phase) < phaseOrdinal(b->phase);
    if (a->ready != b->ready) return !a->ready;
    if (a->deletionCost != b->deletionCost) return a->deletionCost < b->deletionCost;
    if (rank(a) != rank(b)) return rank(a) > rank(b);
    if (a->ready && b->ready && a->readySince != b->readySince) {
      int diff = logRank(a->readySince, now) - logRank(b->readySince, now);
      if (diff != 0) return diff < 0;
      return a->uid < b->uid;
    }
    if (a->maxRestarts != b->maxRestarts) return a->maxRestarts > b->maxRestarts;
    if (a->created != b->created) {
      int diff = logRank(a->created, now) - logRank(b->created, now);
      if (diff != 0) return diff < 0;
      return a->uid < b->uid;
    }
    return false;
  };
  count = std::min(count, candidates.size());
  std::partial_sort(candidates.begin(), candidates.begin() + count, candidates.end(), before);
  candidates.resize(count);
  return candidates;
}

}  // namespace minik
