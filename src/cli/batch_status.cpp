#include "batch_status.hpp"

#include <cmath>

namespace prospect {

BatchStatus::~BatchStatus() {
  std::lock_guard<std::mutex> lock(m_mutex);
  if (m_drawn) m_err << "\r\033[K" << std::flush;
}

void BatchStatus::line(const std::string& text) {
  std::lock_guard<std::mutex> lock(m_mutex);
  m_err << "\r\033[K"
        << "prospect: " << text << "\n";
  m_drawn = false;
  draw();
}

void BatchStatus::progress(const std::string& survey, const char* step, double fraction) {
  std::lock_guard<std::mutex> lock(m_mutex);
  if (!*step && fraction >= 1.0) {
    if (m_running.erase(survey)) ++m_finished;
  } else {
    std::string text = step;
    if (fraction > 0) text += " " + std::to_string(int(std::lround(fraction * 100))) + " %";
    m_running[survey] = text;
  }
  const auto now = std::chrono::steady_clock::now();
  if (now - m_last_draw < std::chrono::milliseconds(200)) return;
  draw();
}

void BatchStatus::draw() {
  m_last_draw = std::chrono::steady_clock::now();
  std::string text = "batch " + std::to_string(m_finished) + "/" + std::to_string(m_total);
  for (const auto& [survey, step] : m_running) text += " · " + survey + " " + step;
  if (text.size() > 110) text = text.substr(0, 107) + "...";
  m_err << "\r\033[K" << text << std::flush;
  m_drawn = true;
}

}  // namespace prospect
