#include "prospect/core/grid.hpp"

#include <ogr_spatialref.h>

#include <cmath>
#include <cstdio>
#include <limits>

#include "prospect/core/error.hpp"

namespace prospect {

bool Extent::intersects(const Extent& o) const {
  return min_x < o.max_x && o.min_x < max_x && min_y < o.max_y && o.min_y < max_y;
}

std::string crs_to_wkt(const std::string& user_input, const std::string& where) {
  OGRSpatialReference srs;
  if (user_input.empty() || srs.SetFromUserInput(user_input.c_str()) != OGRERR_NONE) {
    ErrorContext c;
    c.file = where;
    c.step = "reading the coordinate reference system";
    throw Error(ErrorKind::bad_model, "'" + user_input + "' is not a CRS that PROJ understands", c,
                "give an EPSG code such as EPSG:32733, a WKT string or a PROJ string");
  }
  char* wkt = nullptr;
  const char* options[] = {"FORMAT=WKT2_2019", nullptr};
  srs.exportToWkt(&wkt, options);
  std::string out = wkt ? wkt : "";
  CPLFree(wkt);
  return out;
}

AnalysisGrid::AnalysisGrid(const std::string& crs, double origin_x, double origin_y,
                           double cell_size, int width, int height)
    : m_origin_x(origin_x),
      m_origin_y(origin_y),
      m_cell_size(cell_size),
      m_width(width),
      m_height(height) {
  if (!(cell_size > 0) || !std::isfinite(cell_size))
    throw Error(ErrorKind::bad_model, "the grid cell size must be a positive number");
  if (width <= 0 || height <= 0)
    throw Error(ErrorKind::bad_model, "the grid is empty (" + std::to_string(width) + " x " +
                                          std::to_string(height) + " cells)");
  m_crs_wkt = crs_to_wkt(crs);
  OGRSpatialReference srs;
  srs.SetFromUserInput(m_crs_wkt.c_str());
  m_geographic = srs.IsGeographic();
  const char* unit = nullptr;
  if (m_geographic) {
    srs.GetAngularUnits(&unit);
    m_metres_per_unit = 0;
  } else {
    m_metres_per_unit = srs.GetLinearUnits(&unit);
  }
  m_linear_unit = unit ? unit : "unknown";
}

void check_grid_size(double width, double height, double max_cells) {
  char size[160];
  std::snprintf(size, sizeof size, "%.0f x %.0f = %.4g cells", width, height, width * height);
  if (!(width <= std::numeric_limits<int>::max() && height <= std::numeric_limits<int>::max()))
    throw Error(ErrorKind::bad_model,
                std::string("the grid would be ") + size + ", wider or taller than " +
                    std::to_string(std::numeric_limits<int>::max()) + " cells",
                {},
                "check the extent and that the cell size is in the CRS's units (metres, not km)");
  if (!(width * height <= max_cells)) {
    char limit[64];
    std::snprintf(limit, sizeof limit, "%.4g", max_cells);
    throw Error(ErrorKind::bad_model,
                std::string("the grid would be ") + size + ", more than the limit of " + limit, {},
                "check the extent and the cell size's unit; if the grid is meant, raise the limit "
                "with grid: max_cells: <cells>");
  }
}

AnalysisGrid AnalysisGrid::covering(const std::string& crs, const Extent& e, double cell_size,
                                    std::array<double, 2> snap, double max_cells) {
  if (!(cell_size > 0) || !std::isfinite(cell_size))
    throw Error(ErrorKind::bad_model, "the grid cell size must be a positive number");
  if (!std::isfinite(e.min_x) || !std::isfinite(e.min_y) || !std::isfinite(e.max_x) ||
      !std::isfinite(e.max_y))
    throw Error(ErrorKind::bad_model, "the grid extent is not finite");
  if (!(e.max_x > e.min_x) || !(e.max_y > e.min_y))
    throw Error(ErrorKind::bad_model, "the grid extent is empty (max must be greater than min)");
  // Snap outwards; the small tolerance keeps an extent that already sits on the
  // lattice from growing by a cell through rounding noise.
  const double tol = 1e-9;
  const double left = snap[0] + std::floor((e.min_x - snap[0]) / cell_size + tol) * cell_size;
  const double right = snap[0] + std::ceil((e.max_x - snap[0]) / cell_size - tol) * cell_size;
  const double bottom = snap[1] + std::floor((e.min_y - snap[1]) / cell_size + tol) * cell_size;
  const double top = snap[1] + std::ceil((e.max_y - snap[1]) / cell_size - tol) * cell_size;
  // In double until the sizes are known to fit an int (GDAL's raster sizes are ints).
  const double w = std::round((right - left) / cell_size);
  const double h = std::round((top - bottom) / cell_size);
  check_grid_size(w, h, max_cells);
  return AnalysisGrid(crs, left, top, cell_size, int(w), int(h));
}

std::string AnalysisGrid::crs_name() const {
  OGRSpatialReference srs;
  srs.SetFromUserInput(m_crs_wkt.c_str());
  std::string name = srs.GetName() ? srs.GetName() : "unknown";
  const char* auth = srs.GetAuthorityName(nullptr);
  const char* code = srs.GetAuthorityCode(nullptr);
  if (auth && code) name += std::string(" (") + auth + ":" + code + ")";
  return name;
}

std::int64_t AnalysisGrid::col_of(double x) const {
  return std::int64_t(std::floor((x - m_origin_x) / m_cell_size));
}

std::int64_t AnalysisGrid::row_of(double y) const {
  return std::int64_t(std::floor((m_origin_y - y) / m_cell_size));
}

Extent AnalysisGrid::extent() const {
  return {m_origin_x, m_origin_y - m_height * m_cell_size, m_origin_x + m_width * m_cell_size,
          m_origin_y};
}

std::array<double, 6> AnalysisGrid::geotransform(int col, int row) const {
  return {m_origin_x + col * m_cell_size, m_cell_size, 0.0,
          m_origin_y - row * m_cell_size, 0.0,         -m_cell_size};
}

}  // namespace prospect
