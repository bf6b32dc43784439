#include "prospect/output/map_furniture.hpp"

#include <cmath>
#include <cstdio>

#include "prospect/output/svg_plot.hpp"

namespace prospect {
namespace {

std::string px(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string coordinate_label(double v, bool geographic) {
  if (geographic) return format_number(v, 6) + "°";
  return format_number(v, 10);  // whole metres, thin-space groups: 7 750 000
}

}  // namespace

double scale_bar_metres(double max_metres) {
  if (!(max_metres > 0)) return 0;
  const double power = std::pow(10.0, std::floor(std::log10(max_metres)));
  for (double m : {5.0, 2.0, 1.0})
    if (m * power <= max_metres * (1 + 1e-12)) return m * power;
  return power;
}

std::string distance_text(double metres) {
  if (metres >= 1000) return format_number(metres / 1000, 3) + " km";
  return format_number(metres, 3) + " m";
}

std::string map_furniture_svg(const MapFurniture& map) {
  const auto& gt = map.geotransform;
  const double w = map.width, h = map.height;
  auto to_x = [&](double gx) { return (gx - gt[0]) / gt[1]; };
  auto to_y = [&](double gy) { return (gy - gt[3]) / gt[5]; };
  std::string svg = "<g class=\"frame\">";
  // Coordinates along the bottom and left edges, at round values.
  const double x0 = gt[0], x1 = gt[0] + w * gt[1];
  const double y1 = gt[3], y0 = gt[3] + h * gt[5];
  for (double t : nice_ticks(x0, x1, 4)) {
    const double x = to_x(t);
    if (x < 0 || x > w) continue;
    svg += "<line x1=\"" + px(x) + "\" y1=\"" + px(h) + "\" x2=\"" + px(x) + "\" y2=\"" +
           px(h + 4) + "\"/><text x=\"" + px(x) + "\" y=\"" + px(h + 15) +
           "\" text-anchor=\"middle\">" + coordinate_label(t, map.geographic) + "</text>";
  }
  for (double t : nice_ticks(y0, y1, 4)) {
    const double y = to_y(t);
    if (y < 0 || y > h) continue;
    svg += "<line x1=\"-4\" y1=\"" + px(y) + "\" x2=\"0\" y2=\"" + px(y) +
           "\"/><text x=\"-6\" y=\"" + px(y + 3.5) + "\" text-anchor=\"end\">" +
           coordinate_label(t, map.geographic) + "</text>";
  }
  svg += "</g>\n";

  // North arrow, top right: the grid's north (up).
  svg += "<g class=\"north\" transform=\"translate(" + px(w - 16) +
         ",8)\"><path d=\"M0,0L7,18L0,14L-7,18Z\"/><text x=\"0\" y=\"30\" "
         "text-anchor=\"middle\">N</text></g>\n";

  // Scale bar, bottom left: at most a quarter of the map's width.
  const double metres_per_pixel = std::abs(gt[1]) * map.metres_per_unit;
  if (!map.geographic && metres_per_pixel > 0) {
    const double metres = scale_bar_metres(w / 4 * metres_per_pixel);
    const double length = metres / metres_per_pixel;
    const double left = 10, base = h - 10;
    svg += "<g class=\"scale\"><rect class=\"scale-back\" x=\"" + px(left - 5) + "\" y=\"" +
           px(base - 20) + "\" width=\"" + px(length + 10) + "\" height=\"26\"/>" +
           "<rect class=\"scale-bar\" x=\"" + px(left) + "\" y=\"" + px(base - 4) + "\" width=\"" +
           px(length) + "\" height=\"4\"/><text x=\"" + px(left + length / 2) + "\" y=\"" +
           px(base - 8) + "\" text-anchor=\"middle\">" + distance_text(metres) + "</text></g>\n";
  }

  // Target ranks at the zones' centroids.
  for (const RankLabel& r : map.ranks) {
    const double x = to_x(r.x), y = to_y(r.y);
    if (x < 0 || y < 0 || x > w || y > h) continue;
    svg += "<text class=\"rank\" x=\"" + px(x) + "\" y=\"" + px(y + 4) +
           "\" text-anchor=\"middle\">" + std::to_string(r.rank) + "</text>";
  }
  if (!map.ranks.empty()) svg += "\n";
  return svg;
}

}  // namespace prospect
