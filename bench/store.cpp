// bench-store: figures for the store budget — write rate, list time, watch
// fan-out latency, peak RSS and size on disk.
//
// Usage: bench-store [N=10000] [data-dir=a new temp dir]
// Creates N pod-like objects (~1 KiB of JSON each), updates each once, lists
// them whole and in pages of 500, then measures how long a committed create
// takes to reach 4 watcher threads, and compacts.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/store.h"

using namespace minik;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

// A pod as a Deployment would make it, about 1 KiB once the store stamps it.
std::string podJson(int i, const std::string& image) {
  std::string name = "web-7d4b9c8f5d-" + std::to_string(100000 + i);
  return R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + name +
         R"(","namespace":"ns)" + std::to_string(i % 10) +
         R"(","labels":{"app":"web","pod-template-hash":"7d4b9c8f5d","tier":"frontend"},)"
         R"("annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-26T10:00:00Z"},)"
         R"("ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-7d4b9c8f5d",)"
         R"("uid":"5b1f3f2e-8d0c-4b7e-9a51-0c6f3d2f9e11","controller":true,"blockOwnerDeletion":true}]},)"
         R"("spec":{"containers":[{"name":"web","image":")" + image +
         R"(","ports":[{"name":"http","containerPort":8080,"protocol":"TCP"}],)"
         R"("env":[{"name":"LOG_LEVEL","value":"info"},{"name":"CACHE_SIZE","value":"64Mi"}],)"
         R"("resources":{"limits":{"cpu":"500m","memory":"128Mi"},"requests":{"cpu":"100m","memory":"64Mi"}},)"
         R"("volumeMounts":[{"name":"kube-api-access","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount","readOnly":true}],)"
         R"("imagePullPolicy":"IfNotPresent","terminationMessagePath":"/dev/termination-log"}],)"
         R"("restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst",)"
         R"("serviceAccountName":"default","nodeName":"edge-1","schedulerName":"default-scheduler",)"
         R"("volumes":[{"name":"kube-api-access","projected":{"defaultMode":420,"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}}]}}]},)"
         R"("status":{"phase":"Running","podIP":"10.42.0.)" + std::to_string(i % 250 + 2) +
         R"(","hostIP":"192.168.1.10","qosClass":"Burstable","startTime":"2026-11-26T10:00:00Z"}})";
}

StoreKey podKey(int i) {
  return {"pods", "ns" + std::to_string(i % 10), "web-7d4b9c8f5d-" + std::to_string(100000 + i)};
}

std::string procStatus(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field, 0) == 0) {
      size_t p = line.find_first_not_of(" \t", line.find(':') + 1);
      return line.substr(p);
    }
  return "?";
}

double fileMiB(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? st.st_size / 1048576.0 : 0.0;
}

void printDisk(const char* when, const std::string& db) {
  printf("disk %-28s db %.2f MiB, wal %.2f MiB\n", when, fileMiB(db), fileMiB(db + "-wal"));
}

// A watcher thread: drains on every notify and stamps when it saw each revision.
struct Watcher {
  std::mutex mu;
  std::condition_variable cv;
  bool signalled = false;
  std::shared_ptr<StoreWatch> watch;
  std::vector<int64_t> seenNs;  // indexed by revision - base
  int64_t base = 0;
  int64_t last = 0;
  std::thread thread;

  void run() {
    std::vector<StoreEvent> events;
    while (true) {
      {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [this] { return signalled; });
        signalled = false;
      }
      events.clear();
      bool open = watch->drain(events);
      int64_t t = nowNs();
      for (auto& e : events) {
        size_t k = static_cast<size_t>(e.revision - base);
        if (k < seenNs.size()) seenNs[k] = t;
        if (e.revision >= last) return;
      }
      if (!open) return;
    }
  }
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * (v.size() - 1) + 0.5))];
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::max(1, atoi(argv[1])) : 10000;
  std::string dir;
  bool ownDir = argc <= 2;
  if (ownDir) {
    char tmpl[] = "/tmp/bench-store-XXXXXX";
    dir = mkdtemp(tmpl);
  } else {
    dir = argv[2];
  }
  StoreOptions options;
  options.path = dir + "/state.db";
  std::string error;
  auto store = Store::open(options, &error);
  if (!store) {
    fprintf(stderr, "bench-store: %s\n", error.c_str());
    return 1;
  }
  printf("bench-store: N=%d, db %s, cache %d KiB, window %lld events / %llds, sync %s\n", n,
         options.path.c_str(), options.cacheKiB, static_cast<long long>(options.eventWindowCount),
         static_cast<long long>(options.eventWindowSeconds), options.syncFull ? "FULL" : "NORMAL");
  printf("object size ~%zu bytes of JSON before stamping\n", podJson(0, "nginx:1.27").size());

  auto start = Clock::now();
  for (int i = 0; i < n; ++i)
    if (store->create(podKey(i), podJson(i, "nginx:1.27")).code != StoreCode::Ok) {
      fprintf(stderr, "create %d failed\n", i);
      return 1;
    }
  double t = secondsSince(start);
  printf("create  %8d objects  %7.3f s  %9.0f writes/s\n", n, t, n / t);

  start = Clock::now();
  for (int i = 0; i < n; ++i)
    if (store->update(podKey(i), podJson(i, "nginx:1.28"), 0).code != StoreCode::Ok) {
      fprintf(stderr, "update %d failed\n", i);
      return 1;
    }
  t = secondsSince(start);
  printf("update  %8d objects  %7.3f s  %9.0f writes/s\n", n, t, n / t);
  printDisk("after create+update:", options.path);

  size_t items = 0, bytes = 0;
  start = Clock::now();
  ListOptions all;
  all.resource = "pods";
  store->list(all, [&](const StoredObject& o) {
    ++items;
    bytes += o.json.size();
    return true;
  });
  t = secondsSince(start);
  printf("list    full            %7.1f ms  (%zu items, %.1f MiB of JSON)\n", t * 1000, items,
         bytes / 1048576.0);

  items = 0;
  int pages = 0;
  start = Clock::now();
  ListOptions paged;
  paged.resource = "pods";
  paged.limit = 500;
  do {
    ListResult r = store->list(paged, [&](const StoredObject&) { return ++items, true; });
    paged.continueToken = r.continueToken;
    ++pages;
  } while (!paged.continueToken.empty());
  t = secondsSince(start);
  printf("list    paged by 500    %7.1f ms  (%zu items in %d pages)\n", t * 1000, items, pages);

  items = 0;
  start = Clock::now();
  ListOptions oneNamespace;
  oneNamespace.resource = "pods";
  oneNamespace.ns = "ns3";
  store->list(oneNamespace, [&](const StoredObject&) { return ++items, true; });
  t = secondsSince(start);
  printf("list    one namespace   %7.1f ms  (%zu items)\n", t * 1000, items);

  // Watch fan-out: 4 watchers, 1000 creates paced 1 ms apart so each
  // latency is the path commit -> queue -> notify -> drain, not a backlog.
  const int kWatchers = 4, kEvents = 1000;
  const int64_t base = store->currentRevision() + 1;
  std::vector<std::unique_ptr<Watcher>> watchers;
  for (int w = 0; w < kWatchers; ++w) {
    auto watcher = std::make_unique<Watcher>();
    Watcher* self = watcher.get();
    watcher->base = base;
    watcher->last = base + kEvents - 1;
    watcher->seenNs.assign(kEvents, 0);
    StoreResult r;
    watcher->watch = store->watch({"pods", "", ""}, 0,
                                  [self] {
                                    std::lock_guard<std::mutex> lock(self->mu);
                                    self->signalled = true;
                                    self->cv.notify_one();
                                  },
                                  &r);
    if (r.code != StoreCode::Ok) {
      fprintf(stderr, "watch: %s\n", r.message.c_str());
      return 1;
    }
    watcher->thread = std::thread([self] { self->run(); });
    watchers.push_back(std::move(watcher));
  }
  std::vector<int64_t> calledNs(kEvents), returnedNs(kEvents);
  for (int i = 0; i < kEvents; ++i) {
    calledNs[i] = nowNs();
    StoreResult r = store->create(podKey(n + i), podJson(n + i, "nginx:1.27"));
    returnedNs[i] = nowNs();
    if (r.code != StoreCode::Ok || r.object.revision != base + i) {
      fprintf(stderr, "watch create %d failed\n", i);
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  for (auto& w : watchers) w->thread.join();
  std::vector<double> afterReturn, afterCall;
  int missing = 0;
  for (auto& w : watchers)
    for (int i = 0; i < kEvents; ++i) {
      if (!w->seenNs[i]) {
        ++missing;
        continue;
      }
      // The event is queued before create() returns, so a watcher can see
      // it "before" the return: those count as zero.
      afterReturn.push_back(std::max<int64_t>(0, w->seenNs[i] - returnedNs[i]) / 1000.0);
      afterCall.push_back((w->seenNs[i] - calledNs[i]) / 1000.0);
    }
  printf("watch   %d watchers x %d events: create() return -> seen  p50 %.1f us  p99 %.1f us\n",
         kWatchers, kEvents, percentile(afterReturn, 0.5), percentile(afterReturn, 0.99));
  printf("watch   create() call -> seen (includes the commit)      p50 %.1f us  p99 %.1f us  (%d missed)\n",
         percentile(afterCall, 0.5), percentile(afterCall, 0.99), missing);
  for (auto& w : watchers) w->watch->cancel();

  printDisk("before compaction:", options.path);
  int steps = 0;
  start = Clock::now();
  while (store->compactStep()) ++steps;
  store->compactStep();  // quiet now: truncates the WAL
  t = secondsSince(start);
  printf("compact %d steps %.1f ms, event log now (%lld, %lld]\n", steps, t * 1000,
         static_cast<long long>(store->compactedRevision()), static_cast<long long>(store->currentRevision()));
  printDisk("after compaction:", options.path);

  printf("memory  peak RSS (VmHWM) %s, now (VmRSS) %s\n", procStatus("VmHWM").c_str(),
         procStatus("VmRSS").c_str());
  store.reset();
  printDisk("after close:", options.path);
  if (ownDir) std::system(("rm -rf '" + dir + "'").c_str());
  return 0;
}
