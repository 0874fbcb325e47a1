// A write the store acknowledged survives kill -9: a child process writes and
// reports each acknowledged key and revision through a pipe; the parent kills
// it mid-stream and checks every acknowledged write after reopening.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <sstream>
#include <string>

#include "store/store.h"

using minik::Store;
using minik::StoreCode;
using minik::StoreOptions;

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/minik-store-durability-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
};

// Runs in the child: writes until killed, one line per acknowledged create.
[[noreturn]] void writeUntilKilled(const StoreOptions& options, int out) {
  std::string error;
  auto store = Store::open(options, &error);
  if (!store) _exit(2);
  const std::string padding(600, 'x');
  for (int i = 0;; ++i) {
    std::string name = "p" + std::to_string(i);
    std::string json = R"({"metadata":{"name":")" + name + R"("},"spec":{"pad":")" + padding + "\"}}";
    auto r = store->create({"pods", "ns" + std::to_string(i % 7), name}, json);
    if (r.code != StoreCode::Ok) _exit(3);
    std::string line = r.object.key.ns + " " + name + " " + std::to_string(r.object.revision) + "\n";
    if (write(out, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(4);
  }
}

void checkAcknowledgedWritesSurvive(bool syncFull, size_t writesBeforeKill) {
  TempDir dir;
  StoreOptions options;
  options.path = dir.path + "/state.db";
  options.syncFull = syncFull;

  int fds[2];
  REQUIRE(pipe(fds) == 0);
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    close(fds[0]);
    writeUntilKilled(options, fds[1]);
  }
  close(fds[1]);

  // Read until enough writes were acknowledged, kill, then read the rest:
  // lines already in the pipe were acknowledged before the kill too.
  std::string received;
  char buf[4096];
  size_t lines = 0;
  bool killed = false;
  for (;;) {
    ssize_t n = read(fds[0], buf, sizeof buf);
    if (n <= 0) break;
    received.append(buf, static_cast<size_t>(n));
    for (ssize_t k = 0; k < n; ++k) lines += buf[k] == '\n';
    if (!killed && lines >= writesBeforeKill) {
      kill(child, SIGKILL);
      killed = true;
    }
  }
  close(fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  REQUIRE(killed);
  REQUIRE(WIFSIGNALED(status));
  REQUIRE(WTERMSIG(status) == SIGKILL);

  std::map<std::pair<std::string, std::string>, int64_t> acknowledged;
  std::istringstream in(received);
  std::string ns, name;
  int64_t revision;
  while (in >> ns >> name >> revision) acknowledged[{ns, name}] = revision;  // a torn last line is dropped
  REQUIRE(acknowledged.size() >= writesBeforeKill);

  std::string error;
  auto store = Store::open(options, &error);
  INFO(error);
  REQUIRE(store);
  int64_t newest = 0;
  size_t missing = 0;
  for (const auto& [key, rev] : acknowledged) {
    auto got = store->get({"pods", key.first, key.second});
    if (got.code != StoreCode::Ok || got.object.revision != rev) ++missing;
    newest = std::max(newest, rev);
  }
  CHECK(missing == 0);
  CHECK(store->currentRevision() >= newest);
  // The store goes on from where it stood.
  auto next = store->create({"pods", "ns0", "after-restart"}, "{}");
  REQUIRE(next.code == StoreCode::Ok);
  CHECK(next.object.revision == store->currentRevision());
  CHECK(next.object.revision > newest);
}

}  // namespace

TEST_CASE("acknowledged writes survive kill -9 (synchronous=NORMAL)", "[store]") {
  checkAcknowledgedWritesSurvive(false, 3000);
}

TEST_CASE("acknowledged writes survive kill -9 (syncFull)", "[store]") {
  // An fsync per commit: fewer writes keep the test quick.
  checkAcknowledgedWritesSurvive(true, 300);
}
