#include "yaml_reader.hpp"

#include <cmath>

#include "prospect/config/suggest.hpp"

namespace prospect::config {

void YamlReader::fail(const YAML::Node& at, const std::string& problem,
                      const std::string& hint) const {
  ErrorContext c;
  c.file = m_file;
  const YAML::Mark mark = at.Mark();
  if (!mark.is_null()) {
    c.line = mark.line + 1;
    c.column = mark.column + 1;
  }
  throw Error(ErrorKind::bad_model, problem, c, hint);
}

void YamlReader::check_keys(const YAML::Node& map, const std::string& section,
                            const std::vector<std::string>& allowed) const {
  for (const auto& item : map) {
    const std::string key = item.first.as<std::string>();
    bool known = false;
    for (const auto& a : allowed) known = known || a == key;
    if (known) continue;
    const std::string guess = closest_match(key, allowed);
    std::string valid;
    for (const auto& a : allowed) valid += (valid.empty() ? "" : ", ") + a;
    fail(item.first,
         "unknown key '" + key + "' in " + section +
             (guess.empty() ? "" : "; did you mean '" + guess + "'?"),
         "keys allowed here: " + valid);
  }
}

void YamlReader::require_map(const YAML::Node& node, const std::string& what) const {
  if (!node.IsMap()) fail(node, what + " must be a mapping of 'key: value' lines");
}

void YamlReader::require_sequence(const YAML::Node& node, const std::string& what) const {
  if (!node.IsSequence()) fail(node, what + " must be a list, e.g. [a, b] or '- a' lines");
}

std::string YamlReader::text(const YAML::Node& node, const std::string& what) const {
  if (!node.IsScalar()) fail(node, what + " must be a single value");
  return node.Scalar();
}

double YamlReader::number(const YAML::Node& node, const std::string& what) const {
  if (!node.IsScalar()) fail(node, what + " must be a number");
  const std::string& s = node.Scalar();
  try {
    std::size_t used = 0;
    const double v = std::stod(s, &used);
    if (used != s.size() || !std::isfinite(v)) throw std::invalid_argument(s);
    return v;
  } catch (const std::exception&) {
    fail(node, what + " must be a number, not '" + s + "'");
  }
}

long long YamlReader::integer(const YAML::Node& node, const std::string& what) const {
  const double v = number(node, what);
  if (v != std::floor(v)) fail(node, what + " must be a whole number");
  return (long long)v;
}

std::vector<double> YamlReader::numbers(const YAML::Node& node, const std::string& what,
                                        std::size_t count) const {
  if (!node.IsSequence() || node.size() != count)
    fail(node, what + " must be a list of " + std::to_string(count) + " numbers");
  std::vector<double> out;
  for (const auto& n : node) out.push_back(number(n, what));
  return out;
}

}  // namespace prospect::config
