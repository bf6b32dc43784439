#pragma once
// Cross-validation folds over deposits, spatially blocked: deposits closer
// than the block size to one another (directly or through a chain of such
// neighbours) form one block, and a block is never split between folds, so a
// held-out deposit has no twin a few cells away in the training set. Blocks go
// to folds largest first, each to the fold holding the fewest deposits so far;
// blocks of equal size are ordered by a seeded shuffle, so the same seed gives
// the same folds. Leave-one-out is one fold per block. Pure: no GDAL.

#include <string>
#include <vector>

#include "prospect/spec/model.hpp"

namespace prospect {

struct FoldPlan {
  std::vector<int> fold_of;  // per deposit, 0-based
  int folds = 0;             // 0: cross-validation is impossible (see `problem`)
  int blocks = 0;
  std::string problem;  // why there are no folds, in words
  std::string note;     // e.g. fewer folds than asked for
};

// `x`, `y`: deposit positions in metres (or any unit `block_size` is in);
// `folds` 0 asks for leave-one-out; `block_size` 0 leaves every deposit its own block.
FoldPlan plan_folds(const std::vector<double>& x, const std::vector<double>& y, int folds,
                    double block_size, unsigned long long seed);

// Mean, sample standard deviation and range of the folds' AUCs.
struct FoldSpread {
  double mean = 0, std_dev = 0, min = 0, max = 0;
  int folds = 0;
};
FoldSpread fold_spread(const std::vector<double>& fold_aucs);

// The outcome of cross-validating one score, whatever the model: folds planned
// over the training deposits, one refit per fold, the held-out deposits ranked
// on each refit map.
struct FoldOutcome {
  std::size_t training = 0, held_out = 0;
  double auc = 0;       // of the held-out deposits on the fold's refit map
  std::string problem;  // why the fold could not be refitted ("" when it was)
};

// How much the held-out AUC falls when one evidence layer's values are
// shuffled among the cells it is measured on (permutation importance).
struct PermutationImportance {
  std::string evidence;
  double auc_drop = 0;  // mean over the refitted folds
};

struct CrossValidation {
  std::string band;
  std::string method;  // in words, e.g. "10-fold, spatially blocked at 1000 m"
  FoldPlan plan;
  std::vector<FoldOutcome> folds;
  FoldSpread spread;        // of the fold AUCs (folds refitted)
  double pooled_auc = 0;    // every held-out deposit on its own fold's map, together
  double full_fit_auc = 0;  // the same deposits on the map fitted to all (a success rate)
  std::vector<PermutationImportance> importance;  // kinds that measure it (machine learning)
  int folds_asked = 0;                            // 0: leave-one-out
  double block_m = 0;
  unsigned long long seed = 0;
};

// The folds for deposits at (x, y) in metres, and the method in words.
CrossValidation plan_cross_validation(const std::string& band, const CrossValidationSpec& cv,
                                      const std::vector<double>& x_m,
                                      const std::vector<double>& y_m);

// Fills out.spread from the refitted folds' AUCs and out.pooled_auc as the mean
// of `placements`: each held-out deposit's place on its own fold's map.
void summarise_folds(CrossValidation& out, const std::vector<double>& fold_aucs,
                     const std::vector<double>& placements);

}  // namespace prospect
