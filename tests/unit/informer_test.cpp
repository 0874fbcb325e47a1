// Informer: the first list delivers everything, a relist after the watch is
// gone delivers only what changed and the deletions of what vanished, with
// the namespace and name the informer remembered.
#include <catch2/catch.hpp>

#include <map>

#include "client/informer.h"

using namespace minik;
using nlohmann::json;

namespace {

// A client whose list answers from objects_ and whose watch is ended by hand.
class ScriptedClient : public ClusterClient {
 public:
  std::map<std::string, json> objects;  // by "ns/name"
  std::function<void()> gone;

  void put(const std::string& ns, const std::string& name, int revision) {
    json metadata = {{"name", name}, {"resourceVersion", std::to_string(revision)}};
    if (!ns.empty()) metadata["namespace"] = ns;
    objects[ns + "/" + name] = {{"metadata", metadata}};
  }

  ClientResult get(const KindInfo&, const std::string&, const std::string&) override { return {}; }
  ClientList list(const KindInfo&, const std::string&, const std::string&) override {
    ClientList out;
    for (const auto& [key, object] : objects) out.items.push_back(object);
    out.revision = 100;
    return out;
  }
  ClientResult create(const KindInfo&, const std::string&, json) override { return {}; }
  ClientResult update(const KindInfo&, const std::string&, const std::string&, json,
                      const std::string&) override {
    return {};
  }
  ClientResult patch(const KindInfo&, const std::string&, const std::string&, PatchType, const json&,
                     const std::string&) override {
    return {};
  }
  ClientResult remove(const KindInfo&, const std::string&, const std::string&, const DeleteOptions&) override {
    return {};
  }
  std::unique_ptr<ClientWatch> watch(const KindInfo&, const std::string&, int64_t,
                                     std::function<void(const ClientEvent&)>,
                                     std::function<void()> onGone) override {
    gone = std::move(onGone);
    struct Idle : ClientWatch {
      void cancel() override {}
    };
    return std::make_unique<Idle>();
  }
};

std::string nameOf(const json& o) {
  return o["metadata"].value("namespace", "") + "/" + o["metadata"].value("name", "");
}

}  // namespace

TEST_CASE("Informer: a relist delivers changes and the deletions of what vanished") {
  ScriptedClient client;
  client.put("dev", "a", 1);
  client.put("dev", "b", 2);
  client.put("prod", "a", 3);
  client.put("", "node1", 4);  // cluster-scoped
  std::vector<std::string> upserts, deletes;
  Informer informer(client, kindOf("", "pods"), "",
                    {[&](const json& o) { upserts.push_back(nameOf(o)); },
                     [&](const json& o) {
                       deletes.push_back(nameOf(o));
                       CHECK(o["metadata"].contains("namespace"));
                     }});
  informer.start();
  CHECK(upserts == std::vector<std::string>{"/node1", "dev/a", "dev/b", "prod/a"});
  CHECK(deletes.empty());

  upserts.clear();
  client.objects.erase("dev/b");
  client.objects.erase("/node1");
  client.put("prod", "a", 7);   // changed
  client.put("prod", "c", 8);   // new
  client.gone();
  CHECK(upserts == std::vector<std::string>{"prod/a", "prod/c"});
  CHECK(deletes == std::vector<std::string>{"/node1", "dev/b"});

  upserts.clear();
  deletes.clear();
  client.gone();  // nothing changed
  CHECK(upserts.empty());
  CHECK(deletes.empty());
}
