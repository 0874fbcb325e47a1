// cli/yaml_writer.h — JSON printed as YAML the way `kubectl get -o yaml`
// prints it (sigs.k8s.io/yaml.JSONToYAML over go-yaml v2): block style,
// two-space indentation, list items not indented below their key, map keys
// in go-yaml's order (natural: "a2" before "a10"), strings quoted only when
// they would read back as something else ("8080", "true", timestamps) or
// cannot be plain, multi-line strings as `|` blocks, long plain strings
// folded after column 80.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace minik {

std::string toYaml(const nlohmann::json& value);

}  // namespace minik
