#include "prospect/core/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
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

namespace prospect {

std::string duration_text(double seconds) {
  char text[48];
  if (seconds < 9.95)
    std::snprintf(text, sizeof text, "%.1f s", seconds < 0 ? 0.0 : seconds);
  else if (seconds < 59.5)
    std::snprintf(text, sizeof text, "%.0f s", seconds);
  else if (seconds < 3599.5) {
    const long s = std::lround(seconds);
    std::snprintf(text, sizeof text, "%ld min %02ld s", s / 60, s % 60);
  } else {
    const long m = std::lround(seconds / 60);
    std::snprintf(text, sizeof text, "%ld h %02ld min", m / 60, m % 60);
  }
  return text;
}

PhaseProgress::PhaseProgress(std::ostream& out, bool terminal, std::function<double()> seconds_now)
    : m_out(out), m_terminal(terminal), m_now(std::move(seconds_now)) {
  if (!m_now) {
    const auto t0 = std::chrono::steady_clock::now();
    m_now = [t0] {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    };
  }
}

PhaseProgress::~PhaseProgress() {
  std::lock_guard lock(m_mutex);
  if (m_terminal && !m_phase.empty())
    m_out << "\r\x1b[K" << std::flush;
  else if (m_line_open)
    m_out << "\n" << std::flush;
}

void PhaseProgress::update(const std::string& phase, double fraction) {
  std::lock_guard lock(m_mutex);
  const double now = m_now();
  if (phase != m_phase) {
    end_phase();
    m_phase = phase;
    m_started = now;
    m_fraction = -1;
    m_ticks = -1;
    m_last_draw = -1;
    if (phase.empty()) return;
    if (!m_terminal) {
      m_out << "prospect: " << m_phase << std::flush;
      m_line_open = true;
    }
  }
  if (fraction >= 0) m_fraction = std::min(fraction, 1.0);
  if (m_terminal)
    draw_terminal(now);
  else if (fraction >= 0)
    tick_pipe(m_fraction);
}

void PhaseProgress::message(const std::string& line) {
  std::lock_guard lock(m_mutex);
  if (m_terminal && !m_phase.empty())
    m_out << "\r\x1b[K";  // the progress line gives way, and is drawn again below
  else if (m_line_open)
    m_out << "\n";
  m_line_open = false;
  m_out << line << "\n" << std::flush;
  if (m_terminal && !m_phase.empty()) {
    m_last_draw = -1;
    draw_terminal(m_now());
  }
}

void PhaseProgress::finish() {
  std::lock_guard lock(m_mutex);
  end_phase();
  m_phase.clear();
}

void PhaseProgress::end_phase() {
  if (m_phase.empty()) return;
  const std::string took = " - done in " + duration_text(m_now() - m_started);
  if (m_terminal) {
    m_out << "\r\x1b[Kprospect: " << m_phase << took << "\n" << std::flush;
  } else {
    if (m_fraction >= 0) tick_pipe(1.0);
    if (!m_line_open) m_out << "prospect: " << m_phase;  // a message broke the line
    m_out << took << "\n" << std::flush;
  }
  m_line_open = false;
}

void PhaseProgress::draw_terminal(double now) {
  // At most ten times a second: a terminal that scrolls fast is hard to read and slow.
  if (m_last_draw >= 0 && now - m_last_draw < 0.1) return;
  m_last_draw = now;
  const double elapsed = now - m_started;
  m_out << "\r\x1b[Kprospect: " << m_phase;
  if (m_fraction >= 0) m_out << " " << int(100 * m_fraction) << " %";
  m_out << " (" << duration_text(elapsed);
  // An estimate once there is something to go on: 5 % done and a second gone.
  if (m_fraction >= 0.05 && m_fraction < 1 && elapsed >= 1)
    m_out << ", about " << duration_text(elapsed * (1 - m_fraction) / m_fraction) << " left";
  m_out << ")" << std::flush;
}

void PhaseProgress::tick_pipe(double fraction) {
  const int step = int(std::floor(fraction * 10 + 1e-9));
  if (step <= m_ticks) return;
  if (!m_line_open) {  // a message broke the line
    m_out << "prospect: " << m_phase << " (continued) ";
    m_line_open = true;
  }
  for (int t = m_ticks + 1; t <= step; ++t) m_out << (t == 0 ? " " : "...") << t * 10;
  m_ticks = step;
  m_out << std::flush;
}

}  // namespace prospect
