#pragma once
// The scoring pass of a run: every tile's inputs read, scored by the model
// kind, the composite added, each cell scored in every band or none, and the
// bands written in tile order into the staged raster -- with what the later
// steps need gathered on the way (band statistics, the report's maps, the
// target band's values for the style and target cut, the study area's
// driver terms, the evidence layers written alongside).

#include <functional>
#include <vector>

#include "prospect/config/model_file.hpp"
#include "prospect/kinds/model_kind.hpp"
#include "prospect/output/quantile.hpp"
#include "prospect/output/quicklook.hpp"
#include "prospect/raster/tiff_writer.hpp"
#include "prospect/run/evidence_export.hpp"
#include "prospect/run/response_curves.hpp"
#include "prospect/run/run_model.hpp"
#include "prospect/run/target_drivers.hpp"
#include "prospect/vector/study_area.hpp"

namespace prospect {

struct ScoringSetup {
  const ModelSpec& model;
  const AnalysisGrid& grid;
  const std::vector<Tile>& tiles;
  const StudyArea& area;
  const InputSet& inputs;
  const std::vector<char>& input_used;  // the inputs the scores read
  FittedModel& fitted;
  StagedRaster& scores;         // every band, written in tile order
  EvidenceExport& evidence;     // evidence layers written alongside
  int pyramid_levels = 0;       // overviews built from the tiles (0: none)
  std::size_t target_band = 0;  // 0-based: its values are counted for the style and target cut
  const EvidenceTerms* driver_terms = nullptr;    // target drivers: sum the study area's terms
  ResponseCurveCollector* responses = nullptr;    // response curves: add every tile's inputs
  const QuicklookGrid* quicklook_grid = nullptr;  // the report's maps (null: no report)
  int threads = 1;
  std::function<void(double share)> on_progress = {};
};

struct ScoringTotals {
  CellCounts cells;
  std::vector<BandStatistics> band_stats;      // per band, over valid cells
  std::vector<std::vector<float>> quicklooks;  // per band, when a quicklook grid was given
  TopValueSelector target_values;              // the target band, counted (pass one)
  TermSums study_terms;                        // the target band's terms over valid cells
};

ScoringTotals score_tiles(const ScoringSetup& setup);

}  // namespace prospect
