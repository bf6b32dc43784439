#pragma once
// A score is a tree of fuzzy operators over evidence layers, e.g.
//   gamma(0.9, [and(carbonatite, alteration), or(near_faults, th_high)])
// evaluated tile by tile. Pure: buffers in, buffer out.

#include <cstddef>
#include <string>
#include <vector>

#include "prospect/models/fuzzy.hpp"

namespace prospect {

struct ScoreNode {
  int evidence = -1;  // >= 0: a leaf, index into the evidence buffers
  OperatorSpec op;    // for inner nodes
  std::vector<ScoreNode> children;
  bool is_leaf() const { return evidence >= 0; }
};

// out[count] = value of `node` given evidence[e][count] membership buffers.
void evaluate(const ScoreNode& node, const std::vector<const float*>& evidence, float* out,
              std::size_t count);

// Evidence indices the tree uses (sorted, unique).
std::vector<int> used_evidence(const ScoreNode& node);

// Value-weighted composite: sum_k w_k * score_k / sum_k w_k; NaN where any is NaN.
void weighted_composite(const std::vector<const float*>& scores, const std::vector<double>& weights,
                        float* out, std::size_t count);

}  // namespace prospect
