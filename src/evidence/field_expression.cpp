#include "prospect/evidence/field_expression.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "prospect/core/error.hpp"

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
      const std::size_t start = m_pos;
      while (m_pos < m_text.size() && (std::isalnum(static_cast<unsigned char>(m_text[m_pos])) ||
                                       m_text[m_pos] == '_' || m_text[m_pos] == '.'))
        ++m_pos;
      field(m_text.substr(start, m_pos - start));
    } else {
      fail("expected a field name, a number or '('");
    }
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
                "write a field name, or fields combined with + - * / and parentheses, e.g. "
                "(Dy_ppm + Tb_ppm) / Y_ppm");
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
