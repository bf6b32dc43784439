#pragma once
// Fitting a weights-of-evidence model: one pass over the evidence tiles counts
// classes (shared by all scores) and the classes under each score's training
// deposits; the tables and scoring weights follow from the counts.

#include <string>
#include <vector>

#include "prospect/config/model_file.hpp"
#include "prospect/core/tiles.hpp"
#include "prospect/evidence/grid_input.hpp"
#include "prospect/models/pairwise_independence.hpp"
#include "prospect/models/wofe.hpp"
#include "prospect/vector/study_area.hpp"

namespace prospect {

struct WofeScoreFit {
  std::int64_t deposits = 0;       // training deposits inside the study area
  std::int64_t deposits_read = 0;  // all read (after the attribute filter)
  double study_unit_cells = 0;
  PosteriorModel model;  // layers in the order of ScoreSpec::evidence
  std::vector<WeightsTable> tables;
  std::vector<PairwiseTest> pairwise;  // every pair of used layers
  // What a refit (cross-validation) needs without another pass over the tiles:
  std::vector<std::vector<ClassCount>> cell_counts;  // per layer: cells per class (deposits 0)
  std::vector<float> deposit_classes;  // per inside deposit, its class on each layer (NaN: missing)
  std::vector<double> deposit_x, deposit_y;  // cell centres of those deposits, grid CRS
};

// A score's weights from counts: cells per class of each layer, and the
// deposits' classes (one row of layer classes per deposit). `warnings` gets
// what a geologist should know (undefined weights, unused layers).
struct ScoreWeights {
  PosteriorModel model;
  std::vector<WeightsTable> tables;
};
ScoreWeights weigh_score(const ModelSpec& model, const ScoreSpec& spec,
                         const std::vector<std::vector<ClassCount>>& cell_counts,
                         const std::vector<float>& deposit_classes, double study_unit_cells,
                         double cell_km2, std::vector<std::string>* warnings);

struct WofeFit {
  std::vector<WofeScoreFit> scores;  // in ModelSpec::scores order
  std::vector<std::string> warnings;
};

WofeFit fit_wofe(const ModelSpec& model, const AnalysisGrid& grid, const StudyArea& area,
                 const std::vector<Tile>& tiles, const InputSet& inputs, int threads);

// Agterberg and Cheng (2002) omnibus test of conditional independence: the sum T
// of posterior probabilities over the study area (in unit cells) should equal
// the number of deposits n. Var(T) is the sum of the cell variances (not of
// standard deviations). Accumulated per tile, merged in order.
struct IndependenceTest {
  double expected = 0;        // T
  double variance = 0;        // Var(T)
  std::int64_t observed = 0;  // n
  double z() const;           // (T - n) / s(T)
  double p_value() const;     // one-sided P(T - n this large | independence)
  std::string verdict() const;
};

}  // namespace prospect
