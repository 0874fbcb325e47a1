#include "controllers/node_registration.h"

#include <arpa/inet.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "controllers/object_fields.h"
#include "controllers/rfc3339.h"

namespace minik {

using nlohmann::json;

namespace {

const char* const kKubeletVersion = "v1.31.0+minik";

std::string firstLine(const char* path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

std::string osPrettyName() {
  std::ifstream in("/etc/os-release");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("PRETTY_NAME=", 0) != 0) continue;
    std::string value = line.substr(12);
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'')) {
      value = value.substr(1, value.size() - 2);
    }
    return value;
  }
  return "Linux";
}

// uname's machine as GOARCH names it.
std::string goArch(const std::string& machine) {
  if (machine == "x86_64") return "amd64";
  if (machine == "aarch64" || machine == "arm64") return "arm64";
  if (machine.rfind("arm", 0) == 0) return "arm";
  if (machine == "i686" || machine == "i386") return "386";
  return machine;
}

json conditionsWanted(const std::string& now) {
  auto c = [&](const char* type, const char* status, const char* reason, const char* message) {
    return json{{"type", type},     {"status", status}, {"lastHeartbeatTime", now},
                {"lastTransitionTime", now}, {"reason", reason}, {"message", message}};
  };
  return json::array({c("MemoryPressure", "False", "KubeletHasSufficientMemory",
                        "kubelet has sufficient memory available"),
                      c("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                      c("PIDPressure", "False", "KubeletHasSufficientPID",
                        "kubelet has sufficient PID available"),
                      c("Ready", "True", "KubeletReady", "kubelet is posting ready status")});
}

}  // namespace

MachineFacts readMachineFacts() {
  MachineFacts f;
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  f.cpus = cpus > 0 ? cpus : 1;
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  int64_t value = 0;
  std::string unit;
  while (meminfo >> key >> value >> unit) {
    if (key == "MemTotal:") {
      f.memoryKi = value;
      break;
    }
  }
  struct statvfs fs {};
  if (statvfs("/", &fs) == 0) {
    f.ephemeralStorageKi = static_cast<int64_t>(fs.f_blocks) * static_cast<int64_t>(fs.f_frsize) / 1024;
  }
  struct utsname u {};
  if (uname(&u) == 0) {
    f.kernelVersion = u.release;
    f.architecture = goArch(u.machine);
  }
  f.osImage = osPrettyName();
  f.machineId = firstLine("/etc/machine-id");
  f.bootId = firstLine("/proc/sys/kernel/random/boot_id");
  f.systemUuid = firstLine("/sys/class/dmi/id/product_uuid");
  return f;
}

std::string firstPodCidr(const std::string& clusterCidr) {
  size_t slash = clusterCidr.find('/');
  std::string address = clusterCidr.substr(0, slash);
  int prefix = slash == std::string::npos ? 32 : std::atoi(clusterCidr.c_str() + slash + 1);
  in_addr a{};
  if (inet_pton(AF_INET, address.c_str(), &a) != 1) return clusterCidr;
  uint32_t ip = ntohl(a.s_addr);
  int length = prefix < 24 ? 24 : prefix;
  uint32_t mask = length == 0 ? 0 : ~uint32_t{0} << (32 - length);
  uint32_t base = prefix == 0 ? 0 : ip & (~uint32_t{0} << (32 - prefix));
  a.s_addr = htonl(base & mask);
  char text[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &a, text, sizeof text);
  return std::string(text) + "/" + std::to_string(length);
}

json nodeObject(const MachineFacts& f, const ClusterConfig& config, const std::string& now) {
  const std::string cidr = firstPodCidr(config.clusterCidr);
  json capacity = {{"cpu", std::to_string(f.cpus)},
                   {"ephemeral-storage", std::to_string(f.ephemeralStorageKi) + "Ki"},
                   {"memory", std::to_string(f.memoryKi) + "Ki"},
                   {"pods", "110"}};
  return json{
      {"apiVersion", "v1"},
      {"kind", "Node"},
      {"metadata",
       {{"name", config.nodeName},
        {"labels",
         {{"beta.kubernetes.io/arch", f.architecture},
          {"beta.kubernetes.io/instance-type", "minik"},
          {"beta.kubernetes.io/os", "linux"},
          {"kubernetes.io/arch", f.architecture},
          {"kubernetes.io/hostname", config.nodeName},
          {"kubernetes.io/os", "linux"},
          {"node-role.kubernetes.io/control-plane", "true"},
          {"node-role.kubernetes.io/master", "true"},
          {"node.kubernetes.io/instance-type", "minik"}}},
        {"annotations",
         {{"node.alpha.kubernetes.io/ttl", "0"},
          {"volumes.kubernetes.io/controller-managed-attach-detach", "true"}}}}},
      {"spec", {{"podCIDR", cidr}, {"podCIDRs", json::array({cidr})}}},
      {"status",
       {{"addresses", json::array({{{"type", "InternalIP"}, {"address", config.nodeIp}},
                                   {{"type", "Hostname"}, {"address", config.nodeName}}})},
        {"capacity", capacity},
        {"allocatable", capacity},
        {"conditions", conditionsWanted(now)},
        {"daemonEndpoints", {{"kubeletEndpoint", {{"Port", 10250}}}}},
        {"nodeInfo",
         {{"architecture", f.architecture},
          {"bootID", f.bootId},
          {"containerRuntimeVersion", "minik://embedded"},
          {"kernelVersion", f.kernelVersion},
          {"kubeProxyVersion", kKubeletVersion},
          {"kubeletVersion", kKubeletVersion},
          {"machineID", f.machineId},
          {"operatingSystem", "linux"},
          {"osImage", f.osImage},
          {"systemUUID", f.systemUuid}}}}}};
}

json nextNodeStatus(const json& current, const json& wanted, int64_t now) {
  json next = current.is_object() ? current : json::object();
  for (const char* key : {"addresses", "capacity", "allocatable", "daemonEndpoints", "nodeInfo"}) {
    next[key] = wanted[key];
  }
  const json& was = at(current, "/conditions");
  json conditions = json::array();
  for (json c : wanted["conditions"]) {
    const json* old = nullptr;
    if (was.is_array()) {
      for (const auto& o : was) {
        if (stringAt(o, "/type") == stringAt(c, "/type")) old = &o;
      }
    }
    if (old && stringAt(*old, "/status") == stringAt(c, "/status")) {
      c["lastTransitionTime"] = (*old)["lastTransitionTime"];
      bool same = stringAt(*old, "/reason") == stringAt(c, "/reason") &&
                  stringAt(*old, "/message") == stringAt(c, "/message");
      int64_t beat = parseRfc3339(stringAt(*old, "/lastHeartbeatTime"));
      if (same && now - beat < kHeartbeatSeconds) c["lastHeartbeatTime"] = (*old)["lastHeartbeatTime"];
    }
    conditions.push_back(std::move(c));
  }
  next["conditions"] = std::move(conditions);
  return next;
}

NodeRegistration::NodeRegistration(uv_loop_t* loop, ClusterClient& client, const ClusterConfig& config)
    : client_(client),
      config_(config),
      facts_(readMachineFacts()),
      nodeKind_(kindOf("", "nodes")),
      queue_(loop, [this](const std::string&) { return ensure(); }),
      heartbeat_(new uv_timer_t) {
  uv_timer_init(loop, heartbeat_);
  heartbeat_->data = this;
}

NodeRegistration::~NodeRegistration() {
  uv_timer_stop(heartbeat_);
  uv_close(reinterpret_cast<uv_handle_t*>(heartbeat_),
           [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
}

void NodeRegistration::start() {
  // Registered before the informers list, so the first pods find a node.
  if (ensure().kind != WorkQueue::Outcome::Done) queue_.add("");
  uv_timer_start(
      heartbeat_,
      [](uv_timer_t* t) { static_cast<NodeRegistration*>(t->data)->queue_.add(""); },
      kHeartbeatSeconds * 1000, kHeartbeatSeconds * 1000);
}

void NodeRegistration::nodeDeleted(const std::string& name) {
  if (name == config_.nodeName) queue_.add("");
}

WorkQueue::Outcome NodeRegistration::ensure() {
  const int64_t now = epochNow();
  json wanted = nodeObject(facts_, config_, formatRfc3339(now));
  ClientResult current = client_.get(nodeKind_, "", config_.nodeName);
  if (current.code() == 404) {
    ClientResult created = client_.create(nodeKind_, "", wanted);
    if (created.ok() || errorReason(created) == "AlreadyExists") return WorkQueue::Outcome::done();
    std::fprintf(stderr, "minik: cannot register node %s: %s\n", config_.nodeName.c_str(),
                 created.error->status.value("message", "").c_str());
    return WorkQueue::Outcome::retry();
  }
  if (!current.ok()) return WorkQueue::Outcome::retry();
  json node = std::move(current.object);
  // Labels and podCIDR as a kubelet keeps them: ours added, others left alone.
  json updated = node;
  for (auto it = wanted["metadata"]["labels"].begin(); it != wanted["metadata"]["labels"].end(); ++it) {
    updated["metadata"]["labels"][it.key()] = it.value();
  }
  if (stringAt(updated, "/spec/podCIDR").empty()) {
    updated["spec"]["podCIDR"] = wanted["spec"]["podCIDR"];
    updated["spec"]["podCIDRs"] = wanted["spec"]["podCIDRs"];
  }
  if (updated != node) {
    ClientResult r = client_.update(nodeKind_, "", config_.nodeName, updated);
    if (!r.ok()) return WorkQueue::Outcome::retry();
    node = std::move(r.object);
  }
  json status = nextNodeStatus(at(node, "/status"), wanted["status"], now);
  if (status != at(node, "/status")) {
    node["status"] = status;
    ClientResult r = client_.update(nodeKind_, "", config_.nodeName, node, "status");
    if (!r.ok()) return WorkQueue::Outcome::retry();
  }
  return WorkQueue::Outcome::done();
}

}  // namespace minik
