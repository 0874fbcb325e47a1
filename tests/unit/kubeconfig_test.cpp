// cli/kubeconfig.h: which files the CLI reads, as kubectl chooses and merges them.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

#include "cli/kubeconfig.h"

using namespace minik;

namespace {

std::string tempDir() {
  char pattern[] = "/tmp/minik-kubeconfig-XXXXXX";
  return mkdtemp(pattern);
}

std::string writeConfig(const std::string& path, const std::string& current, const std::string& cluster,
                        const std::string& server, const std::string& ns = "") {
  std::ofstream(path) << "apiVersion: v1\nkind: Config\n"
                      << (current.empty() ? "" : "current-context: " + current + "\n")
                      << "clusters:\n- name: " << cluster << "\n  cluster:\n    server: " << server << "\n"
                      << "contexts:\n- name: " << cluster << "\n  context:\n    cluster: " << cluster << "\n"
                      << (ns.empty() ? "" : "    namespace: " + ns + "\n");
  return path;
}

// Sets HOME and KUBECONFIG for one case, restores nothing (tests own them).
void environment(const std::string& home, const char* kubeconfig) {
  setenv("HOME", home.c_str(), 1);
  if (kubeconfig) setenv("KUBECONFIG", kubeconfig, 1);
  else unsetenv("KUBECONFIG");
}

}  // namespace

TEST_CASE("KUBECONFIG naming no existing file reads nothing else", "[kubeconfig_test]") {
  std::string dir = tempDir();
  mkdir((dir + "/.kube").c_str(), 0700);
  writeConfig(dir + "/.kube/config", "home", "home", "http://127.0.0.1:1111");
  environment(dir, (dir + "/absent.yaml").c_str());
  ClusterAddress address;
  std::string error;
  CHECK_FALSE(loadClusterAddress({}, &address, &error));
  CHECK(error.find("none of the files KUBECONFIG names exists") != std::string::npos);
  CHECK(error.find(dir + "/absent.yaml") != std::string::npos);
}

TEST_CASE("KUBECONFIG lists merge: the first file to set a name wins", "[kubeconfig_test]") {
  std::string dir = tempDir();
  std::string a = writeConfig(dir + "/a.yaml", "", "shared", "http://127.0.0.1:2222", "team");
  std::string b = writeConfig(dir + "/b.yaml", "shared", "shared", "http://127.0.0.1:3333");
  environment(dir, (dir + "/missing.yaml:" + a + ":" + b).c_str());
  ClusterAddress address;
  std::string error;
  REQUIRE(loadClusterAddress({}, &address, &error));
  // current-context comes from b (a sets none); the context and cluster
  // named "shared" from a, the first to define them.
  CHECK(address.server == "http://127.0.0.1:2222");
  CHECK(address.namespace_ == "team");
  CHECK(address.path == a + ":" + b);
}

TEST_CASE("without KUBECONFIG: ~/.kube/config, then minik's own file", "[kubeconfig_test]") {
  std::string dir = tempDir();
  mkdir((dir + "/.kube").c_str(), 0700);
  std::string home = writeConfig(dir + "/.kube/config", "home", "home", "http://127.0.0.1:4444");
  environment(dir, nullptr);
  ClusterAddress address;
  std::string error;
  REQUIRE(loadClusterAddress({}, &address, &error));
  CHECK(address.server == "http://127.0.0.1:4444");
  CHECK(address.path == home);

  // --kubeconfig alone is read, and a missing one is an error as kubectl says.
  CHECK_FALSE(loadClusterAddress({dir + "/nope.yaml", "", ""}, &address, &error));
  CHECK(error == "stat " + dir + "/nope.yaml: no such file or directory");

  // With nothing of kubectl's, the CLI names minik's own file (present or not).
  unlink(home.c_str());
  ClusterAddress fallback;
  bool found = loadClusterAddress({}, &fallback, &error);
  if (found) CHECK(fallback.path == kMinikKubeconfigPath);
  else CHECK(error.find(kMinikKubeconfigPath) != std::string::npos);
}
