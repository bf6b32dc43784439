#pragma once
// `prospect weights`: the weights-of-evidence table of one evidence raster
// against deposit points inside a study area (the job of ArcSDM's "Calculate
// Weights"). Streams the raster tile by tile; counts are per-tile partials.

#include <map>
#include <optional>
#include <string>

#include "prospect/models/wofe.hpp"
#include "prospect/output/weights_table.hpp"
#include "prospect/raster/raster_source.hpp"
#include "prospect/vector/vector_layer.hpp"

namespace prospect {

struct WeightsRequest {
  RasterInput evidence;                   // its own grid is the analysis grid
  VectorInput deposits;                   // points
  std::optional<VectorInput> study_area;  // default: every cell with evidence
  WeightsOptions options;                 // cell_km2 is filled in from the grid
  int threads = 0;
  // Classes of a continuous layer: upper bounds (x <= b1, b1 < x <= b2, ...,
  // > bn), or `quantiles` equal-count classes from the values in the study
  // area. Neither: each value is a class, and more than `max_classes` of them
  // is refused (the layer looks continuous).
  std::vector<double> breaks;
  int quantiles = 0;
  std::size_t max_classes = 256;
  bool show_progress = false;  // "counting classes: N %" on stderr
};

// What happened to each deposit, for the report: nothing is dropped silently.
struct DepositReport {
  std::int64_t total = 0;
  std::int64_t counted = 0;
  std::int64_t outside_grid = 0;
  std::int64_t outside_study_area = 0;
  std::int64_t on_missing_evidence = 0;
  std::int64_t cells_with_several = 0;       // grid cells holding more than one deposit
  std::int64_t unit_cells_with_several = 0;  // unit cells holding more than one deposit
};

struct WeightsResult {
  WeightsTable table;
  DepositReport deposits;
  std::vector<std::string> warnings;          // plain-language remarks for the user
  std::vector<double> breaks;                 // the classes' upper bounds, when classes were made
  std::string breaks_note;                    // how they were chosen, when from the data
  std::map<double, std::string> class_names;  // from the raster's metadata
};

WeightsResult compute_weights(const WeightsRequest& request);

}  // namespace prospect
