#pragma once
// A batch's live status on a terminal: one line, redrawn at most five times a
// second, with the surveys in flight and their step ("survey05 scoring 40 %");
// event lines ("[3/20] survey05: done ...") are printed above it. Not used when
// stderr is a log file: the event lines alone are what a log wants.

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <ostream>
#include <string>

namespace prospect {

class BatchStatus {
 public:
  BatchStatus(std::ostream& err, std::size_t surveys) : m_err(err), m_total(surveys) {}
  ~BatchStatus();
  void line(const std::string& text);
  // fraction 1 with an empty step: the survey has finished.
  void progress(const std::string& survey, const char* step, double fraction);

 private:
  void draw();  // with m_mutex held
  std::mutex m_mutex;
  std::ostream& m_err;
  std::size_t m_total, m_finished = 0;
  std::map<std::string, std::string> m_running;  // survey -> "scoring 40 %"
  std::chrono::steady_clock::time_point m_last_draw{};
  bool m_drawn = false;
};

}  // namespace prospect
