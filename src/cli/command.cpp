#include "command.hpp"

#include <cmath>
#include <mutex>
#include <ostream>

#include "prospect/core/parallel.hpp"

namespace prospect::cli {

// CLI11's number checks let nan and inf through (every comparison with nan is false).
const CLI::Validator k_finite(
    [](std::string& text) {
      try {
        std::size_t used = 0;
        const double v = std::stod(text, &used);
        if (used == text.size() && std::isfinite(v)) return std::string();
      } catch (const std::exception&) {
      }
      return "'" + text + "' is not a finite number";
    },
    "NUMBER");

CLI::Option* add_threads_option(CLI::App& command, int& threads, const std::string& help) {
  return command.add_option("--threads,-t", threads, help)->check(CLI::Range(0, 1024));
}

void note_thread_cap(int threads, bool quiet, std::ostream& err) {
  if (threads > max_thread_count() && !quiet)
    err << "prospect: note: --threads " << threads << " is capped at " << max_thread_count()
        << " (twice the " << core_count() << " core(s), at least 8)\n";
}

CommandProgress::CommandProgress(std::ostream& err, bool quiet, RunOptions& options) {
  if (quiet) return;
  m_progress = std::make_unique<PhaseProgress>(err, Progress::stderr_is_terminal());
  options.on_message = [progress = m_progress.get()](const Diagnostic& d) {
    progress->message(std::string("prospect: ") +
                      (d.severity == Severity::warning ? "warning: " : "") + d.text);
  };
  options.on_progress = [progress = m_progress.get()](const char* step, double fraction) {
    progress->update(step, fraction);
  };
}

void CommandProgress::finish() {
  if (m_progress) m_progress->finish();
}

}  // namespace prospect::cli
