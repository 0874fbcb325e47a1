// runtime-shim/container_env.h — a container's environment and command line
// as the kubelet computes them (pkg/kubelet/kubelet_pods.go makeEnvironmentVariables,
// pkg/kubelet/container/helpers.go ExpandContainerCommandAndArgs):
//  - envFrom first, then env, a later name replacing an earlier one;
//  - $(VAR) in values refers to variables defined before it, $$ escapes;
//  - valueFrom: fieldRef (metadata.name/namespace/uid, labels['k'],
//    annotations['k'], spec.nodeName, spec.serviceAccountName, status.podIP,
//    status.hostIP, ...), resourceFieldRef, configMapKeyRef, secretKeyRef;
//  - command = spec.command or the image's Entrypoint, args = spec.args or
//    (only when spec.command is unset) the image's Cmd; $(VAR) expanded.
// Pure: ConfigMaps and Secrets are reached through the lookup given.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace minik {

// The data of a ConfigMap ("configmap") or Secret ("secret", values
// decoded); nullopt when the object does not exist.
using ConfigSourceLookup =
    std::function<std::optional<nlohmann::json>(const std::string& kind, const std::string& name)>;

struct PodAddresses {
  std::string podIp;
  std::string hostIp;
};

using EnvVars = std::vector<std::pair<std::string, std::string>>;

// The container's variables (not the image's); false with error set as the
// kubelet words a CreateContainerConfigError.
bool containerEnvironment(const nlohmann::json& pod, const nlohmann::json& container,
                          const PodAddresses& addresses, const ConfigSourceLookup& lookup, EnvVars* out,
                          std::string* error);

// Expands $(NAME) from vars; $$ is a literal $, unknown names stay as written.
std::string expandVariables(const std::string& text, const EnvVars& vars);

// The process's argv per the rules above.
std::vector<std::string> containerArgv(const nlohmann::json& container, const nlohmann::json& imageConfig,
                                       const EnvVars& vars);

// Kubernetes quantities: "128Mi" -> 134217728, "500m" (milli) as 0.5.
double parseQuantity(const std::string& text);

}  // namespace minik
