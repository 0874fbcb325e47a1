// The endpoint controller fed by a pod informer it does not own (the server
// shares the workload controllers' one): pods delivered after its start()
// still become endpoints of the Services selecting them. Real store,
// registry and in-process client.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>
#include <uv.h>

#include "apiserver/in_process_client.h"
#include "apiserver/object_registry.h"
#include "client/informer.h"
#include "controllers/endpoint_controller.h"
#include "store/store.h"

using namespace minik;
using nlohmann::json;

namespace {

struct ScratchDir {
  std::string path;
  ScratchDir() {
    char tmpl[] = "/tmp/minik-pod-feed-test-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~ScratchDir() { std::system(("rm -rf '" + path + "'").c_str()); }
};

std::string endpointIp(ClusterClient& client) {
  ClientResult r = client.get(kindOf("", "endpoints"), "default", "web");
  if (!r.ok()) return "";
  return r.object.value("/subsets/0/addresses/0/ip"_json_pointer, "");
}

}  // namespace

TEST_CASE("endpoint controller: pods from a shared feed, listed after its start, become endpoints") {
  ScratchDir dir;
  uv_loop_t loop{};
  uv_loop_init(&loop);
  {
    StoreOptions options;
    options.path = dir.path + "/minik.db";
    std::string error;
    std::unique_ptr<Store> store = Store::open(options, &error);
    REQUIRE(store);
    ObjectRegistry registry(*store);
    registry.ensureSystemNamespaces();
    InProcessClient client(&loop, registry);

    json service = {{"apiVersion", "v1"}, {"kind", "Service"}, {"metadata", {{"name", "web"}}},
                    {"spec", {{"selector", {{"app", "web"}}}, {"ports", {{{"port", 80}, {"targetPort", 8080}}}}}}};
    REQUIRE(client.create(kindOf("", "services"), "default", service).ok());
    json pod = {{"apiVersion", "v1"}, {"kind", "Pod"},
                {"metadata", {{"name", "web-1"}, {"labels", {{"app", "web"}}}}},
                {"spec", {{"nodeName", "n"}, {"containers", {{{"name", "c"}, {"image", "i"}}}}}}};
    ClientResult created = client.create(kindOf("", "pods"), "default", pod);
    REQUIRE(created.ok());
    json status = created.object;
    status["status"] = {{"phase", "Running"}, {"podIP", "10.42.0.7"}, {"podIPs", {{{"ip", "10.42.0.7"}}}},
                        {"conditions", {{{"type", "Ready"}, {"status", "True"}}}}};
    REQUIRE(client.update(kindOf("", "pods"), "default", "web-1", status, "status").ok());

    {
      EndpointController endpoints(&loop, client);
      Informer pods(client, kindOf("", "pods"), "", endpoints.podHandlers());
      endpoints.start();
      pods.start();  // as the shared informers do: after the controller's start
      for (int i = 0; i < 200 && endpointIp(client).empty(); ++i) {
        uv_run(&loop, UV_RUN_NOWAIT);
        usleep(50 * 1000);
      }
      CHECK(endpointIp(client) == "10.42.0.7");
    }
    uv_run(&loop, UV_RUN_NOWAIT);
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
}
