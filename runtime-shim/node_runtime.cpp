// The loop-thread half of the node runtime: follows the pods bound to this
// node, hands each one's blocking sync pass to the thread pool, and writes
// the status that results (pod_runtime.h states the contract).
#include <dirent.h>

#include <cstdio>
#include <map>
#include <set>

#include "client/informer.h"
#include "runtime-shim/child_reaper.h"
#include "runtime-shim/file_tree.h"
#include "runtime-shim/image_store.h"
#include "runtime-shim/oci_runtime.h"
#include "runtime-shim/pod_address_pool.h"
#include "runtime-shim/pod_network.h"
#include "runtime-shim/pod_runtime.h"
#include "runtime-shim/pod_status.h"
#include "runtime-shim/pod_sync.h"
#include "runtime-shim/pod_volumes.h"
#include "runtime-shim/runtime_choice.h"
#include "runtime-shim/runtime_log_source.h"

namespace minik {

using json = nlohmann::json;

namespace {

const char kBridge[] = "minik0";
constexpr uint64_t kResyncMs = 1000;

std::string str(const json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// The first /24 of the cluster CIDR, for a node without a podCIDR.
std::string firstSubnet(const std::string& clusterCidr) {
  Ipv4Cidr cidr;
  if (!Ipv4Cidr::parse(clusterCidr, &cidr)) return "10.42.0.0/24";
  return ipv4ToText(cidr.network) + "/" + std::to_string(std::max(cidr.prefix, 24));
}

class NodeRuntimeImpl;

struct PodWorker {
  NodeRuntimeImpl* owner = nullptr;
  std::string uid;
  json pod;                 // latest seen (loop thread)
  bool gone = false;        // deleted from the API
  std::string lastSpecKey;  // what triggers an immediate pass
  PodRecord record;         // the job's (only touched while busy by the pool thread)
  PodRecord view;           // the loop thread's copy, after each pass
  SyncInput input;          // the job's snapshot
  SyncOutcome outcome = SyncOutcome::Active;
  bool busy = false;
  bool again = false;
  json lastStatus;
  uv_work_t work{};
};

class NodeRuntimeImpl : public NodeRuntime {
 public:
  NodeRuntimeImpl(uv_loop_t* loop, ClusterClient& client, const ClusterConfig& config,
                  const NodeRuntimeOptions& options)
      : loop_(loop), client_(client), config_(config), options_(options) {
    choice_ = chooseOciRuntime(options_.containerRuntime, readCgroupFacts(), findExecutable);
    runtimePath_ = choice_.path;
    if (!runtimePath_.empty()) {
      // Made now so the API server can hold it; it reads services_ and the
      // workers, which start() fills.
      logs_ = std::make_unique<RuntimeLogSource>(loop_, services_, [this](const std::string& uid) -> const PodRecord* {
        auto it = workers_.find(uid);
        return it == workers_.end() ? nullptr : &it->second->view;
      });
    }
  }

  ~NodeRuntimeImpl() override {
    stop();
    // Passes still on the thread pool use the workers and services: let
    // them land (finished() does nothing once stopped) before freeing them.
    auto busy = [this] {
      for (const auto& [uid, worker] : workers_) {
        if (worker->busy) return true;
      }
      return false;
    };
    while (busy()) uv_run(loop_, UV_RUN_ONCE);
  }

  bool runsPods() const override { return !runtimePath_.empty(); }

  bool start(std::string* error) override;
  void stop() override;
  PodLogSource* logSource() override { return logs_.get(); }
  std::string podNetworkAddress() const override { return network_ && addresses_ ? addresses_->gateway() : ""; }

  void finished(PodWorker* worker);
  const NodeServices& services() const { return services_; }

 private:
  bool mine(const json& pod) const;
  void upsert(const json& pod);
  void removed(const json& pod);
  void finishStandInDeletion(const json& pod);
  void schedule(PodWorker* worker);
  void tick();
  void collectLeftovers();
  std::map<std::string, std::optional<json>> sourcesOf(const json& pod);

  uv_loop_t* loop_;
  ClusterClient& client_;
  ClusterConfig config_;
  NodeRuntimeOptions options_;
  RuntimeChoice choice_;
  std::string runtimePath_;
  std::unique_ptr<ImageStore> images_;
  std::unique_ptr<OciRuntime> runtime_;
  std::unique_ptr<PodNetwork> network_;
  std::unique_ptr<PodAddressPool> addresses_;
  NodeServices services_;
  std::unique_ptr<RuntimeLogSource> logs_;
  std::unique_ptr<Informer> informer_;
  uv_timer_t* timer_ = nullptr;
  std::map<std::string, std::unique_ptr<PodWorker>> workers_;  // by UID
  std::map<std::string, std::string> uidByName_;               // "ns/name" -> UID
  bool stopped_ = false;
};

bool NodeRuntimeImpl::mine(const json& pod) const {
  json spec = pod.value("spec", json::object());
  if (str(spec, "nodeName") != config_.nodeName) return false;
  json metadata = pod.value("metadata", json::object());
  // The embedded DNS server's pods: the kube-system bootstrap stands in for them.
  if (str(metadata, "namespace") == "kube-system" &&
      str(metadata.value("labels", json::object()), "k8s-app") == "kube-dns") {
    return false;
  }
  return true;
}

bool NodeRuntimeImpl::start(std::string* error) {
  if (choice_.refused) {
    *error = choice_.reason;
    return false;
  }
  std::fprintf(stderr, "minik server: container runtime: %s\n", choice_.reason.c_str());
  if (runtimePath_.empty()) return true;
  if (!becomeSubreaper()) {
    *error = "cannot become the subreaper of containers (prctl PR_SET_CHILD_SUBREAPER)";
    return false;
  }
  const std::string dataDir = options_.dataDir;
  std::string podCidr;
  ClientResult node = client_.get(kindOf("", "nodes"), "", config_.nodeName);
  if (node.ok()) podCidr = str(node.object.value("spec", json::object()), "podCIDR");
  if (podCidr.empty()) podCidr = firstSubnet(config_.clusterCidr);
  addresses_ = std::make_unique<PodAddressPool>(dataDir + "/ipam", podCidr);
  if (!addresses_->valid()) {
    *error = "the node's pod CIDR " + podCidr + " is not a usable IPv4 range";
    return false;
  }
  network_ = std::make_unique<PodNetwork>(kBridge, addresses_->gateway() + "/" +
                                                       std::to_string(addresses_->cidr().prefix));
  if (!network_->ensureBridge(error)) {
    *error = "pod network: " + *error;
    return false;
  }
  std::string netfilter = bridgeNetfilterProblem();
  if (!netfilter.empty()) std::fprintf(stderr, "minik server: pod network: %s\n", netfilter.c_str());
  images_ = std::make_unique<ImageStore>(dataDir + "/images");
  std::string imagesDir = options_.imagesDir.empty() ? dataDir + "/agent/images" : options_.imagesDir;
  images_->importFolder(imagesDir, [](const std::string& line) {
    std::fprintf(stderr, "minik server: images: %s\n", line.c_str());
  });
  runtime_ = std::make_unique<OciRuntime>(runtimePath_, dataDir + "/runc");
  services_.podsDir = dataDir + "/pods";
  services_.runtimeName = choice_.name;
  services_.images = images_.get();
  services_.runtime = runtime_.get();
  services_.network = network_.get();
  services_.addresses = addresses_.get();
  services_.nodeIp = config_.nodeIp;
  services_.clusterDns = config_.clusterDns;
  services_.clusterDomain = config_.clusterDomain;
  services_.hostResolvConf = readFile(options_.resolvConf);
  services_.logMaxBytes = options_.logMaxBytes;
  makeDirs(services_.podsDir);
  collectLeftovers();
  informer_ = std::make_unique<Informer>(
      client_, kindOf("", "pods"), "",
      Informer::Handlers{[this](const json& pod) { upsert(pod); }, [this](const json& pod) { removed(pod); }});
  informer_->start();
  timer_ = new uv_timer_t;
  uv_timer_init(loop_, timer_);
  timer_->data = this;
  uv_timer_start(timer_, [](uv_timer_t* t) { static_cast<NodeRuntimeImpl*>(t->data)->tick(); }, kResyncMs,
                 kResyncMs);
  std::fprintf(stderr, "minik server: running pods with %s (pod CIDR %s on %s, images in %s)\n",
               runtimePath_.c_str(), podCidr.c_str(), kBridge, images_->root().c_str());
  return true;
}

void NodeRuntimeImpl::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (informer_) informer_->stop();
  if (timer_) {
    uv_timer_stop(timer_);
    uv_close(reinterpret_cast<uv_handle_t*>(timer_), [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
    timer_ = nullptr;
  }
}

// Pods that were deleted while minik was down: their folders, addresses
// and runtime containers go; pods still bound here are re-adopted by their
// first pass (their records are read from their folders).
void NodeRuntimeImpl::collectLeftovers() {
  std::set<std::string> live;
  ClientList pods = client_.list(kindOf("", "pods"), "");
  if (pods.error) return;  // unsure what is live: remove nothing
  for (const auto& pod : pods.items) {
    if (mine(pod)) live.insert(str(pod.value("metadata", json::object()), "uid"));
  }
  std::set<std::string> folders;
  if (DIR* d = opendir(services_.podsDir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string uid = e->d_name;
      if (uid != "." && uid != "..") folders.insert(uid);
    }
    closedir(d);
  }
  for (const auto& uid : folders) {
    if (!live.count(uid)) {
      std::fprintf(stderr, "minik server: removing the leftovers of deleted pod %s\n", uid.c_str());
      removeLeftoverPod(services_, uid);
    }
  }
  for (const auto& [owner, address] : addresses_->allocations()) {
    if (!live.count(owner)) addresses_->release(owner);
  }
  std::set<std::string> knownIds;
  for (const auto& uid : live) {
    PodRecord record = loadPodRecord(services_, uid);
    for (const auto& c : record.containers) knownIds.insert(c.runtimeId);
  }
  for (const auto& id : runtime_->list()) {
    std::string error;
    if (!knownIds.count(id)) runtime_->remove(id, &error);
  }
}

std::map<std::string, std::optional<json>> NodeRuntimeImpl::sourcesOf(const json& pod) {
  std::map<std::string, std::optional<json>> out;
  std::string ns = str(pod.value("metadata", json::object()), "namespace");
  auto fetch = [&](const std::string& kind, const std::string& name) {
    std::string key = kind + "/" + name;
    if (name.empty() || out.count(key)) return;
    ClientResult r = client_.get(kindOf("", kind == "secret" ? "secrets" : "configmaps"), ns, name);
    if (!r.ok()) {
      out[key] = std::nullopt;
      return;
    }
    json data = json::object();
    for (const char* field : {"data", "binaryData", "stringData"}) {
      json d = r.object.value(field, json::object());
      if (!d.is_object()) continue;
      for (auto it = d.begin(); it != d.end(); ++it) {
        if (!it->is_string()) continue;
        bool encoded = kind == "secret" ? std::string(field) != "stringData" : std::string(field) == "binaryData";
        data[it.key()] = encoded ? decodeBase64(it->get<std::string>()) : it->get<std::string>();
      }
    }
    out[key] = data;
  };
  json spec = pod.value("spec", json::object());
  for (const char* list : {"initContainers", "containers"}) {
    for (const auto& c : spec.value(list, json::array())) {
      for (const auto& from : c.value("envFrom", json::array())) {
        if (from.contains("configMapRef")) fetch("configmap", str(from["configMapRef"], "name"));
        if (from.contains("secretRef")) fetch("secret", str(from["secretRef"], "name"));
      }
      for (const auto& e : c.value("env", json::array())) {
        json v = e.value("valueFrom", json::object());
        if (!v.is_object()) continue;
        if (v.contains("configMapKeyRef")) fetch("configmap", str(v["configMapKeyRef"], "name"));
        if (v.contains("secretKeyRef")) fetch("secret", str(v["secretKeyRef"], "name"));
      }
    }
  }
  for (const auto& v : spec.value("volumes", json::array())) {
    if (v.contains("configMap")) fetch("configmap", str(v["configMap"], "name"));
    if (v.contains("secret")) fetch("secret", str(v["secret"], "secretName"));
  }
  return out;
}

void NodeRuntimeImpl::upsert(const json& pod) {
  if (stopped_) return;
  json metadata = pod.value("metadata", json::object());
  std::string uid = str(metadata, "uid");
  std::string key = str(metadata, "namespace") + "/" + str(metadata, "name");
  auto named = uidByName_.find(key);
  if (named != uidByName_.end() && named->second != uid) {
    // The name now belongs to a new pod: the old one is gone.
    auto old = workers_.find(named->second);
    if (old != workers_.end()) {
      old->second->gone = true;
      schedule(old->second.get());
    }
    uidByName_.erase(named);
  }
  if (!mine(pod)) {
    finishStandInDeletion(pod);
    return;
  }
  auto it = workers_.find(uid);
  if (it == workers_.end()) {
    auto worker = std::make_unique<PodWorker>();
    worker->owner = this;
    worker->uid = uid;
    worker->record = loadPodRecord(services_, uid);  // re-adoption after a restart
    worker->view = worker->record;
    it = workers_.emplace(uid, std::move(worker)).first;
  }
  uidByName_[key] = uid;
  PodWorker* worker = it->second.get();
  worker->pod = pod;
  // Status writes of our own come back here: only a change of what we act
  // on starts a pass at once; the periodic pass covers the rest.
  std::string specKey = pod.value("spec", json::object()).dump() + "|" +
                        metadata.value("deletionTimestamp", json()).dump();
  if (specKey != worker->lastSpecKey) {
    worker->lastSpecKey = specKey;
    schedule(worker);
  }
}

// The embedded DNS server's pods have nothing running for them here; the
// graceful deletion the API server began is finished at once, as the
// kubelet would once their (absent) containers stopped.
void NodeRuntimeImpl::finishStandInDeletion(const json& pod) {
  json metadata = pod.value("metadata", json::object());
  if (str(pod.value("spec", json::object()), "nodeName") != config_.nodeName ||
      !metadata.contains("deletionTimestamp") || !metadata.contains("deletionGracePeriodSeconds")) {
    return;
  }
  DeleteOptions options;
  options.gracePeriodSeconds = 0;
  options.preconditionUid = str(metadata, "uid");
  client_.remove(kindOf("", "pods"), str(metadata, "namespace"), str(metadata, "name"), options);
}

void NodeRuntimeImpl::removed(const json& pod) {
  json metadata = pod.value("metadata", json::object());
  std::string key = str(metadata, "namespace") + "/" + str(metadata, "name");
  auto named = uidByName_.find(key);
  if (named == uidByName_.end()) return;
  auto it = workers_.find(named->second);
  uidByName_.erase(named);
  if (it == workers_.end()) return;
  it->second->gone = true;
  schedule(it->second.get());
}

void NodeRuntimeImpl::schedule(PodWorker* worker) {
  if (stopped_) return;
  if (worker->busy) {
    worker->again = true;
    return;
  }
  worker->busy = true;
  worker->again = false;
  worker->input.pod = worker->pod;
  worker->input.goneFromApi = worker->gone;
  worker->input.sources = worker->gone ? decltype(worker->input.sources){} : sourcesOf(worker->pod);
  worker->work.data = worker;
  uv_queue_work(
      loop_, &worker->work,
      [](uv_work_t* w) {
        auto* worker = static_cast<PodWorker*>(w->data);
        worker->outcome = syncPod(worker->owner->services(), worker->input, worker->record);
      },
      [](uv_work_t* w, int) {
        auto* worker = static_cast<PodWorker*>(w->data);
        worker->owner->finished(worker);
      });
}

void NodeRuntimeImpl::finished(PodWorker* worker) {
  worker->busy = false;
  worker->view = worker->record;
  if (stopped_) return;
  json metadata = worker->pod.value("metadata", json::object());
  std::string ns = str(metadata, "namespace"), name = str(metadata, "name");
  const KindInfo& pods = kindOf("", "pods");
  if (worker->outcome == SyncOutcome::Finished) {
    if (!worker->gone) {
      // The kubelet's last word on a terminating pod: delete it for good.
      DeleteOptions options;
      options.gracePeriodSeconds = 0;
      options.preconditionUid = worker->uid;
      client_.remove(pods, ns, name, options);
    }
    auto named = uidByName_.find(ns + "/" + name);
    if (named != uidByName_.end() && named->second == worker->uid) uidByName_.erase(named);
    workers_.erase(worker->uid);  // worker is gone from here on
    return;
  }
  if (!worker->gone) {
    json status = podStatus(worker->pod, worker->view, config_.nodeIp, services_.runtimeName,
                            static_cast<int64_t>(time(nullptr)));
    if (status != worker->lastStatus) {
      ClientResult r = client_.patch(pods, ns, name, PatchType::Merge, json{{"status", status}}, "status");
      if (r.ok()) {
        worker->lastStatus = status;
        worker->pod["status"] = r.object.value("status", status);
      }
    }
  }
  if (worker->again) schedule(worker);
}

void NodeRuntimeImpl::tick() {
  reapOrphans();
  for (auto& [uid, worker] : workers_) {
    if (!worker->busy) schedule(worker.get());
  }
}

}  // namespace

std::unique_ptr<NodeRuntime> makeNodeRuntime(uv_loop_t* loop, ClusterClient& client, const ClusterConfig& config,
                                             const NodeRuntimeOptions& options) {
  return std::make_unique<NodeRuntimeImpl>(loop, client, config, options);
}

}  // namespace minik
