#include "prospect/vector/deposit_places.hpp"

#include <ogr_geometry.h>

namespace prospect {
namespace {

bool in_any_polygon(const FeatureSet& polygons, const OGRPoint& p) {
  for (std::size_t i = 0; i < polygons.geometries.size(); ++i) {
    const OGREnvelope& e = polygons.envelopes[i];
    if (p.getX() < e.MinX || p.getX() > e.MaxX || p.getY() < e.MinY || p.getY() > e.MaxY) continue;
    if (polygons.geometries[i]->Intersects(&p)) return true;  // the edge counts as in
  }
  return false;
}

}  // namespace

std::vector<LocatedDeposit> locate_deposits(const FeatureSet& points, const AnalysisGrid& grid,
                                            const StudyArea& area) {
  std::vector<LocatedDeposit> out;
  out.reserve(points.geometries.size());
  for (std::size_t i = 0; i < points.geometries.size(); ++i) {
    const OGRGeometry& g = *points.geometries[i];
    LocatedDeposit d;
    if (i < points.fids.size()) d.fid = points.fids[i];
    const OGREnvelope& e = points.envelopes[i];
    d.x = (e.MinX + e.MaxX) / 2;
    d.y = (e.MinY + e.MaxY) / 2;
    if (wkbFlatten(g.getGeometryType()) != wkbPoint) {
      d.place = DepositPlace::not_a_point;
      out.push_back(d);
      continue;
    }
    const OGRPoint& p = *g.toPoint();
    d.x = p.getX();
    d.y = p.getY();
    d.in_polygon = area.whole_grid() || in_any_polygon(*area.polygons(), p);
    d.col = grid.col_of(d.x);
    d.row = grid.row_of(d.y);
    if (!grid.contains_cell(d.col, d.row)) {
      d.place = DepositPlace::outside_grid;
    } else {
      unsigned char inside = 0;
      area.mask(Window{int(d.col), int(d.row), 1, 1}, &inside);
      d.place = inside ? DepositPlace::on_cell : DepositPlace::outside_study_area;
    }
    out.push_back(d);
  }
  return out;
}

void DepositAccount::add(const LocatedDeposit& d, bool missing) {
  ++read;
  std::string reason;
  switch (d.place) {
    case DepositPlace::not_a_point:
      ++not_points;
      reason = "not a point";
      break;
    case DepositPlace::outside_grid:
      ++outside_grid;
      reason = "outside the grid";
      break;
    case DepositPlace::outside_study_area:
      ++outside_study_area;
      if (d.in_polygon) {
        ++outside_cell_in_polygon;
        reason = "inside the study-area polygon, but its cell's centre is outside";
      } else {
        reason = "outside the study area";
      }
      break;
    case DepositPlace::on_cell:
      if (missing) {
        ++missing_evidence;
        reason = "on a cell with missing evidence";
      } else {
        ++counted;
        if (!d.in_polygon) ++counted_outside_polygon;
      }
      break;
  }
  if (!reason.empty()) not_counted.push_back({d.fid, d.x, d.y, reason});
}

std::string DepositAccount::summary(const std::string& which) const {
  std::string parts;
  auto part = [&parts](std::size_t n, const std::string& what) {
    if (n == 0) return;
    parts += (parts.empty() ? "" : ", ") + std::to_string(n) + " " + what;
  };
  part(not_points, "not a point");
  part(outside_grid, "outside the grid");
  part(outside_study_area - outside_cell_in_polygon, "outside the study area");
  part(outside_cell_in_polygon,
       "inside the study-area polygon but on a cell whose centre is outside it (cells count by "
       "their centre)");
  part(missing_evidence, "on cells with missing evidence");
  std::string text;
  if (!parts.empty())
    text = std::to_string(not_counted_total()) + " of " + std::to_string(read) + " " + which +
           (not_counted_total() == 1 ? " is" : " are") + " not counted: " + parts;
  if (counted_outside_polygon > 0)
    text += (text.empty() ? "" : "; ") + std::to_string(counted_outside_polygon) + " of the " +
            std::to_string(counted) + " " + which +
            " counted lie outside the study-area polygon, on cells whose centre is inside (cells "
            "count by their centre)";
  return text;
}

}  // namespace prospect
