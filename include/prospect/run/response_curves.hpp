#pragma once
// Gathers what response curves need during the scoring pass: each continuous
// input's values over the study area (a histogram per worker) and the values
// under the deposits (per tile, joined in tile order), so no extra pass reads
// the inputs again.

#include <string>
#include <vector>

#include "prospect/config/model_file.hpp"
#include "prospect/core/tiles.hpp"
#include "prospect/kinds/training.hpp"
#include "prospect/validate/response_curve.hpp"

namespace prospect {

class ResponseCurveCollector {
 public:
  // Continuous inputs (all but rasterized classes) among `input_used`; the
  // deposits are the training deposits, else the validation deposits.
  ResponseCurveCollector(const ModelSpec& model, const std::vector<char>& input_used,
                         const AnalysisGrid& grid, const std::vector<Tile>& tiles, int workers);
  bool active() const { return !m_inputs.empty(); }
  // On worker `worker`, for tile `tile`: the inputs' values as read, and the study-area mask.
  void add_tile(int worker, std::size_t tile, const std::vector<std::vector<float>>& input_values,
                const unsigned char* inside);
  std::vector<ResponseCurve> finish(const ModelSpec& model, double cell_km2) const;

 private:
  std::vector<std::size_t> m_inputs;
  std::vector<std::vector<ValueHistogram>> m_histograms;          // per worker, per input
  std::vector<std::vector<std::vector<float>>> m_deposit_values;  // per tile, per input
  TrainingCells m_deposits;
  std::string m_source;
};

}  // namespace prospect
