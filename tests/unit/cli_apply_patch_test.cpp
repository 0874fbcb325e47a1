// What `apply` sends, byte for byte as kubectl: the last-applied annotation
// (Go's JSON encoding) and the three-way strategic merge patch (cases
// compared with the patches kubectl 1.31 sent for the same objects).
#include "cli/go_json.h"
#include "cli/last_applied.h"
#include "cli/three_way_patch.h"

#include <catch2/catch.hpp>

namespace {

using json = nlohmann::json;

json threeWay(const char* group, const char* kind, const json& original, const json& modified,
              const json& current) {
  json patch;
  std::string error;
  REQUIRE(minik::threeWayMergePatch(group, kind, original, modified, current, &patch, &error));
  return patch;
}

}  // namespace

TEST_CASE("the annotation is the manifest in Go's compact JSON with a newline") {
  json manifest = json::parse(R"({"kind":"ConfigMap","apiVersion":"v1",
      "metadata":{"name":"c","annotations":{"note":"a < b & c"}},"data":{"x":"\u2028"}})");
  CHECK(minik::lastAppliedConfiguration(manifest) ==
        "{\"apiVersion\":\"v1\",\"data\":{\"x\":\"\\u2028\"},\"kind\":\"ConfigMap\",\"metadata\":{\"annotations\":"
        "{\"note\":\"a \\u003c b \\u0026 c\"},\"name\":\"c\"}}\n");
  // No annotations in the manifest: kubectl writes an empty map.
  json plain = json::parse(R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"dev"}})");
  CHECK(minik::lastAppliedConfiguration(plain) ==
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"annotations\":{},\"name\":\"dev\"}}\n");
  json modified = minik::withLastApplied(plain);
  CHECK(modified["metadata"]["annotations"][minik::kLastAppliedAnnotation] ==
        minik::lastAppliedConfiguration(plain));
  // Applying the modified object again gives the same annotation.
  CHECK(minik::lastAppliedConfiguration(modified) == minik::lastAppliedConfiguration(plain));
}

TEST_CASE("floats are written as encoding/json writes them") {
  CHECK(minik::goJsonCompact(json(0.5)) == "0.5");
  CHECK(minik::goJsonCompact(json(1e21)) == "1e+21");
  CHECK(minik::goJsonCompact(json(1e-7)) == "1e-7");
  CHECK(minik::goJsonCompact(json(-0.000025)) == "-0.000025");
  CHECK(minik::goFloatG(1e6) == "1e+06");
  CHECK(minik::goFloatG(100000.0) == "100000");
}

TEST_CASE("nothing to change is an empty patch, whatever the server added") {
  json manifest = json::parse(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"ent","namespace":"dev"},
      "spec":{"ports":[{"port":8080}],"selector":{"app":"enterprise"}}})");
  json modified = minik::withLastApplied(manifest);
  json live = modified;
  live["metadata"]["uid"] = "u";
  live["metadata"]["resourceVersion"] = "7";
  live["spec"]["ports"][0]["protocol"] = "TCP";
  live["spec"]["ports"][0]["targetPort"] = 8080;
  live["spec"]["clusterIP"] = "10.43.0.5";
  live["spec"]["type"] = "ClusterIP";
  json original;
  REQUIRE(minik::originalConfiguration(live, &original));
  CHECK(threeWay("", "Service", original, modified, live) == json::object());
}

TEST_CASE("removed containers, env and changed fields: the patch kubectl sends") {
  auto deployment = [](const char* containers, const char* strategy) {
    return json::parse(std::string(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web",
        "namespace":"default","labels":{"app":"web"}},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
        "strategy":{"type":")") + strategy + R"("},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":)" +
                       containers + "}}}}");
  };
  json before = deployment(
      R"([{"name":"a","image":"nginx","env":[{"name":"XA","value":"1"},{"name":"YB","value":"2"}],
          "ports":[{"containerPort":80}]},{"name":"b","image":"busybox","args":["sleep","1000"]}])",
      "Recreate");
  json after = deployment(
      R"([{"name":"a","image":"nginx:2","env":[{"name":"XA","value":"1"}],"ports":[{"containerPort":80}]}])",
      "RollingUpdate");
  json live = minik::withLastApplied(before);
  live["spec"]["template"]["spec"]["containers"][0]["ports"][0]["protocol"] = "TCP";
  json original;
  REQUIRE(minik::originalConfiguration(live, &original));
  json modified = minik::withLastApplied(after);
  json patch = threeWay("apps", "Deployment", original, modified, live);
  json expected = {
      {"metadata", {{"annotations", {{minik::kLastAppliedAnnotation, minik::lastAppliedConfiguration(after)}}}}},
      {"spec",
       {{"strategy", {{"$retainKeys", {"type"}}, {"type", "RollingUpdate"}}},
        {"template",
         {{"spec",
           {{"$setElementOrder/containers", {{{"name", "a"}}}},
            {"containers",
             {{{"$setElementOrder/env", {{{"name", "XA"}}}},
               {"env", {{{"$patch", "delete"}, {"name", "YB"}}}},
               {"image", "nginx:2"},
               {"name", "a"}},
              {{"$patch", "delete"}, {"name", "b"}}}}}}}}}}};
  CHECK(minik::goJsonCompact(patch) == minik::goJsonCompact(expected));
}

TEST_CASE("fields others set are kept; fields the user dropped are removed") {
  json original = json::parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","labels":{"a":"1","b":"2"}},
      "data":{"x":"1","y":"2"}})");
  json manifest = json::parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","labels":{"a":"1"}},
      "data":{"x":"1"}})");
  json live = minik::withLastApplied(original);
  live["metadata"]["annotations"][minik::kLastAppliedAnnotation] = minik::lastAppliedConfiguration(original);
  live["metadata"]["labels"]["added-by-someone"] = "yes";
  live["data"]["z"] = "3";
  json modified = minik::withLastApplied(manifest);
  json patch = threeWay("", "ConfigMap", original, modified, live);
  CHECK(patch["data"] == json({{"y", nullptr}}));
  CHECK(patch["metadata"]["labels"] == json({{"b", nullptr}}));
}

TEST_CASE("renaming an object is refused") {
  json original = json::parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}})");
  json renamed = json::parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"d"}})");
  json patch;
  std::string error;
  CHECK_FALSE(minik::threeWayMergePatch("", "ConfigMap", original, renamed, original, &patch, &error));
  CHECK(error == "At least one of apiVersion, kind and name was changed");
}
