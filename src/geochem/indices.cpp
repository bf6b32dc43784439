#include "prospect/geochem/indices.hpp"

#include <map>

#include "prospect/core/error.hpp"
#include "prospect/geochem/elements.hpp"

namespace prospect {

namespace {

std::string without_spaces_and_sigma(const std::string& name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name[i] == ' ') continue;
    if (name.compare(i, 2, "\xce\xa3") == 0) {  // Σ, as in ΣHREE/ΣLREE
      ++i;
      continue;
    }
    out += name[i];
  }
  return out;
}

std::string group_sum(bool heavy, bool all) {
  std::string sum;
  for (const ReferenceElement& e : rare_earth_elements())
    if (all || e.heavy == heavy)
      sum += (sum.empty() ? "" : " + ") + std::string("{") + e.symbol + "}";
  return "(" + sum + ")";
}

// "Dy/Yb" -> {"Dy", "Yb"} when both are rare earths.
bool element_pair(const std::string& text, std::string& a, std::string& b) {
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos) return false;
  a = text.substr(0, slash);
  b = text.substr(slash + 1);
  return find_rare_earth(a) && find_rare_earth(b) && a != b;
}

}  // namespace

std::string index_forms() {
  return "(A/B)N (chondrite-normalised ratio, e.g. (La/Yb)N, (Dy/Yb)N), A/B (plain ratio, e.g. "
         "Y/Ho), Eu/Eu*, Ce/Ce*, LREE, HREE, TREE, HREE/LREE, HREE/TREE; A and B are any of La Ce "
         "Pr Nd Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Y";
}

std::string index_template(const std::string& name) {
  const std::string n = without_spaces_and_sigma(name);
  std::string a, b;
  if (n.size() > 3 && n.front() == '(' && n.compare(n.size() - 2, 2, ")N") == 0 &&
      element_pair(n.substr(1, n.size() - 3), a, b))
    return "N({" + a + "}) / N({" + b + "})";
  if (element_pair(n, a, b)) return "{" + a + "} / {" + b + "}";
  if (n == "Eu/Eu*") return "N({Eu}) / sqrt(N({Sm}) * N({Gd}))";
  if (n == "Ce/Ce*") return "N({Ce}) / sqrt(N({La}) * N({Pr}))";
  if (n == "LREE") return group_sum(false, false);
  if (n == "HREE") return group_sum(true, false);
  if (n == "TREE") return group_sum(false, true);
  if (n == "HREE/LREE") return group_sum(true, false) + " / " + group_sum(false, false);
  if (n == "HREE/TREE") return group_sum(true, false) + " / " + group_sum(false, true);
  throw Error(ErrorKind::bad_model, "'" + name + "' is not a rare-earth index prospect knows", {},
              "the forms are " + index_forms() +
                  "; any other combination can be written as field: with N(), e.g. "
                  "N(Dy_ppm) / N(Yb_ppm)");
}

std::vector<std::string> index_elements(const std::string& name) {
  const std::string t = index_template(name);
  std::vector<std::string> out;
  for (std::size_t open = t.find('{'); open != std::string::npos; open = t.find('{', open + 1)) {
    const std::string symbol = t.substr(open + 1, t.find('}', open) - open - 1);
    bool seen = false;
    for (const std::string& s : out) seen = seen || s == symbol;
    if (!seen) out.push_back(symbol);
  }
  return out;
}

std::string index_expression(const std::string& name, const std::vector<std::string>& columns) {
  std::map<std::string, std::vector<std::string>> by_element;
  for (const std::string& c : columns)
    if (const auto ec = element_column(c)) by_element[ec->element->symbol].push_back(c);
  std::string missing, twice, found;
  for (const ReferenceElement& e : rare_earth_elements())
    if (by_element.count(e.symbol)) found += (found.empty() ? "" : ", ") + std::string(e.symbol);
  for (const std::string& symbol : index_elements(name)) {
    const auto it = by_element.find(symbol);
    if (it == by_element.end())
      missing += (missing.empty() ? "" : ", ") + symbol;
    else if (it->second.size() > 1)
      twice +=
          (twice.empty() ? "" : "; ") + symbol + " in " + it->second[0] + " and " + it->second[1];
  }
  if (!missing.empty())
    throw Error(ErrorKind::bad_input,
                "the index " + name + " needs a column for " + missing +
                    ", which the layer does not have (it has rare-earth columns for " +
                    (found.empty() ? std::string("none") : found) + ")",
                {},
                "columns are found by the element symbol at the start of their name (Dy, Dy_ppm, "
                "DY (ppb)); rename the column, or write the value you mean as field:");
  if (!twice.empty())
    throw Error(ErrorKind::bad_input,
                "the index " + name + " cannot tell which column to use: " + twice, {},
                "write the expression with the columns you mean as field:, e.g. "
                "N(Dy_ppm) / N(Yb_ppm)");
  std::string t = index_template(name);
  for (std::size_t open = t.find('{'); open != std::string::npos; open = t.find('{', open)) {
    const std::size_t close = t.find('}', open);
    const std::string column = by_element[t.substr(open + 1, close - open - 1)][0];
    const std::string quoted = "\"" + column + "\"";
    t.replace(open, close - open + 1, quoted);
    open += quoted.size();
  }
  return t;
}

}  // namespace prospect
