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

std::function<void(const Diagnostic&)> message_printer(std::ostream& err,
                                                       bool progress_on_terminal) {
  auto mutex = std::make_shared<std::mutex>();
  return [&err, mutex, progress_on_terminal](const Diagnostic& d) {
    std::lock_guard lock(*mutex);
    err << (progress_on_terminal ? "\r\x1b[K" : "")
        << "prospect: " << (d.severity == Severity::warning ? "warning: " : "") << d.text << "\n"
        << std::flush;
  };
}

}  // namespace prospect::cli
