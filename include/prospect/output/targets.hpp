#pragma once
// Target zones: the cells whose score reaches the top-N % threshold, joined
// into polygons (4-connected, along cell edges), each with rank, area and
// per-band mean and maximum, written as RFC 7946 GeoJSON (WGS84 lon/lat,
// right-hand rings). Works tile by tile through staged rasters on disk.

#include <string>
#include <vector>

#include "prospect/core/grid.hpp"
#include "prospect/core/tiles.hpp"
#include "prospect/raster/tiff_writer.hpp"

namespace prospect {

struct TargetRequest {
  int band = 1;            // 1-based band of `scores` the threshold applies to
  float threshold = 0.0f;  // cells with score >= threshold are targets
  bool none = false;       // no valid cells: write an empty collection
};

struct TargetZone {
  long long cells = 0;
  double area_m2 = 0;
  double centroid_x = 0, centroid_y = 0;  // grid CRS
  std::vector<double> mean, max;          // per band
};

struct TargetResult {
  std::vector<TargetZone> zones;  // in rank order (rank 1 first)
};

// scores: the staged score raster (bands named in band_names); staging_dir:
// where scratch rasters go; geojson_path: the file to write (not renamed here).
TargetResult write_targets(StagedRaster& scores, const AnalysisGrid& grid,
                           const std::vector<Tile>& tiles,
                           const std::vector<std::string>& band_names, const TargetRequest& request,
                           const std::string& staging_dir, const std::string& geojson_path);

}  // namespace prospect
