// `minik server`: opens the store, serves the API, writes the kubeconfig.
#include "cmd/server_command.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include <uv.h>

#include "api/cluster_config.h"
#include "apiserver/api_server.h"
#include "apiserver/in_process_client.h"
#include "apiserver/object_registry.h"
#include "cmd/flags.h"
#include "cmd/kubeconfig_file.h"
#include "controllers/service_controllers.h"
#include "controllers/workload_controllers.h"
#include "dns/cluster_dns.h"
#include "netagent/service_proxy.h"
#include "runtime-shim/pod_runtime.h"
#include "store/store.h"

namespace minik {

namespace {

bool isLoopback(const std::string& address) {
  in_addr v4;
  if (inet_pton(AF_INET, address.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6;
  if (inet_pton(AF_INET6, address.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return address == "localhost";
}

bool ensureDir(const std::string& dir) {
  if (dir.empty()) return false;
  size_t slash = dir.find_last_of('/');
  if (slash != std::string::npos && slash > 0) ensureDir(dir.substr(0, slash));
  return mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST;
}

std::string hostName() {
  char name[256] = {0};
  if (gethostname(name, sizeof name - 1) != 0 || name[0] == 0) return "minik";
  std::string out = name;
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The interface of the IPv4 default route (/proc/net/route: destination
// 00000000), "" when there is none.
std::string defaultRouteInterface() {
  FILE* f = std::fopen("/proc/net/route", "r");
  if (!f) return "";
  char line[512], name[64];
  unsigned long destination = 1, mask = 1;
  std::string found;
  while (std::fgets(line, sizeof line, f)) {
    if (std::sscanf(line, "%63s %lx %*s %*s %*s %*s %*s %lx", name, &destination, &mask) == 3 &&
        destination == 0 && mask == 0) {
      found = name;
      break;
    }
  }
  std::fclose(f);
  return found;
}

// The node's address, as k3s picks it: the IPv4 address of the default
// route's interface; else the first non-loopback IPv4 address of an
// interface that is up (a board without a default route); else loopback.
std::string primaryIpv4() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return "127.0.0.1";
  const std::string routed = defaultRouteInterface();
  std::string first, onRoute;
  for (ifaddrs* i = list; i; i = i->ifa_next) {
    if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || !(i->ifa_flags & IFF_UP) ||
        (i->ifa_flags & IFF_LOOPBACK)) {
      continue;
    }
    char text[INET_ADDRSTRLEN];
    auto* in = reinterpret_cast<sockaddr_in*>(i->ifa_addr);
    if (!inet_ntop(AF_INET, &in->sin_addr, text, sizeof text)) continue;
    if (first.empty()) first = text;
    if (onRoute.empty() && routed == i->ifa_name) onRoute = text;
  }
  freeifaddrs(list);
  if (!onRoute.empty()) return onRoute;
  return first.empty() ? "127.0.0.1" : first;
}

// Runs the store's compaction in small steps: every second, and back to back
// while work remains, so writers are never stalled for long.
struct CompactionTimer {
  uv_timer_t timer{};
  Store* store = nullptr;
  static void tick(uv_timer_t* t) {
    auto* self = static_cast<CompactionTimer*>(t->data);
    bool more = self->store->compactStep();
    uv_timer_start(t, tick, more ? 10 : 1000, 0);
  }
};

}  // namespace

void declareServerFlags(Flags& flags) {
  flags.value("data-dir", "/var/lib/minik", "folder of the database");
  flags.value("bind-address", "127.0.0.1", "address the API listens on (loopback only until TLS)");
  flags.value("https-listen-port", "6443", "port the API listens on");
  flags.value("write-kubeconfig", "/etc/minik/minik.yaml", "where to write the kubeconfig for kubectl");
  flags.value("store-cache-kib", "1024", "SQLite page cache per connection, KiB");
  flags.value("event-window", "10000", "events kept for watches to resume from");
  flags.value("service-cidr", "10.43.0.0/16", "range of Service ClusterIPs");
  flags.value("cluster-cidr", "10.42.0.0/16", "range of pod IPs");
  flags.value("cluster-dns", "10.43.0.10", "ClusterIP of the kube-dns Service");
  flags.value("cluster-domain", "cluster.local", "the cluster's DNS domain");
  flags.value("dns-listen", "", "extra address:port the cluster DNS serves on (e.g. 127.0.0.1:5353)");
  flags.value("resolv-conf", "/etc/resolv.conf", "upstream resolvers for names outside the cluster");
  flags.value("container-runtime", "auto",
              "OCI runtime that runs this node's pods: auto (crun, then runc; crun is skipped on hybrid "
              "cgroups), a name or path, or none");
  flags.value("images-dir", "", "image tarballs imported at start (default: <data-dir>/agent/images)");
  flags.value("node-name", "", "this node's name (default: the hostname)");
  flags.value("node-ip", "", "this node's IPv4 address (default: the first non-loopback one)");
  flags.boolean("store-sync-full", "fsync every commit (power-loss safe; slower, more flash wear)");
  flags.value("proxy-mode", "", "service proxy: ipvs, nftables or none (default: ipvs where the kernel has it, else nftables)");
  flags.value("ipvs-scheduler", "rr", "IPVS scheduler for Services (rr, wrr, lc, sh, ...)");
  flags.value("proxy-resync-seconds", "30", "how often the proxy checks that the kernel still holds its rules");
  flags.boolean("cleanup-proxy", "remove everything the service proxy put in the kernel, then exit");
}

int runServer(const Flags& flags) {
  ServiceProxyOptions proxyOptions;
  proxyOptions.mode = flags.get("proxy-mode");
  proxyOptions.ipvsScheduler = flags.get("ipvs-scheduler");
  proxyOptions.resyncSeconds = flags.getInt("proxy-resync-seconds");
  if (flags.get("cleanup-proxy") == "true") {
    ClusterConfig cluster;
    cluster.serviceCidr = flags.get("service-cidr");
    cluster.clusterCidr = flags.get("cluster-cidr");
    cluster.nodeIp = flags.get("node-ip").empty() ? primaryIpv4() : flags.get("node-ip");
    return cleanupServiceProxy(cluster, proxyOptions) ? 0 : 1;
  }
  const std::string bind = flags.get("bind-address");
  if (!isLoopback(bind)) {
    std::fprintf(stderr,
                 "minik server: refusing --bind-address %s: the API is served without TLS, so it "
                 "only listens on loopback (127.0.0.1 or ::1) until TLS support lands\n",
                 bind.c_str());
    return 1;
  }
  const std::string dataDir = flags.get("data-dir");
  if (!ensureDir(dataDir)) {
    std::fprintf(stderr, "minik server: cannot create --data-dir %s: %s\n", dataDir.c_str(),
                 std::strerror(errno));
    return 1;
  }
  StoreOptions storeOptions;
  storeOptions.path = dataDir + "/minik.db";
  storeOptions.cacheKiB = flags.getInt("store-cache-kib");
  storeOptions.eventWindowCount = flags.getInt("event-window");
  storeOptions.syncFull = flags.get("store-sync-full") == "true";
  std::string error;
  std::unique_ptr<Store> store = Store::open(storeOptions, &error);
  if (!store) {
    std::fprintf(stderr, "minik server: cannot open the store %s: %s\n", storeOptions.path.c_str(),
                 error.c_str());
    return 1;
  }
  ClusterConfig cluster;
  cluster.serviceCidr = flags.get("service-cidr");
  cluster.clusterCidr = flags.get("cluster-cidr");
  cluster.clusterDns = flags.get("cluster-dns");
  cluster.clusterDomain = flags.get("cluster-domain");
  cluster.nodeName = flags.get("node-name").empty() ? hostName() : flags.get("node-name");
  cluster.nodeIp = flags.get("node-ip").empty() ? primaryIpv4() : flags.get("node-ip");

  uv_loop_t* loop = uv_default_loop();
  ObjectRegistry registry(*store);
  InProcessClient client(loop, registry);
  // Admission (address allocation) is part of the write path: set it up
  // before the first write.
  std::unique_ptr<ServiceControllers> serviceControllers =
      makeServiceControllers(loop, client, cluster);
  for (AdmissionPlugin* plugin : serviceControllers->admissionPlugins()) registry.addAdmission(plugin);
  registry.ensureSystemNamespaces();
  NodeRuntimeOptions runtimeOptions;
  runtimeOptions.dataDir = dataDir;
  runtimeOptions.containerRuntime = flags.get("container-runtime");
  runtimeOptions.imagesDir = flags.get("images-dir");
  runtimeOptions.resolvConf = flags.get("resolv-conf");
  std::unique_ptr<NodeRuntime> nodeRuntime = makeNodeRuntime(loop, client, cluster, runtimeOptions);
  registry.setBoundPodsDeleteGracefully(nodeRuntime->runsPods());

  ApiServerOptions apiOptions;
  apiOptions.bindAddress = bind;
  apiOptions.port = flags.getInt("https-listen-port");
  ApiServer api(loop, registry, apiOptions);
  api.setPodLogSource(nodeRuntime->logSource());
  if (!api.start(&error)) {
    std::fprintf(stderr, "minik server: cannot listen on %s:%d: %s\n", bind.c_str(), apiOptions.port,
                 error.c_str());
    return 1;
  }
  std::string host = bind.find(':') != std::string::npos ? "[" + bind + "]" : bind;
  std::string url = "http://" + host + ":" + std::to_string(api.port());
  const std::string kubeconfig = flags.get("write-kubeconfig");
  if (!writeKubeconfig(kubeconfig, url, &error)) {
    std::fprintf(stderr, "minik server: %s\n", error.c_str());
    return 1;
  }
  std::fprintf(stderr, "minik server: serving the Kubernetes API on %s (data in %s, kubeconfig %s)\n",
               url.c_str(), storeOptions.path.c_str(), kubeconfig.c_str());
  cluster.apiAddress = bind + ":" + std::to_string(api.port());

  std::unique_ptr<WorkloadControllers> workloadControllers =
      makeWorkloadControllers(loop, client, cluster);
  // One pod informer for both: the endpoint controller's pods come from it.
  workloadControllers->feedPodsTo(serviceControllers->podHandlers());
  serviceControllers->start();
  workloadControllers->start();
  if (!nodeRuntime->start(&error)) {
    std::fprintf(stderr, "minik server: node runtime: %s\n", error.c_str());
    return 1;
  }

  ClusterDnsOptions dnsOptions;
  // The coredns pod's address: the node's, or its pod-network address when
  // another resolver holds port 53 on the node's (dns/cluster_dns.h).
  dnsOptions.podAddresses = {cluster.nodeIp, nodeRuntime->podNetworkAddress()};
  if (!flags.get("dns-listen").empty()) dnsOptions.listen.push_back(flags.get("dns-listen"));
  dnsOptions.resolvConf = flags.get("resolv-conf");
  std::unique_ptr<ClusterDns> dns = makeClusterDns(loop, client, cluster, dnsOptions);
  if (!dns->start(&error)) {
    std::fprintf(stderr, "minik server: cluster DNS: %s\n", error.c_str());
    return 1;
  }
  workloadControllers->setDnsServer(dns.get());

  std::unique_ptr<ServiceProxy> proxy = makeServiceProxy(loop, client, cluster, proxyOptions);
  if (!proxy->start(&error)) {
    std::fprintf(stderr, "minik server: service proxy: %s\n", error.c_str());
    return 1;
  }

  CompactionTimer compaction;
  compaction.store = store.get();
  uv_timer_init(loop, &compaction.timer);
  compaction.timer.data = &compaction;
  uv_timer_start(&compaction.timer, CompactionTimer::tick, 1000, 0);

  // SIGINT/SIGTERM stop the loop; every acknowledged write is already durable.
  uv_signal_t sigint, sigterm;
  auto stop = [](uv_signal_t* s, int) { uv_stop(s->loop); };
  uv_signal_init(loop, &sigint);
  uv_signal_start(&sigint, stop, SIGINT);
  uv_signal_init(loop, &sigterm);
  uv_signal_start(&sigterm, stop, SIGTERM);
  uv_run(loop, UV_RUN_DEFAULT);
  std::fprintf(stderr, "minik server: stopping\n");
  proxy->stop();
  dns->stop();
  api.stop();
  nodeRuntime->stop();
  return 0;
}

}  // namespace minik
