#include "prospect/output/svg_plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "prospect/output/qml.hpp"

namespace prospect {

std::vector<double> nice_ticks(double lo, double hi, int count) {
  std::vector<double> ticks;
  if (!(hi > lo) || count < 1) return {lo};
  // The 1, 2 or 5 times a power of ten that gives closest to `count` steps.
  const double power = std::pow(10.0, std::floor(std::log10((hi - lo) / count)));
  double step = power, best = 1e300;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    const double miss = std::abs((hi - lo) / (m * power) - count);
    if (miss < best) {
      best = miss;
      step = m * power;
    }
  }
  for (double k = std::ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; ++k)
    ticks.push_back(k * step + 0.0);
  return ticks;
}

std::string format_number(double v, int digits) {
  if (std::isnan(v)) return "–";
  if (std::isinf(v)) return v > 0 ? "∞" : "−∞";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  // Whole numbers are written whole: 1010, not 1.01e+03 (%g's exponent from 10^digits on).
  const bool exponent = std::string(buf).find('e') != std::string::npos;
  if ((std::abs(v) >= 1e4 || (exponent && std::abs(v) >= 1)) && std::abs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", std::abs(v));
    std::string digits_text = buf, out;
    const bool group = digits_text.size() > 4;  // 1500, but 12 345 (as SI writes them)
    for (std::size_t i = 0; i < digits_text.size(); ++i) {
      if (group && i > 0 && (digits_text.size() - i) % 3 == 0) out += "\u2009";  // thin space
      out += digits_text[i];
    }
    return (v < 0 ? "-" : "") + out;
  }
  return buf;
}

namespace {

std::string fixed(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

}  // namespace

std::string svg_plot(const PlotSpec& spec) {
  const double left = 58, right = 12, top = spec.title.empty() ? 12 : 30, bottom = 46;
  const double w = spec.width - left - right, h = spec.height - top - bottom;
  std::size_t entries = 0;
  for (const PlotLine& l : spec.lines) entries += !l.label.empty();
  for (const PlotBand& b : spec.bands) entries += !b.label.empty();
  const int total_height = spec.height + int(entries) * 15 + (entries ? 4 : 0);
  double y_max = spec.y_max;
  if (spec.fit_y) {
    y_max = spec.y_min;
    for (const auto& l : spec.lines)
      for (double v : l.y)
        if (std::isfinite(v)) y_max = std::max(y_max, v);
    for (const auto& b : spec.bands)
      for (double v : b.high)
        if (std::isfinite(v)) y_max = std::max(y_max, v);
    if (!(y_max > spec.y_min)) y_max = spec.y_min + 1;
    y_max = spec.y_min + (y_max - spec.y_min) * 1.05;
  }
  const bool log_x = spec.log_x && spec.x_min > 0 && spec.x_max > spec.x_min;
  auto tx = [&](double x) { return log_x ? std::log10(std::max(x, spec.x_min)) : x; };
  const double x0 = tx(spec.x_min), x1 = spec.x_max > spec.x_min ? tx(spec.x_max) : x0 + 1;
  auto px = [&](double x) { return left + (std::clamp(tx(x), x0, x1) - x0) / (x1 - x0) * w; };
  auto py = [&](double y) {
    return top + h - (std::clamp(y, spec.y_min, y_max) - spec.y_min) / (y_max - spec.y_min) * h;
  };

  std::string s = "<svg class=\"plot\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
                  std::to_string(spec.width) + " " + std::to_string(total_height) + "\" width=\"" +
                  std::to_string(spec.width) + "\" height=\"" + std::to_string(total_height) +
                  "\" role=\"img\" aria-label=\"" + xml_escape(spec.title) + "\">\n";
  if (!spec.title.empty())
    s += "<text x=\"" + fixed(left) + "\" y=\"18\" class=\"plot-title\">" + xml_escape(spec.title) +
         "</text>\n";
  // Grid and ticks.
  std::vector<double> x_ticks = spec.x_ticks;
  if (!x_ticks.empty()) {
    // as given
  } else if (log_x) {  // powers of ten
    for (double e = std::ceil(x0 - 1e-9); e <= x1 + 1e-9; ++e) x_ticks.push_back(std::pow(10.0, e));
  } else {
    x_ticks = nice_ticks(x0, x1, 5);
  }
  for (double t : x_ticks) {
    s += "<line class=\"grid\" x1=\"" + fixed(px(t)) + "\" x2=\"" + fixed(px(t)) + "\" y1=\"" +
         fixed(top) + "\" y2=\"" + fixed(top + h) + "\"/>";
    s += "<text class=\"tick\" text-anchor=\"middle\" x=\"" + fixed(px(t)) + "\" y=\"" +
         fixed(top + h + 14) + "\">" + format_number(t, 4) + "</text>\n";
  }
  for (double t : nice_ticks(spec.y_min, y_max, 5)) {
    s += "<line class=\"grid\" x1=\"" + fixed(left) + "\" x2=\"" + fixed(left + w) + "\" y1=\"" +
         fixed(py(t)) + "\" y2=\"" + fixed(py(t)) + "\"/>";
    s += "<text class=\"tick\" text-anchor=\"end\" x=\"" + fixed(left - 5) + "\" y=\"" +
         fixed(py(t) + 4) + "\">" + format_number(t, 4) + "</text>\n";
  }
  s += "<rect class=\"frame\" x=\"" + fixed(left) + "\" y=\"" + fixed(top) + "\" width=\"" +
       fixed(w) + "\" height=\"" + fixed(h) + "\"/>\n";
  s += "<text class=\"axis\" text-anchor=\"middle\" x=\"" + fixed(left + w / 2) + "\" y=\"" +
       fixed(spec.height - 8) + "\">" + xml_escape(spec.x_label) + "</text>\n";
  s += "<text class=\"axis\" text-anchor=\"middle\" transform=\"translate(14 " +
       fixed(top + h / 2) + ") rotate(-90)\">" + xml_escape(spec.y_label) + "</text>\n";

  for (const PlotBand& b : spec.bands) {  // one polygon per run of finite values
    std::size_t i = 0;
    while (i < b.x.size()) {
      while (i < b.x.size() && !(std::isfinite(b.low[i]) && std::isfinite(b.high[i]))) ++i;
      std::size_t j = i;
      while (j < b.x.size() && std::isfinite(b.low[j]) && std::isfinite(b.high[j])) ++j;
      if (j > i + 1) {
        std::string points;
        for (std::size_t k = i; k < j; ++k)
          points += fixed(px(b.x[k])) + "," + fixed(py(b.high[k])) + " ";
        for (std::size_t k = j; k-- > i;)
          points += fixed(px(b.x[k])) + "," + fixed(py(b.low[k])) + " ";
        s += "<polygon fill=\"" + b.colour + "\" fill-opacity=\"0.25\" stroke=\"none\" points=\"" +
             points + "\"/>\n";
      }
      i = j;
    }
  }
  for (const PlotLine& l : spec.lines) {
    std::string d;
    bool pen = false;
    double last_y = 0;
    for (std::size_t i = 0; i < l.x.size(); ++i) {
      if (!std::isfinite(l.y[i]) || !std::isfinite(l.x[i])) {
        pen = false;
        continue;
      }
      if (pen && l.step) d += "L" + fixed(px(l.x[i])) + "," + fixed(py(last_y));
      d += (pen ? "L" : "M") + fixed(px(l.x[i])) + "," + fixed(py(l.y[i]));
      pen = true;
      last_y = l.y[i];
    }
    if (d.empty()) continue;
    s += "<path fill=\"none\" stroke=\"" + l.colour + "\" stroke-width=\"2\"" +
         (l.dashed ? " stroke-dasharray=\"5 4\"" : "") + " d=\"" + d + "\"/>\n";
  }
  for (const PlotMark& m : spec.marks) {
    s += "<circle class=\"mark\" cx=\"" + fixed(px(m.x)) + "\" cy=\"" + fixed(py(m.y)) +
         "\" r=\"4\"/>";
    const bool right_half = px(m.x) > left + w / 2;  // label towards the middle of the plot
    s += "<text class=\"mark-label\" text-anchor=\"" + std::string(right_half ? "end" : "start") +
         "\" x=\"" + fixed(px(m.x) + (right_half ? -7 : 7)) + "\" y=\"" + fixed(py(m.y) + 16) +
         "\">" + xml_escape(m.label) + "</text>\n";
  }
  // Legend below the plot, where it can never hide a curve.
  const double lx = left;
  double ly = spec.height + 10;
  auto legend = [&](const std::string& label, const std::string& colour, bool dashed, bool box) {
    if (label.empty()) return;
    if (box)
      s += "<rect x=\"" + fixed(lx) + "\" y=\"" + fixed(ly - 8) +
           "\" width=\"18\" height=\"9\" fill=\"" + colour + "\" fill-opacity=\"0.25\"/>";
    else
      s += "<line x1=\"" + fixed(lx) + "\" x2=\"" + fixed(lx + 18) + "\" y1=\"" + fixed(ly - 4) +
           "\" y2=\"" + fixed(ly - 4) + "\" stroke=\"" + colour + "\" stroke-width=\"2\"" +
           (dashed ? " stroke-dasharray=\"5 4\"" : "") + "/>";
    s += "<text class=\"legend\" x=\"" + fixed(lx + 23) + "\" y=\"" + fixed(ly) + "\">" +
         xml_escape(label) + "</text>\n";
    ly += 15;
  };
  for (const PlotLine& l : spec.lines) legend(l.label, l.colour, l.dashed, false);
  for (const PlotBand& b : spec.bands) legend(b.label, b.colour, false, true);
  s += "</svg>\n";
  return s;
}

}  // namespace prospect
