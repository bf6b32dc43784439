#include "prospect/core/parallel.hpp"

#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace prospect {

int resolve_thread_count(int requested) {
  if (requested > 0) return requested;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw > 0 ? int(hw) : 1;
}

void run_ordered(std::size_t count, int threads, std::size_t window,
                 const std::function<void(std::size_t, int)>& compute,
                 const std::function<void(std::size_t)>& consume) {
  if (count == 0) return;
  if (threads < 1) threads = 1;
  if (window < 1) window = 1;

  std::mutex mutex;
  std::condition_variable changed;
  std::size_t next = 0;      // next item a worker may take
  std::size_t consumed = 0;  // items the consumer has finished
  std::vector<char> done(window, 0);
  std::exception_ptr failure;

  auto worker_loop = [&](int worker) {
    for (;;) {
      std::size_t item;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return failure || next >= count || next < consumed + window; });
        if (failure || next >= count) return;
        item = next++;
      }
      try {
        compute(item, worker);
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        changed.notify_all();
        return;
      }
      std::lock_guard lock(mutex);
      done[item % window] = 1;
      changed.notify_all();
    }
  };

  std::vector<std::thread> pool;
  pool.reserve(std::size_t(threads));
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker_loop, t);

  for (std::size_t item = 0; item < count; ++item) {
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] { return failure || done[item % window]; });
      if (failure) break;
    }
    try {
      consume(item);
    } catch (...) {
      std::lock_guard lock(mutex);
      if (!failure) failure = std::current_exception();
      changed.notify_all();
      break;
    }
    std::lock_guard lock(mutex);
    done[item % window] = 0;
    ++consumed;
    changed.notify_all();
  }
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace prospect
