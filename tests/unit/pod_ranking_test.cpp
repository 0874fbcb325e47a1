// Which pods a ReplicaSet deletes first (controller.ActivePodsWithRanks).
#include <catch2/catch.hpp>

#include "controllers/pod_ranking.h"

using namespace minik;

namespace {

WorkloadPodView pod(const std::string& name, const std::string& node, PodPhase phase, bool ready,
            int64_t created, int64_t readySince = 0) {
  WorkloadPodView p;
  p.name = name;
  p.uid = name;
  p.nodeName = node;
  p.phase = phase;
  p.ready = ready;
  p.created = created;
  p.readySince = readySince;
  return p;
}

std::vector<std::string> names(const std::vector<const WorkloadPodView*>& pods) {
  std::vector<std::string> out;
  for (auto* p : pods) out.push_back(p->name);
  return out;
}

}  // namespace

TEST_CASE("unassigned, pending and not-ready pods go before running ready ones") {
  const int64_t now = 1000000;
  WorkloadPodView running = pod("running", "n1", PodPhase::Running, true, now - 5000, now - 4000);
  WorkloadPodView pending = pod("pending", "n1", PodPhase::Pending, false, now - 5000);
  WorkloadPodView unbound = pod("unbound", "", PodPhase::Pending, false, now - 5000);
  WorkloadPodView notReady = pod("not-ready", "n1", PodPhase::Running, false, now - 5000);
  std::vector<const WorkloadPodView*> all = {&running, &pending, &unbound, &notReady};
  CHECK(names(podsToDelete(all, all, 4, now)) ==
        std::vector<std::string>{"unbound", "pending", "not-ready", "running"});
  CHECK(names(podsToDelete(all, all, 1, now)) == std::vector<std::string>{"unbound"});
}

TEST_CASE("among equals: deletion cost, doubled-up nodes, shorter readiness, restarts, newer first") {
  const int64_t now = 1000000;
  WorkloadPodView oldReady = pod("old", "n1", PodPhase::Running, true, now - 100000, now - 100000);
  WorkloadPodView newReady = pod("new", "n2", PodPhase::Running, true, now - 10, now - 10);
  std::vector<const WorkloadPodView*> two = {&oldReady, &newReady};
  CHECK(names(podsToDelete(two, two, 1, now)) == std::vector<std::string>{"new"});

  WorkloadPodView costly = newReady;
  costly.deletionCost = 10;
  std::vector<const WorkloadPodView*> withCost = {&oldReady, &costly};
  CHECK(names(podsToDelete(withCost, withCost, 1, now)) == std::vector<std::string>{"old"});

  WorkloadPodView a = pod("a", "n1", PodPhase::Running, true, now - 100, now - 100);
  WorkloadPodView b = pod("b", "n1", PodPhase::Running, true, now - 100, now - 100);
  WorkloadPodView c = pod("c", "n2", PodPhase::Running, true, now - 100, now - 100);
  std::vector<const WorkloadPodView*> spread = {&c, &a, &b};
  auto first = podsToDelete(spread, spread, 1, now);
  CHECK(first[0]->nodeName == "n1");  // the doubled-up node loses a pod

  WorkloadPodView restarts = pod("restarts", "n1", PodPhase::Pending, false, now - 100);
  restarts.maxRestarts = 3;
  WorkloadPodView calm = pod("calm", "n1", PodPhase::Pending, false, now - 100);
  std::vector<const WorkloadPodView*> pendings = {&calm, &restarts};
  CHECK(names(podsToDelete(pendings, pendings, 1, now)) == std::vector<std::string>{"restarts"});
}
