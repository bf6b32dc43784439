#pragma once
// A model kind: how a run turns evidence into score bands. Each kind (fuzzy
// overlay, weights of evidence, logistic regression, ...) is one folder,
// src/kinds/<kind>/, implementing ModelKind and FittedModel, and one line in
// the registration list (src/kinds/model_kinds.cpp). The run pipeline
// (run/run_model.cpp) calls only these interfaces, never a kind by name.
//
// The life of a kind in a run: fit() once (a trained kind reads its training
// deposits in tile passes of its own; fuzzy has nothing to fit), then score()
// on every tile of the scoring pass, on the workers, with state per tile that
// merge() folds in tile order, then cross_validate() and describe().

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "prospect/output/model_summary.hpp"
#include "prospect/pipeline/tile_pass.hpp"
#include "prospect/spec/model.hpp"
#include "prospect/validate/cross_validation.hpp"

namespace prospect {

class InputSet;
class StudyArea;
class OutputFolder;

// What a kind may use to fit, score and cross-validate.
struct KindContext {
  const ResolvedModel& model;  // class names as codes, breaks taken from the data
  const AnalysisGrid& grid;
  const StudyArea& area;
  const std::vector<Tile>& tiles;
  const InputSet& inputs;
  int threads = 1;
  bool validating = true;  // false (--no-validation): nothing to prepare for cross-validation
  OutputFolder* folder = nullptr;  // where a kind writes files of its own (weights tables)
};

// One tile of the scoring pass.
struct ScoringTile {
  const TileView& view;
  const std::vector<std::vector<float>>& inputs;  // by input index: the inputs the scores use
  // Every output band (ModelSpec::band_names order), view.cells each: score()
  // fills the scores and the kind's own bands; the run fills the composite.
  std::vector<std::vector<float>>& bands;
  // The run will ask memberships() for this tile's (the target drivers): a kind
  // that has them keeps the whole tile's, else it may work in cache-sized pieces.
  bool wants_memberships = false;
};

// A score's share in an output band (a composite holds several).
struct ScorePart {
  std::size_t score = 0;
  double share = 1;
};

// A kind's scratch on one worker, and its statistics of one tile.
struct KindScratch {
  virtual ~KindScratch() = default;
};
struct KindTileState {
  virtual ~KindTileState() = default;
};

// A fitted model: scores tiles, cross-validates, and (as a ModelSummary) says
// what it is in the outputs: units, files, manifest section, report part, findings.
class FittedModel : public ModelSummary {
 public:
  virtual std::unique_ptr<KindScratch> new_scratch() const = 0;
  // Fresh statistics for one tile (null: the kind keeps none).
  virtual std::unique_ptr<KindTileState> new_tile_state() const { return nullptr; }
  // Fills the score bands of one tile (and the kind's own bands). Cells outside
  // the study area may hold anything; the run sets them to NaN afterwards.
  virtual void score(ScoringTile& tile, KindScratch& scratch, KindTileState* state) const = 0;
  // The same tile once every cell is scored in every band or is NaN in all.
  virtual void scored(const ScoringTile&, KindScratch&, KindTileState*) const {}
  // Folds one tile's statistics in; called in tile order, on one thread.
  virtual void merge(KindTileState&) {}
  // Each evidence layer's memberships on the last tile score() saw on this
  // worker, when the kind kept them (null otherwise; kept when the tile
  // wants_memberships): the target drivers reuse them.
  virtual const std::vector<std::vector<float>>* memberships(const KindScratch&) const {
    return nullptr;
  }

  // After scoring: cross-validation of a trained kind, per score.
  virtual std::vector<CrossValidation> cross_validate(const KindContext&) const { return {}; }

  // Writes the files of files() that wait for the run's input hashes (path,
  // hash): a saved learner records what it was fitted from.
  virtual void write_files(OutputFolder&,
                           const std::vector<std::pair<std::string, std::string>>&) const {}

  // Target drivers (run/target_drivers): the per-cell term of evidence layer
  // `evidence` in a band made of `parts` -- what the layer adds to the band's
  // score at each cell (fuzzy: its membership; WofE: its class weight;
  // logistic: coefficient x predictor), each part's term times its share,
  // NaN where the layer has none. `inputs` by input index; `memberships` as
  // memberships() gives them (may be null); n cells; `scratch` the caller's.
  // True when a layer's term already measures its lift over the model's
  // average at the cell (feature contributions, SHAP) and costs too much for
  // every cell: the scoring pass then gathers no study-area terms, and a
  // zone's drivers are the layers whose terms average highest above 0.
  virtual bool terms_centred() const { return false; }
  virtual void layer_terms(int evidence, const std::vector<ScorePart>& parts,
                           const std::vector<std::vector<float>>& inputs,
                           const std::vector<std::vector<float>>* memberships, std::size_t n,
                           float* out, std::vector<float>& scratch) const = 0;
  // The terms of several layers at once (terms[k] for layers[k], n each): a
  // kind whose terms come from one computation for all layers (SHAP) does it
  // once; by default layer_terms per layer.
  virtual void layers_terms(const std::vector<int>& layers, const std::vector<ScorePart>& parts,
                            const std::vector<std::vector<float>>& inputs,
                            const std::vector<std::vector<float>>* memberships, std::size_t n,
                            std::vector<std::vector<float>>& terms,
                            std::vector<float>& scratch) const {
    terms.resize(layers.size());
    for (std::size_t k = 0; k < layers.size(); ++k) {
      terms[k].resize(n);
      layer_terms(layers[k], parts, inputs, memberships, n, terms[k].data(), scratch);
    }
  }
};

class ModelKind {
 public:
  virtual ~ModelKind() = default;
  virtual ModelType type() const = 0;
  virtual std::unique_ptr<FittedModel> fit(const KindContext& context) const = 0;
  // Before the inputs are read: settings the model as written leaves to the
  // kind (a saved learner's class tables); lines for `prospect check`.
  virtual std::vector<std::string> prepare(ModelSpec&, const AnalysisGrid&) const { return {}; }
};

// The kind for `type`, from the registration list.
const ModelKind& model_kind(ModelType type);

}  // namespace prospect
