#include "controllers/garbage_collector.h"

#include <cstdio>

#include "controllers/interned.h"
#include "controllers/object_fields.h"

namespace minik {

using nlohmann::json;

namespace {

const char* const kForeground = "foregroundDeletion";
const char* const kOrphan = "orphan";

uint64_t digest(const std::string& text) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

struct OwnerLinksHash {
  template <class Links>
  size_t operator()(const Links& links) const {
    size_t h = links.size();
    for (const auto& link : links) h = (h * 1000003u ^ std::hash<std::string>()(link.uid)) * 2 + link.blocking;
    return h;
  }
};

const KindInfo* kindOfReference(const json& ref) {
  return findKindByKind(stringAt(ref, "/apiVersion"), stringAt(ref, "/kind"));
}

}  // namespace

GarbageCollector::GarbageCollector(uv_loop_t* loop, ClusterClient& client)
    : client_(client),
      dependentsQueue_(loop, [this](const std::string& uid) { return checkDependent(uid); }),
      ownersQueue_(loop, [this](const std::string& key) { return finalizeOwner(key); }) {}

GarbageCollector::OwnerLinks::OwnerLinks(std::vector<OwnerLink> links) {
  if (!links.empty()) links_ = intern<std::vector<OwnerLink>, OwnerLinksHash>(std::move(links));
}

const std::vector<GarbageCollector::OwnerLink>& GarbageCollector::OwnerLinks::none() {
  static const auto* empty = new std::vector<OwnerLink>;
  return *empty;
}

std::string GarbageCollector::ownerKey(const KindInfo& kind, const std::string& ns,
                                       const std::string& name) {
  return kind.group + "|" + kind.resource + "|" + (kind.namespaced ? ns : "") + "|" + name;
}

void GarbageCollector::objectChanged(const KindInfo& kind, const json& object) {
  const std::string uid = stringAt(object, "/metadata/uid");
  if (uid.empty()) return;
  const std::string ns = stringAt(object, "/metadata/namespace");
  const std::string name = stringAt(object, "/metadata/name");
  const std::string key = ownerKey(kind, ns, name);
  alive_[digest(key)] = digest(uid);
  const bool deleting = isBeingDeleted(object);
  if (deleting && hasFinalizer(object, kForeground)) foreground_.insert(uid);
  else foreground_.erase(uid);
  if (deleting && (hasFinalizer(object, kForeground) || hasFinalizer(object, kOrphan))) ownersQueue_.add(key);

  const json& refs = at(object, "/metadata/ownerReferences");
  if (!refs.is_array() || refs.empty()) {
    forgetDependent(uid);
    return;
  }
  Dependent next;
  next.kind = &kind;
  next.ns = ns;
  next.name = name;
  std::vector<OwnerLink> links;
  for (const auto& ref : refs) {
    links.push_back({stringAt(ref, "/uid"), kindOfReference(ref), stringAt(ref, "/name"),
                     boolAt(ref, "/blockOwnerDeletion")});
  }
  next.owners = OwnerLinks(std::move(links));
  auto it = dependents_.find(uid);
  if (it != dependents_.end()) {
    bool same = it->second.owners.size() == next.owners.size();
    for (size_t i = 0; same && i < next.owners.size(); ++i) {
      same = it->second.owners[i].uid == next.owners[i].uid &&
             it->second.owners[i].blocking == next.owners[i].blocking;
    }
    if (same) return;
    forgetDependent(uid);
  }
  const auto& stored = *dependents_.insert_or_assign(uid, std::move(next)).first;
  bool allAlive = true;
  for (const auto& link : stored.second.owners) {
    byOwner_[link.uid].insert(&stored.first);
    if (ownerState(link, ns, false) != OwnerState::Alive) allAlive = false;
  }
  // What checkDependent would find first: nothing to do. (An owner that goes
  // later queues its dependents.)
  if (!allAlive) dependentsQueue_.add(uid);
}

void GarbageCollector::objectDeleted(const KindInfo& kind, const json& object) {
  const std::string uid = stringAt(object, "/metadata/uid");
  const std::string ns = stringAt(object, "/metadata/namespace");
  const std::string name = stringAt(object, "/metadata/name");
  alive_.erase(digest(ownerKey(kind, ns, name)));
  if (uid.empty()) {
    // An informer resync knows only the name: look for what referred to it.
    std::vector<std::string> gone, affected;
    for (const auto& [depUid, dep] : dependents_) {
      if (dep.kind == &kind && dep.ns == ns && dep.name == name) gone.push_back(depUid.str());
      for (const auto& link : dep.owners) {
        if (link.kind == &kind && link.name == name && (!kind.namespaced || dep.ns == ns)) {
          affected.push_back(depUid.str());
        }
      }
    }
    for (const auto& u : gone) forgetDependent(u);
    for (const auto& u : affected) dependentsQueue_.add(u);
    return;
  }
  foreground_.erase(uid);
  auto it = dependents_.find(uid);
  if (it != dependents_.end()) {
    // Owners waiting for their dependents may now be done.
    for (const auto& link : it->second.owners) {
      if (link.kind && foreground_.count(link.uid)) ownersQueue_.add(ownerKey(*link.kind, ns, link.name));
    }
    forgetDependent(uid);
  }
  auto owned = byOwner_.find(uid);
  if (owned != byOwner_.end()) {
    for (const Uid* dep : owned->second) dependentsQueue_.add(dep->str());
  }
}

void GarbageCollector::forgetDependent(const std::string& uid) {
  auto it = dependents_.find(uid);
  if (it == dependents_.end()) return;
  for (const auto& link : it->second.owners) {
    auto owned = byOwner_.find(link.uid);
    if (owned == byOwner_.end()) continue;
    owned->second.erase(&it->first);
    if (owned->second.empty()) byOwner_.erase(owned);
  }
  dependents_.erase(it);
}

GarbageCollector::OwnerState GarbageCollector::ownerState(const OwnerLink& link, const std::string& ns,
                                                          bool confirm) {
  if (!link.kind) return OwnerState::Alive;  // unknown kinds are never presumed gone
  const std::string ownerNs = link.kind->namespaced ? ns : "";
  auto it = alive_.find(digest(ownerKey(*link.kind, ownerNs, link.name)));
  if (it != alive_.end() && it->second == digest(link.uid)) {
    return foreground_.count(link.uid) ? OwnerState::DeletingForeground : OwnerState::Alive;
  }
  if (!confirm) return OwnerState::Absent;
  ClientResult r = client_.get(*link.kind, ownerNs, link.name);
  if (r.code() == 404) return OwnerState::Absent;
  if (!r.ok()) return OwnerState::Alive;
  if (stringAt(r.object, "/metadata/uid") != link.uid) return OwnerState::Absent;
  return isBeingDeleted(r.object) && hasFinalizer(r.object, kForeground) ? OwnerState::DeletingForeground
                                                                        : OwnerState::Alive;
}

WorkQueue::Outcome GarbageCollector::checkDependent(const std::string& uid) {
  auto it = dependents_.find(uid);
  if (it == dependents_.end()) return WorkQueue::Outcome::done();
  const Dependent dep = it->second;
  bool allAlive = true;
  for (const auto& link : dep.owners) {
    if (ownerState(link, dep.ns, false) != OwnerState::Alive) allAlive = false;
  }
  if (allAlive) return WorkQueue::Outcome::done();

  ClientResult current = client_.get(*dep.kind, dep.ns, dep.name);
  if (current.code() == 404) return WorkQueue::Outcome::done();
  if (!current.ok()) return WorkQueue::Outcome::retry();
  const json& object = current.object;
  if (stringAt(object, "/metadata/uid") != uid) return WorkQueue::Outcome::done();
  if (isBeingDeleted(object) && !hasFinalizer(object, kForeground)) return WorkQueue::Outcome::done();

  std::unordered_set<std::string> dropped;
  bool solid = false, waiting = false;
  for (const auto& link : dep.owners) {
    switch (ownerState(link, dep.ns, true)) {
      case OwnerState::Alive: solid = true; break;
      case OwnerState::Absent: dropped.insert(link.uid.str()); break;
      case OwnerState::DeletingForeground:
        waiting = true;
        dropped.insert(link.uid.str());
        break;
    }
  }
  if (solid) {
    if (dropped.empty()) return WorkQueue::Outcome::done();
    return removeOwnerReferences(dep, uid, dropped) ? WorkQueue::Outcome::done() : WorkQueue::Outcome::retry();
  }
  DeleteOptions options;
  options.preconditionUid = uid;
  if (waiting && byOwner_.count(uid)) options.propagationPolicy = "Foreground";
  else if (hasFinalizer(object, kOrphan)) options.propagationPolicy = "Orphan";
  else if (hasFinalizer(object, kForeground)) options.propagationPolicy = "Foreground";
  else options.propagationPolicy = "Background";
  ClientResult r = client_.remove(*dep.kind, dep.ns, dep.name, options);
  if (r.ok() || r.code() == 404) return WorkQueue::Outcome::done();
  std::fprintf(stderr, "minik: garbage collector: cannot delete %s %s/%s: %s\n", dep.kind->kind.c_str(),
               dep.ns.c_str(), dep.name.c_str(), r.error->status.value("message", "").c_str());
  return WorkQueue::Outcome::retry();
}

WorkQueue::Outcome GarbageCollector::finalizeOwner(const std::string& key) {
  size_t a = key.find('|'), b = key.find('|', a + 1), c = key.find('|', b + 1);
  const KindInfo* kind = findKindByResource(key.substr(0, a), "v1", key.substr(a + 1, b - a - 1));
  if (!kind) return WorkQueue::Outcome::done();
  const std::string ns = key.substr(b + 1, c - b - 1), name = key.substr(c + 1);
  ClientResult current = client_.get(*kind, ns, name);
  if (current.code() == 404) return WorkQueue::Outcome::done();
  if (!current.ok()) return WorkQueue::Outcome::retry();
  const json& object = current.object;
  if (!isBeingDeleted(object)) return WorkQueue::Outcome::done();
  const std::string uid = stringAt(object, "/metadata/uid");
  std::vector<std::string> deps;
  if (auto owned = byOwner_.find(uid); owned != byOwner_.end()) {
    for (const Uid* dep : owned->second) deps.push_back(dep->str());
  }

  if (hasFinalizer(object, kOrphan)) {
    for (const auto& depUid : deps) {
      auto it = dependents_.find(depUid);
      if (it != dependents_.end() && !removeOwnerReferences(it->second, depUid, {uid})) {
        return WorkQueue::Outcome::retry();
      }
    }
    return removeFinalizer(*kind, ns, name, uid, kOrphan) ? WorkQueue::Outcome::done()
                                                          : WorkQueue::Outcome::retry();
  }
  if (!hasFinalizer(object, kForeground)) return WorkQueue::Outcome::done();
  bool blocked = false;
  for (const auto& depUid : deps) {
    auto it = dependents_.find(depUid);
    if (it == dependents_.end()) continue;
    for (const auto& link : it->second.owners) {
      if (link.uid == uid && link.blocking) blocked = true;
    }
    dependentsQueue_.add(depUid);
  }
  if (blocked) return WorkQueue::Outcome::after(2000);  // also woken by each dependent's deletion
  return removeFinalizer(*kind, ns, name, uid, kForeground) ? WorkQueue::Outcome::done()
                                                            : WorkQueue::Outcome::retry();
}

bool GarbageCollector::removeOwnerReferences(const Dependent& dep, const std::string& dependentUid,
                                             const std::unordered_set<std::string>& ownerUids) {
  ClientResult current = client_.get(*dep.kind, dep.ns, dep.name);
  if (current.code() == 404) return true;
  if (!current.ok()) return false;
  json object = std::move(current.object);
  if (stringAt(object, "/metadata/uid") != dependentUid) return true;
  json kept = json::array();
  const json& refs = at(object, "/metadata/ownerReferences");
  if (!refs.is_array()) return true;
  for (const auto& ref : refs) {
    if (!ownerUids.count(stringAt(ref, "/uid"))) kept.push_back(ref);
  }
  if (kept.size() == refs.size()) return true;
  if (kept.empty()) object["metadata"].erase("ownerReferences");
  else object["metadata"]["ownerReferences"] = kept;
  ClientResult r = client_.update(*dep.kind, dep.ns, dep.name, object);
  return r.ok() || r.code() == 404;
}

bool GarbageCollector::removeFinalizer(const KindInfo& kind, const std::string& ns, const std::string& name,
                                       const std::string& uid, const std::string& finalizer) {
  ClientResult current = client_.get(kind, ns, name);
  if (current.code() == 404) return true;
  if (!current.ok()) return false;
  json object = std::move(current.object);
  if (stringAt(object, "/metadata/uid") != uid) return true;
  json kept = json::array();
  for (const auto& f : at(object, "/metadata/finalizers")) {
    if (!(f.is_string() && f.get<std::string>() == finalizer)) kept.push_back(f);
  }
  if (kept.empty()) object["metadata"].erase("finalizers");
  else object["metadata"]["finalizers"] = kept;
  ClientResult r = client_.update(kind, ns, name, object);
  return r.ok() || r.code() == 404;
}

}  // namespace minik
