#pragma once
// Assay values as laboratories report them in attribute tables: a number, or
// "<x" for below the detection limit x, taken as x / 2 (the common
// substitution for censored geochemical data, docs/science/geochemistry.md).
// Anything else ("n.d.", "12 ppm") is not a value. IDW reads samples by this
// rule, and `prospect info --stats` counts by it.

#include <string>

namespace prospect {

// Parses one attribute value: a number, "<x" (-> x / 2, sets below_detection), else false.
bool parse_sample_value(const std::string& text, double& value, bool& below_detection);

}  // namespace prospect
