#pragma once
// The study area: which grid cells take part. A cell is inside when its centre
// lies inside a study-area polygon (GDAL's default rasterization rule), or every
// cell when the model names no study area. Cells outside are excluded from
// every statistic and written as nodata.

#include <optional>

#include "prospect/core/grid.hpp"
#include "prospect/core/tiles.hpp"
#include "prospect/vector/vector_layer.hpp"

namespace prospect {

class StudyArea {
 public:
  explicit StudyArea(const AnalysisGrid& grid);  // the whole grid
  StudyArea(const AnalysisGrid& grid, FeatureSet polygons, const std::string& source);

  // inside[i] = 1 for cells of `window` in the study area, else 0. Thread-safe.
  void mask(const Window& window, unsigned char* inside) const;

  bool whole_grid() const { return !m_polygons.has_value(); }
  const FeatureSet* polygons() const { return m_polygons ? &*m_polygons : nullptr; }

 private:
  AnalysisGrid m_grid;
  std::optional<FeatureSet> m_polygons;
};

}  // namespace prospect
