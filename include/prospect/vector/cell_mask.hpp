#pragma once
// Which cells of a window have their centre inside any of a set of polygons
// (GDAL's default rasterization rule). Shared by the study area and the
// inside-polygon test of distances. Thread-safe: the polygons are only read.

#include <vector>

#include "prospect/core/grid.hpp"
#include "prospect/core/tiles.hpp"
#include "prospect/raster/gdal_handles.hpp"

namespace prospect {

// inside[i] = 1 where the cell centre lies in a polygon, else 0. `envelopes`
// (one per polygon) skip the polygons that miss the window.
void mark_cells_inside(const AnalysisGrid& grid, const Window& window,
                       const std::vector<GeometryPtr>& polygons,
                       const std::vector<OGREnvelope>& envelopes, unsigned char* inside);

}  // namespace prospect
