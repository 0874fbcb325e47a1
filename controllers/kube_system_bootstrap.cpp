#include "controllers/kube_system_bootstrap.h"

#include <cstdio>

#include "controllers/object_fields.h"
#include "controllers/rfc3339.h"

namespace minik {

using nlohmann::json;

namespace {

const char* const kSystem = "kube-system";
const char* const kDeployment = "coredns";
const char* const kService = "kube-dns";
const char* const kImage = "rancher/mirrored-coredns-coredns:1.12.0";
const char* const kObjectsKey = "objects";
const char* const kPodPrefix = "pod:";
const char* const kServedPodKey = "served-pod";
// How often Ready is checked again while the server is not serving (e.g.
// waiting for the kube-dns ClusterIP to be bound), like a readiness probe.
const uint64_t kNotServingRecheckMs = 2000;

json dnsPorts(bool forContainer) {
  auto port = [&](const char* name, int number, const char* protocol) {
    json p = {{"name", name}, {"protocol", protocol}};
    if (forContainer) p["containerPort"] = number;
    else {
      p["port"] = number;
      p["targetPort"] = number;
    }
    return p;
  };
  return json::array({port("dns", 53, "UDP"), port("dns-tcp", 53, "TCP"), port("metrics", 9153, "TCP")});
}

json probe(const char* path, int port, int period, int initialDelay) {
  return json{{"httpGet", {{"path", path}, {"port", port}, {"scheme", "HTTP"}}},
              {"initialDelaySeconds", initialDelay}, {"periodSeconds", period},
              {"timeoutSeconds", 1}, {"successThreshold", 1}, {"failureThreshold", 3}};
}

json podCondition(const json& pod, const char* type, const std::string& now, bool isTrue = true) {
  const char* status = isTrue ? "True" : "False";
  std::string since = now;
  const json& conditions = at(pod, "/status/conditions");
  if (conditions.is_array()) {
    for (const auto& c : conditions) {
      if (stringAt(c, "/type") == type && stringAt(c, "/status") == status) {
        std::string t = stringAt(c, "/lastTransitionTime");
        if (!t.empty()) since = t;
      }
    }
  }
  json condition = {{"type", type}, {"status", status}, {"lastProbeTime", nullptr}, {"lastTransitionTime", since}};
  if (!isTrue) {
    // As the kubelet words an unready container.
    condition["reason"] = "ContainersNotReady";
    condition["message"] = "containers with unready status: [coredns]";
  }
  return condition;
}

}  // namespace

json corednsDeployment() {
  json container = {
      {"name", "coredns"},
      {"image", kImage},
      {"imagePullPolicy", "IfNotPresent"},
      {"args", json::array({"-conf", "/etc/coredns/Corefile"})},
      {"ports", dnsPorts(true)},
      {"resources", {{"limits", {{"memory", "170Mi"}}}, {"requests", {{"cpu", "100m"}, {"memory", "70Mi"}}}}},
      {"securityContext",
       {{"allowPrivilegeEscalation", false},
        {"capabilities", {{"add", json::array({"NET_BIND_SERVICE"})}, {"drop", json::array({"all"})}}},
        {"readOnlyRootFilesystem", true}}},
      {"livenessProbe", probe("/health", 8080, 10, 60)},
      {"readinessProbe", probe("/ready", 8181, 2, 0)}};
  json tolerations = json::array(
      {{{"key", "CriticalAddonsOnly"}, {"operator", "Exists"}},
       {{"key", "node-role.kubernetes.io/control-plane"}, {"operator", "Exists"}, {"effect", "NoSchedule"}},
       {{"key", "node-role.kubernetes.io/master"}, {"operator", "Exists"}, {"effect", "NoSchedule"}}});
  return json{
      {"apiVersion", "apps/v1"},
      {"kind", "Deployment"},
      {"metadata",
       {{"name", kDeployment},
        {"namespace", kSystem},
        {"labels", {{"k8s-app", "kube-dns"}, {"kubernetes.io/name", "CoreDNS"}}}}},
      {"spec",
       {{"replicas", 1},
        {"revisionHistoryLimit", 0},
        {"strategy", {{"type", "RollingUpdate"}, {"rollingUpdate", {{"maxUnavailable", 1}}}}},
        {"selector", {{"matchLabels", {{"k8s-app", "kube-dns"}}}}},
        {"template",
         {{"metadata", {{"labels", {{"k8s-app", "kube-dns"}}}}},
          {"spec",
           {{"containers", json::array({container})},
            {"dnsPolicy", "Default"},
            {"nodeSelector", {{"kubernetes.io/os", "linux"}}},
            {"tolerations", tolerations}}}}}}}};
}

json kubeDnsService(const ClusterConfig& config) {
  return json{{"apiVersion", "v1"},
              {"kind", "Service"},
              {"metadata",
               {{"name", kService},
                {"namespace", kSystem},
                {"labels",
                 {{"k8s-app", "kube-dns"},
                  {"kubernetes.io/cluster-service", "true"},
                  {"kubernetes.io/name", "CoreDNS"}}},
                {"annotations", {{"prometheus.io/port", "9153"}, {"prometheus.io/scrape", "true"}}}}},
              {"spec",
               {{"selector", {{"k8s-app", "kube-dns"}}},
                {"clusterIP", config.clusterDns},
                {"clusterIPs", json::array({config.clusterDns})},
                {"ports", dnsPorts(false)}}}};
}

json servingPodStatus(const json& pod, const ClusterConfig& config, const std::string& podIp, const std::string& now,
                      bool serving) {
  json status = at(pod, "/status").is_object() ? pod["status"] : json::object();
  std::string started = stringAt(pod, "/status/startTime");
  if (started.empty()) started = now;
  status["phase"] = "Running";
  status["hostIP"] = config.nodeIp;
  status["hostIPs"] = json::array({{{"ip", config.nodeIp}}});
  if (podIp.empty()) {
    status.erase("podIP");
    status.erase("podIPs");
  } else {
    status["podIP"] = podIp;
    status["podIPs"] = json::array({{{"ip", podIp}}});
  }
  status["startTime"] = started;
  status["conditions"] = json::array({podCondition(pod, "PodReadyToStartContainers", now),
                                      podCondition(pod, "Initialized", now),
                                      podCondition(pod, "Ready", now, serving),
                                      podCondition(pod, "ContainersReady", now, serving),
                                      podCondition(pod, "PodScheduled", now)});
  json containers = json::array();
  const json& specContainers = at(pod, "/spec/containers");
  if (specContainers.is_array()) {
    for (const auto& c : specContainers) {
      containers.push_back({{"name", stringAt(c, "/name")},
                            {"image", stringAt(c, "/image")},
                            {"imageID", ""},
                            {"containerID", "minik://" + stringAt(pod, "/metadata/uid") + "/" + stringAt(c, "/name")},
                            {"ready", serving},
                            {"started", true},
                            {"restartCount", 0},
                            {"lastState", json::object()},
                            {"state", {{"running", {{"startedAt", started}}}}}});
    }
  }
  status["containerStatuses"] = containers;
  return status;
}

KubeSystemBootstrap::KubeSystemBootstrap(uv_loop_t* loop, ClusterClient& client, const ClusterConfig& config,
                                         ViewCache<WorkloadPodView>& pods)
    : client_(client),
      config_(config),
      pods_(pods),
      queue_(loop, [this](const std::string& key) { return process(key); }) {
  pods_.listen([this](const WorkloadPodView* before, const WorkloadPodView* after) {
    if (after && standsForDns(*after) &&
        (after->uid != servedUid_ || !(after->phase == PodPhase::Running &&
                                       after->ready == serverServing() && after->podIp == serverPodIp()))) {
      queue_.add(kPodPrefix + objectKey(after->ns, after->name));
    }
    if (before && before->uid == servedUid_ && !(after && standsForDns(*after))) queue_.add(kServedPodKey);
  });
}

bool KubeSystemBootstrap::standsForDns(const WorkloadPodView& pod) const {
  if (pod.ns != kSystem || !pod.active() || pod.nodeName != config_.nodeName) return false;
  auto it = pod.labels.find("k8s-app");
  return it != pod.labels.end() && it->second == "kube-dns";
}

void KubeSystemBootstrap::start() {
  if (ensureObjects().kind != WorkQueue::Outcome::Done) queue_.add(kObjectsKey);
}

void KubeSystemBootstrap::objectDeleted(const KindInfo& kind, const json& object) {
  if (stringAt(object, "/metadata/namespace") != kSystem) return;
  const std::string name = stringAt(object, "/metadata/name");
  if ((kind.kind == "Deployment" && name == kDeployment) || (kind.kind == "Service" && name == kService)) {
    queue_.add(kObjectsKey);
  }
}

WorkQueue::Outcome KubeSystemBootstrap::process(const std::string& key) {
  if (key == kObjectsKey) return ensureObjects();
  if (key == kServedPodKey) return followServedPod();
  return markServing(key.substr(std::string(kPodPrefix).size()));
}

WorkQueue::Outcome KubeSystemBootstrap::ensureObjects() {
  bool ok = true;
  auto ensure = [&](const KindInfo& kind, const char* name, const json& object) {
    ClientResult current = client_.get(kind, kSystem, name);
    if (current.ok()) return;
    if (current.code() != 404) {
      ok = false;
      return;
    }
    ClientResult created = client_.create(kind, kSystem, object);
    if (!created.ok() && errorReason(created) != "AlreadyExists") {
      std::fprintf(stderr, "minik: kube-system: cannot create %s %s: %s\n", kind.singular.c_str(), name,
                   created.error->status.value("message", "").c_str());
      ok = false;
    }
  };
  ensure(kindOf("apps", "deployments"), kDeployment, corednsDeployment());
  ensure(kindOf("", "services"), kService, kubeDnsService(config_));
  return ok ? WorkQueue::Outcome::done() : WorkQueue::Outcome::retry();
}

bool KubeSystemBootstrap::servedPodStands() const {
  const WorkloadPodView* served = servedKey_.empty() ? nullptr : pods_.find(servedKey_);
  return served && served->uid == servedUid_ && standsForDns(*served);
}

WorkQueue::Outcome KubeSystemBootstrap::followServedPod() {
  if (servedUid_.empty() || servedPodStands()) return WorkQueue::Outcome::done();
  // The server's instance dies with its pod, as CoreDNS's container would.
  std::fprintf(stderr, "minik: kube-system: pod %s is gone; cluster DNS stops with it\n", servedKey_.c_str());
  servedKey_.clear();
  servedUid_.clear();
  if (server_) {
    server_->stopServing();
    serverStopped_ = true;
  }
  // A replacement that came before the old pod went (or another replica)
  // runs it again at once; otherwise the next pod bound will.
  const WorkloadPodView* heir = nullptr;
  pods_.forEach([&](const WorkloadPodView& pod) {
    if (!heir && standsForDns(pod)) heir = &pod;
  });
  if (heir) queue_.add(kPodPrefix + objectKey(heir->ns, heir->name));
  return WorkQueue::Outcome::done();
}

WorkQueue::Outcome KubeSystemBootstrap::markServing(const std::string& podKey) {
  const WorkloadPodView* view = pods_.find(podKey);
  if (!view || !standsForDns(*view)) return WorkQueue::Outcome::done();
  if (view->uid != servedUid_ && !servedPodStands()) {
    // A new pod for the server: the first one seen since minik started
    // (the server is already serving) or the replacement of a deleted one.
    followServedPod();
    servedKey_ = podKey;
    servedUid_ = view->uid;
  }
  if (server_ && serverStopped_ && view->uid == servedUid_) {
    std::string error;
    if (server_->startServing(&error)) {
      serverStopped_ = false;
      std::fprintf(stderr, "minik: kube-system: cluster DNS restarted for pod %s\n", podKey.c_str());
    } else {
      std::fprintf(stderr, "minik: kube-system: cluster DNS cannot start for pod %s: %s\n", podKey.c_str(),
                   error.c_str());
    }
  }
  const bool serving = serverServing();
  const KindInfo& podKind = kindOf("", "pods");
  ClientResult current = client_.get(podKind, view->ns, view->name);
  if (!current.ok()) return current.code() == 404 ? WorkQueue::Outcome::done() : WorkQueue::Outcome::retry();
  json pod = std::move(current.object);
  const WorkQueue::Outcome settled =
      serving ? WorkQueue::Outcome::done() : WorkQueue::Outcome::after(kNotServingRecheckMs);
  json status = servingPodStatus(pod, config_, serverPodIp(), nowRfc3339(), serving);
  if (status == at(pod, "/status")) return settled;
  pod["status"] = std::move(status);
  ClientResult r = client_.update(podKind, stringAt(pod, "/metadata/namespace"),
                                  stringAt(pod, "/metadata/name"), pod, "status");
  if (r.ok()) {
    pods_.upsert(r.object);
    return settled;
  }
  return r.code() == 404 ? WorkQueue::Outcome::done() : WorkQueue::Outcome::retry();
}

}  // namespace minik
