#pragma once
// Ctrl-C and SIGTERM: long work stops at the next tile and unwinds normally, so
// staging files are removed and no output is left half-written.

#include <functional>

namespace prospect {

// Installs SIGINT/SIGTERM handlers for its lifetime; restores the old ones after.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
};

bool interrupt_requested();
void request_interrupt();  // what the handler does; also for tests
void clear_interrupt();
// The exit code of a stopped run, as a shell reports a process a signal ended:
// 128 + the signal (130 for Ctrl-C, 143 for SIGTERM).
int interrupt_exit_code();
// Throws Error(interrupted, "interrupted; no output was changed") once an interrupt was requested.
void throw_if_interrupted();
// A GDAL progress callback (GDALProgressFunc) that asks GDAL to stop once an
// interrupt was requested, so long GDAL steps (warp, COG copy, polygonize)
// end within one of their chunks; the caller then calls throw_if_interrupted().
// `data`: null, or a const ShareDone* that hears the share done.
int stop_on_interrupt(double done, const char* message, void* data);
using ShareDone = std::function<void(double share)>;

}  // namespace prospect
