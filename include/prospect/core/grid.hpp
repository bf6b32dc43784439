#pragma once
// The analysis grid: one per run. Every input is brought onto it.
//
// Conventions (north-up grids only):
//  - (origin_x, origin_y) is the outer top-left corner of cell (col 0, row 0);
//  - cells are square, cell_size in the CRS's linear units;
//  - a cell's coordinate is its centre: x = origin_x + (col + 0.5) * cell_size,
//    y = origin_y - (row + 0.5) * cell_size;
//  - a point on a cell edge belongs to the cell to its right / below it
//    (half-open intervals), matching GDAL's pixel-is-area convention.

#include <array>
#include <cstdint>
#include <string>

namespace prospect {

struct Extent {
  double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
  bool intersects(const Extent& other) const;
  double width() const { return max_x - min_x; }
  double height() const { return max_y - min_y; }
};

class AnalysisGrid {
 public:
  AnalysisGrid() = default;
  // crs: anything PROJ understands (EPSG:32733, WKT, PROJ string); stored as WKT.
  AnalysisGrid(const std::string& crs, double origin_x, double origin_y, double cell_size,
               int width, int height);

  // Smallest grid that covers `extent`, with edges on origin_snap + k * cell_size.
  // Throws Error(bad_model) when it would have more than `max_cells` cells or a
  // side longer than GDAL's raster limit, saying how many it would need.
  static AnalysisGrid covering(const std::string& crs, const Extent& extent, double cell_size,
                               std::array<double, 2> origin_snap = {0.0, 0.0},
                               double max_cells = k_default_max_cells);

  // The most cells a grid may have unless the model file raises it (grid:
  // max_cells): 2e9 cells are 8 GB per Float32 band, hours of work; a larger
  // grid is far more often a cell size in the wrong unit than a real survey.
  static constexpr double k_default_max_cells = 2e9;

  const std::string& crs_wkt() const { return m_crs_wkt; }
  double origin_x() const { return m_origin_x; }
  double origin_y() const { return m_origin_y; }
  double cell_size() const { return m_cell_size; }
  int width() const { return m_width; }
  int height() const { return m_height; }
  std::int64_t cell_count() const { return std::int64_t(m_width) * m_height; }
  double cell_area() const { return m_cell_size * m_cell_size; }
  bool is_geographic() const { return m_geographic; }
  const std::string& linear_unit() const { return m_linear_unit; }
  // Metres per CRS unit (1 for metre grids, 0.3048 for feet); 0 for geographic grids.
  double metres_per_unit() const { return m_metres_per_unit; }
  std::string crs_name() const;

  double center_x(int col) const { return m_origin_x + (col + 0.5) * m_cell_size; }
  double center_y(int row) const { return m_origin_y - (row + 0.5) * m_cell_size; }
  // Column/row containing a coordinate; may lie outside [0, width) / [0, height).
  std::int64_t col_of(double x) const;
  std::int64_t row_of(double y) const;
  bool contains_cell(std::int64_t col, std::int64_t row) const {
    return col >= 0 && row >= 0 && col < m_width && row < m_height;
  }

  Extent extent() const;
  // GDAL geotransform of the whole grid, or of a window starting at (col, row).
  std::array<double, 6> geotransform(int col = 0, int row = 0) const;

 private:
  std::string m_crs_wkt;
  std::string m_linear_unit;
  bool m_geographic = false;
  double m_metres_per_unit = 1;
  double m_origin_x = 0, m_origin_y = 0, m_cell_size = 1;
  int m_width = 0, m_height = 0;
};

// Parses a CRS given as EPSG code, WKT or PROJ string; returns WKT2. Throws
// Error(bad_model) naming `where` when PROJ cannot understand it.
std::string crs_to_wkt(const std::string& user_input, const std::string& where = {});

// Throws Error(bad_model) when a width x height grid exceeds GDAL's int sizes
// or `max_cells`, with the size it would have.
void check_grid_size(double width, double height, double max_cells);

}  // namespace prospect
