#include "prospect/core/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace prospect {

Progress::Progress(std::string step, std::size_t total, bool enabled)
    : m_step(std::move(step)), m_total(total), m_enabled(enabled) {
  draw();
}

Progress::~Progress() { finish(); }

bool Progress::stderr_is_terminal() { return isatty(STDERR_FILENO) == 1; }

void Progress::advance(std::size_t amount) {
  m_done += amount;
  draw();
}

void Progress::draw() {
  if (!m_enabled || m_finished) return;
  const int percent = m_total ? int(100.0 * double(m_done) / double(m_total)) : 100;
  const auto now = std::chrono::steady_clock::now();
  // Redraw at most ten times a second, and only when the number changes.
  if (percent == m_last_percent ||
      (now - m_last_draw < std::chrono::milliseconds(100) && percent < 100 && m_last_percent >= 0))
    return;
  m_last_percent = percent;
  m_last_draw = now;
  std::fprintf(stderr, "\r%s: %3d%%", m_step.c_str(), percent);
  std::fflush(stderr);
}

void Progress::finish() {
  if (!m_enabled || m_finished) return;
  m_done = m_total;
  m_last_percent = -1;
  draw();
  std::fprintf(stderr, "\n");
  m_finished = true;
}

}  // namespace prospect
