#include "apiserver/object_registry.h"

#include <ctime>
#include <random>

#include "api/strategic_merge.h"
#include "api/validation.h"

namespace minik {

using nlohmann::json;

namespace {

constexpr int kPatchRetries = 5;

// Kubernetes' rand.String alphabet: no vowels, no confusable characters.
std::string randomSuffix(size_t n) {
  static const char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  static thread_local std::mt19937 rng{std::random_device{}()};
  std::uniform_int_distribution<size_t> pick(0, sizeof(kAlphabet) - 2);
  std::string s;
  for (size_t i = 0; i < n; ++i) s.push_back(kAlphabet[pick(rng)]);
  return s;
}

std::string nowRfc3339(int64_t laterSeconds = 0) {
  std::time_t t = std::time(nullptr) + laterSeconds;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

const std::string& stringAt(const json& object, const char* section, const char* key) {
  static const std::string empty;
  auto s = object.find(section);
  if (s == object.end() || !s->is_object()) return empty;
  auto v = s->find(key);
  return v != s->end() && v->is_string() ? v->get_ref<const std::string&>() : empty;
}

int64_t parseRevision(const std::string& text) {
  if (text.empty()) return 0;
  try {
    size_t used = 0;
    long long v = std::stoll(text, &used);
    return used == text.size() && v > 0 ? v : -1;
  } catch (...) {
    return -1;
  }
}

// Fields a client may not set: the store and the registry own them.
void clearServerMetadata(json& metadata) {
  for (const char* key : {"uid", "resourceVersion", "creationTimestamp", "deletionTimestamp",
                          "deletionGracePeriodSeconds", "generation", "selfLink", "managedFields"}) {
    metadata.erase(key);
  }
}

// Kinds whose status is written only through /status (and reset on create).
bool statusIsSubresource(const KindInfo& kind) { return kind.hasSubresource("status"); }

json withoutResourceVersion(json object) {
  if (object.contains("metadata")) object["metadata"].erase("resourceVersion");
  return object;
}

// The grace period of a pod's deletion: the request's, else the pod's
// terminationGracePeriodSeconds (default 30); 0 for a pod not bound to a
// node or already finished.
int64_t podGracePeriod(const json& pod, const DeleteOptions& options) {
  const json& spec = pod.contains("spec") ? pod["spec"] : json::object();
  if (!spec.is_object() || spec.value("nodeName", "").empty()) return 0;
  std::string phase = pod.contains("status") && pod["status"].is_object() ? pod["status"].value("phase", "") : "";
  if (phase == "Succeeded" || phase == "Failed") return 0;
  if (options.gracePeriodSeconds) return std::max<int64_t>(0, *options.gracePeriodSeconds);
  auto t = spec.find("terminationGracePeriodSeconds");
  return t != spec.end() && t->is_number_integer() ? std::max<int64_t>(0, t->get<int64_t>()) : 30;
}

bool hasFinalizers(const json& object) {
  auto m = object.find("metadata");
  if (m == object.end()) return false;
  auto f = m->find("finalizers");
  return f != m->end() && f->is_array() && !f->empty();
}

bool hasSpecFinalizers(const json& ns) {
  auto spec = ns.find("spec");
  if (spec == ns.end() || !spec->is_object()) return false;
  auto f = spec->find("finalizers");
  return f != spec->end() && f->is_array() && !f->empty();
}

const KindInfo& namespaceKind() { return *findKindByResource("", "v1", "namespaces"); }

}  // namespace

ApiError storeError(const KindInfo& kind, const std::string& name, StoreCode code,
                    const std::string& message) {
  switch (code) {
    case StoreCode::NotFound: return notFound(kind, name);
    case StoreCode::AlreadyExists: return alreadyExists(kind, name);
    case StoreCode::Conflict: return conflict(kind, name, message);
    case StoreCode::Gone: return gone(message);
    case StoreCode::BadRequest: return badRequest(message);
    default: return internalError(message);
  }
}

void ObjectRegistry::ensureSystemNamespaces() {
  const KindInfo& ns = namespaceKind();
  for (const char* name : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    if (store_.get({ns.storageResource(), "", name}).code == StoreCode::Ok) continue;
    create(ns, "", json{{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name}}}},
           false);
  }
}

std::optional<ApiError> ObjectRegistry::checkNamespace(const std::string& ns, bool forCreate) {
  StoreResult r = store_.get({namespaceKind().storageResource(), "", ns});
  if (r.code == StoreCode::NotFound) return notFound("", "namespaces", ns);
  if (r.code != StoreCode::Ok) return internalError(r.message);
  if (forCreate) {
    json object = json::parse(r.object.json, nullptr, false);
    if (object.is_object() && object.contains("metadata") &&
        object["metadata"].contains("deletionTimestamp")) {
      return statusError(403, "Forbidden",
                         "unable to create new content in namespace " + ns +
                             " because it is being terminated",
                         json{{"name", ns}, {"kind", "namespaces"},
                              {"causes", {{{"reason", "NamespaceTerminating"},
                                           {"message", "namespace " + ns + " is being terminated"},
                                           {"field", "metadata.namespace"}}}}});
    }
  }
  return std::nullopt;
}

std::optional<ApiError> ObjectRegistry::admit(const KindInfo& kind, json& object, const json* old) {
  for (size_t i = 0; i < admission_.size(); ++i) {
    if (auto e = admission_[i]->admit(kind, object, old)) {
      // Only creates reserve: an update keeps what the stored object holds.
      if (!old) {
        for (size_t j = 0; j < i; ++j) admission_[j]->released(kind, object);
      }
      return e;
    }
  }
  return std::nullopt;
}

void ObjectRegistry::release(const KindInfo& kind, const json& object) {
  for (auto* plugin : admission_) plugin->released(kind, object);
}

RegistryResult ObjectRegistry::get(const KindInfo& kind, const std::string& ns,
                                   const std::string& name) {
  RegistryResult out;
  StoreResult r = store_.get({kind.storageResource(), kind.namespaced ? ns : "", name});
  if (r.code != StoreCode::Ok) {
    out.error = storeError(kind, name, r.code, r.message);
    return out;
  }
  out.object = json::parse(r.object.json);
  return out;
}

RegistryResult ObjectRegistry::create(const KindInfo& kind, const std::string& ns, json object,
                                      bool dryRun) {
  RegistryResult out;
  if (!object.is_object()) {
    out.error = badRequest("the body of the request was not a JSON object");
    return out;
  }
  json& metadata = object["metadata"];
  if (!metadata.is_object()) metadata = json::object();
  const std::string& bodyNs = stringAt(object, "metadata", "namespace");
  if (kind.namespaced) {
    if (!bodyNs.empty() && !ns.empty() && bodyNs != ns) {
      out.error = badRequest(
          "the namespace of the provided object does not match the namespace sent on the request");
      return out;
    }
    metadata["namespace"] = ns.empty() ? bodyNs : ns;
  } else {
    metadata.erase("namespace");
  }
  if (metadata.contains("resourceVersion") && !metadata["resourceVersion"].is_null() &&
      metadata["resourceVersion"] != "") {
    out.error = badRequest("resourceVersion should not be set on objects to be created");
    return out;
  }
  if (stringAt(object, "metadata", "name").empty()) {
    const std::string& prefix = stringAt(object, "metadata", "generateName");
    if (!prefix.empty()) metadata["name"] = prefix + randomSuffix(5);
  }
  clearServerMetadata(metadata);
  if (statusIsSubresource(kind) && kind.kind != "Node") object.erase("status");
  applyDefaults(kind, object);
  const std::string name = stringAt(object, "metadata", "name");
  FieldErrors errors = validateObject(kind, object, nullptr);
  if (!errors.empty()) {
    out.error = invalid(kind, name, errors);
    return out;
  }
  const std::string objNs = kind.namespaced ? stringAt(object, "metadata", "namespace") : "";
  if (kind.namespaced) {
    if (auto e = checkNamespace(objNs, true)) {
      out.error = *e;
      return out;
    }
  }
  StoreKey key{kind.storageResource(), objNs, name};
  if (store_.get(key).code == StoreCode::Ok) {
    out.error = alreadyExists(kind, name);
    return out;
  }
  if (auto e = admit(kind, object, nullptr)) {
    out.error = *e;
    return out;
  }
  if (dryRun) {
    release(kind, object);
    out.code = 201;
    out.object = std::move(object);
    return out;
  }
  StoreResult r = store_.create(key, object.dump());
  if (r.code != StoreCode::Ok) {
    release(kind, object);
    out.error = storeError(kind, name, r.code, r.message);
    return out;
  }
  out.code = 201;
  out.object = json::parse(r.object.json);
  return out;
}

RegistryResult ObjectRegistry::update(const KindInfo& kind, const std::string& ns,
                                      const std::string& name, json object,
                                      const std::string& subresource, bool dryRun) {
  RegistryResult out;
  if (!object.is_object()) {
    out.error = badRequest("the body of the request was not a JSON object");
    return out;
  }
  const std::string& bodyName = stringAt(object, "metadata", "name");
  if (bodyName != name) {
    out.error = badRequest("the name of the object (" + bodyName +
                           ") does not match the name on the URL (" + name + ")");
    return out;
  }
  const std::string& bodyNs = stringAt(object, "metadata", "namespace");
  if (kind.namespaced && !bodyNs.empty() && bodyNs != ns) {
    out.error = badRequest(
        "the namespace of the provided object does not match the namespace sent on the request");
    return out;
  }
  int64_t expected = parseRevision(stringAt(object, "metadata", "resourceVersion"));
  if (expected < 0) {
    out.error = badRequest("invalid resourceVersion: " +
                           stringAt(object, "metadata", "resourceVersion"));
    return out;
  }
  StoreResult current = store_.get({kind.storageResource(), kind.namespaced ? ns : "", name});
  if (current.code != StoreCode::Ok) {
    out.error = storeError(kind, name, current.code, current.message);
    return out;
  }
  if (expected > 0 && expected != current.object.revision) {
    out.error = conflict(kind, name,
                         "the object has been modified; please apply your changes to the latest "
                         "version and try again");
    return out;
  }
  json old = json::parse(current.object.json);
  json next;
  if (subresource == "status") {
    // Only status changes through /status; metadata and spec stay as stored.
    next = old;
    if (object.contains("status")) next["status"] = object["status"];
    else next.erase("status");
  } else {
    next = std::move(object);
    if (statusIsSubresource(kind)) {
      if (old.contains("status")) next["status"] = old["status"];
      else next.erase("status");
    }
  }
  return commitUpdate(kind, current.object, std::move(next), dryRun);
}

RegistryResult ObjectRegistry::commitUpdate(const KindInfo& kind, const StoredObject& current,
                                            json next, bool dryRun) {
  RegistryResult out;
  const std::string& name = current.key.name;
  json old = json::parse(current.json);
  json& metadata = next["metadata"];
  if (!metadata.is_object()) metadata = json::object();
  // Identity and lifecycle fields are the server's: keep the stored values.
  for (const char* key : {"uid", "creationTimestamp", "deletionTimestamp",
                          "deletionGracePeriodSeconds", "generation", "namespace", "name"}) {
    if (old["metadata"].contains(key)) metadata[key] = old["metadata"][key];
    else metadata.erase(key);
  }
  metadata.erase("managedFields");
  metadata.erase("selfLink");
  metadata["resourceVersion"] = std::to_string(current.revision);
  preserveAllocatedFields(kind, next, old);
  applyDefaults(kind, next);
  FieldErrors errors = validateObject(kind, next, &old);
  if (!errors.empty()) {
    out.error = invalid(kind, name, errors);
    return out;
  }
  if (auto e = admit(kind, next, &old)) {
    out.error = *e;
    return out;
  }
  if (withoutResourceVersion(next) == withoutResourceVersion(old)) {
    out.object = std::move(old);  // nothing changed: nothing written
    return out;
  }
  // The last finalizer removed from an object being deleted completes its
  // deletion; for a Namespace, spec.finalizers (the namespace controller's
  // "kubernetes") must be empty too. An object in its grace period (a pod
  // its node is stopping) stays until its deleter says so, as in
  // Kubernetes' ShouldDeleteDuringUpdate.
  const json& grace = metadata.contains("deletionGracePeriodSeconds") ? metadata["deletionGracePeriodSeconds"] : json();
  if (metadata.contains("deletionTimestamp") && !hasFinalizers(next) &&
      !(grace.is_number_integer() && grace.get<int64_t>() > 0) &&
      !(kind.kind == "Namespace" && hasSpecFinalizers(next))) {
    if (dryRun) {
      out.object = std::move(next);
      return out;
    }
    return deleteNow(kind, current);
  }
  if (dryRun) {
    out.object = std::move(next);
    return out;
  }
  StoreResult r = store_.update(current.key, next.dump(), current.revision);
  if (r.code != StoreCode::Ok) {
    out.error = storeError(kind, name, r.code, r.message);
    return out;
  }
  out.object = json::parse(r.object.json);
  return out;
}

RegistryResult ObjectRegistry::patch(const KindInfo& kind, const std::string& ns,
                                     const std::string& name, PatchType type, const json& patchBody,
                                     const std::string& subresource, bool dryRun) {
  RegistryResult out;
  for (int attempt = 0; attempt < kPatchRetries; ++attempt) {
    StoreResult current = store_.get({kind.storageResource(), kind.namespaced ? ns : "", name});
    if (current.code != StoreCode::Ok) {
      out.error = storeError(kind, name, current.code, current.message);
      return out;
    }
    json target = json::parse(current.object.json);
    std::string error;
    bool applied = false;
    switch (type) {
      case PatchType::Merge: applied = applyMergePatch(target, patchBody, &error); break;
      case PatchType::Json: applied = applyJsonPatch(target, patchBody, &error); break;
      case PatchType::StrategicMerge:
        applied = applyStrategicMergePatch(kind, target, patchBody, &error);
        break;
    }
    if (!applied) {
      out.error = statusError(422, "Invalid", error);
      return out;
    }
    // A resourceVersion in the patch is a precondition; otherwise retry on conflict.
    const std::string& rv = stringAt(target, "metadata", "resourceVersion");
    int64_t expected = parseRevision(rv);
    bool pinned = expected > 0 && expected != current.object.revision;
    if (pinned) {
      out.error = conflict(kind, name,
                           "the object has been modified; please apply your changes to the latest "
                           "version and try again");
      return out;
    }
    if (target.is_object() && target.contains("metadata")) {
      target["metadata"]["name"] = name;
    }
    json old = json::parse(current.object.json);
    json next;
    if (subresource == "status") {
      next = old;
      if (target.contains("status")) next["status"] = target["status"];
    } else {
      next = std::move(target);
      if (statusIsSubresource(kind)) {
        if (old.contains("status")) next["status"] = old["status"];
        else next.erase("status");
      }
    }
    out = commitUpdate(kind, current.object, std::move(next), dryRun);
    if (out.ok() || out.error->code != 409 || !rv.empty()) return out;
  }
  return out;
}

RegistryResult ObjectRegistry::storeMarkedForDeletion(const KindInfo& kind, const StoredObject& current,
                                                      json object, bool dryRun) {
  RegistryResult out;
  if (dryRun) {
    out.object = std::move(object);
    return out;
  }
  StoreResult r = store_.update(current.key, object.dump(), current.revision);
  if (r.code != StoreCode::Ok) {
    out.error = storeError(kind, current.key.name, r.code, r.message);
    return out;
  }
  out.object = json::parse(r.object.json);
  return out;
}

RegistryResult ObjectRegistry::deleteNow(const KindInfo& kind, const StoredObject& current) {
  RegistryResult out;
  StoreResult r = store_.remove(current.key, current.revision, "");
  if (r.code != StoreCode::Ok) {
    out.error = storeError(kind, current.key.name, r.code, r.message);
    return out;
  }
  out.object = json::parse(r.object.json);
  release(kind, out.object);
  return out;
}

RegistryResult ObjectRegistry::remove(const KindInfo& kind, const std::string& ns,
                                      const std::string& name, const DeleteOptions& options) {
  RegistryResult out;
  StoreResult current = store_.get({kind.storageResource(), kind.namespaced ? ns : "", name});
  if (current.code != StoreCode::Ok) {
    out.error = storeError(kind, name, current.code, current.message);
    return out;
  }
  json object = json::parse(current.object.json);
  const std::string& uid = stringAt(object, "metadata", "uid");
  if (!options.preconditionUid.empty() && options.preconditionUid != uid) {
    out.error = conflict(kind, name,
                         "Precondition failed: UID in precondition: " + options.preconditionUid +
                             ", UID in object meta: " + uid);
    return out;
  }
  if (options.preconditionRevision > 0 && options.preconditionRevision != current.object.revision) {
    out.error = conflict(kind, name,
                         "Precondition failed: ResourceVersion in precondition: " +
                             std::to_string(options.preconditionRevision) +
                             ", ResourceVersion in object meta: " +
                             std::to_string(current.object.revision));
    return out;
  }
  json& metadata = object["metadata"];
  // A pod bound to a node that runs pods is stopped there first, as
  // Kubernetes' pod strategy (CheckGracefulDelete) has it: marked with
  // deletionTimestamp = now + grace period, and deleted for good by the
  // node's runtime once its containers are gone. Unscheduled and finished
  // pods, and a grace period of 0, delete at once.
  if (kind.kind == "Pod" && boundPodsDeleteGracefully_) {
    int64_t grace = podGracePeriod(object, options);
    bool shortens = metadata.contains("deletionGracePeriodSeconds") &&
                    metadata["deletionGracePeriodSeconds"].is_number() &&
                    grace < metadata["deletionGracePeriodSeconds"].get<int64_t>();
    if (grace > 0 && (!metadata.contains("deletionTimestamp") || shortens)) {
      metadata["deletionTimestamp"] = nowRfc3339(grace);
      metadata["deletionGracePeriodSeconds"] = grace;
      return storeMarkedForDeletion(kind, current.object, std::move(object), options.dryRun);
    }
    if (grace > 0) {
      out.object = std::move(object);
      return out;
    }
  }
  // Objects with finalizers, and namespaces (whose content must go first), are
  // marked for deletion; the controllers finish the job.
  bool graceful = hasFinalizers(object) || kind.kind == "Namespace" ||
                  options.propagationPolicy == "Foreground" || options.propagationPolicy == "Orphan";
  if (graceful) {
    if (!metadata.contains("deletionTimestamp")) {
      metadata["deletionTimestamp"] = nowRfc3339();
      metadata["deletionGracePeriodSeconds"] = 0;
      if (options.propagationPolicy == "Foreground" || options.propagationPolicy == "Orphan") {
        std::string finalizer =
            options.propagationPolicy == "Foreground" ? "foregroundDeletion" : "orphan";
        json& finalizers = metadata["finalizers"];
        if (!finalizers.is_array()) finalizers = json::array();
        if (std::find(finalizers.begin(), finalizers.end(), finalizer) == finalizers.end()) {
          finalizers.push_back(finalizer);
        }
      }
      if (kind.kind == "Namespace") object["status"]["phase"] = "Terminating";
      return storeMarkedForDeletion(kind, current.object, std::move(object), options.dryRun);
    }
    // A terminating Namespace whose finalizers are all done goes now.
    if (kind.kind == "Namespace" && !hasFinalizers(object) && !hasSpecFinalizers(object) &&
        !options.dryRun) {
      return deleteNow(kind, current.object);
    }
    out.object = std::move(object);
    return out;
  }
  if (options.dryRun) {
    out.object = std::move(object);
    return out;
  }
  return deleteNow(kind, current.object);
}

bool ObjectRegistry::matches(const ListQuery& query, const json& object) {
  if (query.labels && !query.labels->empty() && !query.labels->matches(labelsOf(object))) {
    return false;
  }
  if (query.fields && !query.fields->empty() && !query.fields->matches(object)) return false;
  return true;
}

ObjectRegistry::ListOutcome ObjectRegistry::list(const KindInfo& kind, const ListQuery& query,
                                                 const std::function<void(const std::string&)>& emit) {
  ListOutcome outcome;
  ListOptions options;
  options.resource = kind.storageResource();
  options.ns = kind.namespaced ? query.ns : "";
  options.limit = query.limit;
  options.continueToken = query.continueToken;
  const bool filtered = (query.labels && !query.labels->empty()) ||
                        (query.fields && !query.fields->empty());
  ListResult r = store_.list(options, [&](const StoredObject& stored) {
    if (filtered) {
      json object = json::parse(stored.json, nullptr, false);
      if (!object.is_object() || !matches(query, object)) return false;
    }
    emit(stored.json);
    return true;
  });
  if (r.code != StoreCode::Ok) {
    outcome.error = r.code == StoreCode::Gone || r.code == StoreCode::BadRequest
                        ? storeError(kind, "", r.code, r.message)
                        : internalError(r.message);
    return outcome;
  }
  outcome.revision = r.revision;
  outcome.continueToken = r.continueToken;
  outcome.remainingItemCount = r.remainingItemCount;
  return outcome;
}

RegistryResult ObjectRegistry::getScale(const KindInfo& kind, const std::string& ns,
                                        const std::string& name) {
  RegistryResult out = get(kind, ns, name);
  if (!out.ok()) return out;
  const json& object = out.object;
  const json& metadata = object["metadata"];
  json scaleMeta = json::object();
  for (const char* key : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
    if (metadata.contains(key)) scaleMeta[key] = metadata[key];
  }
  std::string selector;
  if (object.contains("spec") && object["spec"].contains("selector")) {
    const json& sel = object["spec"]["selector"];
    if (sel.contains("matchLabels")) {
      for (auto it = sel["matchLabels"].begin(); it != sel["matchLabels"].end(); ++it) {
        if (!selector.empty()) selector += ",";
        selector += it.key() + "=" + it.value().get<std::string>();
      }
    }
  }
  json status = {{"replicas", object.value("/status/replicas"_json_pointer, 0)}};
  if (!selector.empty()) status["selector"] = selector;
  out.object = {{"kind", "Scale"},
                {"apiVersion", "autoscaling/v1"},
                {"metadata", scaleMeta},
                {"spec", {{"replicas", object.value("/spec/replicas"_json_pointer, 1)}}},
                {"status", status}};
  return out;
}

RegistryResult ObjectRegistry::updateScale(
    const KindInfo& kind, const std::string& ns, const std::string& name,
    const std::function<std::optional<ApiError>(json& scale)>& change) {
  RegistryResult scale = getScale(kind, ns, name);
  if (!scale.ok()) return scale;
  json updated = scale.object;
  if (auto e = change(updated)) {
    scale.error = *e;
    return scale;
  }
  const json replicas = updated.value("/spec/replicas"_json_pointer, json());
  if (!replicas.is_number_integer()) {
    scale.error = invalid(kind, name,
                          {{"FieldValueInvalid", "spec.replicas",
                            "Invalid value: " + replicas.dump() + ": must be an integer"}});
    return scale;
  }
  RegistryResult r = patch(kind, ns, name, PatchType::Merge,
                           json{{"spec", {{"replicas", replicas}}}}, "", false);
  if (!r.ok()) return r;
  return getScale(kind, ns, name);
}

}  // namespace minik
