#pragma once
// The classes of the score style (prospectivity.qml) and of the report's maps:
// one class between consecutive area breaks, labelled with the share of the
// study area each really holds. When scores tie (a WofE map with few unique
// conditions, a fuzzy map where half the cells are exactly 0), a break asked
// at "top 50 %" may start a class that holds 53 % of the cells: the label says
// 53 %, breaks at the same value make one class, and a class no cell can fall
// in (below a break every cell reaches) is left out.

#include <cmath>
#include <string>
#include <vector>

namespace prospect {

// The value from which a score is in the top `percent` % of the study area
// (cells >= value), e.g. {10, 0.71}. `delivered`: the share of cells at or
// above `value` in percent, ties included; NaN when not known (then taken as
// `percent`).
struct AreaBreak {
  double percent = 0;
  double value = 0;
  double delivered = NAN;
};

// The shares of area the score style breaks at, in percent.
inline const std::vector<double>& score_style_percents() {
  static const std::vector<double> percents = {50, 25, 10, 5, 1};
  return percents;
}

// The six viridis colours of the classed score style, darkest (lower 50 %) to brightest (top 1 %).
const std::vector<std::string>& score_class_colours();

struct ScoreClass {
  double from = -INFINITY;  // cells >= from (the lowest class: everything below `to`)
  double to = INFINITY;     // and < to
  std::string label;        // e.g. "top 25–10 % (0.412–0.733)"
  std::string colour;       // the top class is always the brightest
};

// Classes lowest first. A cell equal to a break is in the higher class, as the
// target threshold (>=) has it. Empty when there are no breaks.
std::vector<ScoreClass> score_classes(std::vector<AreaBreak> breaks);

// The index into `classes` of a value (not NaN).
std::size_t score_class_of(const std::vector<ScoreClass>& classes, double value);

}  // namespace prospect
