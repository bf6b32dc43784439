#include "prospect/core/sample_value.hpp"

#include <cmath>
#include <exception>

namespace prospect {

bool parse_sample_value(const std::string& raw, double& value, bool& below) {
  std::string t = raw;
  t.erase(0, t.find_first_not_of(" \t"));
  t.erase(t.find_last_not_of(" \t") + 1);
  below = false;
  if (!t.empty() && t[0] == '<') {
    below = true;
    t = t.substr(1);
  }
  if (t.empty()) return false;
  try {
    std::size_t used = 0;
    const double v = std::stod(t, &used);
    if (used != t.size() || !std::isfinite(v)) return false;
    value = below ? v / 2.0 : v;
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace prospect
