// The OCI config.json of a pod's container: command vs. image entrypoint,
// environment (image, container, valueFrom), working dir, user, security
// context, resources, namespaces and mounts; image references.
#include <catch2/catch.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "runtime-shim/container_env.h"
#include "runtime-shim/container_stdio.h"
#include "runtime-shim/image_reference.h"
#include "runtime-shim/local_server.h"
#include "runtime-shim/oci_config.h"

using namespace minik;
using nlohmann::json;

namespace {

json podWith(json container) {
  return {{"metadata", {{"name", "web"}, {"namespace", "dev"}, {"uid", "u-1"}, {"labels", {{"app", "web"}}}}},
          {"spec", {{"nodeName", "node1"}, {"containers", json::array({container})}}}};
}

ContainerLaunch launchOf(const json& container, json imageConfig = json::object()) {
  ContainerLaunch launch;
  launch.pod = podWith(container);
  launch.container = container;
  launch.imageConfig = std::move(imageConfig);
  launch.rootfs = "/data/pods/u-1/containers/c/rootfs";
  launch.netnsPath = "/run/netns/minik-u1";
  launch.cgroupsPath = "/minik/podu-1/c";
  launch.mounts = {{"/etc/resolv.conf", "/data/pods/u-1/resolv.conf", false}};
  return launch;
}

ConfigSourceLookup sources() {
  return [](const std::string& kind, const std::string& name) -> std::optional<json> {
    if (kind == "configmap" && name == "settings") return json{{"MODE", "fast"}, {"LEVEL", "3"}};
    if (kind == "secret" && name == "creds") return json{{"password", "s3cret"}};
    return std::nullopt;
  };
}

bool hasEnv(const json& config, const std::string& entry) {
  const auto& env = config["process"]["env"];
  return std::find(env.begin(), env.end(), entry) != env.end();
}

}  // namespace

TEST_CASE("command and args follow Kubernetes' rules over the image's Entrypoint and Cmd") {
  json image = {{"Entrypoint", {"/bin/entry"}}, {"Cmd", {"--default"}}};
  EnvVars vars = {{"PORT", "8080"}};
  CHECK(containerArgv(json::object(), image, vars) == std::vector<std::string>{"/bin/entry", "--default"});
  CHECK(containerArgv({{"args", {"-p", "$(PORT)"}}}, image, vars) ==
        std::vector<std::string>{"/bin/entry", "-p", "8080"});
  CHECK(containerArgv({{"command", {"httpd"}}}, image, vars) == std::vector<std::string>{"httpd"});
  CHECK(containerArgv({{"command", {"sh", "-c"}}, {"args", {"echo $$(PORT) $(NOPE)"}}}, image, vars) ==
        std::vector<std::string>{"sh", "-c", "echo $(PORT) $(NOPE)"});
}

TEST_CASE("environment: envFrom, env, valueFrom, references to earlier variables") {
  json container = {{"name", "c"},
                    {"envFrom", {{{"configMapRef", {{"name", "settings"}}}, {"prefix", "CFG_"}}}},
                    {"env",
                     {{{"name", "A"}, {"value", "1"}},
                      {{"name", "B"}, {"value", "$(A)-two"}},
                      {{"name", "POD"}, {"valueFrom", {{"fieldRef", {{"fieldPath", "metadata.name"}}}}}},
                      {{"name", "APP"}, {"valueFrom", {{"fieldRef", {{"fieldPath", "metadata.labels['app']"}}}}}},
                      {{"name", "IP"}, {"valueFrom", {{"fieldRef", {{"fieldPath", "status.podIP"}}}}}},
                      {{"name", "PW"}, {"valueFrom", {{"secretKeyRef", {{"name", "creds"}, {"key", "password"}}}}}},
                      {{"name", "MEM"},
                       {"valueFrom", {{"resourceFieldRef", {{"resource", "limits.memory"}, {"divisor", "1Mi"}}}}}}}},
                    {"resources", {{"limits", {{"memory", "64Mi"}}}}}};
  EnvVars vars;
  std::string error;
  REQUIRE(containerEnvironment(podWith(container), container, {"10.42.0.9", "192.0.2.2"}, sources(), &vars, &error));
  EnvVars expected = {{"CFG_LEVEL", "3"}, {"CFG_MODE", "fast"}, {"A", "1"},         {"B", "1-two"},
                      {"POD", "web"},     {"APP", "web"},       {"IP", "10.42.0.9"}, {"PW", "s3cret"},
                      {"MEM", "64"}};
  CHECK(vars == expected);
}

TEST_CASE("missing ConfigMaps, Secrets and keys are errors in the kubelet's words unless optional") {
  EnvVars vars;
  std::string error;
  json missing = {{"env", {{{"name", "X"}, {"valueFrom", {{"configMapKeyRef", {{"name", "nope"}, {"key", "k"}}}}}}}}};
  CHECK_FALSE(containerEnvironment(podWith(missing), missing, {}, sources(), &vars, &error));
  CHECK(error == "configmap \"nope\" not found");
  json badKey = {{"env", {{{"name", "X"}, {"valueFrom", {{"configMapKeyRef", {{"name", "settings"}, {"key", "k"}}}}}}}}};
  CHECK_FALSE(containerEnvironment(podWith(badKey), badKey, {}, sources(), &vars, &error));
  CHECK(error == "couldn't find key k in ConfigMap dev/settings");
  json optional = {{"env", {{{"name", "X"}, {"valueFrom", {{"secretKeyRef", {{"name", "nope"}, {"key", "k"}, {"optional", true}}}}}}}}};
  CHECK(containerEnvironment(podWith(optional), optional, {}, sources(), &vars, &error));
  CHECK(vars.empty());
}

TEST_CASE("config.json of a plain container") {
  json container = {{"name", "c"}, {"image", "busybox"}, {"env", {{{"name", "GREETING"}, {"value", "hi"}}}}};
  ContainerLaunch launch = launchOf(container, {{"Env", {"PATH=/bin", "GREETING=image"}}, {"Cmd", {"sh"}},
                                                {"WorkingDir", "/srv"}, {"User", "1000:2000"}});
  std::string error;
  REQUIRE(containerEnvironment(launch.pod, container, {}, sources(), &launch.env, &error));
  json config = ociConfig(launch);
  CHECK(config["ociVersion"] == "1.0.2");
  CHECK(config["process"]["args"] == json{"sh"});
  CHECK(config["process"]["cwd"] == "/srv");
  CHECK(config["process"]["user"]["uid"] == 1000);
  CHECK(config["process"]["user"]["gid"] == 2000);
  CHECK(config["process"]["terminal"] == false);
  CHECK(hasEnv(config, "PATH=/bin"));
  CHECK(hasEnv(config, "GREETING=hi"));  // the container's value wins
  CHECK_FALSE(hasEnv(config, "GREETING=image"));
  CHECK(hasEnv(config, "HOSTNAME=web"));
  CHECK(config["hostname"] == "web");
  CHECK(config["root"] == json{{"path", "/data/pods/u-1/containers/c/rootfs"}, {"readonly", false}});
  json namespaces = config["linux"]["namespaces"];
  CHECK(std::find(namespaces.begin(), namespaces.end(),
                  json{{"type", "network"}, {"path", "/run/netns/minik-u1"}}) != namespaces.end());
  CHECK(config["linux"]["cgroupsPath"] == "/minik/podu-1/c");
  auto caps = config["process"]["capabilities"]["bounding"];
  CHECK(std::find(caps.begin(), caps.end(), "CAP_NET_BIND_SERVICE") != caps.end());
  CHECK(std::find(caps.begin(), caps.end(), "CAP_SYS_ADMIN") == caps.end());
  bool resolvMounted = false;
  for (const auto& m : config["mounts"]) {
    if (m["destination"] == "/etc/resolv.conf") {
      resolvMounted = m["source"] == "/data/pods/u-1/resolv.conf" && m["type"] == "bind";
    }
  }
  CHECK(resolvMounted);
  CHECK(config["linux"]["resources"]["cpu"]["shares"] == 2);  // BestEffort, as the kubelet sets it
}

TEST_CASE("security context, resources and host network") {
  json container = {{"name", "c"},
                    {"securityContext",
                     {{"runAsUser", 65534},
                      {"readOnlyRootFilesystem", true},
                      {"allowPrivilegeEscalation", false},
                      {"capabilities", {{"add", {"NET_ADMIN"}}, {"drop", {"KILL"}}}}}},
                    {"resources", {{"limits", {{"cpu", "500m"}, {"memory", "128Mi"}}}, {"requests", {{"cpu", "250m"}}}}}};
  ContainerLaunch launch = launchOf(container);
  launch.pod["spec"]["securityContext"] = {{"runAsGroup", 3000}};
  launch.netnsPath.clear();
  json config = ociConfig(launch);
  CHECK(config["process"]["user"]["uid"] == 65534);
  CHECK(config["process"]["user"]["gid"] == 3000);
  CHECK(config["root"]["readonly"] == true);
  CHECK(config["process"]["noNewPrivileges"] == true);
  auto caps = config["process"]["capabilities"]["effective"];
  CHECK(std::find(caps.begin(), caps.end(), "CAP_NET_ADMIN") != caps.end());
  CHECK(std::find(caps.begin(), caps.end(), "CAP_KILL") == caps.end());
  CHECK(config["linux"]["resources"]["memory"]["limit"] == 134217728);
  CHECK(config["linux"]["resources"]["cpu"]["quota"] == 50000);
  CHECK(config["linux"]["resources"]["cpu"]["period"] == 100000);
  CHECK(config["linux"]["resources"]["cpu"]["shares"] == 256);
  for (const auto& ns : config["linux"]["namespaces"]) CHECK(ns["type"] != "network");
}

TEST_CASE("image references are normalized as containerd does") {
  CHECK(normalizeImageReference("busybox") == "docker.io/library/busybox:latest");
  CHECK(normalizeImageReference("nigelpoulton/k8sbook:text-dev") == "docker.io/nigelpoulton/k8sbook:text-dev");
  CHECK(normalizeImageReference("localhost:5000/app") == "localhost:5000/app:latest");
  CHECK(normalizeImageReference("ghcr.io/x/y:1.0") == "ghcr.io/x/y:1.0");
  CHECK(normalizeImageReference("busybox@sha256:abc") == "docker.io/library/busybox@sha256:abc");
  CHECK(normalizeImageReference("Bad/Name").empty());
  std::string repository, tag;
  splitImageReference("docker.io/library/busybox:latest", &repository, &tag);
  CHECK(repository == "docker.io/library/busybox");
  CHECK(tag == "latest");
}

TEST_CASE("quantities") {
  CHECK(parseQuantity("128Mi") == 134217728.0);
  CHECK(parseQuantity("500m") == Approx(0.5));
  CHECK(parseQuantity("2") == 2.0);
  CHECK(parseQuantity("1G") == 1e9);
}

TEST_CASE("tty: true is a terminal for the runtime; stdin and stdinOnce are the holder's", "[runtime_oci_config_test]") {
  json plain = {{"name", "c"}, {"image", "busybox"}};
  CHECK(ociConfig(launchOf(plain))["process"]["terminal"] == false);
  json jump = {{"name", "jump"}, {"image", "ubuntu"}, {"tty", true}, {"stdin", true}};
  CHECK(ociConfig(launchOf(jump))["process"]["terminal"] == true);

  ContainerStdio none = containerStdio(plain);
  CHECK_FALSE(none.tty);
  CHECK_FALSE(none.openStdin);
  ContainerStdio terminal = containerStdio(jump);
  CHECK(terminal.tty);
  CHECK(terminal.openStdin);
  CHECK_FALSE(terminal.stdinOnce);
  CHECK(containerStdio({{"stdin", true}, {"stdinOnce", true}}).stdinOnce);
  // Not booleans: not set (validation refuses them before they get here).
  CHECK_FALSE(containerStdio({{"tty", "yes"}}).tty);
}

TEST_CASE("the data dir of a minik server, from its command line", "[runtime_oci_config_test]") {
  using std::string;
  CHECK(serverDataDir(string(""), "/root") == "/var/lib/minik");
  CHECK(serverDataDir(string("--data-dir\0/srv/minik\0", 22), "/root") == "/srv/minik");
  CHECK(serverDataDir(string("--https-listen-port\0" "7443\0--data-dir=data\0", 41), "/home/pi") == "/home/pi/data");
}
