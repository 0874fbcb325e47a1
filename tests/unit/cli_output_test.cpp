// Output as kubectl prints it: jsonpath templates, YAML (go-yaml v2's
// quoting and ordering), server-side tables laid out by tabwriter.
#include "cli/jsonpath.h"
#include "cli/table_printer.h"
#include "cli/tab_writer.h"
#include "cli/yaml_writer.h"

#include <catch2/catch.hpp>

namespace {

using json = nlohmann::json;

std::string jsonpath(const std::string& text, const json& root) {
  std::string out, error;
  INFO(text);
  REQUIRE(minik::executeJsonPath(text, root, &out, &error));
  return out;
}

const json kList = json::parse(R"({"kind":"List","items":[
  {"metadata":{"name":"a","labels":{"app":"x"}},"spec":{"replicas":2},"status":{"phase":"Running"}},
  {"metadata":{"name":"b"},"spec":{"replicas":1.5},"status":{"phase":"Pending"}}]})");

}  // namespace

TEST_CASE("jsonpath: fields, wildcards, indexes, filters, ranges, literals") {
  CHECK(jsonpath("{.items[*].metadata.name}", kList) == "a b");
  CHECK(jsonpath("{.items[0].spec.replicas}", kList) == "2");
  CHECK(jsonpath("{.items[1].spec.replicas}", kList) == "1.5");
  CHECK(jsonpath("{.items[-1].metadata.name}", kList) == "b");
  CHECK(jsonpath("{.items[0:1].metadata.name}", kList) == "a");
  CHECK(jsonpath("{.items[?(@.status.phase==\"Pending\")].metadata.name}", kList) == "b");
  CHECK(jsonpath("{.items[0].metadata.labels}", kList) == "{\"app\":\"x\"}");
  CHECK(jsonpath("{..phase}", kList) == "Running Pending");
  CHECK(jsonpath("{.items[0].metadata['labels']['app']}", kList) == "x");
  CHECK(jsonpath("{range .items[*]}{.metadata.name}{\"\\t\"}{.status.phase}{\"\\n\"}{end}", kList) ==
        "a\tRunning\nb\tPending\n");
  CHECK(jsonpath("names: {.items[*].metadata.name}!", kList) == "names: a b!");
  CHECK(jsonpath("{.missing.field}", kList).empty());
  std::string out, error;
  CHECK_FALSE(minik::executeJsonPath("{.items[*]", kList, &out, &error));
}

TEST_CASE("yaml: block style, go-yaml's key order and quoting") {
  json v = json::parse(R"({"b":{"x10":1,"x9":2},"a":["1",2,true,null,"",{"k":"v","j":[]}],
      "port":"8080","stamp":"2026-11-26T10:23:08Z","text":"line1\nline2\n","colon":"a: b","empty":{},
      "yes":"yes","star":"*x","f":0.5})");
  CHECK(minik::toYaml(v) ==
        "a:\n"
        "- \"1\"\n"
        "- 2\n"
        "- true\n"
        "- null\n"
        "- \"\"\n"
        "- j: []\n"
        "  k: v\n"
        "b:\n"
        "  x9: 2\n"
        "  x10: 1\n"
        "colon: 'a: b'\n"
        "empty: {}\n"
        "f: 0.5\n"
        "port: \"8080\"\n"
        "stamp: \"2026-11-26T10:23:08Z\"\n"
        "star: '*x'\n"
        "text: |\n"
        "  line1\n"
        "  line2\n"
        "\"yes\": \"yes\"\n");
}

TEST_CASE("tables: kubectl's columns, namespace and kind prefix, tabwriter widths") {
  json table = json::parse(R"({"kind":"Table","columnDefinitions":[
      {"name":"Name","type":"string","priority":0},{"name":"Ready","type":"string","priority":0},
      {"name":"IP","type":"string","priority":1},{"name":"Age","type":"string","priority":0}],
    "rows":[{"cells":["jump","0/1","10.42.0.5","5s"],"object":{"metadata":{"name":"jump","namespace":"dev"}}},
            {"cells":["enterprise-abc","1/1","10.42.0.6","2m"],"object":{"metadata":{"name":"enterprise-abc","namespace":"dev"}}}]})");
  minik::TableOptions plain;
  minik::TablePrinter p(plain);
  p.add(table, true);
  CHECK(p.flush() ==
        "NAME             READY   AGE\n"
        "jump             0/1     5s\n"
        "enterprise-abc   1/1     2m\n");
  minik::TableOptions wide;
  wide.wide = true;
  wide.withNamespace = true;
  wide.kindPrefix = "pod";
  minik::TablePrinter w(wide);
  w.add(table, true);
  CHECK(w.flush() ==
        "NAMESPACE   NAME                 READY   IP          AGE\n"
        "dev         pod/jump             0/1     10.42.0.5   5s\n"
        "dev         pod/enterprise-abc   1/1     10.42.0.6   2m\n");
}

TEST_CASE("describe layout: Go's tabwriter column blocks") {
  CHECK(minik::tabAlign("Name:\tent\nNamespace:\tdev\nEvents:\n  Type\tReason\n  ----\t------\n", 0, 2) ==
        "Name:       ent\nNamespace:  dev\nEvents:\n  Type  Reason\n  ----  ------\n");
}
