// store/event_window.h — which part of the event log compaction may drop,
// decided from memory so that an idle store never touches the disk to ask.
//
// Revisions are dense (every write appends exactly one event), so the log
// always holds exactly the events (compacted, revision]; the window keeps at
// most maxCount of them and none older than maxAgeSeconds. Only the creation
// time of the oldest kept event is remembered.
#pragma once

#include <cstdint>

namespace minik {

class EventWindow {
 public:
  EventWindow(int64_t maxCount, int64_t maxAgeSeconds)
      : maxCount_(maxCount), maxAgeSeconds_(maxAgeSeconds) {}

  // State loaded at open; oldestTime < 0 when the log is empty.
  void load(int64_t compacted, int64_t revision, int64_t oldestTime) {
    compacted_ = compacted;
    revision_ = revision;
    oldestTime_ = oldestTime;
  }

  // An event was committed at revision, created at unixTime.
  void appended(int64_t revision, int64_t unixTime) {
    if (revision_ == compacted_) oldestTime_ = unixTime;
    revision_ = revision;
  }

  // Events up to upTo were deleted; nextOldestTime is the creation time of
  // event upTo + 1 (ignored when the log is now empty).
  void dropped(int64_t upTo, int64_t nextOldestTime) {
    compacted_ = upTo;
    oldestTime_ = compacted_ == revision_ ? -1 : nextOldestTime;
  }

  // Whether the event at revision, created at unixTime, is outside the window.
  bool outside(int64_t revision, int64_t unixTime, int64_t now) const {
    return revision_ - revision >= maxCount_ || unixTime < now - maxAgeSeconds_;
  }

  // Whether the oldest kept event is outside the window.
  bool due(int64_t now) const {
    return revision_ > compacted_ && outside(compacted_ + 1, oldestTime_, now);
  }

  int64_t compacted() const { return compacted_; }

 private:
  const int64_t maxCount_;
  const int64_t maxAgeSeconds_;
  int64_t compacted_ = 0;
  int64_t revision_ = 0;
  int64_t oldestTime_ = -1;
};

}  // namespace minik
