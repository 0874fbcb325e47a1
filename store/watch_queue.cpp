// A bounded, cancellable event queue between committers and one watcher.
#include "store/watch_queue.h"

namespace minik {

WatchQueue::WatchQueue(WatchFilter filter, size_t limit, std::function<void()> notify)
    : filter_(std::move(filter)), limit_(limit), notify_(std::move(notify)) {}

bool WatchQueue::matches(const StoreKey& key) const {
  return key.resource == filter_.resource && (filter_.ns.empty() || key.ns == filter_.ns) &&
         (filter_.name.empty() || key.name == filter_.name);
}

bool WatchQueue::push(const StoreEvent& event) {
  std::lock_guard<std::mutex> lock(mu_);
  if (gone_ || cancelled_) return false;
  if (events_.size() >= limit_) {
    gone_ = true;
    return true;
  }
  events_.push_back(event);
  return events_.size() == 1;
}

bool WatchQueue::closed() {
  std::lock_guard<std::mutex> lock(mu_);
  return gone_ || cancelled_;
}

void WatchQueue::signal() {
  if (!notify_) return;
  std::lock_guard<std::mutex> lock(notifyMu_);
  {
    std::lock_guard<std::mutex> state(mu_);
    if (cancelled_) return;
  }
  notifyingThread_ = std::this_thread::get_id();
  notify_();
  notifyingThread_ = std::thread::id();
}

bool WatchQueue::drain(std::vector<StoreEvent>& out) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& e : events_) out.push_back(std::move(e));
  events_.clear();
  return !gone_ && !cancelled_;
}

void WatchQueue::cancel() {
  {
    std::lock_guard<std::mutex> state(mu_);
    cancelled_ = true;
    events_.clear();
  }
  // From inside notify_ the lock is already held by this thread: the flag
  // alone is enough there.
  if (notifyingThread_.load() == std::this_thread::get_id()) return;
  std::lock_guard<std::mutex> wait(notifyMu_);
}

}  // namespace minik
