// cli/kubeconfig.h — where the CLI finds the API server, as kubectl does:
// --kubeconfig (that file only); else $KUBECONFIG when set (its list of
// files, merged as kubectl merges them: the first file to set a name or
// current-context wins; files that do not exist are skipped, and no other
// file is read even when none exists); else ~/.kube/config; else, where
// kubectl would find nothing, /etc/minik/minik.yaml (what `minik server`
// writes). From the files: the current (or --context) context's cluster
// server URL and its namespace. --server overrides the URL.
#pragma once

#include <string>

namespace minik {

struct KubeconfigChoice {
  std::string explicitPath;  // --kubeconfig
  std::string context;       // --context
  std::string server;        // --server / -s
};

struct ClusterAddress {
  std::string server;     // "http://127.0.0.1:6443"
  std::string namespace_; // the context's namespace, "default" when unset
  std::string path;       // the kubeconfig files read, ':'-separated; empty when none
};

// False with error set (kubectl-like wording) when an explicitly named file
// cannot be read, the context does not exist, or no server is known.
bool loadClusterAddress(const KubeconfigChoice& choice, ClusterAddress* out, std::string* error);

// The default location minik server writes its kubeconfig to.
extern const char* const kMinikKubeconfigPath;

}  // namespace minik
