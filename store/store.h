// store/store.h — durable objects and their event log in SQLite.
//
// What it offers: objects keyed by (resource, namespace, name) holding a JSON
// blob; one global revision; get, list (paged), create, update and delete with
// resourceVersion preconditions; watch from a revision; bounded event log.
//
// Invariants:
//  - Every successful create/update/delete bumps the global revision by one,
//    and the object's metadata.resourceVersion is that revision (as a decimal
//    string). metadata.uid and metadata.creationTimestamp are set on create;
//    metadata.generation is 1 on create and bumps when "spec" changes.
//  - A call that returned Ok has been committed to the WAL: it survives kill -9.
//  - Watches see every later event exactly once, in revision order, or learn
//    they are Gone (window compacted, or fell behind); they never miss events
//    silently and never block writers.
//  - The store knows nothing about kinds beyond the key and the metadata
//    fields above. It keeps no copy of all objects in memory.
//  - All methods are thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace minik {

enum class StoreCode { Ok, NotFound, AlreadyExists, Conflict, Gone, BadRequest, Internal };

struct StoreKey {
  std::string resource;  // plural resource with group, e.g. "pods", "deployments.apps"
  std::string ns;        // empty for cluster-scoped objects
  std::string name;
};

struct StoredObject {
  StoreKey key;
  int64_t revision = 0;  // revision of the last change (== resourceVersion)
  std::string json;      // the object, metadata stamped by the store
};

struct StoreResult {
  StoreCode code = StoreCode::Ok;
  std::string message;  // human readable, for errors
  StoredObject object;  // the object as stored (Ok), or the current one (Conflict)
};

enum class EventType { Added, Modified, Deleted };

struct StoreEvent {
  EventType type = EventType::Added;
  int64_t revision = 0;
  StoreKey key;
  // The object after the change. For Deleted: its last state, with
  // metadata.resourceVersion set to the deletion's revision (as Kubernetes).
  std::string json;
};

struct StoreOptions {
  std::string path;               // database file; its folder must exist
  int cacheKiB = 1024;            // SQLite page cache cap per connection
  int64_t eventWindowCount = 10000;  // keep at most this many events...
  int64_t eventWindowSeconds = 300;  // ...and none older than this
  bool syncFull = false;          // fsync every commit (power-loss safe); NORMAL survives kill -9
  size_t watchQueueLimit = 20000; // a watch that falls further behind becomes Gone
};

struct ListOptions {
  std::string resource;
  std::string ns;            // empty: every namespace
  int64_t limit = 0;         // 0: no limit; counts only items the visitor accepts
  std::string continueToken; // from a previous page; opaque
};

struct ListResult {
  StoreCode code = StoreCode::Ok;
  std::string message;
  int64_t revision = 0;       // the store revision the list was read at
  std::string continueToken;  // non-empty when more items may follow
  int64_t remainingItemCount = -1;  // -1 when unknown
};

struct WatchFilter {
  std::string resource;  // required
  std::string ns;        // empty: every namespace
  std::string name;      // empty: every name
};

// A live subscription. Events are queued by committing threads; the owner
// drains them from its own thread.
class StoreWatch {
 public:
  virtual ~StoreWatch() = default;
  // Moves queued events into out (appending). Returns false once the watch is
  // Gone; events queued before it went Gone are still delivered first.
  virtual bool drain(std::vector<StoreEvent>& out) = 0;
  // Stops delivery; the notify callback is not called after this returns.
  virtual void cancel() = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Opens (creating if needed) the database. Returns nullptr and sets error
  // on failure.
  static std::unique_ptr<Store> open(const StoreOptions& options, std::string* error);

  virtual int64_t currentRevision() = 0;

  virtual StoreResult get(const StoreKey& key) = 0;

  // Streams matching objects in (namespace, name) order to visit; visit
  // returns true when it accepted the item (counted toward limit).
  virtual ListResult list(const ListOptions& options,
                          const std::function<bool(const StoredObject&)>& visit) = 0;

  // AlreadyExists when the key exists. json must be a JSON object.
  virtual StoreResult create(const StoreKey& key, const std::string& json) = 0;

  // Replaces the object. expectedRevision > 0 is a precondition (Conflict when
  // the stored revision differs). uid and creationTimestamp are kept from the
  // stored object. NotFound when absent.
  virtual StoreResult update(const StoreKey& key, const std::string& json,
                             int64_t expectedRevision) = 0;

  // Deletes the object; expectedRevision > 0 and expectedUid non-empty are
  // preconditions (Conflict). Returns the deleted object.
  virtual StoreResult remove(const StoreKey& key, int64_t expectedRevision,
                             const std::string& expectedUid) = 0;

  // Subscribes to events after fromRevision (0: from now). Gone when
  // fromRevision is older than the event window. notify is called from the
  // committing thread after events were queued; it must be cheap and
  // thread-safe (uv_async_send, a condition variable).
  virtual std::shared_ptr<StoreWatch> watch(const WatchFilter& filter, int64_t fromRevision,
                                            std::function<void()> notify, StoreResult* result) = 0;

  // Oldest revision a watch can start from (events after it are kept).
  virtual int64_t compactedRevision() = 0;

  // One small step of compaction and checkpointing. Returns true when more
  // work remains. Does nothing (and writes nothing) when there is nothing to
  // do, so an idle store stays idle on disk.
  virtual bool compactStep() = 0;
};

}  // namespace minik
