// Name rules and field-error printing, checked against Kubernetes' exact wording.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "api/field_error.h"
#include "api/names.h"

using namespace minik;

namespace {
const std::string kSubdomainMessage =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const std::string kLabelMessage =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and "
    "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
}  // namespace

TEST_CASE("DNS-1123 subdomains accept dotted lowercase names up to 253 characters", "[api]") {
  CHECK(checkDns1123Subdomain("example.com").empty());
  CHECK(checkDns1123Subdomain("a").empty());
  CHECK(checkDns1123Subdomain("nginx-7d9c-x1").empty());
  CHECK(checkDns1123Subdomain(std::string(253, 'a')).empty());
  auto errs = checkDns1123Subdomain("Bad_Name");
  REQUIRE(errs.size() == 1);
  CHECK(errs[0] == kSubdomainMessage);
  CHECK(checkDns1123Subdomain("-a") == std::vector<std::string>{kSubdomainMessage});
  CHECK(checkDns1123Subdomain("a..b") == std::vector<std::string>{kSubdomainMessage});
  CHECK(checkDns1123Subdomain("") == std::vector<std::string>{kSubdomainMessage});
  auto tooLong = checkDns1123Subdomain(std::string(254, 'a'));
  CHECK(tooLong == std::vector<std::string>{"must be no more than 253 characters"});
}

TEST_CASE("DNS-1123 labels reject dots with their own message and cap at 63", "[api]") {
  CHECK(checkDns1123Label("my-name").empty());
  CHECK(checkDns1123Label("123-abc").empty());
  CHECK(checkDns1123Label("a.b") == std::vector<std::string>{"must not contain dots"});
  CHECK(checkDns1123Label("Upper") == std::vector<std::string>{kLabelMessage});
  CHECK(checkDns1123Label(std::string(64, 'a')) == std::vector<std::string>{"must be no more than 63 characters"});
}

TEST_CASE("RFC 1035 labels must start with a letter", "[api]") {
  CHECK(checkDns1035Label("web").empty());
  auto errs = checkDns1035Label("1web");
  REQUIRE(errs.size() == 1);
  CHECK(errs[0] ==
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
        "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
        "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
  CHECK(checkDns1035Label("").size() == 1);
}

TEST_CASE("config keys and port names follow Kubernetes' rules", "[api]") {
  CHECK(checkConfigMapKey("app.properties").empty());
  CHECK(checkConfigMapKey("..x") == std::vector<std::string>{"must not start with '..'"});
  CHECK(checkConfigMapKey("a b").size() == 1);
  CHECK(checkPortName("http").empty());
  CHECK(checkPortName("8080") == std::vector<std::string>{"must contain at least one letter (a-z)"});
  CHECK(checkPortName("a--b") == std::vector<std::string>{"must not contain consecutive hyphens"});
}

TEST_CASE("field errors print as Go's field.Error", "[api]") {
  CHECK(describe(invalidError("metadata.name", BadValue::quoted("Bad_Name"), kSubdomainMessage)) ==
        "metadata.name: Invalid value: \"Bad_Name\": " + kSubdomainMessage);
  CHECK(describe(requiredError("spec.selector")) == "spec.selector: Required value");
  CHECK(describe(requiredError("metadata.name", "name or generateName is required")) ==
        "metadata.name: Required value: name or generateName is required");
  CHECK(describe(invalidError("spec.ports[0].port", BadValue::number(70000), "must be between 1 and 65535, inclusive")) ==
        "spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive");
  CHECK(describe(duplicateError("spec.containers[1].name", BadValue::quoted("x"))) ==
        "spec.containers[1].name: Duplicate value: \"x\"");
  CHECK(describe(notSupportedError("spec.type", BadValue::quoted("Foo"), {"ClusterIP", "NodePort"})) ==
        "spec.type: Unsupported value: \"Foo\": supported values: \"ClusterIP\", \"NodePort\"");
  CHECK(describe(forbiddenError("metadata.namespace", "not allowed on this type")) ==
        "metadata.namespace: Forbidden: not allowed on this type");
  CHECK(describe(tooLongError("metadata.annotations", 262144)) ==
        "metadata.annotations: Too long: must have at most 262144 bytes");
  CHECK(requiredError("x").reason == "FieldValueRequired");
  CHECK(invalidError("x", BadValue::quoted(""), "").message == "Invalid value: \"\"");
}

TEST_CASE("bad values render as Go's %v and %#v", "[api]") {
  using nlohmann::json;
  CHECK(BadValue::of(json("a\"b\n")).text == "\"a\\\"b\\n\"");
  CHECK(BadValue::of(json(3)).text == "3");
  CHECK(BadValue::of(json(2.5)).text == "2.5");
  CHECK(BadValue::of(json(true)).text == "true");
  CHECK(BadValue::of(json(nullptr)).text == "null");
  CHECK(BadValue::of(json{{"b", "2"}, {"a", "1"}}).text == "map[string]string{\"a\":\"1\", \"b\":\"2\"}");
  CHECK(BadValue::stringMap(nullptr).text == "map[string]string(nil)");
  CHECK(BadValue::of(json::array({"10.0.0.1"})).text == "[]string{\"10.0.0.1\"}");
  CHECK(quoteGo("\x01\xff") == "\"\\x01\\xff\"");
  CHECK(quoteGo("héllo") == "\"héllo\"");
}

TEST_CASE("a list of errors prints once each, bracketed when several", "[api]") {
  FieldErrors errors = {requiredError("a"), requiredError("a"), requiredError("b")};
  CHECK(describeAll(errors) == "[a: Required value, b: Required value]");
  CHECK(describeAll({requiredError("a")}) == "a: Required value");
  CHECK(describeAll({}).empty());
}
