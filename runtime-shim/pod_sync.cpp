#include "runtime-shim/pod_sync.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "runtime-shim/child_reaper.h"
#include "runtime-shim/container_env.h"
#include "runtime-shim/container_logs.h"
#include "runtime-shim/container_probes.h"
#include "runtime-shim/container_rootfs.h"
#include "runtime-shim/file_tree.h"
#include "runtime-shim/image_reference.h"
#include "runtime-shim/oci_config.h"
#include "runtime-shim/pod_dns_files.h"
#include "runtime-shim/pod_status.h"
#include "runtime-shim/pod_volumes.h"

namespace minik {

using json = nlohmann::json;
using State = ContainerRecord::State;

namespace {

constexpr int kInitialBackoffSeconds = 10;
constexpr int kMaxBackoffSeconds = 300;
constexpr int64_t kBackoffResetSeconds = 600;  // ran this long: the next crash starts over
constexpr size_t kMaxTerminationMessage = 4096;

int64_t nowMs() {
  timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int64_t nowSeconds() { return nowMs() / 1000; }

std::string str(const json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

json containerSpecs(const json& pod, const char* key) {
  json list = pod.value("spec", json::object()).value(key, json::array());
  return list.is_array() ? list : json::array();
}

std::string containerDir(const NodeServices& node, const std::string& uid, const std::string& name) {
  return podDir(node, uid) + "/containers/" + name;
}

std::string uidPrefix(const std::string& uid) {
  std::string out;
  for (char c : uid) {
    if (c != '-') out += c;
    if (out.size() == 12) break;
  }
  return out;
}

void saveRecord(const NodeServices& node, const PodRecord& record) {
  std::string error;
  writeFileAtomically(podDir(node, record.uid) + "/state.json", toJson(record).dump() + "\n", &error);
}

// Has the container's init exited? exitCode gets its status when known.
bool processExited(pid_t pid, int* exitCode, bool* known) {
  *known = false;
  if (pid <= 0) return true;
  siginfo_t info{};
  if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG) == 0) {
    if (info.si_pid != pid) return false;  // still running
    unregisterChild(pid);
    *known = true;
    *exitCode = info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
    return true;
  }
  // Not our child (adopted after a restart of minik): it is alive while
  // /proc has it and it is not a zombie.
  std::string stat = readFile("/proc/" + std::to_string(pid) + "/stat");
  if (stat.empty()) return true;
  size_t close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'Z';
}

void removeContainer(const NodeServices& node, const PodRecord& record, ContainerRecord& c) {
  if (!c.runtimeId.empty()) {
    std::string error;
    node.runtime->remove(c.runtimeId, &error);
  }
  releaseRootfs(containerDir(node, record.uid, c.name));
}

void recordExit(const NodeServices& node, const PodRecord& record, ContainerRecord& c, int exitCode, bool known) {
  c.state = State::Terminated;
  c.ready = false;
  c.terminated = ContainerTermination{};
  c.terminated.startedAt = c.startedAt;
  c.terminated.finishedAt = nowSeconds();
  c.terminated.runtimeId = c.runtimeId;
  if (!known) {
    c.terminated.exitCode = 137;
    c.terminated.reason = "ContainerStatusUnknown";
    c.terminated.message = "The container could not be located when the pod was terminated";
  } else {
    c.terminated.exitCode = exitCode;
    c.terminated.reason = exitCode == 0 ? "Completed" : "Error";
    std::string message = readFile(containerDir(node, record.uid, c.name) + "/termination-log");
    if (message.size() > kMaxTerminationMessage) message.resize(kMaxTerminationMessage);
    c.terminated.message = message;
  }
  c.pid = 0;
  c.killAtMs = 0;
  removeContainer(node, record, c);
}

// Sends SIGTERM, then SIGKILL once graceSeconds have passed.
void stopContainer(const NodeServices& node, ContainerRecord& c, int64_t graceSeconds) {
  if (c.state != State::Running) return;
  std::string error;
  int64_t now = nowMs();
  if (c.killAtMs == 0) {
    c.killAtMs = now + std::max<int64_t>(0, graceSeconds) * 1000;
    node.runtime->kill(c.runtimeId, graceSeconds > 0 ? SIGTERM : SIGKILL, &error);
  } else if (now >= c.killAtMs) {
    node.runtime->kill(c.runtimeId, SIGKILL, &error);
  }
}

bool writeSandboxFiles(const NodeServices& node, const json& pod, const PodRecord& record) {
  std::string dir = podDir(node, record.uid);
  std::string resolv = formatResolvConf(
      podResolverConfig(pod, node.clusterDns, node.clusterDomain, node.hostResolvConf));
  std::string hosts = record.hostNetwork ? readFile("/etc/hosts")
                                         : podHostsFile(pod, record.podIp, node.clusterDomain);
  return writeFile(dir + "/resolv.conf", resolv) && writeFile(dir + "/hosts", hosts) &&
         writeFile(dir + "/hostname", podHostname(pod) + "\n");
}

bool ensureSandbox(const NodeServices& node, const json& pod, PodRecord& record) {
  std::string error;
  if (record.sandboxReady && (record.hostNetwork || node.network->exists(record.uid))) return true;
  makeDirs(podDir(node, record.uid));
  if (record.hostNetwork) {
    record.podIp = node.nodeIp;
  } else {
    record.podIp = node.addresses->allocate(record.uid, &error);
    if (record.podIp.empty() || !node.network->setUp(record.uid, record.podIp, &error)) {
      record.sandboxError = "Failed to create pod sandbox: " + error;
      return false;
    }
  }
  if (!writeSandboxFiles(node, pod, record)) {
    record.sandboxError = "Failed to create pod sandbox: cannot write resolv.conf/hosts";
    return false;
  }
  record.sandboxReady = true;
  record.sandboxError.clear();
  return true;
}

void setWaiting(ContainerRecord& c, const std::string& reason, const std::string& message) {
  c.state = State::Waiting;
  c.waitingReason = reason;
  c.waitingMessage = message;
}

// The attempt ended (or could not start): move it to lastState and set the
// back-off before the next start.
void scheduleRestart(const json& pod, const PodRecord& record, ContainerRecord& c) {
  int64_t ran = c.terminated.finishedAt - c.terminated.startedAt;
  if (ran >= kBackoffResetSeconds) c.backoffSeconds = 0;
  c.hasLast = true;
  c.last = c.terminated;
  c.backoffUntilMs = nowMs() + int64_t{c.backoffSeconds} * 1000;
  std::string message = "back-off " + std::to_string(c.backoffSeconds) + "s restarting failed container=" +
                        c.name + " pod=" + str(pod["metadata"], "name") + "_" + record.ns + "(" + record.uid + ")";
  c.backoffSeconds = c.backoffSeconds == 0 ? kInitialBackoffSeconds
                                           : std::min(kMaxBackoffSeconds, c.backoffSeconds * 2);
  setWaiting(c, c.backoffUntilMs > nowMs() ? "CrashLoopBackOff" : "ContainerCreating",
             c.backoffUntilMs > nowMs() ? message : "");
}

class PodPass {
 public:
  PodPass(const NodeServices& node, const SyncInput& input, PodRecord& record)
      : node_(node), input_(input), pod_(input.pod), record_(record) {}

  SyncOutcome run();

 private:
  bool terminating() const;
  int64_t gracePeriod() const;
  void reap();
  void syncInitContainers(bool* initialized);
  void syncContainers();
  void handleStopped(ContainerRecord& c, const json& spec);
  void startContainer(ContainerRecord& c, const json& spec);
  void runProbes(ContainerRecord& c, const json& spec);
  std::optional<json> lookup(const std::string& kind, const std::string& name) const;
  void tearDown();

  const NodeServices& node_;
  const SyncInput& input_;
  const json& pod_;
  PodRecord& record_;
  bool volumesReady_ = false;
  std::map<std::string, std::string> volumePaths_;
};

bool PodPass::terminating() const {
  return input_.goneFromApi || pod_.value("metadata", json::object()).contains("deletionTimestamp");
}

int64_t PodPass::gracePeriod() const {
  json metadata = pod_.value("metadata", json::object());
  if (metadata.contains("deletionGracePeriodSeconds") && metadata["deletionGracePeriodSeconds"].is_number()) {
    return metadata["deletionGracePeriodSeconds"].get<int64_t>();
  }
  json spec = pod_.value("spec", json::object());
  if (spec.contains("terminationGracePeriodSeconds") && spec["terminationGracePeriodSeconds"].is_number()) {
    return spec["terminationGracePeriodSeconds"].get<int64_t>();
  }
  return 30;
}

std::optional<json> PodPass::lookup(const std::string& kind, const std::string& name) const {
  auto it = input_.sources.find(kind + "/" + name);
  return it == input_.sources.end() ? std::nullopt : it->second;
}

void PodPass::reap() {
  for (auto& c : record_.containers) {
    if (c.state != State::Running) continue;
    int exitCode = 0;
    bool known = false;
    if (processExited(c.pid, &exitCode, &known)) recordExit(node_, record_, c, exitCode, known);
  }
}

void PodPass::tearDown() {
  for (auto& c : record_.containers) removeContainer(node_, record_, c);
  if (!record_.hostNetwork) {
    node_.network->tearDown(record_.uid);
    node_.addresses->release(record_.uid);
  }
  removeTree(podDir(node_, record_.uid));
}

SyncOutcome PodPass::run() {
  if (record_.uid.empty()) {
    json metadata = pod_.value("metadata", json::object());
    record_.uid = str(metadata, "uid");
    record_.ns = str(metadata, "namespace");
    record_.name = str(metadata, "name");
    record_.hostNetwork = pod_.value("spec", json::object()).value("hostNetwork", false);
    record_.startTime = nowSeconds();
  }
  // The record follows the spec's containers (init first).
  for (const char* key : {"initContainers", "containers"}) {
    for (const auto& spec : containerSpecs(pod_, key)) {
      std::string name = spec.value("name", "");
      if (!findContainer(record_, name)) {
        ContainerRecord c;
        c.name = name;
        c.init = std::string(key) == "initContainers";
        c.image = normalizeImageReference(spec.value("image", ""));
        record_.containers.push_back(c);
      }
    }
  }
  makeDirs(podDir(node_, record_.uid));
  reap();
  if (terminating()) {
    bool running = false;
    for (auto& c : record_.containers) {
      if (c.state == State::Running) {
        stopContainer(node_, c, gracePeriod());
        running = true;
      }
    }
    if (running) {
      // Give quick exits a moment, so a pod with a short grace period goes
      // in this pass rather than the next.
      usleep(100 * 1000);
      reap();
      running = std::any_of(record_.containers.begin(), record_.containers.end(),
                            [](const ContainerRecord& c) { return c.state == State::Running; });
    }
    if (!running) {
      tearDown();
      return SyncOutcome::Finished;
    }
    saveRecord(node_, record_);
    return SyncOutcome::Active;
  }
  if (!ensureSandbox(node_, pod_, record_)) {
    for (auto& c : record_.containers) {
      if (c.state == State::Waiting) setWaiting(c, "ContainerCreating", record_.sandboxError);
    }
    saveRecord(node_, record_);
    return SyncOutcome::Active;
  }
  bool initialized = true;
  syncInitContainers(&initialized);
  if (initialized && !record_.failedInit) syncContainers();
  saveRecord(node_, record_);
  return SyncOutcome::Active;
}

void PodPass::syncInitContainers(bool* initialized) {
  json specs = containerSpecs(pod_, "initContainers");
  std::string policy = pod_.value("spec", json::object()).value("restartPolicy", "Always");
  for (const auto& spec : specs) {
    ContainerRecord* c = findContainer(record_, spec.value("name", ""));
    if (!c) continue;
    if (c->state == State::Terminated && c->terminated.exitCode == 0) continue;
    *initialized = false;
    if (c->state == State::Running) return;
    if (c->state == State::Terminated) {
      if (!shouldRestart(policy, true, c->terminated.exitCode)) {
        record_.failedInit = true;
        return;
      }
      scheduleRestart(pod_, record_, *c);
    }
    if (c->backoffUntilMs <= nowMs()) startContainer(*c, spec);
    return;
  }
}

void PodPass::syncContainers() {
  for (const auto& spec : containerSpecs(pod_, "containers")) {
    ContainerRecord* c = findContainer(record_, spec.value("name", ""));
    if (!c) continue;
    if (c->state == State::Running) {
      if (c->killAtMs != 0) {
        stopContainer(node_, *c, 0);  // escalates once the grace period is over
        continue;
      }
      runProbes(*c, spec);
      continue;
    }
    if (c->state == State::Terminated) handleStopped(*c, spec);
    if (c->state == State::Waiting && c->backoffUntilMs <= nowMs()) startContainer(*c, spec);
    if (c->state == State::Waiting && c->backoffUntilMs > nowMs() && c->waitingReason == "ContainerCreating") {
      c->waitingReason = "CrashLoopBackOff";
    }
  }
}

void PodPass::handleStopped(ContainerRecord& c, const json& spec) {
  (void)spec;
  std::string policy = pod_.value("spec", json::object()).value("restartPolicy", "Always");
  bool restart = c.restartAfterStop || shouldRestart(policy, false, c.terminated.exitCode);
  c.restartAfterStop = false;
  if (restart) scheduleRestart(pod_, record_, c);
}

void PodPass::startContainer(ContainerRecord& c, const json& spec) {
  const std::string imageName = spec.value("image", "");
  const std::string reference = normalizeImageReference(imageName);
  std::optional<ImageRecord> image = node_.images->find(imageName);
  if (!image) {
    std::string policy = spec.value("imagePullPolicy", "IfNotPresent");
    if (policy == "Never") {
      setWaiting(c, "ErrImageNeverPull",
                 "Container image \"" + imageName + "\" is not present with pull policy of Never");
    } else {
      bool again = c.waitingReason == "ErrImagePull" || c.waitingReason == "ImagePullBackOff";
      const std::string how = "image \"" + reference +
                              "\" is not in this node's image store and minik does not pull images yet: "
                              "import it with `minik image import FILE.tar` (a `docker save` or OCI archive) "
                              "or put the tarball in the server's --images-dir";
      setWaiting(c, again ? "ImagePullBackOff" : "ErrImagePull",
                 again ? "Back-off pulling image \"" + imageName + "\": " + how : how);
      c.backoffUntilMs = nowMs() + 10 * 1000;
    }
    return;
  }
  c.image = image->name;
  c.imageId = image->id;
  PodAddresses addresses{record_.podIp, node_.nodeIp};
  auto lookupSource = [this](const std::string& kind, const std::string& name) { return lookup(kind, name); };
  EnvVars env;
  std::string error;
  if (!containerEnvironment(pod_, spec, addresses, lookupSource, &env, &error)) {
    setWaiting(c, "CreateContainerConfigError", error);
    return;
  }
  if (!volumesReady_) {
    if (!materializeVolumes(pod_, podDir(node_, record_.uid), lookupSource, &volumePaths_, &error)) {
      setWaiting(c, "ContainerCreating", error);
      return;
    }
    volumesReady_ = true;
  }
  std::string dir = containerDir(node_, record_.uid, c.name);
  makeDirs(dir);
  std::vector<std::string> layers;
  for (const auto& l : image->layers) layers.push_back(node_.images->layerPath(l));
  ContainerLaunch launch;
  launch.pod = pod_;
  launch.container = spec;
  launch.imageConfig = image->config;
  launch.env = env;
  if (!prepareRootfs(layers, dir, &launch.rootfs, &error)) {
    setWaiting(c, "CreateContainerError", error);
    return;
  }
  if (!record_.hostNetwork) launch.netnsPath = podNetworkNames(record_.uid).netnsPath;
  std::string pd = podDir(node_, record_.uid);
  writeFile(dir + "/termination-log", "");
  std::string terminationPath = spec.value("terminationMessagePath", "/dev/termination-log");
  launch.mounts = {{"/etc/hosts", pd + "/hosts", false},
                   {"/etc/hostname", pd + "/hostname", false},
                   {"/etc/resolv.conf", pd + "/resolv.conf", false},
                   {terminationPath, dir + "/termination-log", false}};
  for (auto& m : volumeMounts(spec, volumePaths_)) launch.mounts.push_back(m);
  c.attempt += 1;
  c.runtimeId = uidPrefix(record_.uid) + "-" + c.name + "-" + std::to_string(c.attempt);
  launch.cgroupsPath = "/minik/pod" + record_.uid + "/" + c.runtimeId;
  writeFile(dir + "/config.json", ociConfig(launch).dump(1) + "\n", 0600);
  ContainerLogs logs(containerLogDir(node_, record_.uid, c.name), node_.logMaxBytes);
  logs.prepare(c.attempt);
  node_.runtime->remove(c.runtimeId, &error);  // a leftover of a crash between create and record
  error.clear();
  pid_t pid = 0;
  c.restartCount = c.attempt;
  int64_t started = nowSeconds();
  if (!node_.runtime->create(c.runtimeId, dir, logs.pathOf(c.attempt), containerStdio(spec), &pid, &error) ||
      !node_.runtime->start(c.runtimeId, &error)) {
    // As containerd reports it: the attempt ended before it began.
    if (pid > 0) unregisterChild(pid);
    removeContainer(node_, record_, c);
    c.state = State::Terminated;
    c.ready = false;
    c.terminated = ContainerTermination{128, "StartError", error, started, started, c.runtimeId};
    return;
  }
  c.state = State::Running;
  c.pid = pid;
  c.startedAt = started;
  c.waitingReason.clear();
  c.waitingMessage.clear();
  c.killAtMs = 0;
  bool hasStartup = spec.contains("startupProbe");
  bool hasReadiness = spec.contains("readinessProbe");
  c.started = !hasStartup;
  c.ready = !hasReadiness && !hasStartup;
  c.probeSuccesses = c.readinessFailures = c.livenessFailures = c.startupFailures = 0;
  int64_t now = nowMs();
  auto firstRun = [&](const char* key) {
    return spec.contains(key) ? now + int64_t{spec[key].value("initialDelaySeconds", 0)} * 1000 : 0;
  };
  c.nextStartupMs = firstRun("startupProbe");
  c.nextReadinessMs = firstRun("readinessProbe");
  c.nextLivenessMs = firstRun("livenessProbe");
}

void PodPass::runProbes(ContainerRecord& c, const json& spec) {
  int64_t now = nowMs();
  ContainerLogs(containerLogDir(node_, record_.uid, c.name), node_.logMaxBytes).rotateIfLarge(c.attempt);
  auto period = [&](const char* key) { return int64_t{std::max(1, spec[key].value("periodSeconds", 10))} * 1000; };
  if (!c.started) {
    if (spec.contains("startupProbe") && now >= c.nextStartupMs) {
      c.nextStartupMs = now + period("startupProbe");
      ProbeOutcome r = runProbe(spec["startupProbe"], spec, record_.podIp, *node_.runtime, c.runtimeId);
      if (r.success) {
        c.started = true;
        c.ready = !spec.contains("readinessProbe");
      } else if (++c.startupFailures >= spec["startupProbe"].value("failureThreshold", 3)) {
        c.restartAfterStop = true;
        stopContainer(node_, c, pod_.value("spec", json::object()).value("terminationGracePeriodSeconds", 30));
      }
    }
    return;
  }
  if (spec.contains("livenessProbe") && now >= c.nextLivenessMs) {
    c.nextLivenessMs = now + period("livenessProbe");
    ProbeOutcome r = runProbe(spec["livenessProbe"], spec, record_.podIp, *node_.runtime, c.runtimeId);
    if (r.success) {
      c.livenessFailures = 0;
    } else if (++c.livenessFailures >= spec["livenessProbe"].value("failureThreshold", 3)) {
      // As the kubelet: the container is killed and restarted per policy
      // (a liveness kill restarts even under OnFailure).
      c.restartAfterStop = pod_.value("spec", json::object()).value("restartPolicy", "Always") != "Never";
      int64_t grace = spec["livenessProbe"].contains("terminationGracePeriodSeconds")
                          ? spec["livenessProbe"]["terminationGracePeriodSeconds"].get<int64_t>()
                          : pod_.value("spec", json::object()).value("terminationGracePeriodSeconds", 30);
      stopContainer(node_, c, grace);
      c.ready = false;
      return;
    }
  }
  if (spec.contains("readinessProbe") && now >= c.nextReadinessMs) {
    c.nextReadinessMs = now + period("readinessProbe");
    ProbeOutcome r = runProbe(spec["readinessProbe"], spec, record_.podIp, *node_.runtime, c.runtimeId);
    if (r.success) {
      c.readinessFailures = 0;
      if (++c.probeSuccesses >= spec["readinessProbe"].value("successThreshold", 1)) c.ready = true;
    } else {
      c.probeSuccesses = 0;
      if (++c.readinessFailures >= spec["readinessProbe"].value("failureThreshold", 3)) c.ready = false;
    }
  }
}

}  // namespace

std::string podDir(const NodeServices& node, const std::string& uid) { return node.podsDir + "/" + uid; }

std::string containerLogDir(const NodeServices& node, const std::string& uid, const std::string& container) {
  return podDir(node, uid) + "/logs/" + container;
}

SyncOutcome syncPod(const NodeServices& node, const SyncInput& input, PodRecord& record) {
  return PodPass(node, input, record).run();
}

PodRecord loadPodRecord(const NodeServices& node, const std::string& uid) {
  return podRecordFromJson(readJsonFile(podDir(node, uid) + "/state.json"));
}

void removeLeftoverPod(const NodeServices& node, const std::string& uid) {
  PodRecord record = loadPodRecord(node, uid);
  record.uid = uid;
  for (auto& c : record.containers) {
    if (!c.runtimeId.empty()) {
      std::string error;
      node.runtime->kill(c.runtimeId, SIGKILL, &error);
    }
    removeContainer(node, record, c);
  }
  if (!record.hostNetwork) {
    node.network->tearDown(uid);
    node.addresses->release(uid);
  }
  removeTree(podDir(node, uid));
}

}  // namespace minik
