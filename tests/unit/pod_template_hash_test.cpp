// The pod-template-hash: FNV-32a (as hash/fnv), SafeEncodeString's alphabet,
// stable for equal templates, changed by the template and by collisionCount.
#include <catch2/catch.hpp>

#include <regex>

#include "controllers/pod_template_hash.h"

using namespace minik;
using nlohmann::json;

TEST_CASE("fnv32a matches the reference values of FNV-1a") {
  CHECK(fnv32a("") == 0x811c9dc5u);
  CHECK(fnv32a("a") == 0xe40c292cu);
  CHECK(fnv32a("foobar") == 0xbf9cf968u);
}

TEST_CASE("safeEncodeString maps digits as rand.SafeEncodeString does") {
  CHECK(safeEncodeString("0123456789") == "456789bcdf");
  CHECK(safeEncodeString("") == "");
}

TEST_CASE("podTemplateHash is stable, Kubernetes-shaped and sensitive to its inputs") {
  json a = {{"metadata", {{"labels", {{"app", "x"}}}}},
            {"spec", {{"containers", json::array({{{"name", "c"}, {"image", "i:1"}}})}}}};
  json b = a;
  b["spec"]["containers"][0]["image"] = "i:2";
  std::string h = podTemplateHash(a, std::nullopt);
  CHECK(std::regex_match(h, std::regex("[bcdfghjklmnpqrstvwxz2456789]{1,10}")));
  CHECK(podTemplateHash(a, std::nullopt) == h);
  CHECK(podTemplateHash(json::parse(a.dump()), std::nullopt) == h);  // key order does not matter
  CHECK(podTemplateHash(b, std::nullopt) != h);
  CHECK(podTemplateHash(a, 1) != h);
  CHECK(podTemplateHash(a, 1) != podTemplateHash(a, 2));
}

TEST_CASE("templateDigest ignores the pod-template-hash label only") {
  json deploymentTemplate = {{"metadata", {{"labels", {{"app", "x"}}}}}, {"spec", {{"x", 1}}}};
  json setTemplate = deploymentTemplate;
  setTemplate["metadata"]["labels"]["pod-template-hash"] = "abc";
  CHECK(templateDigest(setTemplate) == templateDigest(deploymentTemplate));
  setTemplate["metadata"]["labels"]["app"] = "y";
  CHECK(templateDigest(setTemplate) != templateDigest(deploymentTemplate));
}
