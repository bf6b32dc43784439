#pragma once
// Threads over tiles, with deterministic results.

#include <cstddef>
#include <functional>

namespace prospect {

// Runs compute(i, worker) for i in [0, count) on `threads` worker threads and
// consume(i) on the calling thread strictly in order 0, 1, 2, ... At most
// `window` items are computed ahead of the consumer, so a caller that keeps one
// buffer per slot (i % window) bounds its memory. Because consume sees items in
// a fixed order, anything it writes or sums is independent of the thread count.
// The first exception from either side stops the work and is rethrown here;
// when the system gives fewer threads than asked, Error(run_failed) says so.
void run_ordered(std::size_t count, int threads, std::size_t window,
                 const std::function<void(std::size_t item, int worker)>& compute,
                 const std::function<void(std::size_t item)>& consume);

// Worker threads to use for a --threads value: 0 means one per core; more
// than max_thread_count() are capped to it (CPU-bound tiles gain nothing from
// more threads than cores, and every thread holds tiles in memory).
int resolve_thread_count(int requested);
int max_thread_count();  // twice the cores, at least 8
int core_count();

}  // namespace prospect
