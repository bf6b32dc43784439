#pragma once
// Map quicklooks for report.html: a score band read at reduced resolution
// (GDAL picks the COG's overviews), classed like prospectivity.qml by shares
// of the study area, as a PNG with transparent nodata.

#include <array>
#include <string>
#include <vector>

#include "prospect/output/qml.hpp"

namespace prospect {

struct LegendEntry {
  std::string colour, label;
};

struct Quicklook {
  int width = 0, height = 0;
  std::string png;                    // PNG file bytes
  std::array<double, 6> geotransform{};  // of the quicklook's pixels, in the raster's CRS
  std::vector<LegendEntry> legend;    // brightest (top of the area) first
};

// Band `band` (1-based) of `raster`, at most `max_pixels` across. `breaks`
// (top 50, 25, 10, 5, 1 % of the area) as the style has them; empty: taken
// from the quicklook's own pixels (close to exact: each is an average of cells).
Quicklook render_quicklook(const std::string& raster, int band, int max_pixels, std::vector<AreaBreak> breaks);

// Standard base64 (RFC 4648), for data: URLs.
std::string base64_encode(const std::string& bytes);

}  // namespace prospect
