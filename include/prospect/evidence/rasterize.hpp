#pragma once
// Vector features burnt onto the grid: lithology or alteration polygons as
// class codes (with a class table carried into the outputs as category names),
// or the presence of lines and points (1 where a feature falls, else 0).
//
// Cell rule (GDAL's rasterizer): a polygon takes the cells whose centre is
// inside; a line takes every cell it passes through; a point takes its cell.
// With all_touched, polygons take every cell they touch. Where features
// overlap, the later feature in the layer wins. Cells with no feature get the
// background (0 unless set; NaN makes them missing evidence).

#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "prospect/core/grid.hpp"
#include "prospect/core/tiles.hpp"
#include "prospect/spec/inputs.hpp"
#include "prospect/vector/vector_layer.hpp"

namespace prospect {

struct CategoryClass {
  int code = 0;
  std::string name;
};

class RasterizedLayer {
 public:
  // Reads the layer (grid CRS). Codes come from `classes`; else from an integer
  // field's values; else (text field) 1, 2, ... in sorted order of the names.
  // Throws Error(bad_input) for features whose class is not in `classes`, or
  // integer classes outside 0..65535.
  RasterizedLayer(const VectorInput& input, const RasterizeSpec& spec, const AnalysisGrid& grid);
  ~RasterizedLayer();
  RasterizedLayer(const RasterizedLayer&) = delete;
  RasterizedLayer& operator=(const RasterizedLayer&) = delete;

  void compute(const Window& window, float* out) const;  // thread-safe

  // The class table by code (presence: {0 "absent", 1 "present"}).
  const std::vector<CategoryClass>& classes() const { return m_classes; }
  std::size_t feature_count() const { return m_features.geometries.size(); }
  long long skipped_without_class() const { return m_skipped; }
  // Class names whose bytes were not UTF-8 or held control characters (now U+FFFD).
  std::size_t cleaned_class_names() const { return m_cleaned_names.size(); }

 private:
  struct Index;
  std::unique_ptr<Index> m_index;
  FeatureSet m_features;
  std::vector<double> m_burn;  // one per geometry
  std::vector<CategoryClass> m_classes;
  AnalysisGrid m_grid;
  RasterizeSpec m_spec;
  long long m_skipped = 0;
  std::set<std::string> m_cleaned_names;
};

}  // namespace prospect
