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

}  // namespace prospect
