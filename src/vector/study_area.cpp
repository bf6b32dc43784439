#include "prospect/vector/study_area.hpp"

#include <algorithm>
#include <cstring>

#include "prospect/vector/cell_mask.hpp"

namespace prospect {

StudyArea::StudyArea(const AnalysisGrid& grid) : m_grid(grid) {}

StudyArea::StudyArea(const AnalysisGrid& grid, FeatureSet polygons, const std::string& source)
    : m_grid(grid) {
  ErrorContext c;
  c.file = source;
  c.layer = polygons.layer_name;
  c.step = "reading the study area";
  if (polygons.geometries.empty())
    throw Error(ErrorKind::bad_input, "holds no features (after the filter, if any)", c,
                "check the file and the 'where' filter of study_area");
  for (const auto& g : polygons.geometries) {
    const auto type = wkbFlatten(g->getGeometryType());
    if (type != wkbPolygon && type != wkbMultiPolygon && type != wkbGeometryCollection)
      throw Error(ErrorKind::bad_input,
                  std::string("holds ") + OGRGeometryTypeToName(g->getGeometryType()) +
                      " geometries; a study area must be polygons",
                  c);
  }
  if (!polygons.extent.intersects(grid.extent()))
    throw Error(ErrorKind::bad_input, "does not overlap the analysis grid", c,
                "check the grid extent and the study area's CRS");
  m_polygons = std::move(polygons);
}

void StudyArea::mask(const Window& w, unsigned char* inside) const {
  const std::size_t n = w.cell_count();
  if (!m_polygons) {
    std::memset(inside, 1, n);
    return;
  }
  mark_cells_inside(m_grid, w, m_polygons->geometries, m_polygons->envelopes, inside);
}

}  // namespace prospect
