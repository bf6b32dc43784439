#pragma once
// Line and point density with a circular kernel: for each cell centre, the total
// length of lines (or the number of points) within `radius`, divided by the
// kernel's area. Lengths are exact (each segment clipped to the circle), so the
// value does not depend on the cell size. Units: with a grid in metres (or any
// linear unit), lines give km per km² and points give points per km²; a
// geographic grid is refused. Polygon inputs count their boundaries as lines.
// The kernel is uniform (each length or point counts fully inside the circle),
// the "simple" density of GIS packages; a wider radius smooths more.

#include <memory>

#include "prospect/core/grid.hpp"
#include "prospect/core/tiles.hpp"
#include "prospect/spec/inputs.hpp"
#include "prospect/vector/vector_layer.hpp"

namespace prospect {

class DensityField {
 public:
  DensityField(const FeatureSet& features, const AnalysisGrid& grid, const DensitySpec& spec,
               const std::string& source);
  ~DensityField();
  DensityField(const DensityField&) = delete;
  DensityField& operator=(const DensityField&) = delete;

  void compute(const Window& window, float* out) const;  // thread-safe
  double brute_force(double x, double y) const;          // for tests and checks
  std::size_t segment_count() const;
  std::size_t point_count() const;
  bool counts_points() const;  // points only: per km² counts, else km per km²

 private:
  struct Index;
  std::unique_ptr<Index> m_index;
  AnalysisGrid m_grid;
  DensitySpec m_spec;
  double m_scale = 1;  // from (length or count) / kernel area in grid units to per km²
};

// Length of the segment (x0, y0)-(x1, y1) inside the circle of radius r around (cx, cy).
double segment_length_in_circle(double x0, double y0, double x1, double y1, double cx, double cy,
                                double r);

}  // namespace prospect
