// store/sqlite_db.h — the little SQLite plumbing the store needs: a prepared
// statement kept for the life of the connection, a scope that runs it once,
// and a write transaction that rolls back unless committed.
//
// Contract: a StatementRun resets its statement when it goes out of scope, so
// a cached statement never keeps a read transaction (and the WAL) pinned.
// None of these types lock; the store's mutex serialises every use.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>

namespace minik {

class Statement {
 public:
  Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }

  // Prepares sql once; SQLITE_PREPARE_PERSISTENT tells SQLite it is reused.
  bool prepare(sqlite3* db, const char* sql, std::string* error) {
    int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
    if (rc != SQLITE_OK && error) *error = std::string(sqlite3_errmsg(db)) + " in: " + sql;
    return rc == SQLITE_OK;
  }
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

class StatementRun {
 public:
  explicit StatementRun(Statement& statement) : stmt_(statement.get()) {}
  StatementRun(const StatementRun&) = delete;
  StatementRun& operator=(const StatementRun&) = delete;
  ~StatementRun() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  StatementRun& bind(int index, int64_t value) {
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
  }
  // The text must outlive the run (SQLITE_STATIC avoids a copy per bind).
  StatementRun& bind(int index, const std::string& text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
    return *this;
  }
  StatementRun& bind(int index, std::string&& text) = delete;  // would dangle

  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return sqlite3_step(stmt_); }

  int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::string text(int column) const {
    const unsigned char* p = sqlite3_column_text(stmt_, column);
    int n = sqlite3_column_bytes(stmt_, column);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
  }

 private:
  sqlite3_stmt* stmt_;
};

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless commit()
// succeeded, so every early return leaves the database as it was.
class WriteTransaction {
 public:
  WriteTransaction(sqlite3* db, Statement& begin, Statement& commit, Statement& rollback)
      : db_(db), commit_(commit), rollback_(rollback) {
    StatementRun run(begin);
    open_ = run.step() == SQLITE_DONE;
  }
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  ~WriteTransaction() {
    if (open_ && sqlite3_get_autocommit(db_) == 0) {
      StatementRun run(rollback_);
      run.step();
    }
  }

  bool began() const { return open_; }
  bool commit() {
    StatementRun run(commit_);
    bool ok = run.step() == SQLITE_DONE;
    if (ok) open_ = false;
    return ok;
  }

 private:
  sqlite3* db_;
  Statement& commit_;
  Statement& rollback_;
  bool open_ = false;
};

}  // namespace minik
