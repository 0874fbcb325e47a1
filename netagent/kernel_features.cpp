#include "netagent/kernel_features.h"

#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <netlink/socket.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>

#include "netagent/ipvs_messages.h"
#include "netagent/netlink_channel.h"

namespace minik::netagent {

namespace {

bool fileExists(const char* path) {
  struct stat st;
  return stat(path, &st) == 0;
}

std::string readFile(const char* path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// One nfnetlink request of subsystem/type, answered without error.
bool nfnetlinkAnswers(int subsystem, int type, std::string* why) {
  std::string error;
  auto channel = NetlinkChannel::open(NETLINK_NETFILTER, &error);
  if (!channel) {
    *why = error;
    return false;
  }
  NetlinkWriter w(channel->takeSequences(1));
  nfgenmsg header{};
  header.nfgen_family = AF_INET;
  header.version = NFNETLINK_V0;
  w.begin(static_cast<uint16_t>((subsystem << 8) | type), NLM_F_ACK, &header, sizeof header);
  w.end();
  if (!channel->exchange(w, nullptr, &error)) {
    *why = error;
    return false;
  }
  return true;
}

// Runs probe in a child process inside a private network namespace, so
// that what it creates vanishes with the child. Exit codes: 0 worked,
// 2 no namespace, anything else refused.
int inThrowawayNamespace(const std::function<int()>& probe) {
  pid_t child = fork();
  if (child < 0) return 5;
  if (child == 0) {
    if (unshare(CLONE_NEWNET) != 0) _exit(2);
    _exit(probe());
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 4;
}

// Creates a link of kind in a private network namespace of a child process.
bool linkKindWorks(const char* kind, std::string* why) {
  int code = inThrowawayNamespace([kind] {
    nl_sock* sock = nl_socket_alloc();
    if (nl_connect(sock, NETLINK_ROUTE) < 0) return 3;
    int rc;
    if (std::string(kind) == "veth") {
      rc = rtnl_link_veth_add(sock, "probe0", "probe1", getpid());
    } else {
      rtnl_link* link = rtnl_link_alloc();
      rtnl_link_set_name(link, "probe0");
      rtnl_link_set_type(link, kind);
      rc = rtnl_link_add(sock, link, NLM_F_CREATE | NLM_F_EXCL);
    }
    return rc < 0 ? 1 : 0;
  });
  if (code == 2) *why = "cannot create a network namespace to try it";
  else if (code != 0) *why = std::string("the kernel refused a link of kind ") + kind;
  else *why = std::string("created a ") + kind + " link in a private network namespace";
  return code == 0;
}

// CONFIG_NAME's value in /proc/config.gz, "" when unknown.
std::string configValue(const std::string& text, const std::string& name) {
  std::string key = name + "=";
  size_t at = text.find("\n" + key);
  if (at == std::string::npos) {
    return text.find("# " + name + " is not set") != std::string::npos ? "n" : "";
  }
  size_t start = at + 1 + key.size();
  return text.substr(start, text.find('\n', start) - start);
}

// The kernel's build configuration when the distribution ships it as text
// (/boot/config-RELEASE); "" otherwise. Only shown beside the probes.
std::string kernelConfig() {
  utsname name{};
  uname(&name);
  std::string path = std::string("/boot/config-") + name.release;
  if (!fileExists(path.c_str())) return "";
  return "\n" + readFile(path.c_str());
}

}  // namespace

bool ipvsAvailable(std::string* why) {
  std::string error;
  auto channel = NetlinkChannel::open(NETLINK_GENERIC, &error);
  if (!channel) {
    *why = "generic netlink: " + error;
    return false;
  }
  if (channel->resolveFamily("IPVS") < 0) {
    *why = "the kernel has no IPVS generic netlink family (CONFIG_IP_VS unset or module not loaded)";
    return false;
  }
  *why = "the IPVS generic netlink family resolves";
  return true;
}

bool nftablesAvailable(std::string* why) {
  if (!nfnetlinkAnswers(NFNL_SUBSYS_NFTABLES, NFT_MSG_GETGEN, why)) {
    *why = "nf_tables does not answer: " + *why;
    return false;
  }
  *why = "nf_tables answers";
  return true;
}

bool sctpAvailable(const std::string& mode, std::string* why) {
  if (mode == "ipvs") {
    int code = inThrowawayNamespace([] {
      std::string error;
      auto channel = NetlinkChannel::open(NETLINK_GENERIC, &error);
      int family = channel ? channel->resolveFamily("IPVS") : -1;
      if (family < 0) return 3;
      IpvsMessages messages(static_cast<uint16_t>(family));
      IpvsService probe;
      probe.address = 0x0a000001;
      probe.port = 1;
      probe.protocol = L4Protocol::Sctp;
      NetlinkWriter w(channel->takeSequences(1));
      messages.newService(w, probe);
      return channel->exchange(w, nullptr, &error) ? 0 : 1;
    });
    *why = code == 0   ? "IPVS accepts SCTP virtual servers"
           : code == 2 ? "cannot create a network namespace to try an SCTP virtual server"
                       : "IPVS refuses SCTP virtual servers (CONFIG_IP_VS_PROTO_SCTP unset)";
    return code == 0;
  }
  // The SCTP tracker registers its timeouts beside the others once
  // conntrack is loaded; before that (a modular conntrack that minik's
  // table will load) there is nothing to read, and distribution kernels
  // build it in.
  if (fileExists("/proc/sys/net/netfilter/nf_conntrack_sctp_timeout_established")) {
    *why = "conntrack tracks SCTP";
    return true;
  }
  if (!fileExists("/proc/sys/net/netfilter/nf_conntrack_max")) {
    *why = "conntrack not loaded yet; assuming it tracks SCTP";
    return true;
  }
  *why = "conntrack does not track SCTP (CONFIG_NF_CT_PROTO_SCTP unset): DNAT cannot rewrite SCTP ports";
  return false;
}

bool bridgeNetfilterEnabled() {
  return readFile("/proc/sys/net/bridge/bridge-nf-call-iptables").compare(0, 1, "1") == 0;
}

std::vector<KernelFeature> probeKernelFeatures() {
  std::vector<KernelFeature> out;
  auto add = [&](const char* name, bool required, bool present, const std::string& detail) {
    out.push_back({name, present, required, detail});
  };
  std::string why;
  bool ok = ipvsAvailable(&why);
  add("IPVS", false, ok, why);
  ok = nftablesAvailable(&why);
  add("nftables", false, ok, why);
  ok = sctpAvailable(out[0].present ? "ipvs" : "nftables", &why);
  add("SCTP Services", false, ok, why);
  ok = nfnetlinkAnswers(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_GET_STATS, &why);
  add("conntrack netlink", false, ok, ok ? "ctnetlink answers" : "ctnetlink does not answer: " + why);
  ok = fileExists("/proc/self/ns/net");
  add("network namespaces", true, ok, ok ? "/proc/self/ns/net" : "no /proc/self/ns/net (CONFIG_NET_NS)");
  ok = linkKindWorks("veth", &why);
  add("veth", true, ok, why);
  ok = linkKindWorks("bridge", &why);
  add("bridge", true, ok, why);
  ok = linkKindWorks("dummy", &why);
  add("dummy", false, ok, ok ? why : why + " (IPVS mode needs it for ClusterIPs)");
  ok = bridgeNetfilterEnabled();
  add("bridge netfilter", false, ok,
      ok ? "net.bridge.bridge-nf-call-iptables=1"
         : "net.bridge.bridge-nf-call-iptables is not 1 (br_netfilter): pods on one bridge cannot reach "
           "each other through a Service");
  std::string mounts = readFile("/proc/mounts");
  bool v2 = mounts.find(" cgroup2 ") != std::string::npos;
  bool v1 = mounts.find(" cgroup ") != std::string::npos;
  ok = v1 || v2;
  add("cgroups", true, ok,
      !ok ? "no cgroup filesystem mounted"
          : v2 && !v1 ? "cgroup v2 (unified)" : v2 ? "cgroup v1 with v2 beside it (hybrid)" : "cgroup v1");
  return out;
}

int runCheckConfig(const std::vector<std::string>& args) {
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
    std::printf("Report the kernel features minik needs (IPVS, nftables, conntrack netlink, network namespaces, "
                "veth, bridge, cgroups, ...) and the service proxy mode it would choose.\n\nUsage:\n  minik "
                "check-config\n");
    return 0;
  }
  if (!args.empty()) {
    std::fprintf(stderr, "error: check-config takes no arguments\n");
    return 1;
  }
  utsname name{};
  uname(&name);
  std::printf("Kernel %s %s\n\n", name.release, name.machine);
  std::string config = kernelConfig();
  std::vector<KernelFeature> features = probeKernelFeatures();
  const std::pair<const char*, const char*> options[] = {
      {"IPVS", "CONFIG_IP_VS"}, {"nftables", "CONFIG_NF_TABLES"}, {"conntrack netlink", "CONFIG_NF_CT_NETLINK"},
      {"network namespaces", "CONFIG_NET_NS"}, {"veth", "CONFIG_VETH"}, {"bridge", "CONFIG_BRIDGE"},
      {"dummy", "CONFIG_DUMMY"}, {"bridge netfilter", "CONFIG_BRIDGE_NETFILTER"},
      {"cgroups", "CONFIG_CGROUPS"}};
  bool requiredMissing = false;
  bool proxyMode = false;
  for (const KernelFeature& f : features) {
    std::string option;
    for (const auto& [feature, name] : options) {
      if (f.name == feature && !config.empty()) {
        std::string value = configValue(config, name);
        option = std::string(" [") + name + "=" + (value.empty() ? "?" : value) + "]";
      }
    }
    std::printf("- %-20s %s%s: %s\n", (f.name + ":").c_str(),
                f.present ? "enabled" : f.required ? "missing (required)" : "missing", option.c_str(),
                f.detail.c_str());
    if (f.required && !f.present) requiredMissing = true;
    if ((f.name == "IPVS" || f.name == "nftables") && f.present) proxyMode = true;
  }
  bool ipvs = features[0].present;
  std::printf("\nService proxy mode: %s\n",
              ipvs ? "ipvs" : proxyMode ? "nftables (IPVS is missing)" : "none (neither IPVS nor nftables)");
  if (!proxyMode) requiredMissing = true;
  std::printf("%s\n", requiredMissing ? "STATUS: FAIL" : "STATUS: pass");
  return requiredMissing ? 1 : 0;
}

}  // namespace minik::netagent
