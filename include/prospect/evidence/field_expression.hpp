#pragma once
// A value computed per feature from its numeric attributes, for geochemical
// ratios and sums: "Dy_ppm", "Dy_ppm / Y_ppm", "(Dy_ppm + Tb_ppm + Y_ppm) / TREE_ppm".
// Grammar: + - * / with the usual precedence, parentheses, unary minus, numbers,
// and field names (letters, digits, '_' and '.', not starting with a digit; any
// other name in double quotes: "Dy (ppm)"). Pure: no GDAL here.

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
  // True for a plain field name: the value is the attribute itself.
  bool is_single_field() const { return m_code.size() == 1 && m_code[0].op == Op::field; }
  // `values[k]` is the value of fields()[k]. Division by zero gives NaN.
  double evaluate(const std::vector<double>& values) const;

 private:
  enum class Op { number, field, add, subtract, multiply, divide, negate };
  struct Step {
    Op op;
    double number = 0;
    std::size_t field = 0;
  };
  std::string m_text;
  std::vector<std::string> m_fields;
  std::vector<Step> m_code;  // postfix order
  friend class ExpressionParser;
};

}  // namespace prospect
