// runtime-shim/oci_config.h — the OCI runtime config (config.json, runtime
// spec 1.0) of one container of a pod, for runc or crun. Pure.
//
// What goes in, as Kubernetes (kubelet + containerd's CRI) would set it:
//  - process: argv (see container_env.h), env = image Env then the
//    container's (container wins), PATH defaulted, HOSTNAME; cwd =
//    workingDir or the image's WorkingDir or "/"; user from
//    securityContext.runAsUser/runAsGroup (container over pod) or the
//    image's numeric User; containerd's default capability set, with
//    securityContext.capabilities add/drop, all for privileged;
//    noNewPrivileges unless allowPrivilegeEscalation.
//  - root: the prepared rootfs, readonly with readOnlyRootFilesystem.
//  - hostname: the pod's hostname; namespaces pid, ipc, uts, mount, and
//    network = the pod's namespace (none of its own for hostNetwork pods).
//  - mounts: /proc, /dev, /dev/pts, /dev/shm, /dev/mqueue, /sys, cgroup,
//    then /etc/hosts, /etc/hostname, /etc/resolv.conf, /dev/termination-log
//    and the pod's volumes at their volumeMounts (readOnly, subPath).
//  - linux.resources: limits.memory -> memory limit; limits.cpu -> CFS
//    quota over a 100 ms period; requests.cpu -> shares (as the kubelet
//    converts milli-CPUs); cgroupsPath under /minik.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime-shim/container_env.h"

namespace minik {

struct HostMount {
  std::string destination;  // inside the container
  std::string source;       // on the node
  bool readOnly = false;
};

struct ContainerLaunch {
  nlohmann::json pod;
  nlohmann::json container;
  nlohmann::json imageConfig;  // Env, Entrypoint, Cmd, WorkingDir, User
  EnvVars env;                 // from containerEnvironment()
  std::string rootfs;
  std::string netnsPath;       // "" for hostNetwork
  std::vector<HostMount> mounts;  // /etc files and volumes, resolved on the node
  std::string cgroupsPath;
};

nlohmann::json ociConfig(const ContainerLaunch& launch);

}  // namespace minik
