#include "prospect/core/error.hpp"

namespace prospect {

std::string format_error(ErrorKind, const std::string& problem, const ErrorContext& c,
                         const std::string& hint) {
  std::string out;
  if (!c.file.empty()) {
    out.append(c.file);
    if (c.line > 0) {
      out.append(":").append(std::to_string(c.line));
      if (c.column > 0) out.append(":").append(std::to_string(c.column));
    }
    out.append(": ");
  }
  if (!c.layer.empty()) out += "layer '" + c.layer + "': ";
  if (!c.field.empty()) out += "'" + c.field + "': ";
  if (!c.step.empty()) out += "while " + c.step + ": ";
  out += problem;
  if (!hint.empty()) out += "\n  hint: " + hint;
  return out;
}

Error::Error(ErrorKind kind, std::string what, ErrorContext context, std::string hint)
    : std::runtime_error(format_error(kind, what, context, hint)),
      m_kind(kind),
      m_context(std::move(context)),
      m_problem(std::move(what)),
      m_hint(std::move(hint)) {}

void throw_bad_input(const std::string& file, const std::string& problem, const std::string& hint) {
  ErrorContext c;
  c.file = file;
  throw Error(ErrorKind::bad_input, problem, c, hint);
}

}  // namespace prospect
