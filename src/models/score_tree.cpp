#include "prospect/models/score_tree.hpp"

#include <algorithm>
#include <cstring>

namespace prospect {

void evaluate(const ScoreNode& node, const std::vector<const float*>& evidence, float* out,
              std::size_t n) {
  if (node.is_leaf()) {
    std::memcpy(out, evidence[std::size_t(node.evidence)], n * sizeof(float));
    return;
  }
  std::vector<std::vector<float>> child_values;
  std::vector<const float*> inputs;
  for (const ScoreNode& child : node.children) {
    if (child.is_leaf()) {  // read leaves in place, no copy
      inputs.push_back(evidence[std::size_t(child.evidence)]);
      continue;
    }
    child_values.emplace_back(n);
    evaluate(child, evidence, child_values.back().data(), n);
    inputs.push_back(child_values.back().data());
  }
  combine(node.op, inputs, out, n);
}

namespace {
void collect(const ScoreNode& node, std::vector<int>& out) {
  if (node.is_leaf()) out.push_back(node.evidence);
  for (const auto& c : node.children) collect(c, out);
}
}  // namespace

std::vector<int> used_evidence(const ScoreNode& node) {
  std::vector<int> out;
  collect(node, out);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void weighted_composite(const std::vector<const float*>& scores, const std::vector<double>& weights,
                        float* out, std::size_t n) {
  OperatorSpec spec;
  spec.op = FuzzyOperator::weighted_sum;
  spec.weights = weights;
  combine(spec, scores, out, n);
}

}  // namespace prospect
