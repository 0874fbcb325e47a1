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

json podCondition(const json& pod, const char* type, const std::string& now) {
  std::string since = now;
  const json& conditions = at(pod, "/status/conditions");
  if (conditions.is_array()) {
    for (const auto& c : conditions) {
      if (stringAt(c, "/type") == type && stringAt(c, "/status") == "True") {
        std::string t = stringAt(c, "/lastTransitionTime");
        if (!t.empty()) since = t;
      }
    }
  }
  return json{{"type", type}, {"status", "True"}, {"lastProbeTime", nullptr}, {"lastTransitionTime", since}};
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

json servingPodStatus(const json& pod, const ClusterConfig& config, const std::string& now) {
  json status = at(pod, "/status").is_object() ? pod["status"] : json::object();
  std::string started = stringAt(pod, "/status/startTime");
  if (started.empty()) started = now;
  status["phase"] = "Running";
  status["hostIP"] = config.nodeIp;
  status["hostIPs"] = json::array({{{"ip", config.nodeIp}}});
  status["podIP"] = config.nodeIp;
  status["podIPs"] = json::array({{{"ip", config.nodeIp}}});
  status["startTime"] = started;
  status["conditions"] = json::array({podCondition(pod, "PodReadyToStartContainers", now),
                                      podCondition(pod, "Initialized", now), podCondition(pod, "Ready", now),
                                      podCondition(pod, "ContainersReady", now),
                                      podCondition(pod, "PodScheduled", now)});
  json containers = json::array();
  const json& specContainers = at(pod, "/spec/containers");
  if (specContainers.is_array()) {
    for (const auto& c : specContainers) {
      containers.push_back({{"name", stringAt(c, "/name")},
                            {"image", stringAt(c, "/image")},
                            {"imageID", ""},
                            {"containerID", "minik://" + stringAt(pod, "/metadata/uid") + "/" + stringAt(c, "/name")},
                            {"ready", true},
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
  pods_.listen([this](const WorkloadPodView*, const WorkloadPodView* after) {
    if (after && standsForDns(*after) &&
        !(after->phase == PodPhase::Running && after->ready && after->podIp == config_.nodeIp)) {
      queue_.add(kPodPrefix + objectKey(after->ns, after->name));
    }
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

WorkQueue::Outcome KubeSystemBootstrap::markServing(const std::string& podKey) {
  const WorkloadPodView* view = pods_.find(podKey);
  if (!view || !standsForDns(*view)) return WorkQueue::Outcome::done();
  const KindInfo& podKind = kindOf("", "pods");
  ClientResult current = client_.get(podKind, view->ns, view->name);
  if (!current.ok()) return current.code() == 404 ? WorkQueue::Outcome::done() : WorkQueue::Outcome::retry();
  json pod = std::move(current.object);
  json status = servingPodStatus(pod, config_, nowRfc3339());
  if (status == at(pod, "/status")) return WorkQueue::Outcome::done();
  pod["status"] = std::move(status);
  ClientResult r = client_.update(podKind, stringAt(pod, "/metadata/namespace"),
                                  stringAt(pod, "/metadata/name"), pod, "status");
  if (r.ok()) {
    pods_.upsert(r.object);
    return WorkQueue::Outcome::done();
  }
  return r.code() == 404 ? WorkQueue::Outcome::done() : WorkQueue::Outcome::retry();
}

}  // namespace minik
