#pragma once
// Where each deposit point falls: on a study-area cell, outside the grid,
// outside the study area, or not a point at all. The study area is a set of
// cells (a cell is in when its centre is inside a polygon), so a deposit near
// the boundary can be inside the polygon yet on an outside cell, or the other
// way round; both are said, since a geologist reading "outside the study area"
// checks the point against the polygon.

#include <cstdint>
#include <string>
#include <vector>

#include "prospect/core/grid.hpp"
#include "prospect/vector/study_area.hpp"
#include "prospect/vector/vector_layer.hpp"

namespace prospect {

enum class DepositPlace { on_cell, not_a_point, outside_grid, outside_study_area };

struct LocatedDeposit {
  long long fid = -1;   // the feature id in its file
  double x = 0, y = 0;  // in the grid CRS (not a point: its envelope's centre)
  std::int64_t col = -1, row = -1;
  DepositPlace place = DepositPlace::on_cell;
  // The point lies in (or on the edge of) a study-area polygon; true without a
  // study area. Differs from place == on_cell only at the boundary.
  bool in_polygon = true;
};

// Every feature of `points`, in file order.
std::vector<LocatedDeposit> locate_deposits(const FeatureSet& points, const AnalysisGrid& grid,
                                            const StudyArea& area);

// Deposits not counted, by reason; "missing evidence" is on a study-area cell
// whose score is nodata.
struct DepositAccount {
  std::size_t read = 0;
  std::size_t counted = 0;
  std::size_t not_points = 0;
  std::size_t outside_grid = 0;
  std::size_t outside_study_area = 0;
  std::size_t outside_cell_in_polygon = 0;  // of outside_study_area: the point is in the polygon
  std::size_t counted_outside_polygon = 0;  // of counted: the point is outside, its cell inside
  std::size_t missing_evidence = 0;
  struct Entry {
    long long fid = -1;
    double x = 0, y = 0;
    std::string reason;  // e.g. "outside the grid"
  };
  std::vector<Entry> not_counted;  // in file order

  std::size_t not_counted_total() const {
    return not_points + outside_grid + outside_study_area + missing_evidence;
  }
  // Adds one deposit; `missing`: on a study-area cell without a score.
  void add(const LocatedDeposit& d, bool missing);
  // "3 of 40 deposits are not counted: 1 outside the grid, ..."; "" when all count.
  std::string summary(const std::string& which) const;
};

}  // namespace prospect
