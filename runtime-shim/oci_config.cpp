#include "runtime-shim/oci_config.h"

#include <algorithm>
#include <cmath>

#include "runtime-shim/pod_dns_files.h"

namespace minik {

using json = nlohmann::json;

namespace {

// containerd's default set (oci.WithDefaultSpec / the CRI's default caps).
const char* const kDefaultCapabilities[] = {
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID",   "CAP_FOWNER",         "CAP_MKNOD",
    "CAP_NET_RAW", "CAP_SETGID",     "CAP_SETUID",   "CAP_SETFCAP",        "CAP_SETPCAP",
    "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"};

const char* const kAllCapabilities[] = {
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
    "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
    "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE"};

const char kDefaultPath[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

std::string capabilityName(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(), ::toupper);
  return name.rfind("CAP_", 0) == 0 ? name : "CAP_" + name;
}

json securityValue(const json& pod, const json& container, const char* key) {
  json c = container.value("securityContext", json::object());
  if (c.is_object() && c.contains(key) && !c[key].is_null()) return c[key];
  json p = pod.value("spec", json::object()).value("securityContext", json::object());
  if (p.is_object() && p.contains(key) && !p[key].is_null()) return p[key];
  return nullptr;
}

json mountEntry(const std::string& destination, const std::string& type, const std::string& source,
                std::vector<std::string> options) {
  return {{"destination", destination}, {"type", type}, {"source", source}, {"options", options}};
}

}  // namespace

json ociConfig(const ContainerLaunch& launch) {
  const json& container = launch.container;
  json securityContext = container.value("securityContext", json::object());
  if (!securityContext.is_object()) securityContext = json::object();
  bool privileged = securityContext.value("privileged", false);

  // Environment: the image's, then the container's over it.
  EnvVars env;
  auto set = [&](const std::string& name, const std::string& value) {
    for (auto& v : env) {
      if (v.first == name) {
        v.second = value;
        return;
      }
    }
    env.emplace_back(name, value);
  };
  for (const auto& e : launch.imageConfig.value("Env", json::array())) {
    if (!e.is_string()) continue;
    std::string text = e.get<std::string>();
    size_t eq = text.find('=');
    if (eq != std::string::npos) set(text.substr(0, eq), text.substr(eq + 1));
  }
  bool hasPath = std::any_of(env.begin(), env.end(), [](const auto& v) { return v.first == "PATH"; });
  if (!hasPath) env.insert(env.begin(), {"PATH", kDefaultPath});
  set("HOSTNAME", podHostname(launch.pod));
  for (const auto& v : launch.env) set(v.first, v.second);
  json envList = json::array();
  for (const auto& v : env) envList.push_back(v.first + "=" + v.second);

  std::string cwd = container.value("workingDir", "");
  if (cwd.empty()) cwd = launch.imageConfig.value("WorkingDir", "");
  if (cwd.empty()) cwd = "/";

  // User: securityContext first, else the image's numeric "uid[:gid]".
  int64_t uid = 0, gid = 0;
  std::string imageUser = launch.imageConfig.value("User", "");
  if (!imageUser.empty() && std::isdigit(static_cast<unsigned char>(imageUser[0]))) {
    uid = std::strtoll(imageUser.c_str(), nullptr, 10);
    size_t colon = imageUser.find(':');
    if (colon != std::string::npos) gid = std::strtoll(imageUser.c_str() + colon + 1, nullptr, 10);
  }
  json runAsUser = securityValue(launch.pod, container, "runAsUser");
  json runAsGroup = securityValue(launch.pod, container, "runAsGroup");
  if (runAsUser.is_number_integer()) uid = runAsUser.get<int64_t>();
  if (runAsGroup.is_number_integer()) gid = runAsGroup.get<int64_t>();
  json user = {{"uid", uid}, {"gid", gid}};
  json supplemental = launch.pod.value("spec", json::object()).value("securityContext", json::object());
  if (supplemental.is_object() && supplemental.contains("supplementalGroups")) {
    user["additionalGids"] = supplemental["supplementalGroups"];
  }

  std::vector<std::string> caps;
  if (privileged) {
    caps.assign(std::begin(kAllCapabilities), std::end(kAllCapabilities));
  } else {
    caps.assign(std::begin(kDefaultCapabilities), std::end(kDefaultCapabilities));
    json capabilities = securityContext.value("capabilities", json::object());
    if (capabilities.is_object()) {
      for (const auto& a : capabilities.value("add", json::array())) {
        std::string name = capabilityName(a.get<std::string>());
        if (name == "CAP_ALL") caps.assign(std::begin(kAllCapabilities), std::end(kAllCapabilities));
        else if (std::find(caps.begin(), caps.end(), name) == caps.end()) caps.push_back(name);
      }
      for (const auto& d : capabilities.value("drop", json::array())) {
        std::string name = capabilityName(d.get<std::string>());
        if (name == "CAP_ALL") caps.clear();
        else caps.erase(std::remove(caps.begin(), caps.end(), name), caps.end());
      }
    }
  }
  json capabilitySets = {{"bounding", caps}, {"effective", caps}, {"permitted", caps}};
  if (uid == 0) capabilitySets["inheritable"] = json::array();

  // tty: the runtime makes a pty the console and hands its master over the
  // console socket (container_stdio.h).
  const bool tty = container.contains("tty") && container["tty"].is_boolean() && container["tty"].get<bool>();
  json process = {{"terminal", tty},
                  {"user", user},
                  {"args", containerArgv(container, launch.imageConfig, launch.env)},
                  {"env", envList},
                  {"cwd", cwd},
                  {"capabilities", capabilitySets},
                  {"noNewPrivileges", !privileged && !securityContext.value("allowPrivilegeEscalation", true)},
                  {"oomScoreAdj", 1000}};

  json mounts = json::array({
      mountEntry("/proc", "proc", "proc", {"nosuid", "noexec", "nodev"}),
      mountEntry("/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}),
      mountEntry("/dev/pts", "devpts", "devpts",
                 {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}),
      mountEntry("/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}),
      mountEntry("/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}),
      mountEntry("/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", privileged ? "rw" : "ro"}),
      mountEntry("/sys/fs/cgroup", "cgroup", "cgroup",
                 {"nosuid", "noexec", "nodev", "relatime", privileged ? "rw" : "ro"}),
  });
  for (const auto& m : launch.mounts) {
    mounts.push_back(mountEntry(m.destination, "bind", m.source,
                                {"rbind", "rprivate", m.readOnly ? "ro" : "rw"}));
  }

  json namespaces = json::array({{{"type", "pid"}}, {{"type", "ipc"}}, {{"type", "uts"}}, {{"type", "mount"}}});
  if (!launch.netnsPath.empty()) namespaces.push_back({{"type", "network"}, {"path", launch.netnsPath}});

  json resources = {{"devices", json::array({{{"allow", false}, {"access", "rwm"}}})}};
  json limits = container.value("resources", json::object()).value("limits", json::object());
  json requests = container.value("resources", json::object()).value("requests", json::object());
  if (limits.is_object() && limits.contains("memory")) {
    resources["memory"] = {{"limit", static_cast<int64_t>(parseQuantity(limits["memory"].get<std::string>()))}};
  }
  json cpu = json::object();
  if (limits.is_object() && limits.contains("cpu")) {
    double cores = parseQuantity(limits["cpu"].get<std::string>());
    // The kubelet's MilliCPUToQuota: quota = milli * period / 1000, at least 1 ms.
    int64_t quota = std::max<int64_t>(1000, static_cast<int64_t>(std::llround(cores * 100000)));
    cpu["quota"] = quota;
    cpu["period"] = 100000;
  }
  std::string requestCpu = requests.is_object() && requests.contains("cpu") ? requests["cpu"].get<std::string>()
                           : limits.is_object() && limits.contains("cpu")   ? limits["cpu"].get<std::string>()
                                                                             : "";
  // MilliCPUToShares: milli * 1024 / 1000, at least 2.
  int64_t shares = requestCpu.empty()
                       ? 2
                       : std::max<int64_t>(2, static_cast<int64_t>(parseQuantity(requestCpu) * 1024));
  cpu["shares"] = shares;
  resources["cpu"] = cpu;

  json linuxSection = {{"namespaces", namespaces},
                {"resources", resources},
                {"cgroupsPath", launch.cgroupsPath},
                {"maskedPaths", json::array({"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
                                             "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
                                             "/proc/sched_debug", "/proc/scsi", "/sys/firmware"})},
                {"readonlyPaths", json::array({"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                                               "/proc/sysrq-trigger"})}};
  if (privileged) {
    linuxSection.erase("maskedPaths");
    linuxSection.erase("readonlyPaths");
    linuxSection["resources"]["devices"] = json::array({{{"allow", true}, {"access", "rwm"}}});
  }

  return {{"ociVersion", "1.0.2"},
          {"process", process},
          {"root", {{"path", launch.rootfs}, {"readonly", securityContext.value("readOnlyRootFilesystem", false)}}},
          {"hostname", podHostname(launch.pod)},
          {"mounts", mounts},
          {"linux", linuxSection}};
}

}  // namespace minik
