// Service address allocation: the ClusterIP and NodePort ranges on their
// own, and the admission step of the write path against a real store
// (requested and automatic addresses, Kubernetes' refusals, release on
// delete, rebuild after a restart, no leak from a dry-run update).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <memory>
#include <random>
#include <set>
#include <string>

#include <nlohmann/json.hpp>
#include <uv.h>

#include "apiserver/in_process_client.h"
#include "apiserver/object_registry.h"
#include "controllers/cluster_ip_allocator.h"
#include "controllers/node_port_allocator.h"
#include "controllers/service_address_admission.h"
#include "store/store.h"

using namespace minik;
using nlohmann::json;

namespace {

RangeBitmap::Random seeded() {
  auto engine = std::make_shared<std::mt19937_64>(42);
  return [engine](uint64_t n) { return std::uniform_int_distribution<uint64_t>(0, n - 1)(*engine); };
}

std::unique_ptr<ClusterIpAllocator> range(const std::string& cidr) {
  std::string error;
  auto ips = ClusterIpAllocator::forCidr(cidr, &error, seeded());
  REQUIRE(ips);
  return ips;
}

}  // namespace

TEST_CASE("ClusterIP range: requested, duplicate, out of range, release") {
  auto ips = range("10.43.0.0/16");
  CHECK(ips->cidr() == "10.43.0.0/16");
  CHECK(ips->first() == "10.43.0.1");
  CHECK_FALSE(ips->allocate("10.43.0.5"));
  CHECK(ips->has("10.43.0.5"));
  CHECK(ips->allocate("10.43.0.5").value() == "provided IP is already allocated");
  CHECK(ips->allocate("10.44.0.5").value() ==
        "the provided IP (10.44.0.5) is not in the valid range. The range of valid IPs is 10.43.0.0/16");
  CHECK(ips->allocate("10.43.0.0").has_value());    // the network address
  CHECK(ips->allocate("10.43.255.255").has_value());  // the broadcast address
  ips->release("10.43.0.5");
  CHECK_FALSE(ips->has("10.43.0.5"));
  CHECK_FALSE(ips->allocate("10.43.0.5"));
  CHECK(ips->used() == 1);
}

TEST_CASE("ClusterIP range: a CIDR written with host bits is printed as its network") {
  CHECK(range("10.43.7.9/16")->cidr() == "10.43.0.0/16");
  std::string error;
  CHECK_FALSE(ClusterIpAllocator::forCidr("fd00::/108", &error));
  CHECK_FALSE(error.empty());
  CHECK_FALSE(ClusterIpAllocator::forCidr("10.43.0.0/31", &error));
}

TEST_CASE("ClusterIP range: dynamic addresses come from above the static part, unique") {
  auto ips = range("10.43.0.0/16");
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    auto ip = ips->allocateNext();
    REQUIRE(ip);
    CHECK(seen.insert(*ip).second);
    // The first 256 addresses (10.43.0.1 .. 10.43.1.0) are left for manifests.
    CHECK(*parseIpv4(*ip) > *parseIpv4("10.43.1.0"));
  }
}

TEST_CASE("ClusterIP range: reserved addresses are never handed out dynamically") {
  auto ips = range("10.43.0.0/28");  // 14 addresses, no static part
  ips->neverDynamic("10.43.0.1");
  ips->neverDynamic("10.43.0.10");
  std::set<std::string> seen;
  while (auto ip = ips->allocateNext()) seen.insert(*ip);
  CHECK(seen.size() == 12);
  CHECK_FALSE(seen.count("10.43.0.1"));
  CHECK_FALSE(seen.count("10.43.0.10"));
  CHECK_FALSE(ips->allocate("10.43.0.10"));  // but asking for it works
}

TEST_CASE("NodePort range: requested, duplicate, out of range, next") {
  NodePortAllocator ports(30000, 32767, seeded());
  CHECK(ports.range() == "30000-32767");
  CHECK_FALSE(ports.allocate(30080));
  CHECK(ports.allocate(30080).value() == "provided port is already allocated");
  CHECK(ports.allocate(29999).value() ==
        "provided port is not in the valid range. The range of valid ports is 30000-32767");
  for (int i = 0; i < 100; ++i) {
    auto port = ports.allocateNext();
    REQUIRE(port);
    CHECK(*port >= 30086);  // above the static part (2768 / 32 = 86 ports)
    CHECK(*port <= 32767);
  }
  ports.release(30080);
  CHECK_FALSE(ports.has(30080));
}

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/minik-svc-test-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
};

// A real store, registry and in-process client, with the admission plugin
// in the write path; reopen() simulates a restart.
struct Cluster {
  TempDir dir;
  uv_loop_t loop{};
  std::unique_ptr<Store> store;
  std::unique_ptr<ObjectRegistry> registry;
  std::unique_ptr<InProcessClient> client;
  std::unique_ptr<ServiceAddressAdmission> addresses;
  ClusterConfig config;

  Cluster() {
    uv_loop_init(&loop);
    open();
  }
  ~Cluster() {
    close();
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
  }
  void open() {
    StoreOptions options;
    options.path = dir.path + "/minik.db";
    std::string error;
    store = Store::open(options, &error);
    REQUIRE(store);
    registry = std::make_unique<ObjectRegistry>(*store);
    client = std::make_unique<InProcessClient>(&loop, *registry);
    addresses = std::make_unique<ServiceAddressAdmission>(&loop, *client, config, seeded());
    registry->addAdmission(addresses.get());
    registry->ensureSystemNamespaces();
  }
  void close() {
    addresses.reset();
    client.reset();
    registry.reset();
    store.reset();
  }
  void reopen() {
    close();
    uv_run(&loop, UV_RUN_NOWAIT);
    open();
  }
  RegistryResult create(const json& service, bool dryRun = false) {
    return registry->create(kindOf("", "services"), "default", service, dryRun);
  }
};

json service(const std::string& name, const std::string& clusterIP = "", const std::string& type = "") {
  json s = {{"apiVersion", "v1"},
            {"kind", "Service"},
            {"metadata", {{"name", name}}},
            {"spec", {{"selector", {{"app", name}}}, {"ports", {{{"port", 80}}}}}}};
  if (!clusterIP.empty()) s["spec"]["clusterIP"] = clusterIP;
  if (!type.empty()) s["spec"]["type"] = type;
  return s;
}

std::string messageOf(const RegistryResult& r) { return r.error ? r.error->status.value("message", "") : ""; }

}  // namespace

TEST_CASE("Service admission: addresses on create, refusals worded as Kubernetes") {
  Cluster c;
  RegistryResult a = c.create(service("a"));
  REQUIRE(a.ok());
  const std::string ip = a.object["spec"]["clusterIP"];
  CHECK(c.addresses->clusterIps()->contains(ip));
  CHECK(a.object["spec"]["clusterIPs"] == json::array({ip}));
  CHECK(a.object["spec"]["ipFamilies"] == json::array({"IPv4"}));
  CHECK(a.object["spec"]["ipFamilyPolicy"] == "SingleStack");

  RegistryResult b = c.create(service("b", "10.43.0.5"));
  REQUIRE(b.ok());
  CHECK(b.object["spec"]["clusterIP"] == "10.43.0.5");

  RegistryResult dup = c.create(service("dup", "10.43.0.5"));
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error->code == 422);
  CHECK(messageOf(dup) ==
        "Service \"dup\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.43.0.5\"}: failed to "
        "allocate IP 10.43.0.5: provided IP is already allocated");
  RegistryResult far = c.create(service("far", "10.99.0.5"));
  CHECK(messageOf(far) ==
        "Service \"far\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.99.0.5\"}: failed to "
        "allocate IP 10.99.0.5: the provided IP (10.99.0.5) is not in the valid range. The range of "
        "valid IPs is 10.43.0.0/16");

  json headless = service("headless", "None");
  RegistryResult h = c.create(headless);
  REQUIRE(h.ok());
  CHECK(h.object["spec"]["clusterIPs"] == json::array({"None"}));
  json external = {{"apiVersion", "v1"},
                   {"kind", "Service"},
                   {"metadata", {{"name", "ext"}}},
                   {"spec", {{"type", "ExternalName"}, {"externalName", "example.com"}}}};
  RegistryResult e = c.create(external);
  REQUIRE(e.ok());
  CHECK_FALSE(e.object["spec"].contains("clusterIP"));
  CHECK(c.addresses->clusterIps()->used() == 2);
}

TEST_CASE("Service admission: NodePorts, shared per port number, refused when taken") {
  Cluster c;
  RegistryResult np = c.create(service("np", "", "NodePort"));
  REQUIRE(np.ok());
  int port = np.object["spec"]["ports"][0]["nodePort"];
  CHECK(port >= 30000);
  CHECK(port <= 32767);
  json wanted = service("wanted", "", "NodePort");
  wanted["spec"]["ports"][0]["nodePort"] = port;
  RegistryResult taken = c.create(wanted);
  CHECK(messageOf(taken) == "Service \"wanted\" is invalid: spec.ports[0].nodePort: Invalid value: " +
                                std::to_string(port) + ": provided port is already allocated");
  // The refused create gave back its ClusterIP too.
  CHECK(c.addresses->clusterIps()->used() == 1);

  json dns = service("dns", "", "NodePort");
  dns["spec"]["ports"] = {{{"name", "dns"}, {"port", 53}, {"protocol", "UDP"}},
                          {{"name", "dns-tcp"}, {"port", 53}, {"protocol", "TCP"}}};
  RegistryResult d = c.create(dns);
  REQUIRE(d.ok());
  CHECK(d.object["spec"]["ports"][0]["nodePort"] == d.object["spec"]["ports"][1]["nodePort"]);
  CHECK(c.addresses->nodePorts().used() == 2);
}

TEST_CASE("Service admission: delete releases, a restart rebuilds from the store") {
  Cluster c;
  REQUIRE(c.create(service("keep", "10.43.0.7")).ok());
  RegistryResult np = c.create(service("np", "", "NodePort"));
  REQUIRE(np.ok());
  int port = np.object["spec"]["ports"][0]["nodePort"];
  REQUIRE(c.create(service("gone", "10.43.0.8")).ok());
  REQUIRE(c.registry->remove(kindOf("", "services"), "default", "gone", {}).ok());
  CHECK_FALSE(c.addresses->clusterIps()->has("10.43.0.8"));

  c.reopen();
  CHECK(c.addresses->clusterIps()->has("10.43.0.7"));
  CHECK(c.addresses->nodePorts().has(port));
  CHECK_FALSE(c.addresses->clusterIps()->has("10.43.0.8"));
  CHECK(messageOf(c.create(service("again", "10.43.0.7"))).find("provided IP is already allocated") !=
        std::string::npos);
  CHECK(c.create(service("reuse", "10.43.0.8")).ok());
}

TEST_CASE("Service admission: type changes allocate and release once stored") {
  Cluster c;
  RegistryResult s = c.create(service("web"));
  REQUIRE(s.ok());
  const KindInfo& kind = kindOf("", "services");
  json toNodePort = {{"spec", {{"type", "NodePort"}}}};

  // A dry run allocates nothing that outlives it.
  RegistryResult dry = c.registry->patch(kind, "default", "web", PatchType::Merge, toNodePort, "", true);
  REQUIRE(dry.ok());
  CHECK(dry.object["spec"]["ports"][0].contains("nodePort"));
  c.addresses->reconcileUpdated();
  CHECK(c.addresses->nodePorts().used() == 0);

  RegistryResult real = c.registry->patch(kind, "default", "web", PatchType::Merge, toNodePort, "", false);
  REQUIRE(real.ok());
  int port = real.object["spec"]["ports"][0]["nodePort"];
  c.addresses->reconcileUpdated();
  CHECK(c.addresses->nodePorts().has(port));
  CHECK(c.addresses->nodePorts().used() == 1);
}
