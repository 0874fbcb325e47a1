// Label validation, label selectors (string and JSON forms) and field selectors.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "api/field_selector.h"
#include "api/kinds.h"
#include "api/labels.h"

using namespace minik;
using nlohmann::json;

namespace {

LabelSelector parsed(const std::string& text) {
  std::string error;
  auto s = LabelSelector::parse(text, &error);
  INFO(text << ": " << error);
  REQUIRE(s);
  return *s;
}

std::string parseError(const std::string& text) {
  std::string error;
  auto s = LabelSelector::parse(text, &error);
  CHECK_FALSE(s);
  return error;
}

const KindInfo& kind(const char* apiVersion, const char* name) {
  const KindInfo* k = findKindByKind(apiVersion, name);
  REQUIRE(k != nullptr);
  return *k;
}

}  // namespace

TEST_CASE("label keys and values are validated with Kubernetes' messages", "[api]") {
  CHECK(checkQualifiedName("app").empty());
  CHECK(checkQualifiedName("app.kubernetes.io/name").empty());
  CHECK(checkQualifiedName("/a") == std::vector<std::string>{"prefix part must be non-empty"});
  CHECK(checkQualifiedName("a/") == std::vector<std::string>{
                                        "name part must be non-empty",
                                        "name part must consist of alphanumeric characters, '-', '_' or '.', and "
                                        "must start and end with an alphanumeric character (e.g. 'MyName',  or "
                                        "'my.name',  or '123-abc', regex used for validation is "
                                        "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"});
  CHECK(checkQualifiedName("a/b/c").size() == 1);
  CHECK(checkQualifiedName(std::string(64, 'a')).front() == "name part must be no more than 63 characters");
  CHECK(checkLabelValue("").empty());
  CHECK(checkLabelValue("v1.2_x").empty());
  CHECK(checkLabelValue("-x") ==
        std::vector<std::string>{"a valid label must be an empty string or consist of alphanumeric characters, "
                                 "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
                                 "'MyValue',  or 'my_value',  or '12345', regex used for validation is "
                                 "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"});

  FieldErrors errors;
  validateLabels(json{{"ok", "yes"}, {"bad key", "v"}, {"k", "bad value!"}}, "metadata.labels", errors);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].field == "metadata.labels");
  CHECK(errors[0].message.rfind("Invalid value: \"bad key\": name part must consist", 0) == 0);
  CHECK(errors[1].message.rfind("Invalid value: \"bad value!\": a valid label must be", 0) == 0);
}

TEST_CASE("equality-based selectors parse and match", "[api]") {
  Labels web = {{"app", "web"}, {"tier", "front"}};
  CHECK(parsed("").empty());
  CHECK(parsed("").matches(web));
  CHECK(parsed("app=web").matches(web));
  CHECK(parsed("app==web").matches(web));
  CHECK_FALSE(parsed("app=db").matches(web));
  CHECK(parsed(" app = web , tier=front ").matches(web));
  CHECK_FALSE(parsed("app=web,tier=back").matches(web));
  // != matches objects that lack the key.
  CHECK(parsed("env!=prod").matches(web));
  CHECK_FALSE(parsed("app!=web").matches(web));
  CHECK(parsed("app=").matches({{"app", ""}}));
}

TEST_CASE("set-based selectors parse and match", "[api]") {
  Labels web = {{"app", "web"}, {"tier", "front"}};
  CHECK(parsed("app in (web,db)").matches(web));
  CHECK(parsed("app in(web)").matches(web));
  CHECK_FALSE(parsed("app in (db)").matches(web));
  CHECK(parsed("app notin (db)").matches(web));
  CHECK(parsed("env notin (prod)").matches(web));  // absent key: notin matches
  CHECK_FALSE(parsed("app notin (web)").matches(web));
  CHECK(parsed("tier").matches(web));
  CHECK_FALSE(parsed("env").matches(web));
  CHECK(parsed("!env").matches(web));
  CHECK_FALSE(parsed("!app").matches(web));
  CHECK(parsed("app in (in, notin)").requirements()[0].values == std::vector<std::string>{"in", "notin"});
  auto s = parsed("z=1,a in (y,x,x)");
  REQUIRE(s.requirements().size() == 2);
  CHECK(s.requirements()[0].key == "a");  // sorted by key; values a sorted set
  CHECK(s.requirements()[0].values == std::vector<std::string>{"x", "y"});
  CHECK(parsed("n>3").matches({{"n", "4"}}));
  CHECK_FALSE(parsed("n<3").matches({{"n", "4"}}));
}

TEST_CASE("unparsable selectors fail with the parser's words", "[api]") {
  CHECK(parseError("a=b c") == "found 'c', expected: ',' or 'end of string'");
  CHECK(parseError("a b") == "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
  CHECK(parseError("a=b,") == "found '', expected: identifier after ','");
  CHECK(parseError(",a") == "found ',', expected: !, identifier, or 'end of string'");
  CHECK(parseError("a in b") == "unable to parse requirement: found 'b' expected: '('");
  CHECK(parseError("a in (b") == "unable to parse requirement: found '', expected: ',' or ')'");
  CHECK(parseError("a notin") == "unable to parse requirement: found '' expected: '('");
  CHECK(parseError("a (b)") == "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt");
  CHECK(parseError("Bad Key=1") ==
        "unable to parse requirement: found 'Key', expected: in, notin, =, ==, !=, gt, lt");
  CHECK(parseError("a=b=c") == "found '=', expected: ',' or 'end of string'");
  CHECK(parseError("k=bad!value").rfind("found '!'", 0) == 0);
  CHECK(parseError("a=x-") ==
        "unable to parse requirement: values[0][a]: Invalid value: \"x-\": a valid label must be an empty string "
        "or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
        "character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
        "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
  CHECK(parseError("-a=b").rfind("unable to parse requirement: <nil>: Invalid value: \"-a\": name part must", 0) == 0);
}

TEST_CASE("metav1.LabelSelector objects become selectors", "[api]") {
  std::string error;
  auto s = LabelSelector::fromJson(json{{"matchLabels", {{"app", "web"}}},
                                         {"matchExpressions",
                                          {{{"key", "tier"}, {"operator", "In"}, {"values", {"front", "back"}}},
                                           {{"key", "env"}, {"operator", "DoesNotExist"}}}}},
                                   &error);
  REQUIRE(s);
  CHECK(s->matches({{"app", "web"}, {"tier", "front"}}));
  CHECK_FALSE(s->matches({{"app", "web"}, {"tier", "front"}, {"env", "x"}}));
  CHECK_FALSE(s->matches({{"app", "web"}}));
  auto all = LabelSelector::fromJson(json(nullptr), &error);
  REQUIRE(all);
  CHECK(all->empty());
  CHECK(LabelSelector::fromJson(json::object(), &error)->matches({}));
  CHECK_FALSE(LabelSelector::fromJson(json{{"matchExpressions", {{{"key", "a"}, {"operator", "Foo"}}}}}, &error));
  CHECK(error == "\"Foo\" is not a valid label selector operator");
  CHECK_FALSE(LabelSelector::fromJson(json{{"matchExpressions", {{{"key", "a"}, {"operator", "In"}}}}}, &error));
  CHECK(error == "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty");
  CHECK(LabelSelector::fromJson(json{{"matchExpressions", {{{"key", "a"}, {"operator", "Exists"}}}}}, &error)
            ->matches({{"a", "1"}}));
}

TEST_CASE("label selector objects are validated as metav1 validation does", "[api]") {
  FieldErrors errors;
  validateLabelSelector(json{{"matchExpressions",
                              {{{"key", "a"}, {"operator", "In"}},
                               {{"key", "b"}, {"operator", "Exists"}, {"values", {"x"}}},
                               {{"key", "c"}, {"operator", "Foo"}}}}},
                        "spec.selector", errors);
  REQUIRE(errors.size() == 3);
  CHECK(describe(errors[0]) ==
        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'");
  CHECK(describe(errors[1]) == "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when "
                               "`operator` is 'Exists' or 'DoesNotExist'");
  CHECK(describe(errors[2]) == "spec.selector.matchExpressions[2].operator: Invalid value: \"Foo\": not a valid selector operator");
}

TEST_CASE("field selectors accept each kind's fields and reject others", "[api]") {
  std::string error;
  const KindInfo& pods = kind("v1", "Pod");
  json pod = {{"metadata", {{"name", "p"}, {"namespace", "default"}}},
              {"spec", {{"nodeName", "n1"}, {"restartPolicy", "Always"}}},
              {"status", {{"phase", "Running"}, {"podIP", "10.0.0.5"}}}};
  auto s = FieldSelector::parse(pods, "spec.nodeName=n1,status.phase!=Pending", &error);
  REQUIRE(s);
  CHECK(s->matches(pod));
  CHECK(FieldSelector::parse(pods, "status.podIP==10.0.0.5", &error)->matches(pod));
  CHECK_FALSE(FieldSelector::parse(pods, "metadata.name=q", &error)->matches(pod));
  CHECK(FieldSelector::parse(pods, "spec.host=n1", &error)->matches(pod));
  CHECK(FieldSelector::parse(pods, "spec.schedulerName=", &error)->matches(pod));  // absent is ""
  CHECK(FieldSelector::parse(pods, "", &error)->empty());

  CHECK_FALSE(FieldSelector::parse(pods, "spec.foo=x", &error));
  CHECK(error == "field label not supported: spec.foo");
  CHECK_FALSE(FieldSelector::parse(kind("apps/v1", "Deployment"), "spec.replicas=1", &error));
  CHECK(error == "\"spec.replicas\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
  CHECK(FieldSelector::parse(kind("apps/v1", "Deployment"), "metadata.namespace=default", &error));
  CHECK_FALSE(FieldSelector::parse(pods, "nonsense", &error));
  CHECK(error == "invalid selector: 'nonsense'; can't understand 'nonsense'");
  CHECK_FALSE(FieldSelector::parse(pods, "metadata.name=a=b", &error));
  CHECK(error == "invalid field selector: unescaped character in value: 61");
  CHECK(FieldSelector::parse(pods, "metadata.name=a\\=b", &error)->matches(json{{"metadata", {{"name", "a=b"}}}}));

  json event = {{"involvedObject", {{"kind", "Pod"}, {"name", "p"}}}, {"reason", "Started"},
                {"source", {{"component", "kubelet"}}}, {"type", "Normal"}};
  auto ev = FieldSelector::parse(kind("v1", "Event"), "involvedObject.kind=Pod,involvedObject.name=p,source=kubelet,type=Normal", &error);
  REQUIRE(ev);
  CHECK(ev->matches(event));
  CHECK(FieldSelector::parse(kind("v1", "Secret"), "type=Opaque", &error)->matches(json{{"type", "Opaque"}}));
  CHECK(FieldSelector::parse(kind("v1", "Namespace"), "status.phase=Active", &error));
  CHECK(FieldSelector::parse(kind("v1", "Node"), "spec.unschedulable=false", &error)->matches(json::object()));
  CHECK_FALSE(FieldSelector::parse(kind("v1", "Node"), "metadata.namespace=x", &error));
  CHECK(error == "field label not supported: metadata.namespace");
}
