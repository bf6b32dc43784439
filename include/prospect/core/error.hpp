#pragma once
// One exception type for the whole library. It carries where a problem is (file,
// layer, field, line) and which step failed, so the message a geologist reads
// says what is wrong and where; `kind` decides the CLI exit code.

#include <stdexcept>
#include <string>

namespace prospect {

enum class ErrorKind {
  run_failed = 1,     // exit 1: something went wrong while running (I/O, GDAL failure)
  bad_model = 2,      // exit 2: bad command line or model file
  bad_input = 3,      // exit 3: bad input data
  interrupted = 130,  // exit 128 + the signal (130 Ctrl-C, 143 SIGTERM): interrupt_exit_code()
};

struct ErrorContext {
  std::string file;   // path as the user wrote it (or resolved)
  std::string layer;  // vector layer or raster band
  std::string field;  // attribute or model key
  std::string step;   // what we were doing: "reading", "warping onto the grid", ...
  int line = 0;       // 1-based, 0 when unknown
  int column = 0;     // 1-based, 0 when unknown
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string what, ErrorContext context = {}, std::string hint = {});

  ErrorKind kind() const noexcept { return m_kind; }
  const ErrorContext& context() const noexcept { return m_context; }
  const std::string& problem() const noexcept { return m_problem; }
  const std::string& hint() const noexcept { return m_hint; }
  int exit_code() const noexcept { return static_cast<int>(m_kind); }

 private:
  ErrorKind m_kind;
  ErrorContext m_context;
  std::string m_problem;
  std::string m_hint;
};

// Message layout: "FILE:LINE:COL: layer L: field F: while STEP: PROBLEM\n  hint: HINT".
std::string format_error(ErrorKind kind, const std::string& problem, const ErrorContext& context,
                         const std::string& hint);

[[noreturn]] void throw_bad_input(const std::string& file, const std::string& problem,
                                  const std::string& hint = {});

}  // namespace prospect
