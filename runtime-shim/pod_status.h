// runtime-shim/pod_status.h — the status the kubelet would write for a pod
// (pkg/kubelet/kubelet_pods.go generateAPIPodStatus / getPhase, and
// pkg/kubelet/status/generate.go), from what the runtime knows of it. Pure.
//
//  - phase: Pending while an init container has not succeeded or a
//    container has never run; Running while one runs (or all stopped and
//    they will restart); Succeeded when all exited 0 and none will restart;
//    Failed when all stopped, one failed and it will not restart.
//  - conditions PodReadyToStartContainers, Initialized, Ready,
//    ContainersReady, PodScheduled, with Kubernetes' reasons and messages
//    when False; a condition keeps its lastTransitionTime while its status
//    does not change.
//  - containerStatuses / initContainerStatuses: state waiting (reason,
//    message), running (startedAt) or terminated (exitCode, reason,
//    startedAt, finishedAt), lastState, ready, started, restartCount, image,
//    imageID, containerID ("<runtime>://<id>").
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "runtime-shim/pod_record.h"

namespace minik {

std::string formatTimestamp(int64_t epochSeconds);

// The restart policy's verdict for a container that exited with exitCode.
bool shouldRestart(const std::string& restartPolicy, bool initContainer, int exitCode);

// The pod's phase per the rules above.
std::string podPhase(const nlohmann::json& pod, const PodRecord& record);

// The whole status; pod carries the spec and the current status (for
// PodScheduled and transition times).
nlohmann::json podStatus(const nlohmann::json& pod, const PodRecord& record, const std::string& hostIp,
                         const std::string& runtimeName, int64_t now);

}  // namespace minik
