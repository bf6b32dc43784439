#include "prospect/kinds/wofe_conditions.hpp"

#include <algorithm>
#include <limits>

namespace prospect {

std::optional<ConditionTable> condition_table(const PosteriorModel& model) {
  ConditionTable t;
  std::size_t count = 1;
  for (const LayerWeights& layer : model.layers) {
    t.stride.push_back(std::uint32_t(count));
    count *= layer.group_weight.size() + 1;
    if (count > ConditionTable::k_max_conditions) return std::nullopt;
  }
  // Each combination as a row of class values: a class of each group, NaN for missing.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<std::vector<float>> columns(model.layers.size(), std::vector<float>(count, nan));
  for (std::size_t j = 0; j < model.layers.size(); ++j) {
    const LayerWeights& layer = model.layers[j];
    std::vector<float> class_of_group(layer.group_weight.size(), nan);
    for (std::size_t c = layer.class_values.size(); c-- > 0;)
      if (layer.class_group[c] >= 0)
        class_of_group[std::size_t(layer.class_group[c])] = float(layer.class_values[c]);
    const std::size_t radix = layer.group_weight.size() + 1;
    for (std::size_t key = 0; key < count; ++key) {
      const std::size_t g = key / t.stride[j] % radix;
      if (g > 0) columns[j][key] = class_of_group[g - 1];
    }
  }
  std::vector<const float*> ptrs;
  for (const auto& c : columns) ptrs.push_back(c.data());
  t.probability.resize(count);
  t.stddev.resize(count);
  posterior(model, ptrs, count, t.probability.data(), t.stddev.data());
  return t;
}

void look_up(const ConditionTable& table, const PosteriorModel& model,
             const std::vector<const float*>& classes, std::size_t n,
             std::vector<std::uint32_t>& groups, std::vector<std::uint64_t>* class_keys, float* p,
             float* sd) {
  groups.assign(n, 0);
  if (class_keys) class_keys->assign(n, 0);
  std::vector<std::uint8_t> class_index(n);
  std::uint64_t class_stride = 1;
  for (std::size_t j = 0; j < model.layers.size(); ++j) {
    const LayerWeights& layer = model.layers[j];
    const std::vector<double>& values = layer.class_values;
    const std::size_t missing = values.size();
    // Per class index (and missing, last): the group term of the table's key.
    std::vector<std::uint32_t> group_term(missing + 1, 0);
    for (std::size_t c = 0; c < missing; ++c)
      group_term[c] = std::uint32_t(layer.class_group[c] + 1) * table.stride[j];
    const float* c = classes[j];
    if (missing <= 32) {
      class_indices(values, c, class_index.data(), n);
      for (std::size_t i = 0; i < n; ++i) {
        const std::size_t index = class_index[i];  // missing where none of the values
        groups[i] += group_term[index];
        if (class_keys) (*class_keys)[i] += index * class_stride;
      }
    } else {  // many classes (lithology codes): a binary search
      for (std::size_t i = 0; i < n; ++i) {
        const double v = c[i];
        std::size_t index =
            std::size_t(std::lower_bound(values.begin(), values.end(), v) - values.begin());
        if (index == missing || values[index] != v) index = missing;
        groups[i] += group_term[index];
        if (class_keys) (*class_keys)[i] += index * class_stride;
      }
    }
    class_stride *= missing + 1;
  }
  for (std::size_t i = 0; i < n; ++i) {
    p[i] = table.probability[groups[i]];
    sd[i] = table.stddev[groups[i]];
  }
}

}  // namespace prospect
