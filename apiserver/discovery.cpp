#include "apiserver/discovery.h"

#include <set>

#include "api/kinds.h"

namespace minik {

const char* const kKubernetesVersion = "v1.31.0";

namespace {

nlohmann::json subresourceEntry(const KindInfo& kind, const std::string& sub) {
  nlohmann::json entry = {{"name", kind.resource + "/" + sub}, {"singularName", ""},
                          {"namespaced", kind.namespaced}};
  if (sub == "scale") {
    entry["group"] = "autoscaling";
    entry["version"] = "v1";
    entry["kind"] = "Scale";
    entry["verbs"] = {"get", "patch", "update"};
  } else if (sub == "log") {
    entry["kind"] = kind.kind;
    entry["verbs"] = {"get"};
  } else {
    entry["kind"] = kind.kind;
    entry["verbs"] = {"get", "patch", "update"};
  }
  return entry;
}

// The groups served, core excluded, in a stable order.
std::vector<std::pair<std::string, std::string>> servedGroupVersions() {
  std::vector<std::pair<std::string, std::string>> out;
  std::set<std::string> seen;
  for (const auto& kind : allKinds()) {
    if (kind.group.empty() || !seen.insert(kind.apiVersion()).second) continue;
    out.emplace_back(kind.group, kind.version);
  }
  return out;
}

std::string groupVersionPrefix(const std::string& group, const std::string& version) {
  return group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
}

}  // namespace

nlohmann::json apiVersions(const std::string& serverAddress) {
  return {{"kind", "APIVersions"},
          {"versions", {"v1"}},
          {"serverAddressByClientCIDRs", {{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", serverAddress}}}}};
}

nlohmann::json apiGroupList() {
  nlohmann::json groups = nlohmann::json::array();
  for (const auto& [group, version] : servedGroupVersions()) {
    nlohmann::json gv = {{"groupVersion", group + "/" + version}, {"version", version}};
    groups.push_back({{"name", group}, {"versions", {gv}}, {"preferredVersion", gv}});
  }
  return {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", groups}};
}

nlohmann::json apiResourceList(const std::string& group, const std::string& version) {
  nlohmann::json resources = nlohmann::json::array();
  for (const auto& kind : allKinds()) {
    if (kind.group != group || kind.version != version) continue;
    nlohmann::json entry = {{"name", kind.resource},         {"singularName", kind.singular},
                            {"namespaced", kind.namespaced}, {"kind", kind.kind},
                            {"verbs", kind.verbs}};
    if (!kind.shortNames.empty()) entry["shortNames"] = kind.shortNames;
    if (!kind.categories.empty()) entry["categories"] = kind.categories;
    resources.push_back(std::move(entry));
    for (const auto& sub : kind.subresources) resources.push_back(subresourceEntry(kind, sub));
  }
  if (resources.empty()) return nullptr;
  return {{"kind", "APIResourceList"},
          {"apiVersion", "v1"},
          {"groupVersion", group.empty() ? version : group + "/" + version},
          {"resources", resources}};
}

nlohmann::json versionInfo() {
  std::string v = kKubernetesVersion;  // "v1.31.0"
  size_t dot1 = v.find('.'), dot2 = v.find('.', dot1 + 1);
  return {{"major", v.substr(1, dot1 - 1)},
          {"minor", v.substr(dot1 + 1, dot2 - dot1 - 1)},
          {"gitVersion", v + "+minik"},
          {"gitCommit", ""},
          {"gitTreeState", "clean"},
          {"buildDate", "1970-01-01T00:00:00Z"},
          {"goVersion", ""},
          {"compiler", "minik"},
          {"platform", "linux"}};
}

nlohmann::json openApiV3Index() {
  nlohmann::json paths = nlohmann::json::object();
  auto add = [&](const std::string& group, const std::string& version) {
    std::string rel = groupVersionPrefix(group, version).substr(1);  // "api/v1"
    paths[rel] = {{"serverRelativeURL", "/openapi/v3/" + rel + "?hash=" + kKubernetesVersion}};
  };
  add("", "v1");
  for (const auto& [group, version] : servedGroupVersions()) add(group, version);
  return {{"paths", paths}};
}

nlohmann::json openApiV3Document(const std::string& group, const std::string& version) {
  nlohmann::json paths = nlohmann::json::object();
  const nlohmann::json fieldValidation = {
      {"name", "fieldValidation"}, {"in", "query"}, {"schema", {{"type", "string"}}},
      {"description", "Strict, Warn or Ignore: how unknown or duplicate fields are treated."}};
  for (const auto& kind : allKinds()) {
    if (kind.group != group || kind.version != version) continue;
    std::string base = groupVersionPrefix(group, version) +
                       (kind.namespaced ? "/namespaces/{namespace}/" : "/") + kind.resource;
    nlohmann::json gvk = {{"group", group}, {"version", version}, {"kind", kind.kind}};
    nlohmann::json op = {{"parameters", {fieldValidation}}, {"x-kubernetes-group-version-kind", gvk}};
    paths[base] = {{"post", op}};
    paths[base + "/{name}"] = {{"put", op}, {"patch", op}};
  }
  if (paths.empty()) return nullptr;
  return {{"openapi", "3.0.0"},
          {"info", {{"title", "Kubernetes"}, {"version", kKubernetesVersion}}},
          {"paths", paths},
          {"components", {{"schemas", nlohmann::json::object()}}}};
}

}  // namespace minik
