#include "prospect/kinds/logistic_fit.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <random>
#include <sstream>

#include "prospect/config/model_file.hpp"
#include "prospect/kinds/logistic_cv.hpp"
#include "prospect/models/logistic_impl.hpp"
#include "prospect/run/model_setup.hpp"
#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;

namespace {

constexpr int k_width = 1200, k_height = 1000;  // 1.2 M cells: the fit starts from a subsample

// Two predictors on a 1200 x 1000 grid of 10 m cells, with nodata in a block
// of the first; deposits drawn cell by cell with logit p = -8 + 1.5 a + 0.8 b.
struct Survey {
  TempDir dir;
  std::vector<float> a, b;
  ModelSpec model;
  AnalysisGrid grid;
  std::vector<Tile> tiles;

  Survey() {
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> u(0, 1);
    const std::size_t n = std::size_t(k_width) * k_height;
    a.resize(n);
    b.resize(n);
    std::ostringstream points;
    points << R"({"type":"FeatureCollection","features":[)";
    int deposits = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const int col = int(i % k_width), row = int(i / k_width);
      a[i] = float(col) / k_width * 2 + u(rng);
      b[i] = float(row) / k_height * 3 + 0.5f * u(rng);
      if (col > 100 && col < 300 && row > 200 && row < 260) a[i] = -9999;  // nodata
      const double eta = -8 + 1.5 * a[i] + 0.8 * b[i];
      if (a[i] != -9999 && u(rng) < 1 / (1 + std::exp(-eta))) {
        points << (deposits++ ? "," : "")
               << R"({"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[)"
               << col * 10 + 5 << "," << -(row * 10 + 5) << "]}}";
      }
    }
    points << "]}";
    for (auto [name, values] : {std::pair{"a.tif", &a}, std::pair{"b.tif", &b}}) {
      RasterFixture r;
      r.width = k_width;
      r.height = k_height;
      r.cell_x = r.cell_y = 10;
      r.nodata = -9999;
      r.values = *values;
      write_raster(dir.file(name), r);
    }
    write_text(dir.file("deposits.geojson"), points.str());
    write_text(dir.file("m.yaml"), R"(name: logistic-samples
model: logistic
grid: {like: a.tif}
inputs:
  a: {path: a.tif}
  b: {path: b.tif}
training: {deposits: {path: deposits.geojson, crs: EPSG:32733}}
evidence:
  ea: {input: a}
  eb: {input: b}
scores: {P: {evidence: [ea, eb]}}
validation: {cross_validation: {folds: 4, block_m: 300}}
outputs: {tile_size: 128}
)");
    model = load_model(dir.file("m.yaml"));
    grid = build_grid(model);
    tiles = make_tiles(grid.width(), grid.height(), model.outputs.tile_size);
    area = std::make_unique<StudyArea>(grid);
    inputs = std::make_unique<InputSet>(model.inputs, grid);
  }

  // The samples read them again in later passes: they live as long as the survey.
  std::unique_ptr<StudyArea> area;
  std::unique_ptr<InputSet> inputs;

  std::vector<LogisticScoreFit> fit(int threads, std::size_t memory_budget) const {
    return fit_logistic_model(model, grid, *area, tiles, *inputs, threads, memory_budget);
  }
};

const Survey& survey() {
  static const Survey s;
  return s;
}

}  // namespace

// Kept in memory or read again from the inputs for every pass, on one worker
// or two: the same samples in the same order, so the same coefficients, bit for bit.
TEST(LogisticFit, SamplesKeptOrReadAgainGiveTheSameBits) {
  const Survey& s = survey();
  const auto kept = s.fit(2, std::size_t(1) << 30);
  const auto reread = s.fit(2, 0);
  const auto one_worker = s.fit(1, 0);
  ASSERT_TRUE(kept[0].samples->kept_in_memory());
  ASSERT_FALSE(reread[0].samples->kept_in_memory());
  EXPECT_LT(kept[0].samples->subsample().background_share, 1.0);  // a real subsample
  EXPECT_GT(kept[0].fit.deposit_cells, 100);
  for (const auto* other : {&reread, &one_worker}) {
    EXPECT_EQ(kept[0].fit.beta, (*other)[0].fit.beta);
    EXPECT_EQ(kept[0].fit.std_error, (*other)[0].fit.std_error);
    EXPECT_EQ(kept[0].fit.log_likelihood, (*other)[0].fit.log_likelihood);
    EXPECT_EQ(kept[0].fit.iterations, (*other)[0].fit.iterations);
  }

  // Cross-validation over either: the same folds, the same AUCs.
  const CrossValidation a =
      cross_validate_logistic(s.model, s.model.scores[0], kept[0], s.grid, s.tiles);
  const CrossValidation b =
      cross_validate_logistic(s.model, s.model.scores[0], reread[0], s.grid, s.tiles);
  ASSERT_EQ(a.folds.size(), 4u);
  ASSERT_EQ(b.folds.size(), 4u);
  EXPECT_EQ(a.full_fit_auc, b.full_fit_auc);
  for (std::size_t f = 0; f < 4; ++f) EXPECT_EQ(a.folds[f].auc, b.folds[f].auc) << f;
}

// The fit that starts from its subsample ends where plain IRLS from the
// intercept does, over every cell read straight from the rasters.
TEST(LogisticFit, TheSubsampleStartEndsAtTheFullFit) {
  const Survey& s = survey();
  const auto fits = s.fit(2, 0);
  std::vector<float> a = s.a, b = s.b;
  for (float* v : {a.data(), b.data()})
    for (std::size_t i = 0; i < a.size(); ++i)
      if (v[i] == -9999) v[i] = NAN;
  std::vector<unsigned char> y(a.size(), 0);
  std::size_t deposits = 0;
  for (std::size_t t = 0; t < s.tiles.size(); ++t)
    for (std::size_t cell : fits[0].deposit_cells->per_tile[t]) {
      const Window& w = s.tiles[t].window;
      const std::size_t i = std::size_t(w.row + int(cell) / w.width) * k_width +
                            std::size_t(w.col + int(cell) % w.width);
      deposits += !y[i];
      y[i] = 1;
    }
  const LogisticFit plain = fit_logistic(2, [&](const std::vector<double>& beta) {
    IrlsAccumulator sums(2);
    sums.add({a.data(), b.data()}, y.data(), y.size(), beta);
    return sums;
  });
  ASSERT_TRUE(plain.converged);
  EXPECT_EQ(plain.deposit_cells, double(deposits));
  EXPECT_EQ(fits[0].fit.deposit_cells, double(deposits));
  for (std::size_t j = 0; j < 3; ++j) {
    EXPECT_NEAR(fits[0].fit.beta[j], plain.beta[j], 1e-9 * std::abs(plain.beta[j])) << j;
    EXPECT_NEAR(fits[0].fit.std_error[j], plain.std_error[j], 1e-7 * plain.std_error[j]) << j;
  }
  EXPECT_NEAR(fits[0].fit.log_likelihood, plain.log_likelihood,
              1e-11 * std::abs(plain.log_likelihood));
  EXPECT_LT(fits[0].fit.iterations, plain.iterations);  // what the start is for
}
