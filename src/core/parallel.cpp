#include "prospect/core/parallel.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include "prospect/core/error.hpp"

namespace prospect {

int core_count() {
  const unsigned hw = std::thread::hardware_concurrency();
  return hw > 0 ? int(hw) : 1;
}

int max_thread_count() { return std::max(8, 2 * core_count()); }

int resolve_thread_count(int requested) {
  if (requested > 0) return std::min(requested, max_thread_count());
  return core_count();
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
  try {
    for (int t = 0; t < threads; ++t) pool.emplace_back(worker_loop, t);
  } catch (const std::system_error& e) {
    // The system gives no more threads (a process or memory limit): stop the
    // ones started and say so; a joinable thread destroyed would end the process.
    {
      std::lock_guard lock(mutex);
      if (!failure) failure = std::make_exception_ptr(e);
      changed.notify_all();
    }
    for (auto& t : pool) t.join();
    throw Error(ErrorKind::run_failed,
                "could not start " + std::to_string(threads) + " worker threads (" +
                    std::to_string(pool.size()) + " started): " + e.what(),
                {},
                "run with fewer threads (--threads N) or raise the process limits (ulimit -u, -v)");
  }

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
