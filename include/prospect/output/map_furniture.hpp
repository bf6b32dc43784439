#pragma once
// What makes the report's maps readable as maps: grid coordinates on the
// frame, a scale bar, a north arrow and the target zones' ranks. Drawn as SVG
// around and over a quicklook image of width x height pixels placed at (0, 0).

#include <array>
#include <string>
#include <vector>

namespace prospect {

// The room the frame's coordinate labels take around the image, in pixels.
struct MapMargins {
  int left = 62, top = 6, right = 28, bottom = 20;  // right: half of a last x label
};

struct RankLabel {
  int rank = 0;
  double x = 0, y = 0;  // grid CRS
};

struct MapFurniture {
  std::array<double, 6> geotransform{};  // of the image's pixels, in the grid CRS
  int width = 0, height = 0;
  double metres_per_unit = 0;  // 0 or a geographic grid: no scale bar (degrees vary in length)
  bool geographic = false;
  std::vector<RankLabel> ranks;
};

// The SVG elements; the map's viewBox starts at (-left, -top) of MapMargins to show them.
std::string map_furniture_svg(const MapFurniture& map);

// The scale bar's length in metres: 1, 2 or 5 times a power of ten, the
// longest not over `max_metres`.
double scale_bar_metres(double max_metres);

// "500 m", "2 km", "1.5 km".
std::string distance_text(double metres);

}  // namespace prospect
