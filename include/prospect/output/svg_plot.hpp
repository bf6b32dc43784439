#pragma once
// Small line plots as inline SVG for report.html: axes with round-number
// ticks, lines (NaN breaks a line), shaded bands, reference lines and marked
// points, a legend. No scripts, no external fonts: prints and scales cleanly.

#include <string>
#include <vector>

namespace prospect {

struct PlotLine {
  std::string label;   // in the legend ("" = not listed)
  std::string colour;  // CSS colour
  std::vector<double> x, y;
  bool dashed = false;
  bool step = false;  // draw as a step function (cumulative curves)
};

struct PlotBand {  // a shaded range, e.g. a confidence band
  std::string label, colour;
  std::vector<double> x, low, high;
};

struct PlotMark {  // a labelled point, e.g. the P-A intersection
  double x = 0, y = 0;
  std::string label;
};

struct PlotSpec {
  std::string title, x_label, y_label;
  double x_min = 0, x_max = 1, y_min = 0, y_max = 1;
  bool fit_y = false;  // y range from the data (y_min kept)
  std::vector<PlotBand> bands;
  std::vector<PlotLine> lines;
  std::vector<PlotMark> marks;
  bool log_x = false;  // x on a log10 scale (x_min > 0), for probabilities spanning decades
  std::vector<double> x_ticks;    // empty: round values (class codes give their own)
  int width = 440, height = 300;  // of the plot; the legend adds rows below
};

std::string svg_plot(const PlotSpec& spec);

// Round tick values covering [lo, hi], about `count` of them (1, 2 or 5 times a power of ten).
std::vector<double> nice_ticks(double lo, double hi, int count);

// A number for display with `digits` significant digits, no trailing zeros;
// from 10 000 on, a whole number with thin spaces between thousands (12 345).
std::string format_number(double value, int digits = 3);

}  // namespace prospect
