// controllers/heap_return.h — gives the heap's free pages back to the
// kernel once the controllers' bursts of work leave them behind.
//
// Why: converging 10,000 pods parses and frees far more JSON than the views
// that stay (DESIGN.md, "Memory"); glibc keeps the freed pages inside the
// heap, so RSS stayed about 8 MB above what was in use. malloc_trim(0)
// returns every free page (madvise), not only the heap's top.
//
// Contract: start() makes blocks of 256 KiB and more mappings of their own
// (returned when freed: glibc's default threshold grows with the largest
// block freed). Then every second on the loop, if the free bytes of the
// heap grew by more than 1 MiB since the last return, it returns them. An
// idle process does nothing (no change, no call). The timer does not keep
// the loop alive.
#pragma once

#include <cstddef>

#include <uv.h>

namespace minik {

class HeapReturn {
 public:
  explicit HeapReturn(uv_loop_t* loop);
  ~HeapReturn();
  HeapReturn(const HeapReturn&) = delete;
  HeapReturn& operator=(const HeapReturn&) = delete;

  void start();

 private:
  void check();

  uv_timer_t* timer_;  // freed by its close callback
  size_t freeAfterLastReturn_ = 0;
};

}  // namespace minik
