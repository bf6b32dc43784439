#include "prospect/core/interrupt.hpp"

#include <atomic>
#include <csignal>

#include "prospect/core/error.hpp"

namespace prospect {
namespace {

std::atomic<bool> g_interrupted{false};
std::atomic<int> g_signal{SIGINT};  // the signal that asked for the stop
struct sigaction g_old_int, g_old_term;

extern "C" void on_signal(int signal) {
  g_signal.store(signal);
  g_interrupted.store(true);
}

}  // namespace

InterruptGuard::InterruptGuard() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &g_old_int);
  sigaction(SIGTERM, &sa, &g_old_term);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &g_old_int, nullptr);
  sigaction(SIGTERM, &g_old_term, nullptr);
}

bool interrupt_requested() { return g_interrupted.load(); }
void request_interrupt() {
  g_signal.store(SIGINT);
  g_interrupted.store(true);
}
int interrupt_exit_code() { return 128 + g_signal.load(); }
void clear_interrupt() { g_interrupted.store(false); }

int stop_on_interrupt(double done, const char*, void* data) {
  if (data) {
    const auto& share_done = *static_cast<const ShareDone*>(data);
    if (share_done) share_done(done);
  }
  return g_interrupted.load() ? 0 : 1;
}

void throw_if_interrupted() {
  if (g_interrupted.load())
    throw Error(ErrorKind::interrupted, "interrupted; no output was changed", {},
                "run again to produce the outputs");
}

}  // namespace prospect
