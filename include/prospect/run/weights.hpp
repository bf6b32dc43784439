#pragma once
// `prospect weights`: the weights-of-evidence table of one evidence raster
// against deposit points inside a study area (the job of ArcSDM's "Calculate
// Weights"). Streams the raster tile by tile; counts are per-tile partials.

#include <optional>
#include <string>

#include "prospect/models/wofe.hpp"
#include "prospect/raster/raster_source.hpp"
#include "prospect/vector/vector_layer.hpp"

namespace prospect {

struct WeightsRequest {
  RasterInput evidence;                   // its own grid is the analysis grid
  VectorInput deposits;                   // points
  std::optional<VectorInput> study_area;  // default: every cell with evidence
  WeightsOptions options;                 // cell_km2 is filled in from the grid
  int threads = 0;
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
  std::vector<std::string> warnings;  // plain-language remarks for the user
};

WeightsResult compute_weights(const WeightsRequest& request);

// The table as CSV (fixed decimals, so the same counts give the same bytes).
std::string weights_csv(const WeightsTable& table);
// The table as aligned text for a terminal.
std::string weights_text(const WeightsTable& table);

}  // namespace prospect
