#include "prospect/evidence/field_expression.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "prospect/core/error.hpp"
#include "prospect/geochem/elements.hpp"

namespace prospect {

// Recursive descent over the text, emitting postfix steps.
class ExpressionParser {
 public:
  explicit ExpressionParser(FieldExpression& out) : m_out(out), m_text(out.m_text) {}

  void parse() {
    expression();
    skip_space();
    if (m_pos != m_text.size()) fail("unexpected '" + std::string(1, m_text[m_pos]) + "'");
  }

 private:
  using Op = FieldExpression::Op;

  void expression() {
    term();
    for (;;) {
      skip_space();
      if (accept('+')) {
        term();
        emit(Op::add);
      } else if (accept('-')) {
        term();
        emit(Op::subtract);
      } else {
        return;
      }
    }
  }

  void term() {
    factor();
    for (;;) {
      skip_space();
      if (accept('*')) {
        factor();
        emit(Op::multiply);
      } else if (accept('/')) {
        factor();
        emit(Op::divide);
      } else {
        return;
      }
    }
  }

  void factor() {
    skip_space();
    if (m_pos >= m_text.size()) fail("the expression ends too early");
    const char c = m_text[m_pos];
    if (accept('-')) {
      deeper();
      factor();
      --m_depth;
      emit(Op::negate);
    } else if (accept('(')) {
      deeper();
      expression();
      --m_depth;
      skip_space();
      if (!accept(')')) fail("a ')' is missing");
    } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      const char* start = m_text.c_str() + m_pos;
      char* end = nullptr;
      const double v = std::strtod(start, &end);
      m_pos += std::size_t(end - start);
      m_out.m_code.push_back({Op::number, v, 0});
    } else if (c == '"') {
      const std::size_t close = m_text.find('"', m_pos + 1);
      if (close == std::string::npos) fail("a closing '\"' is missing");
      field(m_text.substr(m_pos + 1, close - m_pos - 1));
      m_pos = close + 1;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      const std::string name = bare_name();
      skip_space();
      if (accept('('))
        call(name);
      else
        field(name);
    } else {
      fail("expected a field name, a number or '('");
    }
  }

  std::string bare_name() {
    const std::size_t start = m_pos;
    while (m_pos < m_text.size() && (std::isalnum(static_cast<unsigned char>(m_text[m_pos])) ||
                                     m_text[m_pos] == '_' || m_text[m_pos] == '.'))
      ++m_pos;
    return m_text.substr(start, m_pos - start);
  }

  // After "name(": the arguments and the closing parenthesis.
  void call(const std::string& name) {
    using F = FieldExpression::Function;
    static const std::pair<const char*, F> functions[] = {
        {"ln", F::ln},       {"log10", F::log10}, {"sqrt", F::sqrt},
        {"gmean", F::gmean}, {"clr", F::clr},     {"balance", F::balance}};
    if (name == "N") return normalised();
    const auto* found = std::find_if(std::begin(functions), std::end(functions),
                                     [&](const auto& f) { return name == f.first; });
    if (found == std::end(functions))
      fail("there is no function '" + name +
           "'; the functions are ln, log10, sqrt, N, gmean, clr and balance");
    const F f = found->second;
    deeper();
    int before = 0, after = 0;
    bool bar = false;
    for (;;) {
      expression();
      ++(bar ? after : before);
      skip_space();
      if (accept(',')) continue;
      if (accept('|')) {
        if (f != F::balance || bar)
          fail("'|' only parts the two groups of balance(a, ... | b, ...)");
        bar = true;
        continue;
      }
      if (accept(')')) break;
      fail("expected ',' or ')' in " + name + "()");
    }
    --m_depth;
    const bool one = f == F::ln || f == F::log10 || f == F::sqrt;
    if (one && before != 1) fail(name + "() takes one value");
    if (f == F::clr && before < 2)
      fail("clr() needs the part and at least one more: clr(a, b, ...)");
    if (f == F::balance && (!bar || after < 1))
      fail("balance() needs two groups of parts: balance(a, ... | b, ...)");
    if (f != F::sqrt) m_out.m_takes_logs = true;
    FieldExpression::Step step{Op::call, 0, 0};
    step.function = f;
    step.arguments = before;
    step.after_bar = after;
    m_out.m_code.push_back(step);
  }

  // After "N(": one field, whose name says its element and unit.
  void normalised() {
    skip_space();
    std::string name;
    if (accept('"')) {
      const std::size_t close = m_text.find('"', m_pos);
      if (close == std::string::npos) fail("a closing '\"' is missing");
      name = m_text.substr(m_pos, close - m_pos);
      m_pos = close + 1;
    } else if (m_pos < m_text.size() &&
               (std::isalpha(static_cast<unsigned char>(m_text[m_pos])) || m_text[m_pos] == '_')) {
      name = bare_name();
    } else {
      fail("N() takes one field name, e.g. N(Dy_ppm)");
    }
    skip_space();
    if (!accept(')')) fail("N() takes one field name, e.g. N(Dy_ppm)");
    const auto column = element_column(name);
    if (!column)
      fail("N() divides a rare earth element by its chondrite value, and '" + name +
           "' does not name one: the field's name must start with the element's symbol (Dy, "
           "Dy_ppm, DY (ppb)), not an oxide");
    field(name);
    m_out.m_code.push_back({Op::number, column->to_ppm / column->element->chondrite, 0});
    emit(Op::multiply);
  }

  void field(const std::string& name) {
    if (name.empty()) fail("a field name is empty");
    auto& f = m_out.m_fields;
    const auto it = std::find(f.begin(), f.end(), name);
    const std::size_t index = std::size_t(it - f.begin());
    if (it == f.end()) f.push_back(name);
    m_out.m_code.push_back({Op::field, 0, index});
  }

  // Parentheses and minus signs nest by recursion: bounded, so no text can exhaust the stack.
  void deeper() {
    if (++m_depth > k_max_depth)
      fail("parentheses or minus signs nest more than " + std::to_string(k_max_depth) + " deep");
  }

  void emit(Op op) { m_out.m_code.push_back({op, 0, 0}); }
  bool accept(char c) {
    if (m_pos < m_text.size() && m_text[m_pos] == c) {
      ++m_pos;
      return true;
    }
    return false;
  }
  void skip_space() {
    while (m_pos < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_pos])))
      ++m_pos;
  }
  [[noreturn]] void fail(const std::string& what) {
    const std::string shown = m_text.size() > 80 ? m_text.substr(0, 77) + "..." : m_text;
    throw Error(ErrorKind::bad_model,
                "cannot read the value expression '" + shown + "' at character " +
                    std::to_string(m_pos + 1) + ": " + what,
                {},
                "write a field name, or fields combined with + - * /, parentheses and the "
                "functions ln, log10, sqrt, N, gmean, clr, balance, e.g. (Dy_ppm + Tb_ppm) / "
                "Y_ppm or N(Dy_ppm) / N(Yb_ppm)");
  }

  FieldExpression& m_out;
  const std::string& m_text;
  std::size_t m_pos = 0;
  static constexpr int k_max_depth = 100;
  int m_depth = 0;
};

FieldExpression FieldExpression::parse(const std::string& text) {
  FieldExpression e;
  e.m_text = text;
  ExpressionParser(e).parse();
  return e;
}

double FieldExpression::apply(Function f, const double* args, int count, int after_bar) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (f == Function::sqrt) return args[0] >= 0 ? std::sqrt(args[0]) : nan;
  const int n = count + after_bar;
  for (int i = 0; i < n; ++i)
    if (!(args[i] > 0)) return nan;  // NaN too
  auto mean_log = [&](int from, int to) {
    double sum = 0;
    for (int i = from; i < to; ++i) sum += std::log(args[i]);
    return sum / (to - from);
  };
  switch (f) {
    case Function::ln:
      return std::log(args[0]);
    case Function::log10:
      return std::log10(args[0]);
    case Function::gmean:
      return std::exp(mean_log(0, n));
    case Function::clr:
      return std::log(args[0]) - mean_log(0, n);
    case Function::balance:
      return std::sqrt(double(count) * after_bar / n) * (mean_log(0, count) - mean_log(count, n));
    case Function::sqrt:
      break;
  }
  return nan;
}

double FieldExpression::evaluate(const std::vector<double>& values) const {
  double stack[64] = {};
  std::size_t top = 0;
  std::vector<double> big;  // deep expressions: rare, so only then on the heap
  if (m_code.size() > 64) big.resize(m_code.size());
  double* s = big.empty() ? stack : big.data();
  for (const Step& step : m_code) {
    switch (step.op) {
      case Op::number:
        s[top++] = step.number;
        break;
      case Op::field:
        s[top++] = values[step.field];
        break;
      case Op::negate:
        s[top - 1] = -s[top - 1];
        break;
      case Op::call: {
        top -= std::size_t(step.arguments + step.after_bar);
        s[top] = apply(step.function, s + top, step.arguments, step.after_bar);
        ++top;
        break;
      }
      default: {
        const double b = s[--top], a = s[top - 1];
        double r = 0;
        if (step.op == Op::add)
          r = a + b;
        else if (step.op == Op::subtract)
          r = a - b;
        else if (step.op == Op::multiply)
          r = a * b;
        else
          r = b == 0 ? std::numeric_limits<double>::quiet_NaN() : a / b;
        s[top - 1] = r;
      }
    }
  }
  return s[0];
}

}  // namespace prospect
