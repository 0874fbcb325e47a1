#include "runtime-shim/child_reaper.h"

#include <sys/prctl.h>
#include <sys/wait.h>

#include <cerrno>
#include <set>

namespace minik {

namespace {

std::mutex& childMutex() {
  static std::mutex m;
  return m;
}

std::set<pid_t>& registered() {
  static std::set<pid_t> pids;
  return pids;
}

int& pauses() {
  static int count = 0;
  return count;
}

}  // namespace

ReapingPause::ReapingPause() {
  auto lock = lockChildren();
  ++pauses();
}

ReapingPause::~ReapingPause() {
  auto lock = lockChildren();
  --pauses();
}

bool becomeSubreaper() { return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0; }

std::unique_lock<std::mutex> lockChildren() { return std::unique_lock<std::mutex>(childMutex()); }

void registerChild(pid_t pid) { registered().insert(pid); }

void unregisterChild(pid_t pid) {
  auto lock = lockChildren();
  registered().erase(pid);
}

void reapOrphans() {
  auto lock = lockChildren();
  if (pauses() > 0) return;
  for (int i = 0; i < 64; ++i) {
    siginfo_t info{};
    if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid == 0) return;
    // The first exited child is someone's: it is theirs to reap, and
    // waitid cannot look past it.
    if (registered().count(info.si_pid)) return;
    siginfo_t reaped{};
    waitid(P_PID, static_cast<id_t>(info.si_pid), &reaped, WEXITED | WNOHANG);
  }
}

}  // namespace minik
