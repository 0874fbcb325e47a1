// bench/netagent — what programming the kernel costs the service proxy:
// time to program N Services x M endpoints from scratch, the cost of one
// endpoint change (netlink messages, microseconds), and of the periodic
// check, in nftables or IPVS mode; and the heap the desired state takes in
// minik. Runs in a private network namespace of its own (unshare), so it
// never touches the host's rules. Root required.
//
//   bench-netagent [--mode nftables|ipvs] [--services 10000] [--endpoints 10] [--changes 200]
//                  [--affinity SECONDS]   (every Service with sessionAffinity ClientIP)
#include <malloc.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "netagent/ipvs_backend.h"
#include "netagent/nft_backend.h"
#include "netagent/proxy_rules.h"

using namespace minik::netagent;
using Clock = std::chrono::steady_clock;

namespace {

double microsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

size_t heapInUse() { return mallinfo2().uordblks; }

long peakRssKiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

std::string keyOf(int i) { return "bench/svc-" + std::to_string(i) + ":http/TCP"; }

// Service i: 10.43.x.y:80 -> endpoints 10.42.a.b:8080, every service its own.
VirtualService serviceOf(int i, int endpoints, uint32_t affinitySeconds) {
  VirtualService vs;
  vs.affinitySeconds = affinitySeconds;
  vs.clusterIp = (10u << 24) | (43u << 16) | static_cast<uint32_t>(i + 2);
  vs.port = 80;
  for (int e = 0; e < endpoints; ++e) {
    uint32_t n = static_cast<uint32_t>(i * endpoints + e + 2);
    vs.backends.push_back({(10u << 24) | (42u << 16) | n, 8080, false});
  }
  return vs;
}

// What the service proxy keeps besides the programmed state (service_proxy.cpp):
// a view of each Service and of its EndpointSlice, by (namespace, name).
struct ProxyViews {
  using Key = std::pair<std::string, std::string>;
  std::map<Key, ServiceView> services;
  std::map<Key, SliceView> slices;
  std::map<Key, std::set<std::string>> slicesOfService;
};

void addViews(ProxyViews& views, int i, const VirtualService& vs) {
  const std::string name = "svc-" + std::to_string(i);
  ServiceView service{"bench", name, vs.clusterIp, {{"http", vs.port, vs.protocol, 0}}, vs.affinitySeconds};
  SliceView slice{name, {{"http", 8080, vs.protocol}}, {}};
  for (const Backend& b : vs.backends) slice.endpoints.push_back({b.ip, true, true, false});
  views.services[{"bench", name}] = std::move(service);
  views.slices[{"bench", name + "-abcde"}] = std::move(slice);
  views.slicesOfService[{"bench", name}].insert(name + "-abcde");
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = "nftables";
  int services = 10000, endpoints = 10, changes = 200, affinity = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--mode") mode = argv[i + 1];
    else if (flag == "--services") services = std::atoi(argv[i + 1]);
    else if (flag == "--endpoints") endpoints = std::atoi(argv[i + 1]);
    else if (flag == "--changes") changes = std::atoi(argv[i + 1]);
    else if (flag == "--affinity") affinity = std::atoi(argv[i + 1]);
    else {
      std::fprintf(stderr, "usage: %s [--mode nftables|ipvs] [--services N] [--endpoints M] [--changes K] [--affinity SECONDS]\n",
                   argv[0]);
      return 2;
    }
  }
  if (unshare(CLONE_NEWNET) != 0) {
    std::fprintf(stderr, "bench-netagent: cannot make a private network namespace (root needed): %s\n",
                 std::strerror(errno));
    return 1;
  }
  std::string error;
  std::unique_ptr<ProxyBackend> backend;
  if (mode == "ipvs") {
    // IPVS refuses real servers the namespace has no unicast route to.
    if (std::system("ip link set lo up && ip route add 10.42.0.0/16 dev lo") != 0) {
      std::fprintf(stderr, "bench-netagent: cannot add a route for the pod range (needs ip)\n");
      return 1;
    }
    IpvsOptions options;
    backend = makeIpvsBackend(options, &error);
  } else {
    backend = makeNftBackend(NftLayout{}, &error);
  }
  if (!backend) {
    std::fprintf(stderr, "bench-netagent: %s mode: %s\n", mode.c_str(), error.c_str());
    return 1;
  }

  const uint32_t affinitySeconds = static_cast<uint32_t>(affinity);
  const size_t heapBefore = heapInUse();
  ProxyState state;
  for (int i = 0; i < services; ++i) state[keyOf(i)] = serviceOf(i, endpoints, affinitySeconds);
  const size_t stateBytes = heapInUse() - heapBefore;
  ProxyViews views;
  for (int i = 0; i < services; ++i) addViews(views, i, state[keyOf(i)]);
  const size_t viewBytes = heapInUse() - heapBefore - stateBytes;
  long rssBefore = peakRssKiB();
  auto start = Clock::now();
  if (!backend->replaceAll(state, &error)) {
    std::fprintf(stderr, "bench-netagent: programming failed: %s\n", error.c_str());
    return 1;
  }
  double fullMicros = microsSince(start);
  BackendCounters full = backend->counters();
  std::printf("mode %s: %d services x %d endpoints%s\n", mode.c_str(), services, endpoints,
              affinity ? (", ClientIP affinity " + std::to_string(affinity) + " s").c_str() : "");
  std::printf("  minik's heap for them: %.2f MiB programmed state + %.2f MiB Service and slice views"
              " (%.0f bytes per service)\n",
              stateBytes / 1048576.0, viewBytes / 1048576.0, double(stateBytes + viewBytes) / services);
  std::printf("  program from scratch: %.1f ms, %llu netlink messages, %.1f MiB sent, peak RSS +%ld KiB\n",
              fullMicros / 1000, static_cast<unsigned long long>(full.messages), full.bytes / 1048576.0,
              peakRssKiB() - rssBefore);

  // One endpoint leaves a service, then comes back: two changes per round.
  std::vector<double> micros;
  BackendCounters before = backend->counters();
  for (int c = 0; c < changes; ++c) {
    const int service = (c / 2 * 7919) % services;
    const std::string key = keyOf(service);
    VirtualService next = serviceOf(service, endpoints, affinitySeconds);
    if (c % 2 == 0) next.backends.pop_back();
    auto diff = diffStates({{key, state[key]}}, {{key, next}});
    auto t = Clock::now();
    if (!backend->apply(diff, &error)) {
      std::fprintf(stderr, "bench-netagent: change failed: %s\n", error.c_str());
      return 1;
    }
    micros.push_back(microsSince(t));
    state[key] = next;
  }
  BackendCounters after = backend->counters();
  std::sort(micros.begin(), micros.end());
  if (!micros.empty()) {
    std::printf("  one endpoint change: median %.0f us, p90 %.0f us, %.1f netlink messages (%.0f bytes) per change\n",
                micros[micros.size() / 2], micros[micros.size() * 9 / 10],
                double(after.messages - before.messages) / micros.size(),
                double(after.bytes - before.bytes) / micros.size());
  }
  start = Clock::now();
  bool holds = backend->holds(state);
  std::printf("  periodic check (kernel holds the state: %s): %.1f ms\n", holds ? "yes" : "NO",
              microsSince(start) / 1000);
  return holds ? 0 : 1;
}
