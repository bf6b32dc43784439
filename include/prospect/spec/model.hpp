#pragma once
// The model as parsed: plain structs, what to read, how to turn it into
// evidence, how to score, what to write. docs/model-file.md documents every
// key; config/model_file.hpp reads a file into this form. No GDAL here, so
// every layer may hold a model.

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "prospect/core/grid.hpp"
#include "prospect/models/classify.hpp"
#include "prospect/models/fuzzy.hpp"
#include "prospect/models/score_tree.hpp"
#include "prospect/models/wofe.hpp"
#include "prospect/spec/inputs.hpp"

namespace prospect {

struct GridSpec {
  std::string crs;                                       // EPSG code, WKT or PROJ string
  std::optional<double> cell_size;                       // in CRS units
  std::optional<std::array<double, 4>> extent;           // min_x, min_y, max_x, max_y
  std::array<double, 2> snap{0.0, 0.0};                  // cell edges fall on snap + k * cell_size
  std::string like;                                      // reference raster (resolved path)
  double max_cells = AnalysisGrid::k_default_max_cells;  // refuse larger grids
};

enum class ModelType { fuzzy, wofe, logistic, gradient_boosting, random_forest };

struct EvidenceSpec {
  std::string name;
  int input = -1;               // index into ModelSpec::inputs
  Membership membership;        // fuzzy; logistic when has_membership
  bool has_membership = false;  // logistic: transform the value first
  // fuzzy: the membership where the input has no value inside the study area
  // (e.g. no soil samples in reach); unset: such cells stay unscored.
  std::optional<double> missing;
  WeightsType weights = WeightsType::categorical;  // wofe: how the classes are weighted
  std::vector<double> breaks;  // wofe: class continuous values (empty: codes as they are)
  // Breaks taken from the data (quantiles, natural breaks): for the wofe breaks
  // or a fuzzy `classes` membership; filled in before the run scores anything.
  BreakRule derived_breaks;
};

struct ScoreSpec {
  std::string name;           // band name: Dy, Tb, Y, ...
  ScoreNode root;             // fuzzy: leaves index ModelSpec::evidence
  std::vector<int> evidence;  // wofe, logistic: the evidence layers combined
  std::string
      deposits_where;  // wofe, logistic: which training deposits (attribute filter), "" = all
};

// Machine-learning kinds: the cells that are not deposits come as a sample of
// the study area (presence/background, not presence/absence).
struct BackgroundSpec {
  double ratio = 10;            // background cells per deposit cell
  double buffer_m = 0;          // no background cell within this distance of a deposit
  unsigned long long seed = 1;  // same seed, same sample
};

// The learner of gradient_boosting and random_forest (XGBoost's parameters).
struct LearnerSpec {
  int trees = 0;                // 0: the kind's default (boosting 200 rounds, forest 500 trees)
  int depth = 0;                // 0: the kind's default (boosting 4, forest 8)
  double learning_rate = 0.1;   // boosting only
  double subsample = 0;         // rows per tree; 0: default (boosting 0.8, forest 0.632)
  double column_subsample = 0;  // features per split; 0: default (boosting 1, forest sqrt(p)/p)
  double min_child_weight = 1;
  unsigned long long seed = 1;  // same seed, same model
  // > 1: as many more fits with the seeds seed + 1 .. seed + ensemble, whose
  // standard deviation per cell is the band <score>_spread; 0: none.
  int ensemble = 0;
};

struct TrainingSpec {  // wofe
  VectorInput deposits;
  double unit_cell_km2 = 1.0;
  double min_studentized = 2.0;
  // logistic: case weight of deposit cells (non-deposit cells weigh 1); balanced:
  // non-deposit cells / deposit cells, so both classes weigh the same in the fit.
  double deposit_weight = 1.0;
  bool balanced_weight = false;
  BackgroundSpec background;  // gradient_boosting, random_forest
};

struct CompositeSpec {
  std::string name = "HREE";
  std::vector<double> weights;  // one per score, same order as ModelSpec::scores
  std::string weights_source;   // where the default weights come from, for the manifest
};

// Without targets.min_area_ha, zones of fewer cells than this are left out: a
// one-cell target is speckle, not a place to send a field crew.
constexpr long long k_default_min_target_cells = 4;

struct TargetSpec {
  bool enabled = true;          // targets: false writes no targets.geojson
  std::string score;            // band the targets are cut from
  double top_percent = 5.0;     // share of valid study-area cells that become targets
  double min_area_ha = 0.0;     // smaller zones are left out (when min_area_given)
  bool min_area_given = false;  // else zones under k_default_min_target_cells are left out
  double fill_holes_ha = 0.0;   // holes in a zone's outline smaller than this are filled
  double simplify_m = 0.0;      // outline simplification tolerance (0: exact cell edges)
};

// Cross-validation of a trained model (wofe, logistic): refit without each fold's
// deposits and score the held-out ones. Deposits closer than block_m share a fold.
struct CrossValidationSpec {
  bool enabled = true;
  int folds = 10;               // 0: leave one out (one block per fold)
  double block_m = 0;           // 0: every deposit its own block
  unsigned long long seed = 1;  // same seed, same folds
};

struct OutputSpec {
  std::string compress = "ZSTD";  // fastest to write and smallest for score maps
  int tile_size = 512;
  bool overviews = true;  // COG overviews (QGIS draws large rasters fast with them)
  // Which inputs are written as evidence/NAME.tif: "derived" (built from
  // vectors: distance, IDW, rasterize, density), "all" (rasters too) or "none".
  std::string evidence = "derived";
};

struct ModelSpec {
  std::string path;    // the model file as given
  std::string folder;  // its folder: relative paths resolve against it
  std::string name;
  std::string text_hash;  // hash of the model file bytes
  ModelType type = ModelType::fuzzy;
  std::optional<TrainingSpec> training;  // the trained kinds
  bool trained() const { return type != ModelType::fuzzy; }
  bool machine_learning() const {
    return type == ModelType::gradient_boosting || type == ModelType::random_forest;
  }
  LearnerSpec learner;  // machine_learning()
  // machine_learning(): the output folder of an earlier run whose fitted
  // learners (learner_file) are applied instead of fitting (no training).
  std::string saved_model;
  std::optional<VectorInput> validation_deposits;  // deposits to validate every band against
  // Per band name, an attribute filter on the validation deposits (e.g. Dy:
  // "Dy_ppm >= 300"); bands without one use the score's training filter, if any.
  std::map<std::string, std::string> validation_where;
  int bootstrap_replicates = 2000;        // AUC confidence interval resamples (0: none)
  unsigned long long bootstrap_seed = 1;  // same seed, same interval
  CrossValidationSpec cross_validation;
  GridSpec grid;
  std::optional<VectorInput> study_area;
  std::vector<InputSpec> inputs;
  std::vector<EvidenceSpec> evidence;
  std::vector<ScoreSpec> scores;
  std::optional<CompositeSpec> composite;
  TargetSpec targets;
  OutputSpec outputs;

  // Band names in output order: the scores, then the composite, then (wofe)
  // one standard-deviation band per score, named "<score>_std".
  std::vector<std::string> band_names() const;
  // The evidence layers a score uses (indices into evidence, ascending for fuzzy trees).
  std::vector<int> score_evidence(const ScoreSpec& score) const;
  // Every input file the model reads (for manifest hashes and overwrite checks).
  std::vector<std::string> input_files() const;
};

// A model whose every value is known: class names replaced by the codes in the
// data, breaks asked from the data ({quantiles: N}) replaced by numbers. Fits,
// scoring and the outputs see this type only; it is made once by resolve_model
// (run/model_setup.hpp) from the model as written and never edited, and the
// constructor refuses a model that still names a class or asks for breaks.
class ResolvedModel : public ModelSpec {
 public:
  explicit ResolvedModel(ModelSpec resolved);
};

// The class codes of an evidence layer for weights of evidence: the input values
// themselves, or (with breaks) the upper bound of each value's interval. Returns
// `raw` when there is nothing to do, else fills and returns `scratch`.
const float* evidence_classes(const EvidenceSpec& evidence, const std::vector<float>& raw,
                              std::vector<float>& scratch);

const char* model_type_name(ModelType type);

// Where a run writes a machine-learning score's fitted learner in its output
// folder: member 0 is the learner, 1.. the ensemble's other fits.
std::string learner_file(const std::string& score, int member = 0);

}  // namespace prospect
