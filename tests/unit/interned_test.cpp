// Interned values: equal contents share one copy, which lives as long as a
// holder does; and the ViewCache owner index that points into the cache.
#include <catch2/catch.hpp>

#include <thread>

#include "controllers/interned_string.h"
#include "controllers/label_set.h"
#include "controllers/view_cache.h"
#include "controllers/workload_pod_view.h"

using namespace minik;

TEST_CASE("LabelSet: equal labels share one map; reads as a Labels") {
  LabelSet a(Labels{{"app", "web"}, {"pod-template-hash", "5f8d9c7b6"}});
  LabelSet b(Labels{{"pod-template-hash", "5f8d9c7b6"}, {"app", "web"}});
  LabelSet c(Labels{{"app", "db"}});
  CHECK(&a.map() == &b.map());
  CHECK(a == b);
  CHECK(a != c);
  CHECK(a.size() == 2);
  CHECK(a.at("app") == "web");
  CHECK(a.find("tier") == a.end());
  const Labels& asMap = a;
  CHECK(asMap.count("pod-template-hash") == 1);

  LabelSet none;
  CHECK(none.empty());
  CHECK(none == LabelSet(Labels{}));
}

TEST_CASE("LabelSet: a map outlives the set it was interned for, and is forgotten after the last") {
  const Labels* first = nullptr;
  {
    LabelSet a(Labels{{"k", "v1"}});
    LabelSet kept = a;
    first = &kept.map();
    { LabelSet again(Labels{{"k", "v1"}}); CHECK(&again.map() == first); }
  }
  // Gone with its last holder: a new one holds the same content.
  LabelSet later(Labels{{"k", "v1"}});
  CHECK(later.at("k") == "v1");
}

TEST_CASE("InternedString: shared copies, string comparisons") {
  InternedString a(std::string("0c4f3c1e-8f0e-4b7a-9f65-1f7d0e8b2a11"));
  InternedString b(std::string("0c4f3c1e-8f0e-4b7a-9f65-1f7d0e8b2a11"));
  CHECK(&a.str() == &b.str());
  CHECK(a == b);
  CHECK(a == std::string("0c4f3c1e-8f0e-4b7a-9f65-1f7d0e8b2a11"));
  CHECK(std::string("other") != a);
  CHECK(InternedString().empty());
  CHECK(InternedString(std::string()).empty());
  CHECK(InternedString().str().empty());
}

TEST_CASE("interning from several threads at once") {
  auto work = [] {
    for (int i = 0; i < 2000; ++i) {
      InternedString s(std::to_string(i % 50));
      LabelSet l(Labels{{"n", std::to_string(i % 7)}});
      REQUIRE(s.str() == std::to_string(i % 50));
      REQUIRE(l.at("n") == std::to_string(i % 7));
    }
  };
  std::thread t1(work), t2(work);
  t1.join();
  t2.join();
}

namespace {

nlohmann::json podObject(const std::string& name, const std::string& owner, const std::string& revision) {
  return {{"metadata",
           {{"namespace", "dev"},
            {"name", name},
            {"uid", name + "-uid"},
            {"resourceVersion", revision},
            {"labels", {{"app", "web"}}},
            {"ownerReferences", {{{"apiVersion", "apps/v1"}, {"kind", "ReplicaSet"}, {"name", owner},
                                  {"uid", owner + "-uid"}, {"controller", true}}}}}}};
}

std::vector<std::string> namesOwnedBy(const ViewCache<WorkloadPodView>& cache, const std::string& uid) {
  std::vector<std::string> out;
  for (const WorkloadPodView* v : cache.ownedBy(uid)) out.push_back(v->name);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("ViewCache: the owner index follows adoption, updates and deletes") {
  ViewCache<WorkloadPodView> cache;
  cache.upsert(podObject("a", "rs1", "1"));
  cache.upsert(podObject("b", "rs1", "2"));
  cache.upsert(podObject("c", "rs2", "3"));
  CHECK(namesOwnedBy(cache, "rs1-uid") == std::vector<std::string>{"a", "b"});
  CHECK(cache.find("dev/a")->labels == LabelSet(Labels{{"app", "web"}}));

  cache.upsert(podObject("b", "rs2", "4"));  // moved to another owner
  CHECK(namesOwnedBy(cache, "rs1-uid") == std::vector<std::string>{"a"});
  CHECK(namesOwnedBy(cache, "rs2-uid") == std::vector<std::string>{"b", "c"});

  cache.forgetDeleted("dev", "a");
  CHECK(namesOwnedBy(cache, "rs1-uid").empty());
  cache.upsert(podObject("a", "rs1", "5"));  // a late event of what we deleted
  CHECK(namesOwnedBy(cache, "rs1-uid").empty());

  cache.remove(podObject("c", "rs2", "6"));
  CHECK(namesOwnedBy(cache, "rs2-uid") == std::vector<std::string>{"b"});
  CHECK(cache.size() == 1);
}
