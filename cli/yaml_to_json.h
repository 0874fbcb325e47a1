// cli/yaml_to_json.h — one YAML document to JSON, as kubectl converts it
// (sigs.k8s.io/yaml.YAMLToJSON on go-yaml v2): YAML 1.1 plain scalars, so
// `yes`, `on`, `y` are true, `0755` is 493, `1_000` is 1000, `2001-12-14`
// stays the string "2001-12-14" (go-yaml v2 keeps timestamps as strings when
// decoding into interface{}); quoted scalars stay strings; map keys
// become strings (`on:` is the key "true"); `<<` merge keys are honoured.
//
// Numbers that are whole become integers, as they do once kubectl has decoded
// the JSON again, so `replicas: 2.0` and `replicas: 2` are the same value.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace minik {

// False on a syntax error, with error worded as go-yaml's after the
// "error converting YAML to JSON: " prefix: "yaml: line 4: did not find
// expected ',' or ']'". Line numbers count from the document's first line.
// An empty document (only comments) gives null.
bool yamlToJson(const std::string& document, nlohmann::json* out, std::string* error);

// How go-yaml v2 resolves an unquoted scalar into interface{}: null, bool,
// int, float, or the string itself.
nlohmann::json resolvePlainScalar(const std::string& text);

// True when go-yaml would read the unquoted text back as a string (not a
// null, bool, number or timestamp): the YAML printer quotes the others.
bool plainScalarIsString(const std::string& text);

}  // namespace minik
