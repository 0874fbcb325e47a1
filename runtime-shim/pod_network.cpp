#include "runtime-shim/pod_network.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <thread>

#include "runtime-shim/pod_address_pool.h"
#include "runtime-shim/route_netlink.h"

namespace minik {

namespace {

const char kNetnsDir[] = "/run/netns";

std::string uidPrefix(const std::string& uid) {
  std::string out;
  for (char c : uid) {
    if (c != '-') out += c;
    if (out.size() == 12) break;
  }
  return out;
}

std::string errnoText(const std::string& what, int error) { return what + ": " + std::strerror(error); }
std::string netlinkText(const std::string& what, int error) { return what + ": " + RouteNetlink::describe(error); }

// A new network namespace, kept alive by a bind mount at path. unshare()
// changes only the calling thread's namespace, so a short-lived thread does
// it and the caller's thread stays where it was.
int createNamespace(const std::string& path) {
  mkdir("/run", 0755);
  mkdir(kNetnsDir, 0755);
  int fd = open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
  if (fd < 0) return errno;
  close(fd);
  int result = 0;
  std::thread([&] {
    if (unshare(CLONE_NEWNET) != 0) {
      result = errno;
      return;
    }
    if (mount("/proc/thread-self/ns/net", path.c_str(), "none", MS_BIND, nullptr) != 0) result = errno;
  }).join();
  if (result != 0) unlink(path.c_str());
  return result;
}

bool isNamespaceMount(const std::string& path) {
  // A bind-mounted nsfs file reports the nsfs magic; a bare file does not.
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return false;
  struct stat parent;
  if (stat(kNetnsDir, &parent) != 0) return false;
  return st.st_dev != parent.st_dev;
}

}  // namespace

std::string bridgeNetfilterProblem() {
  const char path[] = "/proc/sys/net/bridge/bridge-nf-call-iptables";
  std::ifstream in(path);
  std::string value;
  if (!(in >> value)) {
    return "br_netfilter is not loaded (no net.bridge.bridge-nf-call-iptables): pods get no answer from a "
           "Service whose endpoint is on the same bridge; load br_netfilter and set it to 1";
  }
  if (value != "1") {
    return "br_netfilter is off (net.bridge.bridge-nf-call-iptables=" + value +
           "): pods get no answer from a Service whose endpoint is on the same bridge; set it to 1";
  }
  return "";
}

PodNetworkNames podNetworkNames(const std::string& podUid) {
  std::string prefix = uidPrefix(podUid);
  return {"minik-" + prefix, std::string(kNetnsDir) + "/minik-" + prefix, "mk" + prefix};
}

PodNetwork::PodNetwork(std::string bridgeName, std::string bridgeCidr)
    : bridge_(std::move(bridgeName)), bridgeCidr_(std::move(bridgeCidr)) {}

bool PodNetwork::ensureBridge(std::string* error) {
  Ipv4Cidr cidr;
  size_t slash = bridgeCidr_.find('/');
  uint32_t gateway;
  if (slash == std::string::npos || !ipv4FromText(bridgeCidr_.substr(0, slash), &gateway) ||
      !Ipv4Cidr::parse(bridgeCidr_, &cidr)) {
    *error = "bad bridge address " + bridgeCidr_;
    return false;
  }
  RouteNetlink nl;
  if (!nl.ok()) {
    *error = errnoText("netlink socket", errno);
    return false;
  }
  int index = nl.linkIndex(bridge_);
  if (index == 0) {
    int e = nl.createBridge(bridge_);
    if (e != 0 && !RouteNetlink::alreadyExists(e)) {
      *error = netlinkText("create bridge " + bridge_, e);
      return false;
    }
    index = nl.linkIndex(bridge_);
  }
  if (int e = nl.addAddress(index, gateway, cidr.prefix)) {
    *error = netlinkText("address " + bridgeCidr_ + " on " + bridge_, e);
    return false;
  }
  if (int e = nl.setUp(index)) {
    *error = netlinkText("bring " + bridge_ + " up", e);
    return false;
  }
  // Forwarding for traffic entering from pods only: a pod's packets to a
  // ClusterIP are DNATed to another pod on the same bridge and must be routed
  // back out of it. The host's other interfaces keep their setting.
  std::ofstream("/proc/sys/net/ipv4/conf/" + bridge_ + "/forwarding") << "1";
  return true;
}

bool PodNetwork::exists(const std::string& podUid) const {
  return isNamespaceMount(podNetworkNames(podUid).netnsPath);
}

bool PodNetwork::setUp(const std::string& podUid, const std::string& podIp, std::string* error) {
  PodNetworkNames names = podNetworkNames(podUid);
  Ipv4Cidr cidr;
  uint32_t address, gateway;
  size_t slash = bridgeCidr_.find('/');
  if (!Ipv4Cidr::parse(bridgeCidr_, &cidr) || !ipv4FromText(podIp, &address) ||
      !ipv4FromText(bridgeCidr_.substr(0, slash), &gateway)) {
    *error = "bad pod address " + podIp;
    return false;
  }
  if (!isNamespaceMount(names.netnsPath)) {
    unlink(names.netnsPath.c_str());  // a leftover file without its mount
    if (int e = createNamespace(names.netnsPath)) {
      *error = errnoText("create network namespace " + names.netns, e);
      return false;
    }
  }
  RouteNetlink host;
  int bridgeIndex = host.linkIndex(bridge_);
  if (bridgeIndex == 0) {
    *error = "bridge " + bridge_ + " is missing";
    return false;
  }
  int e = 0;
  RouteNetlink pod = RouteNetlink::openIn(names.netnsPath, &e);
  if (!pod.ok()) {
    *error = errnoText("enter network namespace " + names.netns, e);
    return false;
  }
  int vethIndex = host.linkIndex(names.hostVeth);
  if (vethIndex != 0 && pod.linkIndex("eth0") == 0) {
    // The host end of an earlier attempt whose pod end is gone.
    host.deleteLink(vethIndex);
    vethIndex = 0;
  }
  if (vethIndex == 0) {
    int nsFd = open(names.netnsPath.c_str(), O_RDONLY | O_CLOEXEC);
    if (nsFd < 0) {
      *error = errnoText("open " + names.netnsPath, errno);
      return false;
    }
    e = host.createVethPair(names.hostVeth, "eth0", nsFd);
    close(nsFd);
    if (e != 0 && !RouteNetlink::alreadyExists(e)) {
      *error = netlinkText("create veth " + names.hostVeth, e);
      return false;
    }
    vethIndex = host.linkIndex(names.hostVeth);
  }
  // Hairpin as the CNI bridge plugin's hairpinMode: a pod reaching itself
  // through its Service gets its own packets back out of this port.
  if ((e = host.setMaster(vethIndex, bridgeIndex)) || (e = host.setHairpin(vethIndex)) ||
      (e = host.setUp(vethIndex))) {
    *error = netlinkText("attach " + names.hostVeth + " to " + bridge_, e);
    return false;
  }
  int lo = pod.linkIndex("lo"), eth0 = pod.linkIndex("eth0");
  if ((e = pod.setUp(lo)) || (e = pod.addAddress(eth0, address, cidr.prefix)) || (e = pod.setUp(eth0)) ||
      (e = pod.addDefaultRoute(gateway, eth0))) {
    *error = netlinkText("configure eth0 in " + names.netns, e);
    return false;
  }
  return true;
}

void PodNetwork::tearDown(const std::string& podUid) {
  PodNetworkNames names = podNetworkNames(podUid);
  RouteNetlink host;
  if (int index = host.linkIndex(names.hostVeth)) host.deleteLink(index);
  umount2(names.netnsPath.c_str(), MNT_DETACH);
  unlink(names.netnsPath.c_str());
}

}  // namespace minik
