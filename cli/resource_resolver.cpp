#include "cli/resource_resolver.h"

#include <algorithm>

namespace minik {

using json = nlohmann::json;

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool nameMatches(const ResourceType& t, const std::string& name) {
  if (name == t.resource || name == t.singular || name == lower(t.kind)) return true;
  return std::find(t.shortNames.begin(), t.shortNames.end(), name) != t.shortNames.end();
}

}  // namespace

std::string ResourceType::apiVersion() const { return group.empty() ? version : group + "/" + version; }

std::string ResourceType::displayName() const {
  return group.empty() ? lower(kind) : lower(kind) + "." + group;
}

std::string ResourceType::groupResource() const { return group.empty() ? resource : resource + "." + group; }

std::string ResourceType::path(const std::string& ns, const std::string& name) const {
  std::string p = group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
  if (namespaced && !ns.empty()) p += "/namespaces/" + ns;
  p += "/" + resource;
  if (!name.empty()) p += "/" + name;
  return p;
}

void ResourceResolver::loadGroupVersion(const std::string& groupVersion) {
  if (!loaded_.insert(groupVersion).second) return;
  std::string path = groupVersion.find('/') == std::string::npos ? "/api/" + groupVersion : "/apis/" + groupVersion;
  ApiResponse response = client_.get(path);
  if (!response.ok() || !response.body.is_object()) return;
  size_t slash = groupVersion.find('/');
  std::string group = slash == std::string::npos ? "" : groupVersion.substr(0, slash);
  std::string version = slash == std::string::npos ? groupVersion : groupVersion.substr(slash + 1);
  for (const auto& r : response.body.value("resources", json::array())) {
    std::string name = r.value("name", "");
    if (name.empty() || name.find('/') != std::string::npos) continue;  // subresources
    ResourceType t;
    t.group = group;
    t.version = version;
    t.kind = r.value("kind", "");
    t.resource = name;
    t.singular = r.value("singularName", "");
    if (t.singular.empty()) t.singular = lower(t.kind);
    t.namespaced = r.value("namespaced", true);
    t.shortNames = r.value("shortNames", std::vector<std::string>{});
    t.categories = r.value("categories", std::vector<std::string>{});
    types_.push_back(std::move(t));
  }
}

void ResourceResolver::loadEverything() {
  if (everything_) return;
  everything_ = true;
  loadGroupVersion("v1");
  ApiResponse groups = client_.get("/apis");
  if (!groups.ok() || !groups.body.is_object()) return;
  for (const auto& g : groups.body.value("groups", json::array())) {
    if (g.contains("preferredVersion")) loadGroupVersion(g["preferredVersion"].value("groupVersion", ""));
  }
}

const ResourceType* ResourceResolver::byName(const std::string& typed, std::string* error) {
  loadEverything();
  std::string name = lower(typed);
  // "deployments" or "deployments.apps" or "deployments.v1.apps".
  for (const auto& t : types_) {
    if (nameMatches(t, name)) return &t;
  }
  size_t dot = name.find('.');
  if (dot != std::string::npos) {
    std::string base = name.substr(0, dot);
    std::string rest = name.substr(dot + 1);
    for (const auto& t : types_) {
      if (!nameMatches(t, base)) continue;
      if (rest == t.group || rest == t.version + "." + t.group || (t.group.empty() && rest == t.version)) return &t;
    }
  }
  *error = "the server doesn't have a resource type \"" + typed + "\"";
  return nullptr;
}

bool ResourceResolver::expand(const std::string& list, std::vector<const ResourceType*>* out, std::string* error) {
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    std::string name = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? list.size() + 1 : comma + 1;
    if (name.empty()) continue;
    std::vector<const ResourceType*> found;
    const ResourceType* direct = nullptr;
    std::string ignored;
    loadEverything();
    for (const auto& t : types_) {
      if (nameMatches(t, lower(name))) {
        direct = &t;
        break;
      }
    }
    if (!direct) {
      for (const auto& t : types_) {
        if (std::find(t.categories.begin(), t.categories.end(), lower(name)) != t.categories.end()) {
          found.push_back(&t);
        }
      }
    }
    if (!direct && found.empty()) {
      direct = byName(name, error);
      if (!direct) return false;
    }
    if (direct) found.push_back(direct);
    for (const ResourceType* t : found) {
      if (std::find(out->begin(), out->end(), t) == out->end()) out->push_back(t);
    }
  }
  return true;
}

const ResourceType* ResourceResolver::byKind(const std::string& apiVersion, const std::string& kind) {
  loadGroupVersion(apiVersion);
  for (const auto& t : types_) {
    if (t.apiVersion() == apiVersion && t.kind == kind) return &t;
  }
  return nullptr;
}

}  // namespace minik
