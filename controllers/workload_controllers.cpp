// The workload half of the controllers, wired on one set of shared informers:
// caches of pods, ReplicaSets and Nodes feed the ReplicaSet, Deployment and
// scheduling controllers; every kind feeds the garbage collector. The heap's
// free pages go back to the kernel after their bursts (heap_return.h).
#include "controllers/workload_controllers.h"

#include "controllers/deployment_controller.h"
#include "controllers/garbage_collector.h"
#include "controllers/heap_return.h"
#include "controllers/kube_system_bootstrap.h"
#include "controllers/namespace_controller.h"
#include "controllers/node_registration.h"
#include "controllers/replica_set_controller.h"
#include "controllers/scheduler.h"
#include "controllers/shared_informers.h"

namespace minik {

namespace {

using nlohmann::json;

class RunningWorkloadControllers : public WorkloadControllers {
 public:
  RunningWorkloadControllers(uv_loop_t* loop, ClusterClient& client, const ClusterConfig& config)
      : informers_(client),
        nodeRegistration_(loop, client, config),
        replicaSets_(loop, client, setCache_, podCache_),
        deployments_(loop, client, setCache_),
        scheduler_(loop, client, podCache_, nodeCache_),
        garbageCollector_(loop, client),
        namespaces_(loop, client),
        bootstrap_(loop, client, config, podCache_),
        heapReturn_(loop) {}

  void start() override {
    // The node and the kube-system objects exist before the first list, so
    // the initial pass already sees them.
    nodeRegistration_.start();
    bootstrap_.start();

    const KindInfo& pods = kindOf("", "pods");
    const KindInfo& sets = kindOf("apps", "replicasets");
    const KindInfo& nodes = kindOf("", "nodes");
    const KindInfo& deployments = kindOf("apps", "deployments");
    const KindInfo& services = kindOf("", "services");
    const KindInfo& namespaces = kindOf("", "namespaces");
    // Kinds are listed in the order they are first subscribed: owners
    // (Deployments, ReplicaSets) before their dependents, so that the garbage
    // collector finds a pod's owner alive on the first list and has nothing
    // to queue for it.
    informers_.subscribe(nodes, {[this](const json& o) { nodeCache_.upsert(o); },
                                 [this](const json& o) {
                                   nodeCache_.remove(o);
                                   nodeRegistration_.nodeDeleted(o["metadata"].value("name", ""));
                                 }});
    informers_.subscribe(deployments, {[this](const json& o) { deployments_.deploymentChanged(o); },
                                       [this, k = &deployments](const json& o) {
                                         deployments_.deploymentDeleted(o);
                                         bootstrap_.objectDeleted(*k, o);
                                       }});
    informers_.subscribe(sets, {[this](const json& o) { setCache_.upsert(o); },
                                [this](const json& o) { setCache_.remove(o); }});
    informers_.subscribe(pods, {[this](const json& o) { podCache_.upsert(o); },
                                [this](const json& o) { podCache_.remove(o); }});
    for (Informer::Handlers& handlers : podFeeds_) informers_.subscribe(pods, std::move(handlers));
    informers_.subscribe(services, {nullptr, [this, k = &services](const json& o) {
                                      bootstrap_.objectDeleted(*k, o);
                                    }});
    informers_.subscribe(namespaces, {[this](const json& o) { namespaces_.namespaceChanged(o); }, nullptr});
    for (const KindInfo& kind : allKinds()) {
      const KindInfo* k = &kind;
      informers_.subscribe(kind, {[this, k](const json& o) { garbageCollector_.objectChanged(*k, o); },
                                  [this, k](const json& o) { garbageCollector_.objectDeleted(*k, o); }});
    }
    informers_.start();
    heapReturn_.start();
  }

  void setDnsServer(PodBackedServer* dns) override { bootstrap_.setServer(dns); }
  void feedPodsTo(Informer::Handlers handlers) override { podFeeds_.push_back(std::move(handlers)); }

 private:
  SharedInformers informers_;
  std::vector<Informer::Handlers> podFeeds_;
  ViewCache<WorkloadPodView> podCache_;
  ViewCache<ReplicaSetView> setCache_;
  ViewCache<NodeView> nodeCache_;
  NodeRegistration nodeRegistration_;
  ReplicaSetController replicaSets_;
  DeploymentController deployments_;
  Scheduler scheduler_;
  GarbageCollector garbageCollector_;
  NamespaceController namespaces_;
  KubeSystemBootstrap bootstrap_;
  HeapReturn heapReturn_;
};

}  // namespace

std::unique_ptr<WorkloadControllers> makeWorkloadControllers(uv_loop_t* loop, ClusterClient& client,
                                                             const ClusterConfig& config) {
  return std::make_unique<RunningWorkloadControllers>(loop, client, config);
}

}  // namespace minik
