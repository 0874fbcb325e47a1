#include "controllers/namespace_controller.h"

#include <map>

#include "controllers/object_fields.h"
#include "controllers/rfc3339.h"

namespace minik {

using nlohmann::json;

namespace {

constexpr uint64_t kRecheckMs = 1000;

json nsCondition(const char* type, const char* status, const std::string& reason,
                 const std::string& message, const std::string& now) {
  return json{{"type", type}, {"status", status}, {"lastTransitionTime", now},
              {"reason", reason}, {"message", message}};
}

bool hasKubernetesFinalizer(const json& ns) {
  for (const auto& f : at(ns, "/spec/finalizers")) {
    if (f.is_string() && f.get<std::string>() == "kubernetes") return true;
  }
  return false;
}

}  // namespace

NamespaceController::NamespaceController(uv_loop_t* loop, ClusterClient& client)
    : client_(client),
      namespaceKind_(kindOf("", "namespaces")),
      queue_(loop, [this](const std::string& name) { return finish(name); }) {}

void NamespaceController::namespaceChanged(const json& ns) {
  if (isBeingDeleted(ns)) queue_.add(stringAt(ns, "/metadata/name"));
}

WorkQueue::Outcome NamespaceController::finish(const std::string& name) {
  ClientResult current = client_.get(namespaceKind_, "", name);
  if (current.code() == 404) return WorkQueue::Outcome::done();
  if (!current.ok()) return WorkQueue::Outcome::retry();
  json ns = std::move(current.object);
  if (!isBeingDeleted(ns)) return WorkQueue::Outcome::done();

  // resource -> count of what is still there; finalizers that hold objects back.
  std::map<std::string, size_t> remaining;
  bool finalizersRemain = false;
  bool failed = false;
  for (const KindInfo& kind : allKinds()) {
    if (!kind.namespaced) continue;
    ClientList list = client_.list(kind, name);
    if (list.error) {
      failed = true;
      continue;
    }
    for (const auto& object : list.items) {
      const std::string objectName = stringAt(object, "/metadata/name");
      bool stays = isBeingDeleted(object);
      if (!stays) {
        DeleteOptions options;
        options.propagationPolicy = "Background";
        ClientResult r = client_.remove(kind, name, objectName, options);
        if (r.ok()) stays = isBeingDeleted(r.object);
        else if (r.code() != 404) failed = true;
      }
      if (stays) {
        ++remaining[kind.group.empty() ? kind.resource : kind.resource + "." + kind.group];
        const json& finalizers = at(object, "/metadata/finalizers");
        if (finalizers.is_array() && !finalizers.empty()) finalizersRemain = true;
      }
    }
  }
  if (failed) return WorkQueue::Outcome::retry();
  if (!remaining.empty()) {
    std::string text;
    for (const auto& [resource, n] : remaining) {
      if (!text.empty()) text += ", ";
      text += resource + " has " + std::to_string(n) + " resource instances";
    }
    writeConditions(ns, text, finalizersRemain);
    return WorkQueue::Outcome::after(kRecheckMs);
  }
  // Everything is gone: drop our finalizer; the API then deletes the Namespace
  // (or, when the finalizer is already gone, a second delete does).
  if (!hasKubernetesFinalizer(ns)) {
    ClientResult r = client_.remove(namespaceKind_, "", name, {});
    return r.ok() || r.code() == 404 ? WorkQueue::Outcome::done() : WorkQueue::Outcome::retry();
  }
  json finalizers = json::array();
  for (const auto& f : at(ns, "/spec/finalizers")) {
    if (!(f.is_string() && f.get<std::string>() == "kubernetes")) finalizers.push_back(f);
  }
  ns["spec"]["finalizers"] = finalizers;
  ClientResult r = client_.update(namespaceKind_, "", name, ns);
  if (r.ok() || r.code() == 404) return WorkQueue::Outcome::done();
  return WorkQueue::Outcome::retry();
}

// The conditions namespace deletion reports while content remains.
bool NamespaceController::writeConditions(json ns, const std::string& remaining, bool finalizersRemain) {
  const std::string now = nowRfc3339();
  json conditions = json::array(
      {nsCondition("NamespaceDeletionDiscoveryFailure", "False", "ResourcesDiscovered",
                   "All resources successfully discovered", now),
       nsCondition("NamespaceDeletionGroupVersionParsingFailure", "False", "ParsedGroupVersions",
                   "All legacy kube types successfully parsed", now),
       nsCondition("NamespaceDeletionContentFailure", "False", "ContentDeleted",
                   "All content successfully deleted, may be waiting on finalization", now),
       nsCondition("NamespaceContentRemaining", "True", "SomeResourcesRemain",
                   "Some resources are remaining: " + remaining, now),
       finalizersRemain
           ? nsCondition("NamespaceFinalizersRemaining", "True", "SomeFinalizersRemain",
                         "Some content in the namespace has finalizers remaining", now)
           : nsCondition("NamespaceFinalizersRemaining", "False", "ContentHasNoFinalizers",
                         "All content-preserving finalizers finished", now)});
  // Keep transition times of conditions whose status did not change.
  const json& was = at(ns, "/status/conditions");
  bool changed = !was.is_array() || was.size() != conditions.size();
  for (auto& c : conditions) {
    bool found = false;
    if (was.is_array()) {
      for (const auto& o : was) {
        if (stringAt(o, "/type") != stringAt(c, "/type")) continue;
        found = true;
        if (stringAt(o, "/status") == stringAt(c, "/status")) c["lastTransitionTime"] = o["lastTransitionTime"];
        if (o != c) changed = true;
      }
    }
    if (!found) changed = true;
  }
  if (!changed) return true;
  ns["status"]["conditions"] = conditions;
  return client_.update(namespaceKind_, "", stringAt(ns, "/metadata/name"), ns, "status").ok();
}

}  // namespace minik
