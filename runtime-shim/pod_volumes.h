// runtime-shim/pod_volumes.h — a pod's volumes on the node and where they
// appear in its containers:
//  - emptyDir: a folder of the pod's, gone with the pod;
//  - configMap, secret: a folder holding one file per key (or per items[]
//    path), with defaultMode/mode, rewritten on each start;
//  - downwardAPI: files from fieldRef (labels, annotations, name, ...);
//  - hostPath: the node's path (created for DirectoryOrCreate/FileOrCreate).
// Other kinds are refused with a message (the container waits).
// ConfigMaps and Secrets are read beforehand on the event loop; here they
// come from a ConfigSourceLookup. Blocking file I/O: call off the loop.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime-shim/container_env.h"
#include "runtime-shim/oci_config.h"

namespace minik {

// Makes every volume under podDir/volumes; volumePaths gets name -> node
// path. False with error set (as the kubelet's FailedMount message).
bool materializeVolumes(const nlohmann::json& pod, const std::string& podDir, const ConfigSourceLookup& lookup,
                        std::map<std::string, std::string>* volumePaths, std::string* error);

// The container's volumeMounts as bind mounts (subPath resolved inside the volume).
std::vector<HostMount> volumeMounts(const nlohmann::json& container,
                                    const std::map<std::string, std::string>& volumePaths);

// Base64 (standard alphabet) as Secrets carry their data.
std::string decodeBase64(const std::string& text);

}  // namespace minik
