// runtime-shim/pod_record.h — what the runtime knows about a pod it runs:
// its sandbox (address, namespace) and, per container, the current attempt
// (runtime id, pid, state, exit), restarts, back-off and probe results.
//
// It is persisted as JSON in the pod's folder after every change, so that a
// restarted minik re-adopts its running pods instead of leaking or
// duplicating them. Times are epoch seconds (status) or monotonic-free epoch
// milliseconds (deadlines), so they survive a restart too.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace minik {

struct ContainerTermination {
  int exitCode = 0;
  std::string reason;   // Completed, Error, OOMKilled, ContainerStatusUnknown
  std::string message;  // the termination log, when any
  int64_t startedAt = 0, finishedAt = 0;
  std::string runtimeId;
};

struct ContainerRecord {
  enum class State { Waiting, Running, Terminated };

  std::string name;
  bool init = false;
  State state = State::Waiting;
  std::string waitingReason = "ContainerCreating";  // ErrImagePull, CrashLoopBackOff, ...
  std::string waitingMessage;
  std::string image, imageId;
  std::string runtimeId;  // the runtime's id of the current attempt
  pid_t pid = 0;
  int attempt = -1;       // number of the current attempt (its log file); -1 before the first
  int restartCount = 0;
  int64_t startedAt = 0;
  ContainerTermination terminated;   // the current attempt's end (state Terminated)
  bool hasLast = false;
  ContainerTermination last;         // the previous attempt's end (lastState)
  // Back-off before the next start (epoch ms), and its current step (s).
  int64_t backoffUntilMs = 0;
  int backoffSeconds = 0;
  // Stopping: SIGKILL after this (epoch ms), 0 when not stopping.
  int64_t killAtMs = 0;
  bool restartAfterStop = false;  // stopped by a failed liveness probe
  // Probes.
  bool started = false;  // startup probe passed (or none)
  bool ready = false;
  int probeSuccesses = 0, readinessFailures = 0, livenessFailures = 0, startupFailures = 0;
  int64_t nextReadinessMs = 0, nextLivenessMs = 0, nextStartupMs = 0;
};

struct PodRecord {
  std::string uid, ns, name;
  std::string podIp;
  bool hostNetwork = false;
  bool sandboxReady = false;
  std::string sandboxError;
  int64_t startTime = 0;
  std::vector<ContainerRecord> containers;  // init containers first, in spec order
  bool failedInit = false;                 // an init container failed for good
  int64_t stopDeadlineMs = 0;              // pod stopping: SIGKILL after this
};

nlohmann::json toJson(const PodRecord& record);
PodRecord podRecordFromJson(const nlohmann::json& doc);

ContainerRecord* findContainer(PodRecord& record, const std::string& name);
const ContainerRecord* findContainer(const PodRecord& record, const std::string& name);

}  // namespace minik
