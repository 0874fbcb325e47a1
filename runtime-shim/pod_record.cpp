#include "runtime-shim/pod_record.h"

namespace minik {

using json = nlohmann::json;

namespace {

json terminationJson(const ContainerTermination& t) {
  return {{"exitCode", t.exitCode}, {"reason", t.reason},   {"message", t.message},
          {"startedAt", t.startedAt}, {"finishedAt", t.finishedAt}, {"runtimeId", t.runtimeId}};
}

ContainerTermination terminationFrom(const json& j) {
  ContainerTermination t;
  if (!j.is_object()) return t;
  t.exitCode = j.value("exitCode", 0);
  t.reason = j.value("reason", "");
  t.message = j.value("message", "");
  t.startedAt = j.value("startedAt", int64_t{0});
  t.finishedAt = j.value("finishedAt", int64_t{0});
  t.runtimeId = j.value("runtimeId", "");
  return t;
}

const char* stateName(ContainerRecord::State s) {
  switch (s) {
    case ContainerRecord::State::Running: return "running";
    case ContainerRecord::State::Terminated: return "terminated";
    default: return "waiting";
  }
}

}  // namespace

json toJson(const PodRecord& r) {
  json containers = json::array();
  for (const auto& c : r.containers) {
    containers.push_back({{"name", c.name},
                          {"init", c.init},
                          {"state", stateName(c.state)},
                          {"waitingReason", c.waitingReason},
                          {"waitingMessage", c.waitingMessage},
                          {"image", c.image},
                          {"imageId", c.imageId},
                          {"runtimeId", c.runtimeId},
                          {"pid", c.pid},
                          {"attempt", c.attempt},
                          {"restartCount", c.restartCount},
                          {"startedAt", c.startedAt},
                          {"terminated", terminationJson(c.terminated)},
                          {"hasLast", c.hasLast},
                          {"last", terminationJson(c.last)},
                          {"backoffUntilMs", c.backoffUntilMs},
                          {"backoffSeconds", c.backoffSeconds},
                          {"started", c.started},
                          {"ready", c.ready}});
  }
  return {{"uid", r.uid},
          {"namespace", r.ns},
          {"name", r.name},
          {"podIP", r.podIp},
          {"hostNetwork", r.hostNetwork},
          {"sandboxReady", r.sandboxReady},
          {"startTime", r.startTime},
          {"failedInit", r.failedInit},
          {"containers", containers}};
}

PodRecord podRecordFromJson(const json& doc) {
  PodRecord r;
  if (!doc.is_object()) return r;
  r.uid = doc.value("uid", "");
  r.ns = doc.value("namespace", "");
  r.name = doc.value("name", "");
  r.podIp = doc.value("podIP", "");
  r.hostNetwork = doc.value("hostNetwork", false);
  r.sandboxReady = doc.value("sandboxReady", false);
  r.startTime = doc.value("startTime", int64_t{0});
  r.failedInit = doc.value("failedInit", false);
  for (const auto& j : doc.value("containers", json::array())) {
    ContainerRecord c;
    c.name = j.value("name", "");
    c.init = j.value("init", false);
    std::string state = j.value("state", "waiting");
    c.state = state == "running"      ? ContainerRecord::State::Running
              : state == "terminated" ? ContainerRecord::State::Terminated
                                      : ContainerRecord::State::Waiting;
    c.waitingReason = j.value("waitingReason", "");
    c.waitingMessage = j.value("waitingMessage", "");
    c.image = j.value("image", "");
    c.imageId = j.value("imageId", "");
    c.runtimeId = j.value("runtimeId", "");
    c.pid = j.value("pid", 0);
    c.attempt = j.value("attempt", -1);
    c.restartCount = j.value("restartCount", 0);
    c.startedAt = j.value("startedAt", int64_t{0});
    c.terminated = terminationFrom(j.value("terminated", json()));
    c.hasLast = j.value("hasLast", false);
    c.last = terminationFrom(j.value("last", json()));
    c.backoffUntilMs = j.value("backoffUntilMs", int64_t{0});
    c.backoffSeconds = j.value("backoffSeconds", 0);
    c.started = j.value("started", false);
    c.ready = j.value("ready", false);
    r.containers.push_back(std::move(c));
  }
  return r;
}

ContainerRecord* findContainer(PodRecord& record, const std::string& name) {
  for (auto& c : record.containers) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

const ContainerRecord* findContainer(const PodRecord& record, const std::string& name) {
  for (const auto& c : record.containers) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

}  // namespace minik
