#pragma once
// Which evidence layers drive a target zone. Each evidence layer of the target
// band has a per-cell term, its share of the score:
//   fuzzy     the layer's membership;
//   WofE      the weight of the cell's class (what it adds to the prior logit);
//   logistic  coefficient x predictor (what it adds to the linear predictor);
//   boosting  the layer's feature contribution (TreeSHAP) to the log-odds,
//             already a lift over the model's average: the baseline is 0;
// for a composite band, each score's terms times the score's weight share.
// A layer drives a zone when its term averages higher over the zone's cells
// than over all valid study-area cells; the drivers are the (at most three)
// layers with the largest positive differences, largest first.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "prospect/config/model_file.hpp"
#include "prospect/evidence/grid_input.hpp"
#include "prospect/kinds/model_kind.hpp"
#include "prospect/output/targets.hpp"
#include "prospect/run/evidence_export.hpp"

namespace prospect {

// Term sums per evidence layer over some cells; merge() adds another.
struct TermSums {
  std::vector<double> sum;
  std::vector<std::int64_t> count;
  void add(std::size_t layer, double term) {
    sum[layer] += term;
    ++count[layer];
  }
  // Adds terms[i] of layer `layer` where both it and target[i] are numbers (n cells).
  void add_where_scored(std::size_t layer, const float* terms, const float* target, std::size_t n);
  void merge(const TermSums& other);
  double mean(std::size_t layer) const {
    return count[layer] ? sum[layer] / double(count[layer]) : 0.0;
  }
};

class EvidenceTerms {
 public:
  // `band`: 0-based output band (a score, the composite or a score's _std
  // band); `fitted`: the model kind, which knows what a layer adds to a score.
  EvidenceTerms(const ModelSpec& model, std::size_t band, const FittedModel& fitted);

  const std::vector<int>& layers() const { return m_layers; }  // evidence indices, ascending
  std::string name(std::size_t layer) const {
    return m_model.evidence[std::size_t(m_layers[layer])].name;
  }
  TermSums empty_sums() const;
  // The kind's terms are lifts over its average (FittedModel::terms_centred).
  bool centred() const { return m_fitted.terms_centred(); }
  // Inputs the terms read (indices into the model's inputs).
  std::vector<char> inputs_used() const;

  // terms[layer][i] for n cells from the tile's input values (indexed like the
  // model's inputs). NaN where the layer has no term (missing evidence).
  // `scratch`: the caller's, so threads can share one EvidenceTerms.
  // `memberships` (optional): what FittedModel::memberships() gives for the
  // tile, when the caller has it (the scoring pass).
  void compute(const std::vector<std::vector<float>>& input_values, std::size_t n,
               std::vector<std::vector<float>>& terms, std::vector<float>& scratch,
               const std::vector<std::vector<float>>* memberships = nullptr) const;
  // Adds each layer's terms over the n cells where `target` (the band's
  // scores) is a number to `sums`, as compute() then add_where_scored() would,
  // without holding every layer's terms at once. For kinds whose terms are not
  // centred(); `term`, `scratch`: the caller's.
  void add_study_sums(const std::vector<std::vector<float>>& input_values, const float* target,
                      std::size_t n, TermSums& sums, std::vector<float>& term,
                      std::vector<float>& scratch,
                      const std::vector<std::vector<float>>* memberships = nullptr) const;

 private:
  const ModelSpec& m_model;
  const FittedModel& m_fitted;
  std::vector<ScorePart> m_parts;  // the scores the band is made of
  std::vector<int> m_layers;
};

// The drivers of one zone from its sums and the study area's: names joined by ", ".
std::string zone_drivers(const EvidenceTerms& terms, const TermSums& zone,
                         const TermSums& study_area, std::size_t at_most = 3);

// Reads the inputs again on the tiles that hold target cells (one thread) and
// names each zone's drivers against the study area's sums, gathered while scoring.
// Inputs already written as evidence/NAME.tif are read back from there rather
// than built again (IDW, distance, density cost far more than a read).
class DriverAnnotator : public ZoneAnnotator {
 public:
  DriverAnnotator(const EvidenceTerms& terms, const InputSet& inputs, TermSums study_area,
                  EvidenceExport* exported = nullptr);
  void add_tile(const Window& window, const std::int32_t* zones, std::int32_t zone_count) override;
  std::string drivers(std::int32_t zone) const override;

 private:
  const EvidenceTerms& m_terms;
  const InputSet& m_inputs;
  TermSums m_study_area;
  EvidenceExport* m_exported;
  std::vector<char> m_used;
  std::vector<std::unique_ptr<GridSource>> m_sources;
  std::vector<std::vector<float>> m_values, m_cell_terms;
  std::vector<float> m_scratch;
  std::vector<TermSums> m_zones;  // index zone - 1
};

}  // namespace prospect
