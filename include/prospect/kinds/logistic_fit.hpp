#pragma once
// Fitting `model: logistic`: cells inside the study area are the samples (1
// where a training deposit falls, 0 elsewhere), the score's evidence values
// (membership-transformed when the evidence says so) are the predictors. Each
// IRLS iteration is one pass over the samples, read from the inputs once.

#include <memory>
#include <string>
#include <vector>

#include "prospect/config/model_file.hpp"
#include "prospect/evidence/grid_input.hpp"
#include "prospect/kinds/logistic_samples.hpp"
#include "prospect/kinds/training.hpp"
#include "prospect/models/logistic.hpp"
#include "prospect/pipeline/tile_pass.hpp"
#include "prospect/vector/study_area.hpp"

namespace prospect {

struct LogisticScoreFit {
  LogisticFit fit;
  std::int64_t deposits = 0;  // deposit cells used
  double deposit_weight = 1;  // case weight the deposit cells had in the fit
  // What the fit read, for the cross-validation's refits.
  std::shared_ptr<const TrainingCells> deposit_cells;
  std::shared_ptr<const LogisticSamples> samples;
  std::vector<double> subsample_beta;  // the fit on the subsample (empty: none)
};

// A fit on the samples' subsample with its own deposit flags `y` (one per
// subsample row), the deposits weighing `weight`; empty when the subsample is
// every sample or the fit does not converge.
std::vector<double> fit_on_subsample(const LogisticSamples& samples,
                                     const std::vector<unsigned char>& y, double weight);

// The samples of all scores kept in memory between passes, at most; past it
// each pass reads the inputs again (logistic_samples.hpp says why not disk).
constexpr std::size_t k_logistic_samples_in_memory = std::size_t(128) << 20;

// Reads each score's samples (LogisticSamples), fits on their subsample, then
// on all of them from there. Throws Error(bad_input) with the reason when a
// score's regression cannot be fitted.
std::vector<LogisticScoreFit> fit_logistic_model(
    const ModelSpec& model, const AnalysisGrid& grid, const StudyArea& area,
    const std::vector<Tile>& tiles, const InputSet& inputs, int threads,
    std::size_t memory_budget = k_logistic_samples_in_memory);

// The predictor values of a score's evidence for a tile: the input values, or
// their membership. `scratch` holds one buffer per evidence layer.
std::vector<const float*> logistic_predictors(const ModelSpec& model, const ScoreSpec& score,
                                              const std::vector<std::vector<float>>& input_values,
                                              std::vector<std::vector<float>>& scratch);

// A tile pass that reads a score's predictors: the inputs its evidence uses,
// cells outside the study area missing (NaN), so they are no samples. On a
// tile with a cell inside, predictors(tile) gives one pointer per evidence layer.
class PredictorPass {
 public:
  PredictorPass(const ModelSpec& model, const ScoreSpec& score, const StudyArea& area,
                const InputSet& inputs, int threads);
  const TilePassOptions& options() const { return m_options; }
  std::vector<const float*> predictors(TileView& tile);

 private:
  const ModelSpec& m_model;
  const ScoreSpec& m_score;
  TilePassOptions m_options;
  std::vector<std::vector<std::vector<float>>> m_scratch;  // per worker, per evidence layer
};

// Probability per cell: 1 / (1 + exp(-(b0 + sum b_j x_j))); NaN where a predictor is missing.
void logistic_probability(const std::vector<double>& beta, const std::vector<const float*>& x,
                          std::size_t n, float* out);

}  // namespace prospect
