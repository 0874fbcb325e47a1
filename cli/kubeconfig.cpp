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

// The kubeconfig files to read, in merge order, as kubectl chooses them:
// --kubeconfig alone; else $KUBECONFIG's list (files that do not exist are
// skipped, and nothing else is read even when none exists); else
// ~/.kube/config; else minik's own default, where kubectl would find
// nothing. *fromEnv tells the caller that $KUBECONFIG decided.
std::vector<std::string> choosePaths(const KubeconfigChoice& choice, bool* fromEnv) {
  *fromEnv = false;
  if (!choice.explicitPath.empty()) return {choice.explicitPath};
  if (const char* env = std::getenv("KUBECONFIG"); env && *env) {
    *fromEnv = true;
    std::vector<std::string> paths;
    std::string list = env;
    size_t start = 0;
    for (;;) {
      size_t colon = list.find(':', start);
      std::string path = list.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
      if (exists(path)) paths.push_back(path);
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
    return paths;
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    std::string path = std::string(home) + "/.kube/config";
    if (exists(path)) return {path};
  }
  if (exists(kMinikKubeconfigPath)) return {kMinikKubeconfigPath};
  return {};
}

YAML::Node findNamed(const YAML::Node& list, const std::string& name, const char* field) {
  if (!list.IsSequence()) return YAML::Node();
  for (const auto& entry : list) {
    if (entry["name"] && entry["name"].as<std::string>("") == name) return entry[field];
  }
  return YAML::Node();
}

// The first of the files to hold the named entry: kubectl's merge, where
// the first file to set a map key wins.
YAML::Node findInFiles(const std::vector<YAML::Node>& files, const char* list, const std::string& name,
                       const char* field) {
  for (const auto& file : files) {
    YAML::Node found = findNamed(file[list], name, field);
    if (found) return found;
  }
  return YAML::Node();
}

}  // namespace

bool loadClusterAddress(const KubeconfigChoice& choice, ClusterAddress* out, std::string* error) {
  out->namespace_ = "default";
  bool fromEnv = false;
  const std::vector<std::string> paths = choosePaths(choice, &fromEnv);
  for (const auto& path : paths) out->path += (out->path.empty() ? "" : ":") + path;
  if (paths.empty()) {
    if (!choice.server.empty()) {
      out->server = choice.server;
      return true;
    }
    if (fromEnv) {
      *error = std::string("no kubeconfig: none of the files KUBECONFIG names exists (KUBECONFIG=") +
               std::getenv("KUBECONFIG") + ")";
    } else {
      *error = "no kubeconfig found: pass --kubeconfig, set KUBECONFIG, write ~/.kube/config, or run 'minik "
               "server' (it writes " + std::string(kMinikKubeconfigPath) + ")";
    }
    return false;
  }
  std::vector<YAML::Node> files;
  for (const auto& path : paths) {
    try {
      files.push_back(YAML::LoadFile(path));
    } catch (const YAML::BadFile&) {
      *error = "stat " + path + ": no such file or directory";
      return false;
    } catch (const YAML::Exception& e) {
      *error = "error loading config file \"" + path + "\": " + e.what();
      return false;
    }
  }
  std::string contextName = choice.context;
  for (const auto& file : files) {
    if (!contextName.empty()) break;
    if (file["current-context"]) contextName = file["current-context"].as<std::string>("");
  }
  YAML::Node context = findInFiles(files, "contexts", contextName, "context");
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
  YAML::Node cluster = findInFiles(files, "clusters", clusterName, "cluster");
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
