#include "prospect/geochem/elements.hpp"

#include <algorithm>
#include <cctype>

namespace prospect {

const std::vector<ReferenceElement>& rare_earth_elements() {
  // CI chondrite, ppm: McDonough, W.F. & Sun, S.-s. (1995) The composition of
  // the Earth. Chemical Geology 120, 223-253, Table 1.
  static const std::vector<ReferenceElement> table = {
      {"La", 0.237, false}, {"Ce", 0.613, false},  {"Pr", 0.0928, false}, {"Nd", 0.457, false},
      {"Sm", 0.148, false}, {"Eu", 0.0563, false}, {"Gd", 0.199, true},   {"Tb", 0.0361, true},
      {"Dy", 0.246, true},  {"Ho", 0.0546, true},  {"Er", 0.160, true},   {"Tm", 0.0247, true},
      {"Yb", 0.161, true},  {"Lu", 0.0246, true},  {"Y", 1.57, true},
  };
  return table;
}

const ReferenceElement* find_rare_earth(const std::string& symbol) {
  for (const ReferenceElement& e : rare_earth_elements())
    if (symbol == e.symbol) return &e;
  return nullptr;
}

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool has_word(const std::string& text, const std::string& word) {
  return text.find(word) != std::string::npos;
}

}  // namespace

std::optional<ElementColumn> element_column(const std::string& column) {
  std::size_t end = 0;
  while (end < column.size() && std::isalpha(static_cast<unsigned char>(column[end]))) ++end;
  if (end == 0 || end > 2) return std::nullopt;
  if (end < column.size() && std::isdigit(static_cast<unsigned char>(column[end])))
    return std::nullopt;  // an oxide: Dy2O3
  std::string symbol = lower(column.substr(0, end));
  symbol[0] = char(std::toupper(static_cast<unsigned char>(symbol[0])));
  const ReferenceElement* element = find_rare_earth(symbol);
  if (!element) return std::nullopt;
  const std::string unit = lower(column.substr(end));
  ElementColumn out{element, 1.0};
  if (has_word(unit, "ppb"))
    out.to_ppm = 1e-3;
  else if (has_word(unit, "%") || has_word(unit, "pct") || has_word(unit, "percent") ||
           has_word(unit, "wt"))
    out.to_ppm = 1e4;
  return out;
}

}  // namespace prospect
