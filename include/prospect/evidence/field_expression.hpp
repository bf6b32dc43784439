#pragma once
// A value computed per feature from its numeric attributes, for geochemical
// ratios and sums: "Dy_ppm", "Dy_ppm / Y_ppm", "(Dy_ppm + Tb_ppm + Y_ppm) / TREE_ppm".
// Grammar: + - * / with the usual precedence, parentheses, unary minus, numbers,
// field names (letters, digits, '_' and '.', not starting with a digit; any
// other name in double quotes: "Dy (ppm)"), and functions for compositional
// data (docs/science/geochemistry.md):
//   ln(x), log10(x), sqrt(x)
//   N(field)                 the field's rare earth over its CI-chondrite value
//                            (element and unit read from the field's name)
//   gmean(a, b, ...)         geometric mean
//   clr(a, b, ...)           centred log-ratio of a within the parts a, b, ...:
//                            ln(a / gmean(a, b, ...))
//   balance(a, ... | b, ...) isometric log-ratio balance of two groups of parts:
//                            sqrt(r s / (r + s)) ln(gmean(a, ...) / gmean(b, ...))
// A log of a value <= 0, the square root of a negative and a division by zero
// give NaN. Pure: no GDAL here.

#include <string>
#include <vector>

namespace prospect {

class FieldExpression {
 public:
  // Throws Error(bad_model) naming the position of the problem.
  static FieldExpression parse(const std::string& text);

  const std::string& text() const { return m_text; }
  // The fields the expression reads, each once, in order of first use.
  const std::vector<std::string>& fields() const { return m_fields; }
  // True when the expression takes logarithms (ln, log10, gmean, clr, balance):
  // its parts must be positive.
  bool takes_logs() const { return m_takes_logs; }
  // True for a plain field name: the value is the attribute itself.
  bool is_single_field() const { return m_code.size() == 1 && m_code[0].op == Op::field; }
  // `values[k]` is the value of fields()[k]. Division by zero gives NaN.
  double evaluate(const std::vector<double>& values) const;

 private:
  enum class Op { number, field, add, subtract, multiply, divide, negate, call };
  enum class Function { ln, log10, sqrt, gmean, clr, balance };
  struct Step {
    Op op;
    double number = 0;
    std::size_t field = 0;
    Function function = Function::ln;  // Op::call: its arguments are the top
    int arguments = 0, after_bar = 0;  // arguments + after_bar stack values
  };
  static double apply(Function f, const double* args, int count, int after_bar);
  std::string m_text;
  std::vector<std::string> m_fields;
  std::vector<Step> m_code;  // postfix order
  bool m_takes_logs = false;
  friend class ExpressionParser;
};

}  // namespace prospect
