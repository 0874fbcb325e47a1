// controllers/garbage_collector.h — deletion by ownerReferences, as
// pkg/controller/garbagecollector does it:
//  - a dependent whose owners are all gone is deleted (Background); owners
//    that are gone are removed from a dependent that still has others;
//  - an owner deleted with propagationPolicy Foreground (deletionTimestamp +
//    finalizer foregroundDeletion) has its dependents deleted first (in the
//    foreground too); its finalizer is removed once no dependent with
//    blockOwnerDeletion remains, which completes its deletion;
//  - an owner deleted with Orphan (finalizer orphan) loses its dependents:
//    their ownerReferences to it are removed, then the finalizer.
//
// Memory: one record per object that has ownerReferences (its name and
// its owner links, interned: the dependents of one owner share them), and two 64-bit digests per object (of kind/namespace/name
// and of uid), so that checking an owner is alive costs no read.
// An owner that looks absent is confirmed with a read before anything is
// deleted.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <uv.h>

#include <nlohmann/json.hpp>

#include "client/cluster_client.h"
#include "controllers/interned_string.h"
#include "controllers/uid.h"
#include "controllers/work_queue.h"

namespace minik {

class GarbageCollector {
 public:
  GarbageCollector(uv_loop_t* loop, ClusterClient& client);

  // From the informers of every kind.
  void objectChanged(const KindInfo& kind, const nlohmann::json& object);
  void objectDeleted(const KindInfo& kind, const nlohmann::json& object);

 private:
  struct OwnerLink {
    InternedString uid;
    const KindInfo* kind = nullptr;  // null: a kind minik does not serve
    InternedString name;
    bool blocking = false;
    bool operator==(const OwnerLink& o) const {
      return uid == o.uid && kind == o.kind && name == o.name && blocking == o.blocking;
    }
  };
  // A dependent's owner links, interned: the ten pods of a ReplicaSet have
  // the same ownerReferences, so they share one list.
  class OwnerLinks {
   public:
    OwnerLinks() = default;
    explicit OwnerLinks(std::vector<OwnerLink> links);
    const std::vector<OwnerLink>& list() const { return links_ ? *links_ : none(); }
    std::vector<OwnerLink>::const_iterator begin() const { return list().begin(); }
    std::vector<OwnerLink>::const_iterator end() const { return list().end(); }
    size_t size() const { return list().size(); }
    const OwnerLink& operator[](size_t i) const { return list()[i]; }

   private:
    static const std::vector<OwnerLink>& none();
    std::shared_ptr<const std::vector<OwnerLink>> links_;  // null: none
  };
  struct Dependent {
    const KindInfo* kind = nullptr;
    InternedString ns;
    std::string name;
    OwnerLinks owners;
  };
  enum class OwnerState { Alive, Absent, DeletingForeground };

  WorkQueue::Outcome checkDependent(const std::string& uid);
  WorkQueue::Outcome finalizeOwner(const std::string& key);
  OwnerState ownerState(const OwnerLink& link, const std::string& ns, bool confirm);
  bool removeOwnerReferences(const Dependent& dependent, const std::string& dependentUid,
                             const std::unordered_set<std::string>& ownerUids);
  bool removeFinalizer(const KindInfo& kind, const std::string& ns, const std::string& name,
                       const std::string& uid, const std::string& finalizer);
  void forgetDependent(const std::string& uid);
  static std::string ownerKey(const KindInfo& kind, const std::string& ns, const std::string& name);

  ClusterClient& client_;
  WorkQueue dependentsQueue_;  // dependent uids to check
  WorkQueue ownersQueue_;      // owners being deleted with a finalizer to honour
  std::unordered_map<Uid, Dependent, UidHash> dependents_;  // by the dependent's uid
  // Owner uid -> its dependents' uids, as the keys of dependents_ (a node
  // keeps its address until erased; forgetDependent unindexes it first).
  std::unordered_map<std::string, std::unordered_set<const Uid*>> byOwner_;
  std::unordered_map<uint64_t, uint64_t> alive_;  // digest of kind|ns|name -> digest of its uid
  std::unordered_set<std::string> foreground_;  // uids deleting with foregroundDeletion
};

}  // namespace minik
