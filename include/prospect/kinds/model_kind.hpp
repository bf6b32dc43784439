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
#include <vector>

#include "prospect/config/model_file.hpp"
#include "prospect/pipeline/tile_pass.hpp"
#include "prospect/run/cross_validation.hpp"

namespace prospect {

class InputSet;
class StudyArea;
class OutputFolder;
struct RunRecord;

// What a kind may use to fit, score and cross-validate.
struct KindContext {
  const ModelSpec& model;  // resolved: class names as codes, breaks taken from the data
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
};

// A kind's scratch on one worker, and its statistics of one tile.
struct KindScratch {
  virtual ~KindScratch() = default;
};
struct KindTileState {
  virtual ~KindTileState() = default;
};

class FittedModel {
 public:
  virtual ~FittedModel() = default;

  // What the score bands hold, in words (PROSPECT_UNITS in the GeoTIFF).
  virtual std::string units() const = 0;
  // Files fit() wrote into the output folder, relative to it.
  virtual std::vector<std::string> files() const { return {}; }

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
  // worker, when the kind computed them (null otherwise): the target drivers reuse them.
  virtual const std::vector<std::vector<float>>* memberships(const KindScratch&) const {
    return nullptr;
  }

  // After scoring: cross-validation of a trained kind, per score.
  virtual std::vector<CrossValidation> cross_validate(const KindContext&) const { return {}; }
  // Writes what the kind knows so far into the record (fits, tests) for the
  // manifest, the report and the command line.
  virtual void describe(RunRecord&) const {}
};

class ModelKind {
 public:
  virtual ~ModelKind() = default;
  virtual ModelType type() const = 0;
  virtual std::unique_ptr<FittedModel> fit(const KindContext& context) const = 0;
};

// The kind for `type`, from the registration list.
const ModelKind& model_kind(ModelType type);

}  // namespace prospect
