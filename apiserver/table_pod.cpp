// The Pod table: printPod of Kubernetes' printers.go, whose STATUS column
// condenses phase, init progress and container states into one word.
#include <map>

#include "apiserver/table_kinds.h"

namespace minik {

using nlohmann::json;

namespace {

// What the status loops below learn about the pod.
struct PodSummary {
  std::string reason;
  int64_t ready = 0;
  int64_t total = 0;
  int64_t restarts = 0;
  std::string lastRestart;  // finishedAt of the latest lastState.terminated
  std::time_t lastRestartAt = 0;
};

bool isRestartableInit(const json* container) {
  return container && textAt(*container, {"restartPolicy"}) == "Always";
}

bool hasCondition(const json& pod, const char* type) {
  const json& conditions = field(pod, {"status", "conditions"});
  if (!conditions.is_array()) return false;
  for (const auto& condition : conditions) {
    if (textAt(condition, {"type"}) == type) return textAt(condition, {"status"}) == "True";
  }
  return false;
}

// Keeps the later of two restart times, as metav1.Time.Before does.
void noteRestart(const json& status, std::string& latest, std::time_t& latestAt) {
  const json& terminated = field(status, {"lastState", "terminated"});
  if (!terminated.is_object()) return;
  auto finished = parseTimestamp(textAt(terminated, {"finishedAt"}));
  if (!finished) return;
  if (latest.empty() || latestAt < *finished) {
    latest = textAt(terminated, {"finishedAt"});
    latestAt = *finished;
  }
}

// The reason a terminated container gives: its reason, else its signal or
// exit code.
std::string terminatedReason(const json& terminated, const std::string& prefix) {
  std::string reason = textAt(terminated, {"reason"});
  if (!reason.empty()) return prefix + reason;
  int64_t signal = integerAt(terminated, {"signal"});
  if (signal != 0) return prefix + "Signal:" + std::to_string(signal);
  return prefix + "ExitCode:" + std::to_string(integerAt(terminated, {"exitCode"}));
}

PodSummary summarize(const json& pod) {
  PodSummary summary;
  std::string phase = textAt(pod, {"status", "phase"});
  summary.reason = phase;
  if (!textAt(pod, {"status", "reason"}).empty())
    summary.reason = textAt(pod, {"status", "reason"});
  const json& conditions = field(pod, {"status", "conditions"});
  if (conditions.is_array()) {
    for (const auto& condition : conditions) {
      if (textAt(condition, {"type"}) == "PodScheduled" &&
          textAt(condition, {"reason"}) == "SchedulingGated") {
        summary.reason = "SchedulingGated";
      }
    }
  }

  summary.total = countAt(pod, {"spec", "containers"});
  std::map<std::string, const json*> initSpecs;
  const json& initContainers = field(pod, {"spec", "initContainers"});
  if (initContainers.is_array()) {
    for (const auto& container : initContainers) {
      initSpecs[textAt(container, {"name"})] = &container;
      if (isRestartableInit(&container)) ++summary.total;
    }
  }
  auto initSpec = [&](const json& status) -> const json* {
    auto it = initSpecs.find(textAt(status, {"name"}));
    return it == initSpecs.end() ? nullptr : it->second;
  };

  // Init containers, in order, up to the first one still in the way.
  int64_t sidecarRestarts = 0;
  std::string sidecarLastRestart;
  std::time_t sidecarLastRestartAt = 0;
  bool initializing = false;
  const json& initStatuses = field(pod, {"status", "initContainerStatuses"});
  const int64_t initCount = countAt(pod, {"spec", "initContainers"});
  for (size_t i = 0; initStatuses.is_array() && i < initStatuses.size(); ++i) {
    const json& status = initStatuses[i];
    summary.restarts += integerAt(status, {"restartCount"});
    noteRestart(status, summary.lastRestart, summary.lastRestartAt);
    bool sidecar = isRestartableInit(initSpec(status));
    if (sidecar) {
      sidecarRestarts += integerAt(status, {"restartCount"});
      noteRestart(status, sidecarLastRestart, sidecarLastRestartAt);
    }
    const json& terminated = field(status, {"state", "terminated"});
    const json& waiting = field(status, {"state", "waiting"});
    if (terminated.is_object() && integerAt(terminated, {"exitCode"}) == 0) continue;
    if (sidecar && field(status, {"started"}) == true) {
      if (field(status, {"ready"}) == true) ++summary.ready;
      continue;
    }
    if (terminated.is_object()) {
      summary.reason = terminatedReason(terminated, "Init:");
    } else if (waiting.is_object() && !textAt(waiting, {"reason"}).empty() &&
               textAt(waiting, {"reason"}) != "PodInitializing") {
      summary.reason = "Init:" + textAt(waiting, {"reason"});
    } else {
      summary.reason = "Init:" + std::to_string(i) + "/" + std::to_string(initCount);
    }
    initializing = true;
    break;
  }

  if (!initializing || hasCondition(pod, "Initialized")) {
    summary.restarts = sidecarRestarts;
    summary.lastRestart = sidecarLastRestart;
    summary.lastRestartAt = sidecarLastRestartAt;
    bool hasRunning = false;
    const json& statuses = field(pod, {"status", "containerStatuses"});
    // Backwards, so that the first container's state has the last word.
    for (size_t n = statuses.is_array() ? statuses.size() : 0; n > 0; --n) {
      const json& status = statuses[n - 1];
      summary.restarts += integerAt(status, {"restartCount"});
      noteRestart(status, summary.lastRestart, summary.lastRestartAt);
      const json& terminated = field(status, {"state", "terminated"});
      const json& waiting = field(status, {"state", "waiting"});
      if (waiting.is_object() && !textAt(waiting, {"reason"}).empty()) {
        summary.reason = textAt(waiting, {"reason"});
      } else if (terminated.is_object()) {
        summary.reason = terminatedReason(terminated, "");
      } else if (field(status, {"ready"}) == true &&
                 field(status, {"state", "running"}).is_object()) {
        hasRunning = true;
        ++summary.ready;
      }
    }
    if (summary.reason == "Completed" && hasRunning) {
      summary.reason = hasCondition(pod, "Ready") ? "Running" : "NotReady";
    }
  }

  if (!field(pod, {"metadata", "deletionTimestamp"}).is_null()) {
    if (textAt(pod, {"status", "reason"}) == "NodeLost") {
      summary.reason = "Unknown";
    } else if (phase != "Succeeded" && phase != "Failed") {
      summary.reason = "Terminating";
    }
  }
  return summary;
}

std::string readinessGates(const json& pod) {
  const json& gates = field(pod, {"spec", "readinessGates"});
  if (!gates.is_array() || gates.empty()) return "<none>";
  const json& conditions = field(pod, {"status", "conditions"});
  int trueConditions = 0;
  for (const auto& gate : gates) {
    if (!conditions.is_array()) break;
    for (const auto& condition : conditions) {
      if (textAt(condition, {"type"}) == textAt(gate, {"conditionType"})) {
        if (textAt(condition, {"status"}) == "True") ++trueConditions;
        break;
      }
    }
  }
  return std::to_string(trueConditions) + "/" + std::to_string(gates.size());
}

std::string orNone(std::string text) { return text.empty() ? "<none>" : text; }

json podCells(const json& pod, std::time_t now) {
  PodSummary summary = summarize(pod);
  std::string restarts = std::to_string(summary.restarts);
  if (summary.restarts != 0 && !summary.lastRestart.empty()) {
    restarts += " (" + timestampSince(summary.lastRestart, now) + " ago)";
  }
  // v1 keeps podIP beside podIPs; conversion fills podIPs from podIP.
  std::string podIP = textAt(pod, {"status", "podIP"});
  const json& podIPs = field(pod, {"status", "podIPs"});
  if (podIPs.is_array() && !podIPs.empty()) podIP = textAt(podIPs[0], {"ip"});
  return json::array({textAt(pod, {"metadata", "name"}),
                      std::to_string(summary.ready) + "/" + std::to_string(summary.total),
                      summary.reason, restarts, ageOf(pod, now), orNone(podIP),
                      orNone(textAt(pod, {"spec", "nodeName"})),
                      orNone(textAt(pod, {"status", "nominatedNodeName"})), readinessGates(pod)});
}

json podConditions(const json& pod) {
  std::string phase = textAt(pod, {"status", "phase"});
  if (phase == "Succeeded") {
    return json::array({{{"type", "Completed"},
                         {"status", "True"},
                         {"reason", "Succeeded"},
                         {"message", "The pod has completed successfully."}}});
  }
  if (phase == "Failed") {
    return json::array({{{"type", "Completed"},
                         {"status", "True"},
                         {"reason", "Failed"},
                         {"message", "The pod failed."}}});
  }
  return nullptr;
}

}  // namespace

KindTable podTable() {
  return {
      "",
      "Pod",
      {
          {"Name", "string", "name", kNameDescription, 0},
          {"Ready", "string", "",
           "The aggregate readiness state of this pod for accepting traffic.", 0},
          {"Status", "string", "", "The aggregate status of the containers in this pod.", 0},
          {"Restarts", "string", "",
           "The number of times the containers in this pod have been restarted and when the last "
           "container in this pod has restarted.",
           0},
          {"Age", "string", "", kCreationTimestampDescription, 0},
          {"IP", "string", "",
           "podIP address allocated to the pod. Routable at least within the cluster. Empty if not "
           "yet allocated.",
           1},
          {"Node", "string", "",
           "NodeName indicates in which node this pod is scheduled. If empty, this pod is a "
           "candidate for scheduling by the scheduler defined in schedulerName. Once this field is "
           "set, the kubelet for this node becomes responsible for the lifecycle of this pod. This "
           "field should not be used to express a desire for the pod to be scheduled on a specific "
           "node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/"
           "#nodename",
           1},
          {"Nominated Node", "string", "",
           "nominatedNodeName is set only when this pod preempts other pods on the node, but it "
           "cannot be scheduled right away as preemption victims receive their graceful "
           "termination periods. This field does not guarantee that the pod will be scheduled on "
           "this node. Scheduler may decide to place the pod elsewhere if other nodes become "
           "available sooner. Scheduler may also decide to give the resources on this node to a "
           "higher priority pod that is created after preemption. As a result, this field may be "
           "different than PodSpec.nodeName when the pod is scheduled.",
           1},
          {"Readiness Gates", "string", "",
           "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready "
           "when all its containers are ready AND all conditions specified in the readiness gates "
           "have status equal to \"True\" More info: "
           "https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates",
           1},
      },
      podCells,
      podConditions,
  };
}

}  // namespace minik
