// The node-local pod IPAM: addresses out of the pod CIDR, one file per
// allocation that survives a restart (a new pool over the same folder),
// idempotent per owner, freed on release, exhaustion reported.
#include <catch2/catch.hpp>

#include <dirent.h>
#include <unistd.h>

#include <cstdlib>
#include <set>
#include <string>

#include "runtime-shim/file_tree.h"
#include "runtime-shim/pod_address_pool.h"

using namespace minik;

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    char pattern[] = "/tmp/minik-ipam-XXXXXX";
    path = mkdtemp(pattern);
  }
  ~TempDir() { removeTree(path); }
};

}  // namespace

TEST_CASE("the pool hands out addresses after the gateway, one per owner") {
  TempDir dir;
  PodAddressPool pool(dir.path, "10.42.0.0/24");
  REQUIRE(pool.valid());
  CHECK(pool.gateway() == "10.42.0.1");
  std::string error;
  std::string a = pool.allocate("pod-a", &error);
  std::string b = pool.allocate("pod-b", &error);
  CHECK(a == "10.42.0.2");
  CHECK(b == "10.42.0.3");
  CHECK(pool.allocate("pod-a", &error) == a);  // idempotent
  CHECK(pool.addressOf("pod-b") == b);
  CHECK(readFile(dir.path + "/10.42.0.2") == "pod-a");
}

TEST_CASE("allocations survive a restart and are freed on release") {
  TempDir dir;
  std::string error;
  {
    PodAddressPool pool(dir.path, "10.42.0.0/24");
    pool.allocate("pod-a", &error);
    pool.allocate("pod-b", &error);
  }
  PodAddressPool again(dir.path, "10.42.0.0/24");
  CHECK(again.addressOf("pod-a") == "10.42.0.2");
  CHECK(again.addressOf("pod-b") == "10.42.0.3");
  again.release("pod-a");
  CHECK(again.addressOf("pod-a").empty());
  CHECK(access((dir.path + "/10.42.0.2").c_str(), F_OK) != 0);
  // Round-robin: the freed address is not reused at once.
  CHECK(again.allocate("pod-c", &error) == "10.42.0.4");
  PodAddressPool third(dir.path, "10.42.0.0/24");
  CHECK(third.allocations().size() == 2);
  CHECK(third.allocate("pod-d", &error) == "10.42.0.5");
}

TEST_CASE("a full range is an error that names it, and a freed address comes back") {
  TempDir dir;
  PodAddressPool pool(dir.path, "10.42.0.0/29");  // .2 to .6 usable
  std::string error;
  std::set<std::string> seen;
  for (int i = 0; i < 5; ++i) seen.insert(pool.allocate("pod-" + std::to_string(i), &error));
  CHECK(seen.size() == 5);
  CHECK(!seen.count("10.42.0.1"));
  CHECK(!seen.count("10.42.0.7"));
  CHECK(pool.allocate("one-too-many", &error).empty());
  CHECK(error == "no IP addresses available in range set: 10.42.0.2-10.42.0.6");
  pool.release("pod-2");
  CHECK(pool.allocate("one-too-many", &error) == "10.42.0.4");
}

TEST_CASE("two pools over one folder never hand out one address twice") {
  TempDir dir;
  PodAddressPool first(dir.path, "10.42.0.0/24");
  PodAddressPool second(dir.path, "10.42.0.0/24");
  std::string error;
  std::string a = first.allocate("pod-a", &error);
  std::string b = second.allocate("pod-b", &error);
  CHECK(a != b);
}

TEST_CASE("CIDRs that cannot hold pods are refused") {
  TempDir dir;
  CHECK_FALSE(PodAddressPool(dir.path, "10.42.0.0/31").valid());
  CHECK_FALSE(PodAddressPool(dir.path, "not-a-cidr").valid());
  Ipv4Cidr cidr;
  REQUIRE(Ipv4Cidr::parse("10.42.7.9/16", &cidr));
  CHECK(cidr.text() == "10.42.0.0/16");
}
