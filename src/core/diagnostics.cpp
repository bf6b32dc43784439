#include "prospect/core/diagnostics.hpp"

#include <algorithm>
#include <cstdio>

namespace prospect {
namespace {

thread_local Diagnostics* t_current = nullptr;

void report_to_current(Severity severity, const std::string& text) {
  if (t_current) {
    t_current->report(severity, text);
    return;
  }
  std::fprintf(stderr, "prospect: %s: %s\n", severity == Severity::warning ? "warning" : "note",
               text.c_str());
}

}  // namespace

void Diagnostics::report(Severity severity, const std::string& text) {
  Sink sink;
  {
    std::lock_guard lock(m_mutex);
    const bool seen = std::any_of(m_all.begin(), m_all.end(), [&](const Diagnostic& d) {
      return d.severity == severity && d.text == text;
    });
    if (seen) return;
    m_all.push_back({severity, text});
    sink = m_sink;
  }
  if (sink) sink({severity, text});  // outside the lock: a sink may take its own
}

std::vector<std::string> Diagnostics::texts(Severity severity) const {
  std::lock_guard lock(m_mutex);
  std::vector<std::string> out;
  for (const auto& d : m_all)
    if (d.severity == severity) out.push_back(d.text);
  return out;
}

Diagnostics* current_diagnostics() { return t_current; }

DiagnosticsScope::DiagnosticsScope(Diagnostics* diagnostics) : m_previous(t_current) {
  t_current = diagnostics;
}
DiagnosticsScope::~DiagnosticsScope() { t_current = m_previous; }

void report_note(const std::string& text) { report_to_current(Severity::note, text); }
void report_warning(const std::string& text) { report_to_current(Severity::warning, text); }

}  // namespace prospect
