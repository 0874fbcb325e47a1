#include "controllers/heap_return.h"

#include <malloc.h>

#include <cstdint>

namespace minik {

namespace {

constexpr uint64_t kPeriodMs = 1000;
// Freed bytes worth a return: less is noise of the loop's own work.
constexpr size_t kWorthReturning = 1 << 20;
// Blocks this large are mapped on their own and unmapped when freed. glibc
// would otherwise raise this threshold to the size of the largest block
// freed (a list response of 10,000 pods is tens of MB), and later such
// blocks would be carved from the heap and fragment it.
constexpr int kOwnMappingBytes = 256 << 10;

}  // namespace

HeapReturn::HeapReturn(uv_loop_t* loop) : timer_(new uv_timer_t) {
  uv_timer_init(loop, timer_);
  timer_->data = this;
}

HeapReturn::~HeapReturn() {
  uv_timer_stop(timer_);
  timer_->data = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(timer_),
           [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
}

void HeapReturn::start() {
  mallopt(M_MMAP_THRESHOLD, kOwnMappingBytes);
  uv_timer_start(timer_, [](uv_timer_t* t) { static_cast<HeapReturn*>(t->data)->check(); }, kPeriodMs,
                 kPeriodMs);
  uv_unref(reinterpret_cast<uv_handle_t*>(timer_));
}

void HeapReturn::check() {
  // fordblks counts free bytes whether or not their pages were returned, so
  // growth since the last return is what is new.
  const size_t freeBytes = mallinfo2().fordblks;
  if (freeBytes < freeAfterLastReturn_ + kWorthReturning) {
    if (freeBytes < freeAfterLastReturn_) freeAfterLastReturn_ = freeBytes;
    return;
  }
  malloc_trim(0);
  freeAfterLastReturn_ = mallinfo2().fordblks;
}

}  // namespace minik
