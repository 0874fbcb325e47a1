// runtime-shim/image_reference.h — image names as Kubernetes and containerd
// read them: "busybox" is "docker.io/library/busybox:latest",
// "nigelpoulton/k8sbook:text-dev" is "docker.io/nigelpoulton/k8sbook:text-dev",
// a name whose first part has a dot or a port, or is "localhost", names its
// registry; a digest ("@sha256:...") is kept instead of a tag. Pure.
#pragma once

#include <string>

namespace minik {

// The fully qualified reference; "" when the text is not a reference.
std::string normalizeImageReference(const std::string& text);
// "docker.io/library/busybox:latest" -> {"docker.io/library/busybox", "latest"}
// (a digest reference gives tag "<none>").
void splitImageReference(const std::string& normalized, std::string* repository, std::string* tag);

}  // namespace minik
