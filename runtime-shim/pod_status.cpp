#include "runtime-shim/pod_status.h"

#include <ctime>

namespace minik {

using json = nlohmann::json;

namespace {

std::string restartPolicyOf(const json& pod) {
  std::string policy = pod.value("spec", json::object()).value("restartPolicy", "");
  return policy.empty() ? "Always" : policy;
}

json specContainers(const json& pod, const char* key) {
  json spec = pod.value("spec", json::object());
  json list = spec.is_object() ? spec.value(key, json::array()) : json::array();
  return list.is_array() ? list : json::array();
}

json termination(const ContainerTermination& t, const std::string& runtimeName) {
  json out = {{"exitCode", t.exitCode},
              {"reason", t.reason},
              {"startedAt", t.startedAt ? json(formatTimestamp(t.startedAt)) : json(nullptr)},
              {"finishedAt", t.finishedAt ? json(formatTimestamp(t.finishedAt)) : json(nullptr)}};
  if (!t.message.empty()) out["message"] = t.message;
  if (!t.runtimeId.empty()) out["containerID"] = runtimeName + "://" + t.runtimeId;
  return out;
}

json containerStatus(const json& spec, const ContainerRecord* c, const std::string& runtimeName) {
  std::string name = spec.value("name", "");
  json out = {{"name", name},
              {"image", c && !c->image.empty() ? c->image : spec.value("image", "")},
              {"imageID", c ? c->imageId : ""},
              {"ready", c ? c->ready : false},
              {"restartCount", c ? c->restartCount : 0},
              {"started", c ? c->state == ContainerRecord::State::Running && c->started : false},
              {"lastState", json::object()}};
  if (!c || c->state == ContainerRecord::State::Waiting) {
    json waiting = {{"reason", c ? c->waitingReason : "ContainerCreating"}};
    if (c && !c->waitingMessage.empty()) waiting["message"] = c->waitingMessage;
    out["state"] = {{"waiting", waiting}};
  } else if (c->state == ContainerRecord::State::Running) {
    out["state"] = {{"running", {{"startedAt", formatTimestamp(c->startedAt)}}}};
  } else {
    out["state"] = {{"terminated", termination(c->terminated, runtimeName)}};
  }
  if (c && c->hasLast) out["lastState"] = {{"terminated", termination(c->last, runtimeName)}};
  if (c && !c->runtimeId.empty()) out["containerID"] = runtimeName + "://" + c->runtimeId;
  return out;
}

// A condition, keeping the transition time of an unchanged previous one.
json condition(const json& pod, const std::string& type, bool isTrue, const std::string& reason,
               const std::string& message, int64_t now) {
  std::string status = isTrue ? "True" : "False";
  std::string since = formatTimestamp(now);
  json previous = pod.value("status", json::object());
  if (previous.is_object() && previous.contains("conditions") && previous["conditions"].is_array()) {
    for (const auto& c : previous["conditions"]) {
      if (c.value("type", "") == type && c.value("status", "") == status && c.contains("lastTransitionTime") &&
          c["lastTransitionTime"].is_string()) {
        since = c["lastTransitionTime"].get<std::string>();
      }
    }
  }
  json out = {{"type", type}, {"status", status}, {"lastProbeTime", nullptr}, {"lastTransitionTime", since}};
  if (!isTrue && !reason.empty()) out["reason"] = reason;
  if (!isTrue && !message.empty()) out["message"] = message;
  return out;
}

}  // namespace

std::string formatTimestamp(int64_t epochSeconds) {
  time_t t = static_cast<time_t>(epochSeconds);
  tm utc;
  gmtime_r(&t, &utc);
  char text[32];
  strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

bool shouldRestart(const std::string& restartPolicy, bool initContainer, int exitCode) {
  if (restartPolicy == "Never") return false;
  if (restartPolicy == "OnFailure" || initContainer) return exitCode != 0;
  return true;
}

std::string podPhase(const json& pod, const PodRecord& record) {
  const std::string policy = restartPolicyOf(pod);
  if (record.failedInit) return "Failed";
  for (const auto& spec : specContainers(pod, "initContainers")) {
    const ContainerRecord* c = findContainer(record, spec.value("name", ""));
    bool succeeded = c && c->state == ContainerRecord::State::Terminated && c->terminated.exitCode == 0;
    if (!succeeded) return "Pending";
  }
  int running = 0, waiting = 0, stopped = 0, succeeded = 0;
  for (const auto& spec : specContainers(pod, "containers")) {
    const ContainerRecord* c = findContainer(record, spec.value("name", ""));
    if (!c || c->state == ContainerRecord::State::Waiting) {
      if (c && c->hasLast) {
        ++stopped;
        if (c->last.exitCode == 0) ++succeeded;
      } else {
        ++waiting;
      }
    } else if (c->state == ContainerRecord::State::Running) {
      ++running;
    } else {
      ++stopped;
      if (c->terminated.exitCode == 0) ++succeeded;
    }
  }
  if (waiting > 0) return "Pending";
  if (running > 0) return "Running";
  if (stopped > 0) {
    if (policy == "Always") return "Running";
    if (stopped == succeeded) return policy == "OnFailure" || policy == "Never" ? "Succeeded" : "Running";
    return policy == "Never" ? "Failed" : "Running";
  }
  return "Pending";
}

json podStatus(const json& pod, const PodRecord& record, const std::string& hostIp, const std::string& runtimeName,
               int64_t now) {
  json previous = pod.value("status", json::object());
  if (!previous.is_object()) previous = json::object();
  json status = json::object();
  std::string phase = podPhase(pod, record);
  status["phase"] = phase;
  if (!hostIp.empty()) {
    status["hostIP"] = hostIp;
    status["hostIPs"] = json::array({{{"ip", hostIp}}});
  }
  if (!record.podIp.empty()) {
    status["podIP"] = record.podIp;
    status["podIPs"] = json::array({{{"ip", record.podIp}}});
  }
  if (record.startTime) status["startTime"] = formatTimestamp(record.startTime);
  status["qosClass"] = previous.value("qosClass", "BestEffort");
  if (!previous.contains("qosClass")) status.erase("qosClass");

  json initStatuses = json::array();
  std::string pendingInit;
  for (const auto& spec : specContainers(pod, "initContainers")) {
    const ContainerRecord* c = findContainer(record, spec.value("name", ""));
    json s = containerStatus(spec, c, runtimeName);
    bool done = c && c->state == ContainerRecord::State::Terminated && c->terminated.exitCode == 0;
    s["ready"] = done;
    initStatuses.push_back(s);
    if (!done) pendingInit += (pendingInit.empty() ? "" : " ") + spec.value("name", "");
  }
  json statuses = json::array();
  std::string unready;
  for (const auto& spec : specContainers(pod, "containers")) {
    const ContainerRecord* c = findContainer(record, spec.value("name", ""));
    statuses.push_back(containerStatus(spec, c, runtimeName));
    if (!c || !c->ready || c->state != ContainerRecord::State::Running) {
      unready += (unready.empty() ? "" : " ") + spec.value("name", "");
    }
  }
  bool completed = phase == "Succeeded" || phase == "Failed";
  bool initialized = pendingInit.empty();
  bool containersReady = unready.empty() && !completed;
  std::string readyReason = completed ? "PodCompleted" : "ContainersNotReady";
  std::string readyMessage = completed ? "" : "containers with unready status: [" + unready + "]";
  json conditions = json::array();
  conditions.push_back(condition(pod, "PodReadyToStartContainers", record.sandboxReady && !completed, "", "", now));
  conditions.push_back(condition(pod, "Initialized", initialized || completed,
                                 "ContainersNotInitialized",
                                 "containers with incomplete status: [" + pendingInit + "]", now));
  conditions.push_back(condition(pod, "Ready", containersReady, readyReason, readyMessage, now));
  conditions.push_back(condition(pod, "ContainersReady", containersReady, readyReason, readyMessage, now));
  conditions.push_back(condition(pod, "PodScheduled", true, "", "", now));
  status["conditions"] = conditions;
  if (!initStatuses.empty()) status["initContainerStatuses"] = initStatuses;
  status["containerStatuses"] = statuses;
  return status;
}

}  // namespace minik
