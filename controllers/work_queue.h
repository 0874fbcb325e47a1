// controllers/work_queue.h — the dirty set of a controller: keys of objects
// to reconcile, coalesced and processed in passes on the libuv loop.
//
// Contract:
//  - add(key) many times before a pass processes the key once (coalescing);
//    a key added while it is being processed is processed again afterwards.
//  - process(key) returns Done, Retry (again after an exponential backoff,
//    5 ms doubling to 30 s, reset by Done) or a delay in ms (requeue later,
//    e.g. when a pod becomes available after minReadySeconds).
//  - A pass handles a bounded number of keys, then yields to the loop, so the
//    API keeps serving while thousands of objects converge.
//  - Memory: one entry per dirty or delayed key.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include <uv.h>

namespace minik {

class WorkQueue {
 public:
  struct Outcome {
    enum Kind { Done, Retry, After } kind = Done;
    uint64_t afterMs = 0;
    static Outcome done() { return {}; }
    static Outcome retry() { return {Retry, 0}; }
    static Outcome after(uint64_t ms) { return {After, ms}; }
  };
  using Process = std::function<Outcome(const std::string& key)>;

  WorkQueue(uv_loop_t* loop, Process process);
  ~WorkQueue();
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  void add(const std::string& key);
  void addAfter(const std::string& key, uint64_t delayMs);
  size_t dirtyCount() const { return order_.size(); }

 private:
  void schedulePass();
  void runPass();
  void scheduleDelayed();
  void promoteDue();

  uv_loop_t* loop_;
  Process process_;
  uv_timer_t* passTimer_;
  uv_timer_t* delayTimer_;
  bool passScheduled_ = false;
  // Dirty keys, held once: order_ points at the nodes of dirty_, which keep
  // their address until erased.
  std::deque<const std::string*> order_;
  std::unordered_set<std::string> dirty_;
  std::multimap<uint64_t, std::string> delayed_;  // due time (loop ms) -> key
  std::unordered_map<std::string, uint64_t> dueOf_;  // earliest due time per delayed key
  std::unordered_map<std::string, int> failures_;
};

}  // namespace minik
