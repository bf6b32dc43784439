#pragma once
// Exact Euclidean distance from each cell centre to the nearest feature of a
// vector layer (points, line segments, polygon boundaries), in grid units.
// Inside polygons the distance is 0, or minus the distance to the boundary
// when `signed_inside` is set. Lines can be filtered by strike (azimuth of each
// segment, from the geometry). Built once per run and shared by the worker
// threads: reads are const and thread-safe.
//
// Speed without approximation: for each block of 16 x 16 cells, the nearest
// distance d from the block centre bounds every cell's nearest feature to within
// d + half the block diagonal, so only features in that box are measured.

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "prospect/core/grid.hpp"
#include "prospect/core/tiles.hpp"
#include "prospect/spec/inputs.hpp"
#include "prospect/vector/vector_layer.hpp"

namespace prospect {

class DistanceField {
 public:
  DistanceField(const FeatureSet& features, const AnalysisGrid& grid, const DistanceSpec& spec,
                const std::string& source);
  ~DistanceField();
  DistanceField(const DistanceField&) = delete;
  DistanceField& operator=(const DistanceField&) = delete;

  // Distances for the cells of `window`, row by row.
  void compute(const Window& window, float* out) const;

  // Distance from one point, by brute force over every feature (for tests and checks).
  double brute_force(double x, double y) const;

  std::size_t segment_count() const;
  std::size_t point_count() const;

 private:
  struct Index;
  std::unique_ptr<Index> m_index;
  AnalysisGrid m_grid;
  DistanceSpec m_spec;
};

// Azimuth of a segment, degrees clockwise from grid north, folded into [0, 180).
double strike_of(double x0, double y0, double x1, double y1);

}  // namespace prospect
