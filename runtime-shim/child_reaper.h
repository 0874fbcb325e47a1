// runtime-shim/child_reaper.h — minik as the subreaper of its containers.
// With PR_SET_CHILD_SUBREAPER, a container's init (whose `runc create`
// parent exits) becomes minik's child, so its exit status can be read with
// waitid(); orphans of dead containers land here too and must be reaped.
//
// Contract: whoever forks registers the child (fork under lockChildren(),
// then registerChild) and reaps it itself by pid; reapOrphans() reaps every
// other exited child and never one that is registered.
#pragma once

#include <sys/types.h>

#include <mutex>

namespace minik {

// Makes this process the subreaper of its descendants; false when the
// kernel refuses.
bool becomeSubreaper();

// Held across fork() and registerChild() so the reaper cannot take the
// child in between.
std::unique_lock<std::mutex> lockChildren();
void registerChild(pid_t pid);    // caller holds lockChildren()
void unregisterChild(pid_t pid);  // after reaping it

// While one lives, reapOrphans() does nothing: a child that is about to be
// registered (a container init, known only once `runc create` has exited)
// is not mistaken for an orphan.
class ReapingPause {
 public:
  ReapingPause();
  ~ReapingPause();
  ReapingPause(const ReapingPause&) = delete;
  ReapingPause& operator=(const ReapingPause&) = delete;
};

// Reaps exited children nobody registered.
void reapOrphans();

}  // namespace minik
