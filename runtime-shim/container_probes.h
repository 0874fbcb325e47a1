// runtime-shim/container_probes.h — one run of a liveness, readiness or
// startup probe, as the kubelet's prober does it (pkg/kubelet/prober):
//  - httpGet: GET scheme://host:port/path from the node (host defaults to
//    the pod's IP), headers from httpHeaders, User-Agent kube-probe; a status
//    from 200 to 399 succeeds. Only HTTP (no TLS in minik yet).
//  - tcpSocket: a TCP connection to host:port succeeds.
//  - exec: the command run in the container (through the OCI runtime);
//    exit code 0 succeeds.
//  - grpc: not supported yet; counted as a success (with a message) so a
//    pod is not killed for minik's gap.
// Named ports are looked up in the container's ports. Blocking, bounded by
// timeoutSeconds; call off the event loop.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "runtime-shim/oci_runtime.h"

namespace minik {

struct ProbeOutcome {
  bool success = false;
  std::string message;  // why it failed
};

ProbeOutcome runProbe(const nlohmann::json& probe, const nlohmann::json& container, const std::string& podIp,
                      OciRuntime& runtime, const std::string& runtimeId);

// The numeric port of a probe's port field (number or container port name); 0 if unknown.
int probePort(const nlohmann::json& port, const nlohmann::json& container);

}  // namespace minik
