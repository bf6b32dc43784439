#pragma once
// Target zones: the cells whose score reaches the top-N % threshold, joined
// into zones (4-connected, labelled while streaming tiles), each outlined as
// one polygon with rank, area and per-band mean and maximum, written as RFC
// 7946 GeoJSON (WGS84 lon/lat, right-hand rings) and optionally as a
// GeoPackage in the grid CRS. Two passes over the staged scores, tile by tile:
// memory is the union-find of the labels, one row of tiles of zone numbers and
// the outlines of the zones still open, never a raster of the grid.

#include <future>
#include <string>
#include <vector>

#include "prospect/core/grid.hpp"
#include "prospect/core/tiles.hpp"
#include "prospect/raster/tiff_writer.hpp"

namespace prospect {

struct TargetRequest {
  int band = 1;                   // 1-based band of `scores` the threshold applies to
  float threshold = 0.0f;         // cells with score >= threshold are targets
  bool none = false;              // no valid cells: write an empty collection
  std::int64_t min_cells = 1;     // zones with fewer cells are dropped
  double fill_holes_area = 0;     // grid units²: smaller holes in an outline are filled
  double simplify_tolerance = 0;  // grid units: outlines simplified (topology kept); 0 = cell edges
  // What the cut was asked to take, and of how many cells: every zone records
  // the share asked and the share all zones together deliver (ties at the
  // threshold and zones dropped for their size make them differ).
  double top_percent_asked = 0;
  std::int64_t population = 0;  // valid cells of the band (the study area's scored cells)
  ShareDone on_progress;        // the share of the outlines drawn (may be empty)
  // Write the GeoJSON on a thread of its own (the slowest writer: GDAL formats
  // every vertex), so the caller's next step runs meanwhile; then the caller
  // must wait for TargetResult::geojson_written before it publishes the file.
  bool geojson_in_background = false;
};

// Extra per-zone text: sees every tile that holds zone cells (zone numbers
// 1..zone_count, 0 elsewhere) once, in tile order, then names each zone's drivers.
class ZoneAnnotator {
 public:
  virtual ~ZoneAnnotator() = default;
  virtual void add_tile(const Window& window, const std::int32_t* zones,
                        std::int32_t zone_count) = 0;
  virtual std::string drivers(std::int32_t zone) const = 0;  // zone in 1..zone_count
};

struct TargetZone {
  long long cells = 0;  // target cells in the zone (the statistics are over these)
  double area_m2 = 0;   // of the outline as written (holes filled, simplified)
  double centroid_x = 0, centroid_y = 0;  // grid CRS
  std::vector<double> mean, max;          // per band
  std::string drivers;                    // from the annotator, if any
};

struct TargetResult {
  std::vector<TargetZone> zones;   // in rank order (rank 1 first)
  std::int64_t cut_cells = 0;      // cells at or above the threshold (ties included)
  std::int64_t zone_cells = 0;     // cells in the zones kept (the cut less the dropped zones)
  std::int64_t dropped_small = 0;  // zones under the minimum size
  std::int64_t holes_filled = 0;   // holes under fill_holes_area
  // With geojson_in_background: ready (or holding the writer's error) once the
  // GeoJSON is whole; otherwise not valid.
  std::future<void> geojson_written;
};

// scores: the staged score raster (bands named in band_names); geojson_path: the file to write (not
// renamed here); gpkg_path (optional): the same zones in the grid CRS as a GeoPackage, with
// `style_qml` stored as the layer's default QGIS style; annotator (optional):
// adds a `drivers` attribute.
TargetResult write_targets(StagedRaster& scores, const AnalysisGrid& grid,
                           const std::vector<Tile>& tiles,
                           const std::vector<std::string>& band_names, const TargetRequest& request,
                           const std::string& geojson_path, const std::string& gpkg_path = {},
                           const std::string& style_qml = {}, ZoneAnnotator* annotator = nullptr);

}  // namespace prospect
