// cli/printers.h — `-o` for objects, as kubectl prints them: name
// ("deployment.apps/enterprise"), json (4-space indented, Go's encoding),
// yaml, jsonpath=TEMPLATE; table and wide are left to table_printer.h.
// Several objects are printed as one `kind: List` (apiVersion v1, empty
// resourceVersion), as kubectl does; name prints one line per object.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace minik {

enum class OutputFormat { Table, Wide, Name, Json, Yaml, JsonPath };

struct OutputSpec {
  OutputFormat format = OutputFormat::Table;
  std::string jsonPathTemplate;
};

// "", "wide", "name", "json", "yaml", "jsonpath=..." ("jsonpath='...'").
// False with kubectl's error for other formats.
bool parseOutputFormat(const std::string& flag, OutputSpec* out, std::string* error);

// A List of the items, as kubectl wraps them.
nlohmann::json listOf(nlohmann::json items);

// The text of one object or a List as json, yaml or jsonpath (name and the
// tables are the caller's: they need each object's resource type).
bool formatObjects(const OutputSpec& spec, const nlohmann::json& value, std::string* out, std::string* error);

}  // namespace minik
