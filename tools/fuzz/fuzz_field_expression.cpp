// libFuzzer target: the IDW field-expression parser and evaluator
// ("(Dy_ppm + Tb_ppm) / Y_ppm"). Any text must parse or be refused with a
// prospect::Error; a parsed expression must evaluate without fault for any
// field values (here: the bytes after the first newline, as doubles).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "prospect/core/error.hpp"
#include "prospect/evidence/field_expression.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  const std::string text = input.substr(0, newline);
  try {
    const prospect::FieldExpression e = prospect::FieldExpression::parse(text);
    std::vector<double> values(e.fields().size(), 1.0);
    const std::string rest = newline == std::string::npos ? "" : input.substr(newline + 1);
    for (std::size_t i = 0; i < values.size() && (i + 1) * sizeof(double) <= rest.size(); ++i)
      std::memcpy(&values[i], rest.data() + i * sizeof(double), sizeof(double));
    volatile double result = e.evaluate(values);
    (void)result;
  } catch (const prospect::Error&) {
  } catch (const std::exception& e) {
    std::fprintf(stderr, "escaped the expression parser: %s\n", e.what());
    std::abort();
  }
  return 0;
}
