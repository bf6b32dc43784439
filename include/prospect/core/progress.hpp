#pragma once
// Progress on stderr for long steps. Progress: one step's percentage that
// rewrites itself when stderr is a terminal, nothing otherwise. PhaseProgress:
// a whole command's named phases, on a terminal and in pipes and logs.

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <ostream>
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

// The named phases of a long command, with the notes and warnings between
// them, as its reader can use them. Each finished phase leaves one line:
//   prospect: scoring 0...10...20...30...40...50...60...70...80...90...100 - done in 27 s
// In a pipe or a log the line is written as the phase goes (GDAL's style: a
// number every 10 %); on a terminal it rewrites itself while the phase runs,
//   prospect: scoring 45 % (12 s, about 15 s left)
// and is replaced by the finished line. Any thread may call it.
class PhaseProgress {
 public:
  // seconds_now: a clock in seconds (tests pass their own); default the steady clock.
  PhaseProgress(std::ostream& out, bool terminal, std::function<double()> seconds_now = {});
  ~PhaseProgress();
  PhaseProgress(const PhaseProgress&) = delete;
  PhaseProgress& operator=(const PhaseProgress&) = delete;

  // `phase` is running and `fraction` (0..1) of it is done; a fraction below 0
  // says only that the phase began or goes on. A new name ends the phase before.
  void update(const std::string& phase, double fraction);
  // A line of its own (a note or a warning) between the progress lines.
  void message(const std::string& line);
  // Ends the last phase ("done in"). Destroyed unfinished (the command failed
  // or was stopped), the phase's line is only closed.
  void finish();

 private:
  void end_phase();
  void draw_terminal(double now);
  void tick_pipe(double fraction);
  std::ostream& m_out;
  bool m_terminal;
  std::function<double()> m_now;
  std::mutex m_mutex;
  std::string m_phase;  // "" between phases
  double m_started = 0;
  double m_fraction = -1;  // the last reported, -1 none
  int m_ticks = -1;        // pipe: the last 10 % step written, -1 none
  bool m_line_open = false;
  double m_last_draw = -1;
};

// 0.4 s, 27 s, 2 min 05 s, 1 h 02 min: a duration as people read it.
std::string duration_text(double seconds);

}  // namespace prospect
