// store/watch_queue.h — one in-process watch: a bounded queue that
// committing threads fill and the watch's owner drains.
//
// Invariants:
//  - Events are pushed under the store's lock, so the queue holds them in
//    revision order; push never blocks on the owner.
//  - Past `limit` queued events the watch turns Gone instead of dropping
//    events silently: later pushes are refused, drain hands out what was
//    queued and returns false (the owner must use `out` even then).
//  - signal() calls notify unless cancelled; cancel() waits for a notify in
//    flight on another thread, so none runs after cancel returns. A notify
//    that cancels its own watch is allowed.
#pragma once

#include <atomic>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "store/store.h"

namespace minik {

class WatchQueue final : public StoreWatch {
 public:
  WatchQueue(WatchFilter filter, size_t limit, std::function<void()> notify);

  bool matches(const StoreKey& key) const;

  // Queues a copy of event. Returns true when the owner needs a signal (the
  // queue was empty, or the watch just went Gone).
  bool push(const StoreEvent& event);
  // Whether pushes still have a reader; the store forgets closed watches.
  bool closed();
  void signal();

  bool drain(std::vector<StoreEvent>& out) override;
  void cancel() override;

 private:
  const WatchFilter filter_;
  const size_t limit_;
  const std::function<void()> notify_;

  std::mutex mu_;  // guards the fields below
  std::deque<StoreEvent> events_;
  bool gone_ = false;
  bool cancelled_ = false;

  std::mutex notifyMu_;  // held while notify_ runs, so cancel can wait it out
  std::atomic<std::thread::id> notifyingThread_{};
};

}  // namespace minik
