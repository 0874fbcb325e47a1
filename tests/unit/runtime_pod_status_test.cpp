// The status the runtime writes for a pod: phase per restart policy,
// conditions with Kubernetes' reasons, container states, restart counts;
// and the pod record that carries it across restarts of minik.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "runtime-shim/container_logs.h"
#include "runtime-shim/pod_record.h"
#include "runtime-shim/pod_status.h"

using namespace minik;
using nlohmann::json;
using State = ContainerRecord::State;

namespace {

json pod(const std::string& policy, json inits = json::array()) {
  return {{"metadata", {{"name", "p"}, {"namespace", "dev"}, {"uid", "u"}}},
          {"spec",
           {{"restartPolicy", policy},
            {"initContainers", inits},
            {"containers", {{{"name", "a"}, {"image", "busybox"}}, {{"name", "b"}, {"image", "busybox"}}}}}},
          {"status", {{"phase", "Pending"}, {"qosClass", "BestEffort"}}}};
}

ContainerRecord running(const std::string& name, bool ready = true) {
  ContainerRecord c;
  c.name = name;
  c.state = State::Running;
  c.startedAt = 1700000000;
  c.started = true;
  c.ready = ready;
  c.attempt = 0;
  c.runtimeId = "uid-" + name + "-0";
  return c;
}

ContainerRecord exited(const std::string& name, int code) {
  ContainerRecord c;
  c.name = name;
  c.state = State::Terminated;
  c.terminated.exitCode = code;
  c.terminated.reason = code == 0 ? "Completed" : "Error";
  c.terminated.startedAt = 1700000000;
  c.terminated.finishedAt = 1700000010;
  return c;
}

PodRecord record(std::vector<ContainerRecord> containers) {
  PodRecord r;
  r.uid = "u";
  r.podIp = "10.42.0.7";
  r.sandboxReady = true;
  r.startTime = 1700000000;
  r.containers = std::move(containers);
  return r;
}

json conditionOf(const json& status, const std::string& type) {
  for (const auto& c : status["conditions"]) {
    if (c["type"] == type) return c;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("phase follows the containers and the restart policy") {
  CHECK(podPhase(pod("Always"), record({})) == "Pending");
  CHECK(podPhase(pod("Always"), record({running("a"), running("b")})) == "Running");
  CHECK(podPhase(pod("Always"), record({exited("a", 0), exited("b", 1)})) == "Running");
  CHECK(podPhase(pod("Never"), record({exited("a", 0), exited("b", 0)})) == "Succeeded");
  CHECK(podPhase(pod("Never"), record({exited("a", 0), exited("b", 2)})) == "Failed");
  CHECK(podPhase(pod("OnFailure"), record({exited("a", 0), exited("b", 0)})) == "Succeeded");
  CHECK(podPhase(pod("OnFailure"), record({exited("a", 0), exited("b", 1)})) == "Running");
  json withInit = pod("Always", json::array({{{"name", "init"}, {"image", "busybox"}}}));
  CHECK(podPhase(withInit, record({running("init")})) == "Pending");
  ContainerRecord init = exited("init", 0);
  init.init = true;
  CHECK(podPhase(withInit, record({init, running("a"), running("b")})) == "Running");
  PodRecord failed = record({exited("init", 1)});
  failed.failedInit = true;
  CHECK(podPhase(withInit, failed) == "Failed");
}

TEST_CASE("a running, ready pod's status") {
  json status = podStatus(pod("Always"), record({running("a"), running("b")}), "192.0.2.2", "runc", 1700000100);
  CHECK(status["phase"] == "Running");
  CHECK(status["podIP"] == "10.42.0.7");
  CHECK(status["podIPs"] == json::array({{{"ip", "10.42.0.7"}}}));
  CHECK(status["hostIP"] == "192.0.2.2");
  CHECK(status["startTime"] == "2023-11-14T22:13:20Z");
  CHECK(status["qosClass"] == "BestEffort");
  for (const char* type : {"PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"}) {
    CHECK(conditionOf(status, type)["status"] == "True");
  }
  json a = status["containerStatuses"][0];
  CHECK(a["name"] == "a");
  CHECK(a["state"] == json{{"running", {{"startedAt", "2023-11-14T22:13:20Z"}}}});
  CHECK(a["ready"] == true);
  CHECK(a["started"] == true);
  CHECK(a["restartCount"] == 0);
  CHECK(a["containerID"] == "runc://uid-a-0");
}

TEST_CASE("unready and crashing containers") {
  ContainerRecord crashing;
  crashing.name = "b";
  crashing.state = State::Waiting;
  crashing.waitingReason = "CrashLoopBackOff";
  crashing.waitingMessage = "back-off 10s restarting failed container=b pod=p_dev(u)";
  crashing.restartCount = 2;
  crashing.hasLast = true;
  crashing.last = exited("b", 137).terminated;
  json status = podStatus(pod("Always"), record({running("a", false), crashing}), "192.0.2.2", "runc", 1700000100);
  CHECK(status["phase"] == "Running");
  json ready = conditionOf(status, "Ready");
  CHECK(ready["status"] == "False");
  CHECK(ready["reason"] == "ContainersNotReady");
  CHECK(ready["message"] == "containers with unready status: [a b]");
  json b = status["containerStatuses"][1];
  CHECK(b["state"]["waiting"]["reason"] == "CrashLoopBackOff");
  CHECK(b["restartCount"] == 2);
  CHECK(b["lastState"]["terminated"]["exitCode"] == 137);
  CHECK(b["lastState"]["terminated"]["reason"] == "Error");
}

TEST_CASE("conditions keep their transition time while unchanged") {
  json p = pod("Always");
  p["status"]["conditions"] = json::array({{{"type", "Ready"}, {"status", "True"}, {"lastTransitionTime", "2020-01-01T00:00:00Z"}}});
  json status = podStatus(p, record({running("a"), running("b")}), "", "runc", 1700000100);
  CHECK(conditionOf(status, "Ready")["lastTransitionTime"] == "2020-01-01T00:00:00Z");
  CHECK(conditionOf(status, "ContainersReady")["lastTransitionTime"] == "2023-11-14T22:15:00Z");
}

TEST_CASE("restart policy verdicts") {
  CHECK(shouldRestart("Always", false, 0));
  CHECK(shouldRestart("OnFailure", false, 1));
  CHECK_FALSE(shouldRestart("OnFailure", false, 0));
  CHECK_FALSE(shouldRestart("Never", false, 1));
  CHECK(shouldRestart("Always", true, 1));
  CHECK_FALSE(shouldRestart("Always", true, 0));
}

TEST_CASE("the pod record round-trips through JSON") {
  PodRecord r = record({running("a"), exited("b", 3)});
  r.containers[1].hasLast = true;
  r.containers[1].last.reason = "Error";
  r.containers[1].restartCount = 4;
  PodRecord back = podRecordFromJson(toJson(r));
  CHECK(toJson(back) == toJson(r));
  CHECK(back.containers[0].state == State::Running);
  CHECK(back.containers[1].terminated.exitCode == 3);
}

TEST_CASE("log tails") {
  CHECK(lastLines("a\nb\nc\n", 2) == "b\nc\n");
  CHECK(lastLines("a\nb\nc", 1) == "c");
  CHECK(lastLines("a\nb\n", 5) == "a\nb\n");
  CHECK(lastLines("a\nb\n", 0) == "");
  CHECK(lastLines("a\nb\n", -1) == "a\nb\n");
}
