#include "controllers/work_queue.h"

#include <algorithm>

namespace minik {

namespace {

constexpr size_t kKeysPerPass = 200;
constexpr uint64_t kFirstBackoffMs = 5;
constexpr uint64_t kMaxBackoffMs = 30000;

uv_timer_t* newTimer(uv_loop_t* loop, void* owner) {
  auto* timer = new uv_timer_t;
  uv_timer_init(loop, timer);
  timer->data = owner;
  return timer;
}

void closeTimer(uv_timer_t* timer) {
  uv_timer_stop(timer);
  timer->data = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(timer),
           [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
}

}  // namespace

WorkQueue::WorkQueue(uv_loop_t* loop, Process process)
    : loop_(loop),
      process_(std::move(process)),
      passTimer_(newTimer(loop, this)),
      delayTimer_(newTimer(loop, this)) {}

WorkQueue::~WorkQueue() {
  closeTimer(passTimer_);
  closeTimer(delayTimer_);
}

void WorkQueue::add(const std::string& key) {
  auto [it, added] = dirty_.insert(key);
  if (added) order_.push_back(&*it);
  schedulePass();
}

void WorkQueue::addAfter(const std::string& key, uint64_t delayMs) {
  if (delayMs == 0) return add(key);
  uint64_t due = uv_now(loop_) + delayMs;
  auto it = dueOf_.find(key);
  if (it != dueOf_.end() && it->second <= due) return;  // an earlier requeue is already set
  dueOf_[key] = due;
  delayed_.emplace(due, key);
  scheduleDelayed();
}

void WorkQueue::schedulePass() {
  if (passScheduled_) return;
  passScheduled_ = true;
  uv_timer_start(passTimer_, [](uv_timer_t* t) { static_cast<WorkQueue*>(t->data)->runPass(); }, 0, 0);
}

void WorkQueue::runPass() {
  passScheduled_ = false;
  for (size_t n = 0; n < kKeysPerPass && !order_.empty(); ++n) {
    std::string key = *order_.front();
    order_.pop_front();
    dirty_.erase(key);
    Outcome outcome = process_(key);
    if (outcome.kind == Outcome::Retry) {
      int& failures = failures_[key];
      uint64_t backoff = std::min(kMaxBackoffMs, kFirstBackoffMs << std::min(failures, 20));
      ++failures;
      addAfter(key, backoff);
      continue;
    }
    failures_.erase(key);
    if (outcome.kind == Outcome::After) addAfter(key, outcome.afterMs);
  }
  if (!order_.empty()) schedulePass();
}

void WorkQueue::scheduleDelayed() {
  if (delayed_.empty()) {
    uv_timer_stop(delayTimer_);
    return;
  }
  uint64_t now = uv_now(loop_);
  uint64_t first = delayed_.begin()->first;
  uv_timer_start(delayTimer_, [](uv_timer_t* t) { static_cast<WorkQueue*>(t->data)->promoteDue(); },
                 first > now ? first - now : 0, 0);
}

void WorkQueue::promoteDue() {
  uint64_t now = uv_now(loop_);
  while (!delayed_.empty() && delayed_.begin()->first <= now) {
    auto node = delayed_.extract(delayed_.begin());
    auto it = dueOf_.find(node.mapped());
    // Stale entries (superseded by an earlier due time) are dropped here.
    if (it != dueOf_.end() && it->second == node.key()) {
      dueOf_.erase(it);
      add(node.mapped());
    }
  }
  scheduleDelayed();
}

}  // namespace minik
