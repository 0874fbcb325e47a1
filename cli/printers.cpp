#include "cli/printers.h"

#include "cli/go_json.h"
#include "cli/jsonpath.h"
#include "cli/yaml_writer.h"

namespace minik {

using json = nlohmann::json;

bool parseOutputFormat(const std::string& flag, OutputSpec* out, std::string* error) {
  if (flag.empty()) out->format = OutputFormat::Table;
  else if (flag == "wide") out->format = OutputFormat::Wide;
  else if (flag == "name") out->format = OutputFormat::Name;
  else if (flag == "json") out->format = OutputFormat::Json;
  else if (flag == "yaml") out->format = OutputFormat::Yaml;
  else if (flag.rfind("jsonpath=", 0) == 0) {
    out->format = OutputFormat::JsonPath;
    std::string t = flag.substr(9);
    if (t.size() >= 2 && (t.front() == '\'' || t.front() == '"') && t.back() == t.front()) t = t.substr(1, t.size() - 2);
    if (t.empty()) {
      *error = "template format specified but no template given";
      return false;
    }
    out->jsonPathTemplate = t;
  } else {
    *error = "unable to match a printer suitable for the output format \"" + flag +
             "\", allowed formats are: json,jsonpath,name,wide,yaml";
    return false;
  }
  return true;
}

json listOf(json items) {
  return {{"apiVersion", "v1"}, {"items", std::move(items)}, {"kind", "List"}, {"metadata", {{"resourceVersion", ""}}}};
}

bool formatObjects(const OutputSpec& spec, const json& value, std::string* out, std::string* error) {
  switch (spec.format) {
    case OutputFormat::Json: *out = goJsonIndented(value, "    ") + "\n"; return true;
    case OutputFormat::Yaml: *out = toYaml(value); return true;
    case OutputFormat::JsonPath: return executeJsonPath(spec.jsonPathTemplate, value, out, error);
    default:
      *error = "formatObjects: not an object format";
      return false;
  }
}

}  // namespace minik
