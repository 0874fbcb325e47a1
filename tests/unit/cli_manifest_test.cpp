// Manifests read as kubectl reads them: YAML 1.1 scalars through go-yaml v2
// and sigs.k8s.io/yaml, document splitting, kind: List, and go-yaml's error
// lines (checked against what kubectl 1.31 prints for the same input).
#include "cli/manifest_reader.h"
#include "cli/yaml_to_json.h"

#include <catch2/catch.hpp>

namespace {

using json = nlohmann::json;

json convert(const std::string& yaml) {
  json out;
  std::string error;
  INFO(yaml);
  REQUIRE(minik::yamlToJson(yaml, &out, &error));
  return out;
}

std::string conversionError(const std::string& yaml) {
  json out;
  std::string error;
  CHECK_FALSE(minik::yamlToJson(yaml, &out, &error));
  return error;
}

}  // namespace

TEST_CASE("plain scalars resolve as YAML 1.1 does in go-yaml v2") {
  json v = convert(
      "a: yes\nb: \"yes\"\nc: on\nd: n\ne: ~\nf:\ng: 0x1F\nh: 0755\ni: 1_000\nj: 1.5\nk: 2.0\nl: 2001-12-14\n"
      "m: +1\nnn: 08\no: 1e3\np: .5\nq: 1.2.3\nr: !!str 12\ns: 'true'\n");
  CHECK(v["a"] == true);
  CHECK(v["b"] == "yes");
  CHECK(v["c"] == true);
  CHECK(v["d"] == false);
  CHECK(v["e"].is_null());
  CHECK(v["f"].is_null());
  CHECK(v["g"] == 31);
  CHECK(v["h"] == 493);
  CHECK(v["i"] == 1000);
  CHECK(v["j"] == 1.5);
  CHECK(v["k"].is_number_integer());  // 2.0 comes back from JSON as the integer 2
  CHECK(v["l"] == "2001-12-14");      // timestamps stay strings in interface{}
  CHECK(v["m"] == 1);
  CHECK(v["nn"] == 8);
  CHECK(v["o"] == 1000);
  CHECK(v["p"] == 0.5);
  CHECK(v["q"] == "1.2.3");
  CHECK(v["r"] == "12");
  CHECK(v["s"] == "true");
}

TEST_CASE("map keys become strings, merge keys merge") {
  json v = convert("on: 1\nn: 0\n3: x\nbase: &b {p: 1, q: 2}\nderived:\n  <<: *b\n  q: 3\n");
  CHECK(v["true"] == 1);
  CHECK(v["3"] == "x");
  CHECK(v["false"] == 0);
  CHECK(v["derived"] == json({{"p", 1}, {"q", 3}}));
}

TEST_CASE("syntax errors are worded as go-yaml's, lines counted from the document") {
  CHECK(conversionError("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [broken\n") ==
        "yaml: line 4: did not find expected ',' or ']'");
  CHECK(conversionError("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {broken\n") ==
        "yaml: line 4: did not find expected ',' or '}'");
  CHECK(conversionError("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n bad: 1\n") ==
        "yaml: line 4: did not find expected key");
  CHECK(conversionError("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n    bad: 1\n") ==
        "yaml: line 5: mapping values are not allowed in this context");
  CHECK(conversionError("apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n") ==
        "yaml: line 4: found character that cannot start any token");
  CHECK(conversionError("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"x") ==
        "yaml: line 5: found unexpected end of stream");
  CHECK(conversionError("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"x\n") ==
        "yaml: line 5: found unexpected end of stream");
  // Quotes inside plain scalars, comments and block scalars are text.
  CHECK(convert("a: don't\nb: 'it''s' # it's\nc: |\n  say \"hi\n  it's\nd: [\"x\", 'y']\n")["c"] == "say \"hi\nit's\n");
  CHECK(conversionError("a: *x\n") == "yaml: unknown anchor 'x' referenced");
}

TEST_CASE("a file is split into documents; lists expand; bad documents are reported, good ones kept") {
  minik::ManifestSet set;
  minik::parseManifestText(
      "# leading comment\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n--- \n"
      "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Namespace, metadata: {name: b}}\n"
      "- {apiVersion: v1, kind: Namespace, metadata: {name: c}}\n---\n"
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [broken\n---\nmetadata: {name: d}\n---\n"
      "apiVersion: v1\nkind: Namespace\nmetadata: {name: e}\n",
      "app.yaml", &set);
  REQUIRE(set.objects.size() == 4);
  CHECK(set.objects[0].object["metadata"]["name"] == "a");
  CHECK(set.objects[1].object["metadata"]["name"] == "b");
  CHECK(set.objects[2].object["metadata"]["name"] == "c");
  CHECK(set.objects[3].object["metadata"]["name"] == "e");
  CHECK(set.objects[3].source == "app.yaml");
  REQUIRE(set.errors.size() == 2);
  CHECK(set.errors[0] ==
        "error parsing app.yaml: error converting YAML to JSON: yaml: line 4: did not find expected ',' or ']'");
  CHECK(set.errors[1] ==
        "error validating \"app.yaml\": error validating data: [apiVersion not set, kind not set]; if you choose "
        "to ignore these errors, turn validation off with --validate=false");
}

TEST_CASE("JSON streams are read whole, a cut one is unexpected EOF") {
  minik::ManifestSet set;
  minik::parseManifestText(
      "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"a\"}}\n"
      "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"b}\"}}",
      "ns.json", &set);
  REQUIRE(set.objects.size() == 2);
  CHECK(set.objects[1].object["metadata"]["name"] == "b}");
  minik::ManifestSet cut;
  minik::parseManifestText("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\"", "cut.json", &cut);
  CHECK(cut.objects.empty());
  REQUIRE(cut.errors.size() == 1);
  CHECK(cut.errors[0] == "error parsing cut.json: unexpected EOF");
}
