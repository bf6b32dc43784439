#include "prospect/run/target_drivers.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "prospect/config/model_file.hpp"

using namespace prospect;

// The study area's term sums against a plain loop: cells where the term or the
// target score is NaN left out, any n (not only multiples of the eight lanes).
TEST(TermSums, AddWhereScoredSumsTheScoredCellsOnly) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (std::size_t n : {0u, 1u, 3u, 4u, 7u, 8u, 9u, 16u, 17u, 1001u, 262144u}) {
    std::vector<float> terms(n), target(n);
    double expected = 0;
    std::int64_t expected_count = 0;
    for (std::size_t i = 0; i < n; ++i) {
      terms[i] = i % 5 == 1 ? nan : float(std::sin(double(i)) * 3);
      target[i] = i % 7 == 2 ? nan : 0.5f;
      if (!std::isnan(terms[i]) && !std::isnan(target[i])) {
        expected += terms[i];
        ++expected_count;
      }
    }
    TermSums sums;
    sums.sum = {10.0, 0.0};
    sums.count = {2, 0};
    sums.add_where_scored(1, terms.data(), target.data(), n);
    EXPECT_NEAR(sums.sum[1], expected, 1e-12 * (1 + std::abs(expected))) << n;
    EXPECT_EQ(sums.count[1], expected_count) << n;
    EXPECT_EQ(sums.sum[0], 10.0);  // other layers untouched
    EXPECT_EQ(sums.count[0], 2);
  }
}

namespace {

// A kind whose term for layer e at cell i is inputs[e][i] * (e + 1), NaN
// where the input is: enough to tell the layers apart.
class ScaledInputs : public FittedModel {
 public:
  std::string units() const override { return "test"; }
  void add_to_manifest(nlohmann::ordered_json&) const override {}
  std::string report_html() const override { return ""; }
  std::unique_ptr<KindScratch> new_scratch() const override { return nullptr; }
  void score(ScoringTile&, KindScratch&, KindTileState*) const override {}
  void layer_terms(int evidence, const std::vector<ScorePart>&,
                   const std::vector<std::vector<float>>& inputs,
                   const std::vector<std::vector<float>>*, std::size_t n, float* out,
                   std::vector<float>&) const override {
    for (std::size_t i = 0; i < n; ++i)
      out[i] = inputs[std::size_t(evidence)][i] * float(evidence + 1);
  }
};

}  // namespace

// The scoring pass sums the terms layer by layer; the sums are those of the
// terms computed all at once, then summed.
TEST(EvidenceTerms, StudySumsEqualTheSumsOfTheComputedTerms) {
  const ModelSpec model =
      parse_model(R"(grid: {crs: EPSG:32733, cell_size: 100, extent: [0, 0, 1000, 1000]}
inputs: {a: {path: a.tif}, b: {path: b.tif}}
evidence:
  ea: {input: a, membership: {function: linear, low: 0, high: 1}}
  eb: {input: b, membership: {function: linear, low: 0, high: 1}}
scores: {S: {op: or, of: [ea, eb]}}
targets: false
)",
                  "study_sums_test.yaml");
  const ScaledInputs fitted;
  const EvidenceTerms terms(model, 0, fitted);
  ASSERT_EQ(terms.layers().size(), 2u);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::size_t n = 1003;
  std::vector<std::vector<float>> inputs(2, std::vector<float>(n));
  std::vector<float> target(n);
  for (std::size_t i = 0; i < n; ++i) {
    inputs[0][i] = i % 11 == 3 ? nan : float(std::cos(double(i)));
    inputs[1][i] = i % 13 == 5 ? nan : float(i % 17) / 17.0f;
    target[i] = i % 9 == 4 ? nan : 1.0f;
  }
  TermSums expected = terms.empty_sums();
  std::vector<std::vector<float>> all;
  std::vector<float> scratch, term;
  terms.compute(inputs, n, all, scratch);
  for (std::size_t k = 0; k < all.size(); ++k)
    expected.add_where_scored(k, all[k].data(), target.data(), n);
  TermSums got = terms.empty_sums();
  terms.add_study_sums(inputs, target.data(), n, got, term, scratch);
  EXPECT_EQ(got.sum, expected.sum);
  EXPECT_EQ(got.count, expected.count);
  EXPECT_GT(got.count[0], 0);
  EXPECT_NE(got.sum[0], got.sum[1]);
}
