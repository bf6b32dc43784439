#pragma once
// Map quicklooks for report.html: a score band read at reduced resolution
// (GDAL picks the COG's overviews), classed like prospectivity.qml by shares
// of the study area, as a PNG with transparent nodata.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "prospect/core/tiles.hpp"
#include "prospect/output/score_classes.hpp"

namespace prospect {

struct LegendEntry {
  std::string colour, label;
};

struct Quicklook {
  int width = 0, height = 0;
  std::string png;                       // PNG file bytes
  std::array<double, 6> geotransform{};  // of the quicklook's pixels, in the raster's CRS
  std::vector<LegendEntry> legend;       // brightest (top of the area) first
};

// The quicklook's pixels over a width x height raster: at most `max_pixels`
// across, each covering about the same number of cells.
struct QuicklookGrid {
  int width = 0, height = 0;
  double cells_per_pixel_x = 1, cells_per_pixel_y = 1;
  QuicklookGrid() = default;
  QuicklookGrid(int raster_width, int raster_height, int max_pixels);
  // Pixel of a cell column or row: the one its centre falls in.
  int pixel_x(int col) const;
  int pixel_y(int row) const;
};

// The quicklook of one band built while the band is scored, so that drawing the
// report need not read the whole raster again when it has no overviews. A pixel
// is the mean of the valid cells whose centres fall in it. Workers sum their
// tiles; the consumer merges them in tile order, so the result does
// not depend on the threads.
class QuicklookSums {
 public:
  QuicklookSums() = default;
  explicit QuicklookSums(const QuicklookGrid& grid);  // the whole raster, empty
  QuicklookSums(const QuicklookGrid& grid, const Window& tile,
                const float* values);     // one tile, NaN skipped
  void merge(const QuicklookSums& tile);  // a tile's sums into the whole raster's
  // Row-major means over `grid`, NaN where no valid cell fell (on a merged whole).
  std::vector<float> means(const QuicklookGrid& grid) const;

 private:
  int m_x0 = 0, m_y0 = 0, m_width = 0, m_height = 0;  // the pixels covered
  std::vector<double> m_sum;
  std::vector<std::uint32_t> m_count;
};

// Draws a quicklook from its pixels' values (NaN: nodata) on `grid`; the raster
// has geotransform `raster_gt` and `raster_width` x `raster_height` cells.
Quicklook draw_quicklook(const QuicklookGrid& grid, const std::array<double, 6>& raster_gt,
                         int raster_width, int raster_height, std::vector<float> values,
                         std::vector<AreaBreak> breaks);

// Band `band` (1-based) of `raster`, at most `max_pixels` across. `breaks`
// (top 50, 25, 10, 5, 1 % of the area) as the style has them; empty: taken
// from the quicklook's own pixels (close to exact: each is an average of cells).
Quicklook render_quicklook(const std::string& raster, int band, int max_pixels,
                           std::vector<AreaBreak> breaks);

// Standard base64 (RFC 4648), for data: URLs.
std::string base64_encode(const std::string& bytes);

}  // namespace prospect
