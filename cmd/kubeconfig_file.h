// cmd/kubeconfig_file.h — writes the kubeconfig `minik server` hands to
// kubectl, as k3s writes /etc/rancher/k3s/k3s.yaml.
#pragma once

#include <string>

namespace minik {

// Writes atomically (temp file + rename), mode 0600, creating the folder.
bool writeKubeconfig(const std::string& path, const std::string& serverUrl, std::string* error);

}  // namespace minik
