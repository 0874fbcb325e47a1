// Store semantics against a real SQLite file in a temporary folder:
// revisions, metadata stamping, preconditions, paging, watches, compaction,
// restart, idleness on disk and WAL bounds under churn.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/store.h"

using minik::EventType;
using minik::ListOptions;
using minik::ListResult;
using minik::Store;
using minik::StoreCode;
using minik::StoredObject;
using minik::StoreEvent;
using minik::StoreKey;
using minik::StoreOptions;
using minik::StoreResult;
using minik::StoreWatch;
using minik::WatchFilter;
using nlohmann::json;

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/minik-store-test-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
};

struct Fixture {
  TempDir dir;
  StoreOptions options;
  std::unique_ptr<Store> store;

  Fixture() {
    options.path = dir.path + "/state.db";
    reopen();
  }
  void reopen() {
    store.reset();
    std::string error;
    store = Store::open(options, &error);
    INFO(error);
    REQUIRE(store);
  }
};

StoreKey pod(const std::string& ns, const std::string& name) { return {"pods", ns, name}; }

std::string podJson(const std::string& name, const std::string& image = "nginx") {
  return json{{"apiVersion", "v1"},
              {"kind", "Pod"},
              {"metadata", {{"name", name}}},
              {"spec", {{"containers", {{{"name", "c"}, {"image", image}}}}}}}
      .dump();
}

json metadataOf(const StoredObject& object) { return json::parse(object.json).at("metadata"); }

// Collects a watch's events, woken by its notify callback.
struct Collector {
  std::mutex mu;
  std::condition_variable cv;
  bool signalled = false;
  std::atomic<int> notifications{0};
  std::shared_ptr<StoreWatch> watch;
  std::vector<StoreEvent> events;
  bool open = true;

  std::function<void()> notifier() {
    return [this] {
      ++notifications;
      std::lock_guard<std::mutex> lock(mu);
      signalled = true;
      cv.notify_one();
    };
  }
  // Drains until the newest event reaches revision or the watch closes.
  void waitFor(int64_t revision) {
    while (open && (events.empty() || events.back().revision < revision)) {
      {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait_for(lock, std::chrono::milliseconds(200), [this] { return signalled; });
        signalled = false;
      }
      open = watch->drain(events);
    }
  }
};

off_t fileSize(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? st.st_size : -1;
}

}  // namespace

TEST_CASE("revisions are global, monotonic and equal resourceVersion", "[store]") {
  Fixture f;
  CHECK(f.store->currentRevision() == 0);
  auto a = f.store->create(pod("default", "a"), podJson("a"));
  auto b = f.store->create(pod("default", "b"), podJson("b"));
  auto c = f.store->create({"namespaces", "", "default"}, R"({"metadata":{"name":"default"}})");
  REQUIRE(a.code == StoreCode::Ok);
  REQUIRE(b.code == StoreCode::Ok);
  REQUIRE(c.code == StoreCode::Ok);
  CHECK(a.object.revision == 1);
  CHECK(b.object.revision == 2);
  CHECK(c.object.revision == 3);
  auto u = f.store->update(pod("default", "a"), podJson("a", "redis"), 0);
  REQUIRE(u.code == StoreCode::Ok);
  CHECK(u.object.revision == 4);
  auto d = f.store->remove(pod("default", "b"), 0, "");
  REQUIRE(d.code == StoreCode::Ok);
  CHECK(d.object.revision == 5);
  CHECK(f.store->currentRevision() == 5);

  for (const auto* r : {&a, &b, &c, &u, &d})
    CHECK(metadataOf(r->object).at("resourceVersion") == std::to_string(r->object.revision));
  auto got = f.store->get(pod("default", "a"));
  REQUIRE(got.code == StoreCode::Ok);
  CHECK(got.object.revision == 4);
  CHECK(metadataOf(got.object).at("resourceVersion") == "4");
}

TEST_CASE("objects and the revision survive a reopen", "[store]") {
  Fixture f;
  f.store->create(pod("default", "a"), podJson("a"));
  f.store->create(pod("default", "b"), podJson("b"));
  f.store->remove(pod("default", "b"), 0, "");  // the newest revision belongs to no object
  f.reopen();
  CHECK(f.store->currentRevision() == 3);
  auto got = f.store->get(pod("default", "a"));
  REQUIRE(got.code == StoreCode::Ok);
  CHECK(got.object.revision == 1);
  CHECK(f.store->get(pod("default", "b")).code == StoreCode::NotFound);
  CHECK(f.store->create(pod("default", "c"), podJson("c")).object.revision == 4);

  SECTION("even when compaction emptied the event log") {
    f.options.eventWindowCount = 0;
    f.reopen();
    while (f.store->compactStep()) {
    }
    CHECK(f.store->compactedRevision() == 4);
    f.reopen();
    CHECK(f.store->currentRevision() == 4);
    CHECK(f.store->compactedRevision() == 4);
    CHECK(f.store->create(pod("default", "d"), podJson("d")).object.revision == 5);
  }
}

TEST_CASE("uid, creationTimestamp and generation follow Kubernetes rules", "[store]") {
  Fixture f;
  auto created = f.store->create(pod("default", "a"), podJson("a"));
  REQUIRE(created.code == StoreCode::Ok);
  json meta = metadataOf(created.object);
  std::string uid = meta.at("uid");
  std::string timestamp = meta.at("creationTimestamp");
  CHECK(std::regex_match(uid, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  CHECK(std::regex_match(timestamp, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
  CHECK(meta.at("generation") == 1);
  CHECK(meta.at("name") == "a");

  auto other = f.store->create(pod("default", "b"), podJson("b"));
  CHECK(metadataOf(other.object).at("uid") != uid);

  SECTION("update keeps uid and creationTimestamp, whatever the client sends") {
    json changed = json::parse(podJson("a"));
    changed["metadata"]["uid"] = "00000000-0000-4000-8000-000000000000";
    changed["metadata"]["creationTimestamp"] = "1999-01-01T00:00:00Z";
    auto updated = f.store->update(pod("default", "a"), changed.dump(), 0);
    REQUIRE(updated.code == StoreCode::Ok);
    CHECK(metadataOf(updated.object).at("uid") == uid);
    CHECK(metadataOf(updated.object).at("creationTimestamp") == timestamp);
  }
  SECTION("generation bumps only when spec changes") {
    json labelled = json::parse(podJson("a"));
    labelled["metadata"]["labels"] = {{"app", "web"}};
    labelled["status"] = {{"phase", "Running"}};
    auto u1 = f.store->update(pod("default", "a"), labelled.dump(), 0);
    CHECK(metadataOf(u1.object).at("generation") == 1);
    // The same spec written with its keys in another order is the same value.
    auto u2 = f.store->update(pod("default", "a"),
                              R"({"spec":{"containers":[{"image":"nginx","name":"c"}]},"metadata":{"name":"a"}})", 0);
    CHECK(metadataOf(u2.object).at("generation") == 1);
    auto u3 = f.store->update(pod("default", "a"), podJson("a", "redis"), 0);
    CHECK(metadataOf(u3.object).at("generation") == 2);
    auto u4 = f.store->update(pod("default", "a"), podJson("a", "redis"), 0);
    CHECK(metadataOf(u4.object).at("generation") == 2);
  }
}

TEST_CASE("preconditions answer AlreadyExists, Conflict and NotFound", "[store]") {
  Fixture f;
  auto a = f.store->create(pod("default", "a"), podJson("a"));
  REQUIRE(a.code == StoreCode::Ok);
  const std::string uid = metadataOf(a.object).at("uid");

  auto dup = f.store->create(pod("default", "a"), podJson("a"));
  CHECK(dup.code == StoreCode::AlreadyExists);
  CHECK(dup.message == R"(pods "a" already exists)");
  CHECK(f.store->currentRevision() == 1);  // a failed write bumps nothing

  auto fresh = f.store->update(pod("default", "a"), podJson("a", "v2"), 1);
  REQUIRE(fresh.code == StoreCode::Ok);
  auto stale = f.store->update(pod("default", "a"), podJson("a", "v3"), 1);
  CHECK(stale.code == StoreCode::Conflict);
  CHECK(stale.message ==
        "the object has been modified; please apply your changes to the latest version and try again");
  CHECK(stale.object.revision == 2);  // the current object comes back
  CHECK(f.store->currentRevision() == 2);

  auto missing = f.store->update(pod("default", "zz"), podJson("zz"), 0);
  CHECK(missing.code == StoreCode::NotFound);
  CHECK(missing.message == R"(pods "zz" not found)");
  CHECK(f.store->update({"deployments.apps", "default", "web"}, "{}", 0).message ==
        R"(deployments.apps "web" not found)");
  CHECK(f.store->get(pod("default", "zz")).code == StoreCode::NotFound);

  auto wrongUid = f.store->remove(pod("default", "a"), 0, "not-the-uid");
  CHECK(wrongUid.code == StoreCode::Conflict);
  CHECK(wrongUid.message.find("Precondition failed: UID in precondition: not-the-uid, UID in object meta: " +
                              uid) != std::string::npos);
  auto wrongRevision = f.store->remove(pod("default", "a"), 1, uid);
  CHECK(wrongRevision.code == StoreCode::Conflict);
  CHECK(wrongRevision.message.find(
            "Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: 2") !=
        std::string::npos);
  CHECK(f.store->currentRevision() == 2);

  auto deleted = f.store->remove(pod("default", "a"), 2, uid);
  REQUIRE(deleted.code == StoreCode::Ok);
  CHECK(deleted.object.revision == 3);
  CHECK(metadataOf(deleted.object).at("resourceVersion") == "3");
  CHECK(metadataOf(deleted.object).at("uid") == uid);
  CHECK(f.store->remove(pod("default", "a"), 0, "").code == StoreCode::NotFound);

  CHECK(f.store->create(pod("default", "bad"), "[1,2]").code == StoreCode::BadRequest);
  CHECK(f.store->create(pod("default", "bad"), "{nope").code == StoreCode::BadRequest);
  CHECK(f.store->create(pod("default", "bad"), R"({"metadata":7})").code == StoreCode::BadRequest);
}

TEST_CASE("list pages with limit and continue, in (namespace, name) order", "[store]") {
  Fixture f;
  std::vector<std::string> expected;
  for (std::string ns : {"b", "a", "c"})
    for (int i = 9; i >= 0; --i) {
      std::string name = "p" + std::to_string(i);
      REQUIRE(f.store->create(pod(ns, name), podJson(name)).code == StoreCode::Ok);
    }
  for (std::string ns : {"a", "b", "c"})
    for (int i = 0; i < 10; ++i) expected.push_back(ns + "/p" + std::to_string(i));
  f.store->create({"services", "a", "s"}, R"({"metadata":{"name":"s"}})");  // another resource
  const int64_t revisionAtStart = f.store->currentRevision();

  auto collectPages = [&](ListOptions options, const std::function<bool(const StoredObject&)>& accept,
                          std::vector<size_t>* pageSizes) {
    std::vector<std::string> seen;
    for (int page = 0; page < 100; ++page) {
      size_t before = seen.size();
      ListResult r = f.store->list(options, [&](const StoredObject& o) {
        if (!accept(o)) return false;
        seen.push_back(o.key.ns + "/" + o.key.name);
        CHECK(o.revision == std::stoll(metadataOf(o).at("resourceVersion").get<std::string>()));
        return true;
      });
      REQUIRE(r.code == StoreCode::Ok);
      CHECK(r.revision == revisionAtStart);
      pageSizes->push_back(seen.size() - before);
      if (r.continueToken.empty()) break;
      options.continueToken = r.continueToken;
      // A write between pages neither shifts nor repeats the rest.
      f.store->create({"configmaps", "a", "cm" + std::to_string(page)}, "{}");
    }
    return seen;
  };

  SECTION("every item once, 7 per page") {
    ListOptions options;
    options.resource = "pods";
    options.limit = 7;
    std::vector<size_t> sizes;
    auto seen = collectPages(options, [](const StoredObject&) { return true; }, &sizes);
    CHECK(seen == expected);
    CHECK(sizes == std::vector<size_t>{7, 7, 7, 7, 2});
  }
  SECTION("rejected items do not count toward the limit") {
    ListOptions options;
    options.resource = "pods";
    options.limit = 4;
    std::vector<size_t> sizes;
    auto odd = [](const StoredObject& o) { return (o.key.name.back() - '0') % 2 == 1; };
    auto seen = collectPages(options, odd, &sizes);
    std::vector<std::string> expectedOdd;
    for (auto& k : expected)
      if ((k.back() - '0') % 2 == 1) expectedOdd.push_back(k);
    CHECK(seen == expectedOdd);
    REQUIRE(sizes.size() >= 4);
    for (size_t i = 0; i + 1 < sizes.size(); ++i) CHECK(sizes[i] == 4);
  }
  SECTION("one namespace") {
    ListOptions options;
    options.resource = "pods";
    options.ns = "b";
    options.limit = 3;
    std::vector<size_t> sizes;
    auto seen = collectPages(options, [](const StoredObject&) { return true; }, &sizes);
    CHECK(seen == std::vector<std::string>(expected.begin() + 10, expected.begin() + 20));
  }
  SECTION("no limit: one page, no token") {
    ListOptions options;
    options.resource = "pods";
    size_t n = 0;
    ListResult r = f.store->list(options, [&](const StoredObject&) { return ++n, true; });
    CHECK(n == 30);
    CHECK(r.continueToken.empty());
    CHECK(r.revision == revisionAtStart);
  }
  SECTION("cluster-scoped objects have an empty namespace") {
    f.store->create({"nodes", "", "n2"}, "{}");
    f.store->create({"nodes", "", "n1"}, "{}");
    ListOptions options;
    options.resource = "nodes";
    std::vector<std::string> names;
    f.store->list(options, [&](const StoredObject& o) {
      CHECK(o.key.ns.empty());
      names.push_back(o.key.name);
      return true;
    });
    CHECK(names == std::vector<std::string>{"n1", "n2"});
  }
  SECTION("a malformed continue token is a bad request") {
    ListOptions options;
    options.resource = "pods";
    options.continueToken = "not a token!";
    CHECK(f.store->list(options, [](const StoredObject&) { return true; }).code == StoreCode::BadRequest);
  }
}

TEST_CASE("watch delivers later events in order, filtered, with the deleted state", "[store]") {
  Fixture f;
  Collector all, one;
  StoreResult r;
  all.watch = f.store->watch({"pods", "", ""}, 0, all.notifier(), &r);
  REQUIRE(r.code == StoreCode::Ok);
  one.watch = f.store->watch({"pods", "b", "x"}, 0, one.notifier(), &r);
  REQUIRE(r.code == StoreCode::Ok);

  f.store->create(pod("a", "x"), podJson("x"));                  // 1
  f.store->create({"services", "b", "x"}, "{}");                 // 2: other resource
  f.store->create(pod("b", "x"), podJson("x"));                  // 3
  f.store->update(pod("b", "x"), podJson("x", "redis"), 3);      // 4
  auto removed = f.store->remove(pod("b", "x"), 0, "");          // 5
  all.waitFor(5);
  one.waitFor(5);
  REQUIRE(all.events.size() == 4);
  CHECK(all.events[0].type == EventType::Added);
  CHECK(all.events[0].revision == 1);
  CHECK(all.events[1].revision == 3);
  CHECK(all.events[2].type == EventType::Modified);
  CHECK(all.events[3].type == EventType::Deleted);
  CHECK(all.events[3].revision == 5);
  CHECK(all.events[3].json == removed.object.json);
  CHECK(json::parse(all.events[3].json)["metadata"]["resourceVersion"] == "5");
  REQUIRE(one.events.size() == 3);
  CHECK(one.events[0].key.ns == "b");
  CHECK(one.events[0].type == EventType::Added);
  CHECK(one.events[1].type == EventType::Modified);
  CHECK(one.events[2].type == EventType::Deleted);

  SECTION("cancel stops delivery and notification") {
    int before = all.notifications;
    all.watch->cancel();
    f.store->create(pod("a", "later"), podJson("later"));
    std::vector<StoreEvent> out;
    CHECK_FALSE(all.watch->drain(out));
    CHECK(out.empty());
    CHECK(all.notifications == before);
  }
}

TEST_CASE("watch from a past revision catches up and goes live exactly once under concurrent writes",
          "[store]") {
  Fixture f;
  const int kWrites = 3000;
  std::atomic<int64_t> lastRevision{0};
  std::atomic<bool> started{false};
  std::thread writer([&] {
    for (int i = 0; i < kWrites; ++i) {
      std::string name = "p" + std::to_string(i % 300);
      StoreResult r = i < 300 ? f.store->create(pod("ns", name), podJson(name))
                              : f.store->update(pod("ns", name), podJson(name, "v" + std::to_string(i)), 0);
      if (r.code == StoreCode::Ok) lastRevision = r.object.revision;
      if (i == 500) started = true;
    }
  });
  while (!started) std::this_thread::yield();

  // Several watches join at different points while the writer runs.
  std::vector<std::unique_ptr<Collector>> collectors;
  std::vector<int64_t> from;
  for (int64_t start : {int64_t(1), int64_t(250), int64_t(0), int64_t(0)}) {
    auto c = std::make_unique<Collector>();
    StoreResult r;
    c->watch = f.store->watch({"pods", "", ""}, start, c->notifier(), &r);
    REQUIRE(r.code == StoreCode::Ok);
    from.push_back(start);
    collectors.push_back(std::move(c));
  }
  writer.join();
  REQUIRE(lastRevision == kWrites);
  for (size_t i = 0; i < collectors.size(); ++i) {
    Collector& c = *collectors[i];
    c.waitFor(kWrites);
    REQUIRE(c.open);
    REQUIRE_FALSE(c.events.empty());
    if (from[i] > 0) CHECK(c.events.front().revision == from[i] + 1);
    for (size_t k = 1; k < c.events.size(); ++k) {
      if (c.events[k].revision != c.events[k - 1].revision + 1) {
        FAIL("watch " << i << " skipped or repeated after revision " << c.events[k - 1].revision);
      }
    }
    CHECK(c.events.back().revision == kWrites);
    for (auto& e : c.events)
      CHECK(json::parse(e.json)["metadata"]["resourceVersion"] == std::to_string(e.revision));
  }
}

TEST_CASE("compaction keeps a bounded window; older watches and lists are Gone", "[store]") {
  Fixture f;
  f.options.eventWindowCount = 5;
  f.reopen();
  for (int i = 0; i < 20; ++i) f.store->create(pod("ns", "p" + std::to_string(i)), podJson("p"));
  ListOptions options;
  options.resource = "pods";
  options.limit = 2;
  ListResult firstPage = f.store->list(options, [](const StoredObject&) { return true; });
  REQUIRE_FALSE(firstPage.continueToken.empty());
  for (int i = 0; i < 10; ++i)  // 21..30: the page's revision falls out of the window
    f.store->create(pod("ns", "late" + std::to_string(i)), podJson("late"));

  int steps = 0;
  while (f.store->compactStep()) ++steps;
  CHECK(steps >= 1);
  CHECK(f.store->compactedRevision() == 25);

  StoreResult r;
  auto old = f.store->watch({"pods", "", ""}, 3, nullptr, &r);
  CHECK_FALSE(old);
  CHECK(r.code == StoreCode::Gone);
  CHECK(r.message == "too old resource version: 3 (25)");

  auto edge = f.store->watch({"pods", "", ""}, 25, nullptr, &r);
  REQUIRE(r.code == StoreCode::Ok);
  std::vector<StoreEvent> events;
  CHECK(edge->drain(events));
  REQUIRE(events.size() == 5);
  CHECK(events.front().revision == 26);
  CHECK(events.back().revision == 30);

  options.continueToken = firstPage.continueToken;
  ListResult expired = f.store->list(options, [](const StoredObject&) { return true; });
  CHECK(expired.code == StoreCode::Gone);
  CHECK(expired.message.find("The provided continue parameter is too old") == 0);

  f.reopen();
  CHECK(f.store->compactedRevision() == 25);
  CHECK(f.store->watch({"pods", "", ""}, 24, nullptr, &r) == nullptr);
  CHECK(r.code == StoreCode::Gone);
}

TEST_CASE("a watcher that falls behind its queue limit becomes Gone without blocking writers",
          "[store]") {
  Fixture f;
  f.options.watchQueueLimit = 10;
  f.reopen();
  Collector slow;
  StoreResult r;
  slow.watch = f.store->watch({"pods", "", ""}, 0, slow.notifier(), &r);
  REQUIRE(r.code == StoreCode::Ok);
  for (int i = 0; i < 25; ++i)
    REQUIRE(f.store->create(pod("ns", "p" + std::to_string(i)), podJson("p")).code == StoreCode::Ok);
  std::vector<StoreEvent> out;
  CHECK_FALSE(slow.watch->drain(out));  // Gone...
  REQUIRE(out.size() == 10);            // ...after what was queued, in order
  for (size_t i = 0; i < out.size(); ++i) CHECK(out[i].revision == int64_t(i) + 1);
  CHECK(slow.notifications >= 2);  // told when events arrived and when it went Gone

  SECTION("a catch-up longer than the limit is Gone as well") {
    auto late = f.store->watch({"pods", "", ""}, 1, nullptr, &r);
    REQUIRE(late);
    std::vector<StoreEvent> caught;
    CHECK_FALSE(late->drain(caught));
    CHECK(caught.size() == 10);
  }
}

TEST_CASE("an idle store writes nothing to disk", "[store]") {
  Fixture f;
  for (int i = 0; i < 50; ++i) f.store->create(pod("ns", "p" + std::to_string(i)), podJson("p"));
  // One step notices the writes, the next (quiet) one folds the WAL away.
  for (int i = 0; i < 3; ++i) f.store->compactStep();

  const std::string db = f.options.path, wal = db + "-wal";
  auto snapshot = [&]() {
    std::vector<long long> v;
    for (const std::string& p : {db, wal}) {
      struct stat st {};
      if (stat(p.c_str(), &st) != 0) {
        v.insert(v.end(), {-1, -1, -1});
        continue;
      }
      v.push_back(st.st_size);
      v.push_back(st.st_mtim.tv_sec);
      v.push_back(st.st_mtim.tv_nsec);
    }
    return v;
  };
  auto before = snapshot();
  CHECK(fileSize(wal) <= 0);  // truncated (or absent)
  CHECK(fileSize(db + "-shm") == -1);  // exclusive locking: no shared-memory file
  for (int i = 0; i < 20; ++i) {
    CHECK_FALSE(f.store->compactStep());
    f.store->get(pod("ns", "p1"));
    f.store->list({"pods", "", 5, ""}, [](const StoredObject&) { return true; });
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  CHECK(snapshot() == before);
  CHECK(f.store->get(pod("ns", "p49")).code == StoreCode::Ok);
}

TEST_CASE("the WAL and the database stay bounded under churn", "[store]") {
  Fixture f;
  f.options.eventWindowCount = 1000;
  f.reopen();
  const std::string padding(900, 'x');
  auto object = [&](int i) {
    return R"({"metadata":{"name":"p"},"spec":{"n":)" + std::to_string(i) + R"(,"pad":")" + padding + "\"}}";
  };
  const int kObjects = 200;
  for (int i = 0; i < kObjects; ++i)
    REQUIRE(f.store->create(pod("ns", "p" + std::to_string(i)), object(i)).code == StoreCode::Ok);
  off_t walPeak = 0;
  for (int i = 0; i < 20000; ++i) {
    REQUIRE(f.store->update(pod("ns", "p" + std::to_string(i % kObjects)), object(i), 0).code == StoreCode::Ok);
    if (i % 250 == 0) {
      while (f.store->compactStep()) {
      }
      walPeak = std::max(walPeak, fileSize(f.options.path + "-wal"));
    }
  }
  // ~20 MiB went through the log; a bounded window and checkpoints keep the
  // files to a few MiB.
  CHECK(f.store->compactedRevision() >= f.store->currentRevision() - 1000 - 500);
  CHECK(walPeak < 8 * 1024 * 1024);
  CHECK(fileSize(f.options.path + "-wal") < 8 * 1024 * 1024);
  CHECK(fileSize(f.options.path) < 12 * 1024 * 1024);
  while (f.store->compactStep()) {
  }
  f.store->compactStep();
  CHECK(fileSize(f.options.path + "-wal") == 0);
}

TEST_CASE("events older than the window's age are compacted, then the store is idle again", "[store]") {
  Fixture f;
  f.options.eventWindowSeconds = 1;
  f.reopen();
  for (int i = 0; i < 3; ++i) f.store->create(pod("ns", "p" + std::to_string(i)), podJson("p"));
  while (f.store->compactStep()) {
  }
  CHECK(f.store->compactedRevision() < 3);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  while (f.store->compactStep()) {
  }
  CHECK(f.store->compactedRevision() == 3);
  StoreResult r;
  CHECK(f.store->watch({"pods", "", ""}, 2, nullptr, &r) == nullptr);
  CHECK(r.code == StoreCode::Gone);
  CHECK(f.store->watch({"pods", "", ""}, 3, nullptr, &r) != nullptr);
  CHECK(r.code == StoreCode::Ok);
  f.store->compactStep();  // quiet: the WAL is folded away
  off_t wal = fileSize(f.options.path + "-wal"), db = fileSize(f.options.path);
  for (int i = 0; i < 5; ++i) CHECK_FALSE(f.store->compactStep());
  CHECK(fileSize(f.options.path + "-wal") == wal);
  CHECK(fileSize(f.options.path) == db);
}
