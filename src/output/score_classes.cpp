#include "prospect/output/score_classes.hpp"

#include <algorithm>
#include <cstdio>

namespace prospect {

const std::vector<std::string>& score_class_colours() {
  // Viridis (van der Walt and Smith, matplotlib 2015), evenly spaced stops.
  static const std::vector<std::string> colours = {"#440154", "#414487", "#2a788e",
                                                   "#22a884", "#7ad151", "#fde725"};
  return colours;
}

namespace {

std::string with_digits(double v, int digits) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

// The shortest texts (3 to 9 significant digits) that tell neighbouring
// values apart, so no class reads "0.0312–0.0312".
std::vector<std::string> distinct_texts(const std::vector<double>& ascending) {
  std::vector<std::string> texts;
  for (int digits = 3; digits <= 9; ++digits) {
    texts.clear();
    for (double v : ascending) texts.push_back(with_digits(v, digits));
    if (std::adjacent_find(texts.begin(), texts.end()) == texts.end()) break;
  }
  return texts;
}

std::string percent_text(double p) { return with_digits(p, 3); }

}  // namespace

std::vector<ScoreClass> score_classes(std::vector<AreaBreak> breaks) {
  std::vector<ScoreClass> classes;
  if (breaks.empty()) return classes;
  for (AreaBreak& b : breaks)
    if (std::isnan(b.delivered)) b.delivered = b.percent;
  // Compared as the float the raster holds, the way QGIS and the threshold see a cell.
  for (AreaBreak& b : breaks) b.value = double(float(b.value));
  std::sort(breaks.begin(), breaks.end(), [](const AreaBreak& a, const AreaBreak& b) {
    return a.value != b.value ? a.value < b.value : a.delivered > b.delivered;
  });
  // Breaks at one value are one break: every cell at or above it, whatever was asked.
  breaks.erase(
      std::unique(breaks.begin(), breaks.end(),
                  [](const AreaBreak& a, const AreaBreak& b) { return a.value == b.value; }),
      breaks.end());
  std::vector<double> values;
  for (const AreaBreak& b : breaks) values.push_back(b.value);
  const std::vector<std::string> texts = distinct_texts(values);

  // Below the first break: empty when every cell reaches it (ties at the bottom).
  if (breaks.front().delivered < 100)
    classes.push_back(
        {-INFINITY, breaks.front().value,
         "lower " + percent_text(100 - breaks.front().delivered) + " % (< " + texts.front() + ")",
         ""});
  for (std::size_t i = 0; i < breaks.size(); ++i) {
    const bool top = i + 1 == breaks.size();
    const double from_share = breaks[i].delivered;
    ScoreClass c;
    c.from = breaks[i].value;
    c.to = top ? INFINITY : breaks[i + 1].value;
    if (top)
      c.label = "top " + percent_text(from_share) + " % (≥ " + texts[i] + ")";
    else if (from_share >= 100)
      c.label = "lower " + percent_text(100 - breaks[i + 1].delivered) + " % (" + texts[i] + "–" +
                texts[i + 1] + ")";
    else
      c.label = "top " + percent_text(from_share) + "–" + percent_text(breaks[i + 1].delivered) +
                " % (" + texts[i] + "–" + texts[i + 1] + ")";
    classes.push_back(c);
  }
  // Fewer classes skip the dark end: the top class is always the brightest.
  const auto& colours = score_class_colours();
  const std::size_t skip = colours.size() - std::min(classes.size(), colours.size());
  for (std::size_t k = 0; k < classes.size(); ++k)
    classes[k].colour = colours[std::min(skip + k, colours.size() - 1)];
  return classes;
}

std::size_t score_class_of(const std::vector<ScoreClass>& classes, double value) {
  std::size_t k = 0;
  while (k + 1 < classes.size() && value >= classes[k + 1].from) ++k;
  return k;
}

}  // namespace prospect
