// The Store over one SQLite database in WAL mode: an objects table keyed by
// (resource, namespace, name), an events table keyed by revision, and a meta
// table holding the compacted revision.
//
// Why it is shaped this way:
//  - One connection, one mutex. The connection runs in EXCLUSIVE locking
//    mode, so SQLite keeps the WAL index in heap memory instead of a -shm
//    file (nothing on flash changes while idle) and no other process can
//    write behind the in-memory revision and watch queues.
//  - The current revision is not stored on its own: it is the newest event's
//    revision, or the compacted revision when the log is empty (compaction
//    persists that in the same transaction as its deletes). One row less to
//    write per commit.
//  - Watchers are fed from the committing thread under the same lock that
//    orders commits, and catch-up from the log happens under it too, so the
//    switch from the log to live events has no gap and no duplicate.
#include "store/store.h"

#include <sqlite3.h>

#include <chrono>
#include <mutex>
#include <random>

#include <nlohmann/json.hpp>

#include "store/continue_token.h"
#include "store/error_messages.h"
#include "store/event_window.h"
#include "store/object_metadata.h"
#include "store/sqlite_db.h"
#include "store/watch_queue.h"

namespace minik {
namespace {

// Small enough that one compaction transaction never holds writers for long.
constexpr int kCompactBatch = 500;
// Auto-checkpoint after ~2 MiB of WAL, and truncate the WAL back to that
// size when it restarts, so sustained churn keeps it bounded.
constexpr int kWalAutoCheckpointPages = 512;
constexpr int64_t kJournalSizeLimitBytes = 2 << 20;
// Lookaside slots: a little faster than malloc for SQLite's small objects,
// kept small because the default (~120 KiB per connection) is a lot here.
constexpr int kLookasideSlotSize = 256;
constexpr int kLookasideSlots = 64;

int64_t unixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void configureSqliteOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Memory statistics take a global mutex on every allocation; unused here.
    // Fails harmlessly when SQLite was already initialised by someone else.
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  });
}

const char kSchema[] = R"(
CREATE TABLE objects(
  resource TEXT NOT NULL, ns TEXT NOT NULL, name TEXT NOT NULL,
  revision INTEGER NOT NULL, json TEXT NOT NULL,
  PRIMARY KEY (resource, ns, name));
CREATE TABLE events(
  revision INTEGER PRIMARY KEY, type INTEGER NOT NULL,
  resource TEXT NOT NULL, ns TEXT NOT NULL, name TEXT NOT NULL,
  created INTEGER NOT NULL, json TEXT NOT NULL);
CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
PRAGMA user_version = 1;
)";
constexpr int kSchemaVersion = 1;

StoreResult failure(StoreCode code, std::string message) {
  StoreResult r;
  r.code = code;
  r.message = std::move(message);
  return r;
}

// Parses json as a JSON object, or explains why not.
bool parseObject(const std::string& json, nlohmann::json* out, StoreResult* error) {
  *out = nlohmann::json::parse(json, nullptr, false);
  if (out->is_object()) return true;
  *error = failure(StoreCode::BadRequest, out->is_discarded() ? "the object is not valid JSON"
                                                              : "the object must be a JSON object");
  return false;
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const StoreOptions& options)
      : options_(options),
        window_(options.eventWindowCount, options.eventWindowSeconds),
        random_(std::random_device{}()) {}

  ~SqliteStore() override {
    // close_v2 waits for the cached statements (members, finalised after
    // this body) before it checkpoints and closes.
    if (db_) sqlite3_close_v2(db_);
  }

  bool open(std::string* error);

  int64_t currentRevision() override {
    std::lock_guard<std::mutex> lock(mu_);
    return revision_;
  }

  int64_t compactedRevision() override {
    std::lock_guard<std::mutex> lock(mu_);
    return window_.compacted();
  }

  StoreResult get(const StoreKey& key) override;
  ListResult list(const ListOptions& options,
                  const std::function<bool(const StoredObject&)>& visit) override;
  StoreResult create(const StoreKey& key, const std::string& json) override;
  StoreResult update(const StoreKey& key, const std::string& json,
                     int64_t expectedRevision) override;
  StoreResult remove(const StoreKey& key, int64_t expectedRevision,
                     const std::string& expectedUid) override;
  std::shared_ptr<StoreWatch> watch(const WatchFilter& filter, int64_t fromRevision,
                                    std::function<void()> notify, StoreResult* result) override;
  bool compactStep() override;

 private:
  using Signals = std::vector<std::shared_ptr<WatchQueue>>;

  bool exec(const char* sql, std::string* error);
  bool createSchema(std::string* error);
  bool prepareStatements(std::string* error);
  bool loadState(std::string* error);
  // SQLITE_ROW when found (out filled), SQLITE_DONE when absent, else an error.
  int readObject(const StoreKey& key, StoredObject* out);
  WriteTransaction beginWrite() { return WriteTransaction(db_, begin_, commit_, rollback_); }
  // Appends event to the log, commits txn, then queues event to watchers.
  bool commitEvent(WriteTransaction& txn, const StoreEvent& event, int64_t now, Signals* signals);
  void publish(const StoreEvent& event, Signals* signals);
  bool compactBatch(int64_t now);
  StoreResult internalError(const char* during) {
    return failure(StoreCode::Internal, std::string(during) + ": " + sqlite3_errmsg(db_));
  }

  const StoreOptions options_;
  std::mutex mu_;  // guards everything below, and orders commits
  sqlite3* db_ = nullptr;
  Statement begin_, commit_, rollback_;
  Statement getObject_, insertObject_, updateObject_, deleteObject_;
  Statement listAll_, listNamespace_;
  Statement insertEvent_, eventsAfter_, oldestEvents_, dropEvents_, setMeta_;
  int64_t revision_ = 0;
  EventWindow window_;
  std::vector<std::weak_ptr<WatchQueue>> watches_;
  // Commits counted so compactStep can tell a quiet store from a busy one.
  uint64_t commits_ = 0;
  uint64_t commitsAtLastStep_ = 0;
  bool checkpointDue_ = false;  // the WAL holds frames written since the last truncation
  std::mt19937_64 random_;
};

bool SqliteStore::exec(const char* sql, std::string* error) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) == SQLITE_OK) return true;
  *error = std::string(message ? message : sqlite3_errmsg(db_)) + " in: " + sql;
  sqlite3_free(message);
  return false;
}

bool SqliteStore::open(std::string* error) {
  configureSqliteOnce();
  // NOMUTEX: mu_ already serialises every use of the connection.
  int rc = sqlite3_open_v2(options_.path.c_str(), &db_,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    *error = "open " + options_.path + ": " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
    return false;
  }
  sqlite3_db_config(db_, SQLITE_DBCONFIG_LOOKASIDE, nullptr, kLookasideSlotSize, kLookasideSlots);
  sqlite3_busy_timeout(db_, 1000);

  // Exclusive locking must precede the first WAL access for SQLite to skip
  // the shared-memory index file.
  std::string pragmas = "PRAGMA locking_mode=EXCLUSIVE;";
  pragmas += std::string("PRAGMA synchronous=") + (options_.syncFull ? "FULL;" : "NORMAL;");
  pragmas += "PRAGMA cache_size=-" + std::to_string(options_.cacheKiB > 0 ? options_.cacheKiB : 1024) + ";";
  pragmas += "PRAGMA journal_size_limit=" + std::to_string(kJournalSizeLimitBytes) + ";";
  pragmas += "PRAGMA wal_autocheckpoint=" + std::to_string(kWalAutoCheckpointPages) + ";";
  if (!exec(pragmas.c_str(), error)) return false;

  std::string mode;
  char* message = nullptr;
  rc = sqlite3_exec(
      db_, "PRAGMA journal_mode=WAL",
      [](void* out, int, char** values, char**) {
        *static_cast<std::string*>(out) = values[0] ? values[0] : "";
        return 0;
      },
      &mode, &message);
  if (rc != SQLITE_OK || mode != "wal") {
    *error = "open " + options_.path + ": cannot use WAL mode: " +
             (message ? message : (rc != SQLITE_OK ? sqlite3_errmsg(db_) : mode.c_str()));
    sqlite3_free(message);
    return false;
  }
  return createSchema(error) && prepareStatements(error) && loadState(error);
}

bool SqliteStore::createSchema(std::string* error) {
  sqlite3_stmt* stmt = nullptr;
  int version = -1;
  if (sqlite3_prepare_v2(db_, "PRAGMA user_version", -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW)
    version = sqlite3_column_int(stmt, 0);
  sqlite3_finalize(stmt);
  if (version == kSchemaVersion) return true;
  if (version != 0) {
    *error = "open " + options_.path + ": unknown schema version " + std::to_string(version);
    return false;
  }
  std::string sql = std::string("BEGIN IMMEDIATE;") + kSchema + "COMMIT;";
  if (exec(sql.c_str(), error)) return true;
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  return false;
}

bool SqliteStore::prepareStatements(std::string* error) {
  struct {
    Statement* statement;
    const char* sql;
  } all[] = {
      {&begin_, "BEGIN IMMEDIATE"},
      {&commit_, "COMMIT"},
      {&rollback_, "ROLLBACK"},
      {&getObject_, "SELECT revision, json FROM objects WHERE resource=?1 AND ns=?2 AND name=?3"},
      {&insertObject_,
       "INSERT INTO objects(resource, ns, name, revision, json) VALUES(?1, ?2, ?3, ?4, ?5)"},
      {&updateObject_,
       "UPDATE objects SET revision=?4, json=?5 WHERE resource=?1 AND ns=?2 AND name=?3"},
      {&deleteObject_, "DELETE FROM objects WHERE resource=?1 AND ns=?2 AND name=?3"},
      {&listAll_,
       "SELECT ns, name, revision, json FROM objects WHERE resource=?1 AND (ns, name) > (?2, ?3) "
       "ORDER BY ns, name"},
      {&listNamespace_,
       "SELECT ns, name, revision, json FROM objects WHERE resource=?1 AND ns=?2 AND name > ?3 "
       "ORDER BY name"},
      {&insertEvent_,
       "INSERT INTO events(revision, type, resource, ns, name, created, json) "
       "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"},
      {&eventsAfter_,
       "SELECT revision, type, ns, name, json FROM events WHERE revision > ?1 AND resource=?2 "
       "AND (?3 = '' OR ns=?3) AND (?4 = '' OR name=?4) ORDER BY revision"},
      {&oldestEvents_,
       "SELECT revision, created FROM events WHERE revision > ?1 ORDER BY revision LIMIT ?2"},
      {&dropEvents_, "DELETE FROM events WHERE revision <= ?1"},
      {&setMeta_, "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)"},
  };
  for (auto& s : all)
    if (!s.statement->prepare(db_, s.sql, error)) return false;
  return true;
}

bool SqliteStore::loadState(std::string* error) {
  bool ok = true;
  auto scalar = [&](const char* sql, int64_t fallback) {
    sqlite3_stmt* stmt = nullptr;
    int64_t value = fallback;
    int rc = sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr);
    if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL)
      value = sqlite3_column_int64(stmt, 0);
    else if (rc != SQLITE_ROW && rc != SQLITE_DONE && ok) {
      *error = "open " + options_.path + ": " + sqlite3_errmsg(db_);
      ok = false;
    }
    sqlite3_finalize(stmt);
    return value;
  };
  int64_t compacted = scalar("SELECT value FROM meta WHERE key='compacted'", 0);
  int64_t newestEvent = scalar("SELECT max(revision) FROM events", 0);
  int64_t newestObject = scalar("SELECT max(revision) FROM objects", 0);
  int64_t oldestTime = scalar("SELECT created FROM events ORDER BY revision LIMIT 1", -1);
  revision_ = std::max({compacted, newestEvent, newestObject});
  window_.load(compacted, revision_, oldestTime);
  return ok;
}

int SqliteStore::readObject(const StoreKey& key, StoredObject* out) {
  StatementRun run(getObject_);
  run.bind(1, key.resource).bind(2, key.ns).bind(3, key.name);
  int rc = run.step();
  if (rc == SQLITE_ROW) {
    out->key = key;
    out->revision = run.integer(0);
    out->json = run.text(1);
  }
  return rc;
}

bool SqliteStore::commitEvent(WriteTransaction& txn, const StoreEvent& event, int64_t now,
                              Signals* signals) {
  {
    StatementRun run(insertEvent_);
    run.bind(1, event.revision)
        .bind(2, static_cast<int64_t>(event.type))
        .bind(3, event.key.resource)
        .bind(4, event.key.ns)
        .bind(5, event.key.name)
        .bind(6, now)
        .bind(7, event.json);
    if (run.step() != SQLITE_DONE) return false;
  }
  if (!txn.commit()) return false;
  revision_ = event.revision;
  window_.appended(revision_, now);
  ++commits_;
  checkpointDue_ = true;
  publish(event, signals);
  return true;
}

void SqliteStore::publish(const StoreEvent& event, Signals* signals) {
  size_t kept = 0;
  for (size_t i = 0; i < watches_.size(); ++i) {
    std::shared_ptr<WatchQueue> queue = watches_[i].lock();
    if (!queue || queue->closed()) continue;  // forgotten: cancelled, Gone or dropped
    if (queue->matches(event.key) && queue->push(event)) signals->push_back(queue);
    watches_[kept++] = watches_[i];
  }
  watches_.resize(kept);
}

StoreResult SqliteStore::get(const StoreKey& key) {
  std::lock_guard<std::mutex> lock(mu_);
  StoreResult result;
  int rc = readObject(key, &result.object);
  if (rc == SQLITE_DONE) return failure(StoreCode::NotFound, notFoundMessage(key));
  if (rc != SQLITE_ROW) return internalError("get");
  return result;
}

ListResult SqliteStore::list(const ListOptions& options,
                             const std::function<bool(const StoredObject&)>& visit) {
  ListResult result;
  auto fail = [&](StoreCode code, std::string message) {
    result.code = code;
    result.message = std::move(message);
    return result;
  };
  if (options.resource.empty()) return fail(StoreCode::BadRequest, "a resource is required");
  ListPosition start;
  bool continuing = !options.continueToken.empty();
  std::string error;
  if (continuing && !decodeContinueToken(options.continueToken, &start, &error))
    return fail(StoreCode::BadRequest, error);

  std::lock_guard<std::mutex> lock(mu_);
  if (continuing && start.revision < window_.compacted())
    return fail(StoreCode::Gone, continueTooOldMessage());
  // A later page reads current rows but reports the first page's revision:
  // a watch from it may replay changes the page already shows, never miss one.
  result.revision = continuing ? start.revision : revision_;

  const bool oneNamespace = !options.ns.empty();
  std::string afterName;
  if (oneNamespace && continuing) {
    if (start.ns > options.ns) return result;  // the token is past this namespace
    if (start.ns == options.ns) afterName = start.name;
  }
  StatementRun run(oneNamespace ? listNamespace_ : listAll_);
  run.bind(1, options.resource);
  if (oneNamespace) run.bind(2, options.ns).bind(3, afterName);
  else run.bind(2, start.ns).bind(3, start.name);

  int64_t accepted = 0;
  StoredObject item;
  item.key.resource = options.resource;
  int rc;
  while ((rc = run.step()) == SQLITE_ROW) {
    if (options.limit > 0 && accepted >= options.limit) {
      result.continueToken = encodeContinueToken({result.revision, item.key.ns, item.key.name});
      break;
    }
    item.key.ns = run.text(0);
    item.key.name = run.text(1);
    item.revision = run.integer(2);
    item.json = run.text(3);
    if (visit(item)) ++accepted;
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return fail(StoreCode::Internal, std::string("list: ") + sqlite3_errmsg(db_));
  return result;
}

StoreResult SqliteStore::create(const StoreKey& key, const std::string& json) {
  StoreResult result;
  nlohmann::json object;
  if (!parseObject(json, &object, &result)) return result;
  Signals signals;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const int64_t revision = revision_ + 1;
    const int64_t now = unixNow();
    if (!stampCreated(object, revision, newUid(random_), rfc3339Utc(now)))
      return failure(StoreCode::BadRequest, "metadata must be a JSON object");
    StoreEvent event{EventType::Added, revision, key, object.dump()};

    WriteTransaction txn = beginWrite();
    if (!txn.began()) return internalError("create");
    {
      StatementRun run(insertObject_);
      run.bind(1, key.resource).bind(2, key.ns).bind(3, key.name).bind(4, revision).bind(5, event.json);
      int rc = run.step();
      if (rc == SQLITE_CONSTRAINT) return failure(StoreCode::AlreadyExists, alreadyExistsMessage(key));
      if (rc != SQLITE_DONE) return internalError("create");
    }
    if (!commitEvent(txn, event, now, &signals)) return internalError("create");
    result.object = StoredObject{key, revision, std::move(event.json)};
  }
  for (auto& queue : signals) queue->signal();
  return result;
}

StoreResult SqliteStore::update(const StoreKey& key, const std::string& json,
                                int64_t expectedRevision) {
  StoreResult result;
  nlohmann::json object;
  if (!parseObject(json, &object, &result)) return result;
  Signals signals;
  {
    std::lock_guard<std::mutex> lock(mu_);
    StoredObject current;
    int rc = readObject(key, &current);
    if (rc == SQLITE_DONE) return failure(StoreCode::NotFound, notFoundMessage(key));
    if (rc != SQLITE_ROW) return internalError("update");
    if (expectedRevision > 0 && expectedRevision != current.revision) {
      result = failure(StoreCode::Conflict, modifiedConflictMessage());
      result.object = std::move(current);
      return result;
    }
    const int64_t revision = revision_ + 1;
    nlohmann::json stored = nlohmann::json::parse(current.json, nullptr, false);
    if (!stampUpdated(object, stored, revision))
      return failure(StoreCode::BadRequest, "metadata must be a JSON object");
    StoreEvent event{EventType::Modified, revision, key, object.dump()};

    WriteTransaction txn = beginWrite();
    if (!txn.began()) return internalError("update");
    {
      StatementRun run(updateObject_);
      run.bind(1, key.resource).bind(2, key.ns).bind(3, key.name).bind(4, revision).bind(5, event.json);
      if (run.step() != SQLITE_DONE) return internalError("update");
    }
    if (!commitEvent(txn, event, unixNow(), &signals)) return internalError("update");
    result.object = StoredObject{key, revision, std::move(event.json)};
  }
  for (auto& queue : signals) queue->signal();
  return result;
}

StoreResult SqliteStore::remove(const StoreKey& key, int64_t expectedRevision,
                                const std::string& expectedUid) {
  StoreResult result;
  Signals signals;
  {
    std::lock_guard<std::mutex> lock(mu_);
    StoredObject current;
    int rc = readObject(key, &current);
    if (rc == SQLITE_DONE) return failure(StoreCode::NotFound, notFoundMessage(key));
    if (rc != SQLITE_ROW) return internalError("delete");
    nlohmann::json object = nlohmann::json::parse(current.json, nullptr, false);
    // Kubernetes checks the UID before the resourceVersion.
    std::string uid = objectUid(object);
    std::string conflict;
    if (!expectedUid.empty() && expectedUid != uid)
      conflict = preconditionConflictMessage(key, "UID", expectedUid, uid);
    else if (expectedRevision > 0 && expectedRevision != current.revision)
      conflict = preconditionConflictMessage(key, "ResourceVersion", std::to_string(expectedRevision),
                                             std::to_string(current.revision));
    if (!conflict.empty()) {
      result = failure(StoreCode::Conflict, conflict);
      result.object = std::move(current);
      return result;
    }
    const int64_t revision = revision_ + 1;
    // The deleted object carries the deletion's revision, as Kubernetes does.
    if (object.is_object()) stampRevision(object, revision);
    StoreEvent event{EventType::Deleted, revision, key,
                     object.is_object() ? object.dump() : current.json};

    WriteTransaction txn = beginWrite();
    if (!txn.began()) return internalError("delete");
    {
      StatementRun run(deleteObject_);
      run.bind(1, key.resource).bind(2, key.ns).bind(3, key.name);
      if (run.step() != SQLITE_DONE) return internalError("delete");
    }
    if (!commitEvent(txn, event, unixNow(), &signals)) return internalError("delete");
    result.object = StoredObject{key, revision, std::move(event.json)};
  }
  for (auto& queue : signals) queue->signal();
  return result;
}

std::shared_ptr<StoreWatch> SqliteStore::watch(const WatchFilter& filter, int64_t fromRevision,
                                               std::function<void()> notify, StoreResult* result) {
  StoreResult ignored;
  StoreResult& out = result ? *result : ignored;
  out = StoreResult();
  if (filter.resource.empty()) {
    out = failure(StoreCode::BadRequest, "a resource is required to watch");
    return nullptr;
  }
  if (fromRevision < 0) {
    out = failure(StoreCode::BadRequest, "resourceVersion must not be negative");
    return nullptr;
  }
  auto queue = std::make_shared<WatchQueue>(filter, options_.watchQueueLimit, std::move(notify));
  bool pending = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (fromRevision > 0 && fromRevision < window_.compacted()) {
      out = failure(StoreCode::Gone, tooOldResourceVersionMessage(fromRevision, window_.compacted()));
      return nullptr;
    }
    if (fromRevision > 0 && fromRevision < revision_) {
      StatementRun run(eventsAfter_);
      run.bind(1, fromRevision).bind(2, filter.resource).bind(3, filter.ns).bind(4, filter.name);
      int rc;
      while ((rc = run.step()) == SQLITE_ROW) {
        StoreEvent event{static_cast<EventType>(run.integer(1)), run.integer(0),
                         StoreKey{filter.resource, run.text(2), run.text(3)}, run.text(4)};
        pending = queue->push(event) || pending;
      }
      if (rc != SQLITE_DONE) {
        out = internalError("watch");
        return nullptr;
      }
    }
    watches_.push_back(queue);
  }
  if (pending) queue->signal();
  return queue;
}

bool SqliteStore::compactStep() {
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t now = unixNow();
  const bool quiet = commits_ == commitsAtLastStep_;
  commitsAtLastStep_ = commits_;
  if (window_.due(now)) return compactBatch(now);
  if (!checkpointDue_) return false;  // idle: touch nothing
  if (!quiet) {
    // Writers are busy: copy what is in the WAL without waiting on anyone;
    // the WAL restarts from its head (bounded by journal_size_limit).
    sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    return false;
  }
  // Quiet since the last step: fold the WAL into the database and truncate
  // it to zero, so an idle store has nothing pending to write.
  if (sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr) ==
      SQLITE_OK)
    checkpointDue_ = false;
  return false;
}

bool SqliteStore::compactBatch(int64_t now) {
  // The log's prefix outside the window, at most one batch of it.
  int64_t upTo = window_.compacted();
  int64_t nextOldest = -1;
  {
    StatementRun run(oldestEvents_);
    run.bind(1, window_.compacted()).bind(2, static_cast<int64_t>(kCompactBatch + 1));
    int taken = 0;
    while (run.step() == SQLITE_ROW) {
      int64_t revision = run.integer(0), created = run.integer(1);
      if (taken < kCompactBatch && window_.outside(revision, created, now)) {
        upTo = revision;
        ++taken;
        continue;
      }
      nextOldest = created;
      break;
    }
  }
  if (upTo == window_.compacted()) {
    // Memory and disk disagreed about the oldest event's age; believe disk.
    window_.dropped(upTo, nextOldest);
    return false;
  }
  WriteTransaction txn = beginWrite();
  if (!txn.began()) return false;
  {
    StatementRun run(dropEvents_);
    run.bind(1, upTo);
    if (run.step() != SQLITE_DONE) return false;
  }
  {
    static const std::string kCompactedKey = "compacted";
    StatementRun run(setMeta_);
    run.bind(1, kCompactedKey).bind(2, upTo);
    if (run.step() != SQLITE_DONE) return false;
  }
  if (!txn.commit()) return false;
  window_.dropped(upTo, nextOldest);
  checkpointDue_ = true;
  return true;
}

}  // namespace

std::unique_ptr<Store> Store::open(const StoreOptions& options, std::string* error) {
  auto store = std::make_unique<SqliteStore>(options);
  std::string why;
  if (!store->open(&why)) {
    if (error) *error = why;
    return nullptr;
  }
  return store;
}

}  // namespace minik
