#pragma once
// Fitting `model: logistic`: cells inside the study area are the samples (1
// where a training deposit falls, 0 elsewhere), the score's evidence values
// (membership-transformed when the evidence says so) are the predictors. Each
// IRLS iteration is one pass over the tiles.

#include <memory>
#include <string>
#include <vector>

#include "prospect/config/model_file.hpp"
#include "prospect/evidence/grid_input.hpp"
#include "prospect/models/logistic.hpp"
#include "prospect/vector/study_area.hpp"

namespace prospect {

struct LogisticScoreFit {
  LogisticFit fit;
  std::int64_t deposits = 0;  // deposit cells used
  double deposit_weight = 1;  // case weight the deposit cells had in the fit
};

// Throws Error(bad_input) with the reason when a score's regression cannot be fitted.
std::vector<LogisticScoreFit> fit_logistic_model(const ModelSpec& model, const AnalysisGrid& grid,
                                                 const StudyArea& area, const std::vector<Tile>& tiles,
                                                 const InputSet& inputs, int threads);

// The predictor values of a score's evidence for a tile: the input values, or
// their membership. `scratch` holds one buffer per evidence layer.
std::vector<const float*> logistic_predictors(const ModelSpec& model, const ScoreSpec& score,
                                              const std::vector<std::vector<float>>& input_values,
                                              std::vector<std::vector<float>>& scratch);

// A score's predictors tile by tile, one reader per worker thread: cells
// outside the study area are missing (NaN), so they are no samples.
class PredictorTiles {
 public:
  PredictorTiles(const ModelSpec& model, const ScoreSpec& score, const StudyArea& area,
                 const std::vector<Tile>& tiles, const InputSet& inputs, int threads);
  // On worker `worker`: tile `item`'s predictors, one pointer per evidence layer.
  std::vector<const float*> read(std::size_t item, int worker);

 private:
  struct Worker {
    std::vector<std::unique_ptr<GridSource>> sources;
    std::vector<std::vector<float>> values, scratch;
    std::vector<unsigned char> inside;
  };
  const ModelSpec& m_model;
  const ScoreSpec& m_score;
  const StudyArea& m_area;
  const std::vector<Tile>& m_tiles;
  const InputSet& m_inputs;
  std::vector<char> m_used;
  std::vector<Worker> m_workers;
};

// Probability per cell: 1 / (1 + exp(-(b0 + sum b_j x_j))); NaN where a predictor is missing.
void logistic_probability(const std::vector<double>& beta, const std::vector<const float*>& x,
                          std::size_t n, float* out);

}  // namespace prospect
