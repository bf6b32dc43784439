#pragma once
// One channel for what the library has to say besides its results: notes
// (what it did: "input soil_dy: IDW of 5,700 samples ...") and warnings (what
// the user should look at). Library code never prints; it reports here, and
// the caller decides: the CLI prints them unless --quiet, a batch puts them
// through its status line and log, and every warning of a run reaches its
// manifest and report.
//
// Deep code (a GDAL warning on a worker thread, a repaired polygon while a
// layer is read) reaches the run it works for through the thread's current
// Diagnostics: a run installs its own with a DiagnosticsScope, and the
// tile-pass engine installs the caller's on its workers.

#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace prospect {

enum class Severity { note, warning };

struct Diagnostic {
  Severity severity = Severity::note;
  std::string text;
};

class Diagnostics {
 public:
  using Sink = std::function<void(const Diagnostic&)>;
  explicit Diagnostics(Sink sink = {}) : m_sink(std::move(sink)) {}
  Diagnostics(const Diagnostics&) = delete;
  Diagnostics& operator=(const Diagnostics&) = delete;

  // Thread-safe. A text reported twice is kept and passed on once (a GDAL
  // warning raised on every tile is one warning).
  void report(Severity severity, const std::string& text);
  void note(const std::string& text) { report(Severity::note, text); }
  void warning(const std::string& text) { report(Severity::warning, text); }

  std::vector<std::string> texts(Severity severity) const;  // in the order first reported

 private:
  mutable std::mutex m_mutex;
  Sink m_sink;
  std::vector<Diagnostic> m_all;
};

// The Diagnostics the calling thread reports to (null: none installed).
Diagnostics* current_diagnostics();

// Installs `diagnostics` for the calling thread for the scope's lifetime.
class DiagnosticsScope {
 public:
  explicit DiagnosticsScope(Diagnostics* diagnostics);
  ~DiagnosticsScope();
  DiagnosticsScope(const DiagnosticsScope&) = delete;
  DiagnosticsScope& operator=(const DiagnosticsScope&) = delete;

 private:
  Diagnostics* m_previous;
};

// Report to the thread's current Diagnostics; with none installed (a tool or
// test calling the library directly), as "prospect: note: ..." on stderr.
void report_note(const std::string& text);
void report_warning(const std::string& text);

}  // namespace prospect
