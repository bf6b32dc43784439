#pragma once
// A weights-of-evidence table (models/wofe.hpp) as a file and on a terminal.

#include <map>
#include <string>

#include "prospect/models/wofe.hpp"

namespace prospect {

// The table as CSV (fixed decimals, so the same counts give the same bytes);
// the last column names each class when `names` has it.
std::string weights_csv(const WeightsTable& table, const std::map<double, std::string>& names = {});
// The table as aligned text for a terminal, with class names when there are any.
std::string weights_text(const WeightsTable& table,
                         const std::map<double, std::string>& names = {});

}  // namespace prospect
