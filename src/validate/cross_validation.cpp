#include "prospect/validate/cross_validation.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace prospect {
namespace {

// Union-find with path halving: single-linkage blocks.
struct Blocks {
  std::vector<std::size_t> parent;
  explicit Blocks(std::size_t n) : parent(n) {
    std::iota(parent.begin(), parent.end(), std::size_t(0));
  }
  std::size_t root(std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  }
  void join(std::size_t a, std::size_t b) {
    a = root(a);
    b = root(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);  // the lowest index names the block
  }
};

}  // namespace

FoldPlan plan_folds(const std::vector<double>& x, const std::vector<double>& y, int folds,
                    double block_size, unsigned long long seed) {
  FoldPlan plan;
  const std::size_t n = x.size();
  plan.fold_of.assign(n, -1);
  if (n < 2) {
    plan.problem = "cross-validation needs at least 2 deposits, there " +
                   std::string(n == 1 ? "is 1" : "are none");
    return plan;
  }
  // Pairs closer than the block size; sorted by x so each deposit only looks
  // at the neighbours within block_size along x.
  Blocks blocks(n);
  if (block_size > 0) {
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n && x[order[j]] - x[order[i]] < block_size; ++j) {
        const double dx = x[order[j]] - x[order[i]], dy = y[order[j]] - y[order[i]];
        if (std::hypot(dx, dy) < block_size) blocks.join(order[i], order[j]);
      }
  }
  // Members of each block, blocks in the order of their first deposit.
  std::vector<std::vector<std::size_t>> members;
  std::vector<int> block_index(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t r = blocks.root(i);
    if (block_index[r] < 0) {
      block_index[r] = int(members.size());
      members.emplace_back();
    }
    members[std::size_t(block_index[r])].push_back(i);
  }
  plan.blocks = int(members.size());
  if (plan.blocks < 2) {
    plan.problem = "all " + std::to_string(n) +
                   " deposits lie in one block (each within the block size of another); "
                   "cross-validation needs at least 2 blocks: use a smaller block size";
    return plan;
  }
  int k = folds <= 0 ? plan.blocks : folds;
  if (k > plan.blocks) {
    plan.note = std::to_string(folds) + " folds were asked for but there are only " +
                std::to_string(plan.blocks) + " blocks of deposits; ran " +
                std::to_string(plan.blocks) + " folds (one block each)";
    k = plan.blocks;
  }
  plan.folds = k;

  std::mt19937_64 rng(seed);
  std::vector<std::uint64_t> key(members.size());
  for (auto& v : key) v = rng();
  std::vector<std::size_t> order(members.size());
  std::iota(order.begin(), order.end(), std::size_t(0));
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (members[a].size() != members[b].size()) return members[a].size() > members[b].size();
    return key[a] != key[b] ? key[a] < key[b] : a < b;
  });
  std::vector<std::size_t> load(std::size_t(k), 0);
  for (std::size_t b : order) {
    const std::size_t f = std::size_t(std::min_element(load.begin(), load.end()) - load.begin());
    load[f] += members[b].size();
    for (std::size_t d : members[b]) plan.fold_of[d] = int(f);
  }
  return plan;
}

FoldSpread fold_spread(const std::vector<double>& aucs) {
  FoldSpread s;
  s.folds = int(aucs.size());
  if (aucs.empty()) return s;
  s.mean = std::accumulate(aucs.begin(), aucs.end(), 0.0) / double(aucs.size());
  double ss = 0;
  for (double a : aucs) ss += (a - s.mean) * (a - s.mean);
  s.std_dev = aucs.size() > 1 ? std::sqrt(ss / double(aucs.size() - 1)) : 0.0;
  s.min = *std::min_element(aucs.begin(), aucs.end());
  s.max = *std::max_element(aucs.begin(), aucs.end());
  return s;
}

CrossValidation plan_cross_validation(const std::string& band, const CrossValidationSpec& cv,
                                      const std::vector<double>& x_m,
                                      const std::vector<double>& y_m) {
  CrossValidation out;
  out.band = band;
  out.folds_asked = cv.folds;
  out.block_m = cv.block_m;
  out.seed = cv.seed;
  out.plan = plan_folds(x_m, y_m, cv.folds, cv.block_m, cv.seed);
  out.method =
      (cv.folds <= 0 ? std::string("leave-one-out") : std::to_string(out.plan.folds) + "-fold") +
      (cv.block_m > 0
           ? ", spatially blocked at " + std::to_string(int(std::lround(cv.block_m))) + " m"
           : ", not spatially blocked (every deposit its own block)");
  return out;
}

void summarise_folds(CrossValidation& out, const std::vector<double>& fold_aucs,
                     const std::vector<double>& placements) {
  out.spread = fold_spread(fold_aucs);
  double sum = 0;
  for (double v : placements) sum += v;
  out.pooled_auc = placements.empty() ? 0 : sum / double(placements.size());
}

}  // namespace prospect
