#include "cli/kubeconfig.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace minik {

const char* const kMinikKubeconfigPath = "/etc/minik/minik.yaml";

namespace {

bool exists(const std::string& path) {
  struct stat st;
  return !path.empty() && stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// The kubeconfig to read, or "" when none of the usual places has one.
std::string choosePath(const KubeconfigChoice& choice) {
  if (!choice.explicitPath.empty()) return choice.explicitPath;
  if (const char* env = std::getenv("KUBECONFIG"); env && *env) {
    std::string list = env;
    size_t start = 0;
    while (start <= list.size()) {
      size_t colon = list.find(':', start);
      std::string path = list.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
      if (exists(path)) return path;
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
  }
  if (exists(kMinikKubeconfigPath)) return kMinikKubeconfigPath;
  if (const char* home = std::getenv("HOME"); home && *home) {
    std::string path = std::string(home) + "/.kube/config";
    if (exists(path)) return path;
  }
  return "";
}

YAML::Node findNamed(const YAML::Node& list, const std::string& name, const char* field) {
  if (!list.IsSequence()) return YAML::Node();
  for (const auto& entry : list) {
    if (entry["name"] && entry["name"].as<std::string>("") == name) return entry[field];
  }
  return YAML::Node();
}

}  // namespace

bool loadClusterAddress(const KubeconfigChoice& choice, ClusterAddress* out, std::string* error) {
  out->namespace_ = "default";
  out->path = choosePath(choice);
  if (out->path.empty()) {
    if (!choice.server.empty()) {
      out->server = choice.server;
      return true;
    }
    *error = "no kubeconfig found: pass --kubeconfig, set KUBECONFIG, or run 'minik server' (it writes " +
             std::string(kMinikKubeconfigPath) + ")";
    return false;
  }
  YAML::Node config;
  try {
    config = YAML::LoadFile(out->path);
  } catch (const YAML::BadFile&) {
    *error = "stat " + out->path + ": no such file or directory";
    return false;
  } catch (const YAML::Exception& e) {
    *error = "error loading config file \"" + out->path + "\": " + e.what();
    return false;
  }
  std::string contextName = choice.context;
  if (contextName.empty() && config["current-context"]) contextName = config["current-context"].as<std::string>("");
  YAML::Node context = findNamed(config["contexts"], contextName, "context");
  if (!choice.context.empty() && !context) {
    *error = "context was not found for specified context: " + choice.context;
    return false;
  }
  std::string clusterName;
  if (context) {
    if (context["namespace"]) {
      std::string ns = context["namespace"].as<std::string>("");
      if (!ns.empty()) out->namespace_ = ns;
    }
    if (context["cluster"]) clusterName = context["cluster"].as<std::string>("");
  }
  YAML::Node cluster = findNamed(config["clusters"], clusterName, "cluster");
  if (cluster && cluster["server"]) out->server = cluster["server"].as<std::string>("");
  if (!choice.server.empty()) out->server = choice.server;
  if (out->server.empty()) {
    *error = "invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER "
             "environment variable (read " + out->path + ")";
    return false;
  }
  while (!out->server.empty() && out->server.back() == '/') out->server.pop_back();
  return true;
}

}  // namespace minik
