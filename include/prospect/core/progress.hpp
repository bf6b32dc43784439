#pragma once
// Progress on stderr for long steps: a percentage that rewrites itself when
// stderr is a terminal, nothing otherwise (logs stay clean) or with --quiet.

#include <chrono>
#include <cstddef>
#include <string>

namespace prospect {

class Progress {
 public:
  Progress(std::string step, std::size_t total, bool enabled);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void advance(std::size_t amount = 1);
  void finish();

  // True when stderr is a terminal: the default for showing progress.
  static bool stderr_is_terminal();

 private:
  void draw();
  std::string m_step;
  std::size_t m_total;
  std::size_t m_done = 0;
  bool m_enabled;
  bool m_finished = false;
  int m_last_percent = -1;
  std::chrono::steady_clock::time_point m_last_draw{};
};

}  // namespace prospect
