#include "prospect/output/report.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

using namespace prospect;
using ::testing::HasSubstr;

namespace {

bool any_says(const std::vector<std::string>& lines, const std::string& text) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& l) { return l.find(text) != std::string::npos; });
}

struct Fixture {
  ModelSpec model;
  RunRecord record;
  ReportContext context() const {
    ReportContext c;
    c.model = &model;
    c.record = &record;
    return c;
  }
};

BandValidation band(const std::string& name, std::size_t deposits, bool held_out) {
  BandValidation v;
  v.band = name;
  v.deposits = deposits;
  v.held_out = held_out;
  v.auc = 0.8;
  v.auc_low = 0.7;
  v.auc_high = 0.9;
  return v;
}

}  // namespace

TEST(ReportWarnings, PlainWordsForEachProblem) {
  Fixture f;
  f.model.targets.enabled = true;
  f.model.targets.score = "HREE";
  f.model.targets.top_percent = 2;
  f.model.targets.min_area_ha = 50;
  f.record.target_count = 0;
  BandValidation few = band("Dy", 6, false);
  for (int i = 0; i < 8; ++i) {
    LocatedDeposit d;
    d.place = i == 0 ? DepositPlace::outside_grid
                     : (i == 1 ? DepositPlace::outside_study_area : DepositPlace::on_cell);
    few.account.add(d, false);
  }
  BandValidation flat = band("Tb", 30, false);
  flat.constant_score = true;
  f.record.validation = {few, flat, band("Y", 0, false)};
  CrossValidation cv;
  cv.band = "Dy";
  cv.plan.problem = "all 6 deposits lie in one block";
  f.record.cross_validation = {cv};
  f.record.warnings = {"Dy: evidence 'x' has no data in the study area"};

  const auto w = report_warnings(f.context());
  EXPECT_TRUE(any_says(w, "has no data in the study area"));  // the run's own warnings come along
  EXPECT_TRUE(any_says(w, "No target zones"));                // zero targets, with what to change
  EXPECT_TRUE(any_says(w, "lower min_area_ha"));
  EXPECT_TRUE(any_says(w, "Only 6 deposits validate Dy"));  // few deposits
  // Each deposit left out, with its reason.
  EXPECT_TRUE(any_says(w,
                       "Dy: 2 of 8 deposits are not counted: 1 outside the grid, 1 inside the "
                       "study-area polygon but on a cell whose centre is outside it"));
  EXPECT_TRUE(any_says(w, "Tb has the same score in every valid cell"));  // constant band
  EXPECT_TRUE(any_says(w, "Y: no validation deposit lies on a scored cell"));
  EXPECT_TRUE(any_says(w, "No held-out deposits"));  // success rate only
  EXPECT_TRUE(any_says(w, "cross-validation not run: all 6 deposits lie in one block"));
}

TEST(ReportWarnings, QuietWhenAllIsWellAndSkippedValidationIsNotAProblem) {
  Fixture f;
  f.model.targets.enabled = true;
  f.record.target_count = 3;
  f.record.validation = {band("Dy", 40, true)};
  EXPECT_TRUE(report_warnings(f.context()).empty());
  Fixture g;
  g.model.targets.enabled = false;
  ReportContext c = g.context();
  c.validation_skipped = true;
  EXPECT_TRUE(report_warnings(c).empty());
}

// Over-fitting: the full fit ranks its training deposits far above where the
// same deposits land when each is held out of its fit. A gap of 0.1 or less is
// the usual optimism of a fit, and says nothing.
TEST(ReportWarnings, OverFittingInPlainWords) {
  Fixture f;
  f.model.targets.enabled = false;
  f.record.validation = {band("Dy", 40, true)};
  CrossValidation cv;
  cv.band = "Dy";
  cv.plan.folds = 10;
  cv.full_fit_auc = 0.99;
  cv.pooled_auc = 0.81;
  f.record.cross_validation = {cv};
  auto w = report_warnings(f.context());
  EXPECT_TRUE(any_says(w,
                       "Dy: the model ranks its own training deposits at AUC 0.99 but the same "
                       "deposits, each held out of its fit, at 0.81"));
  EXPECT_TRUE(any_says(w, "(over-fitting)"));
  f.record.cross_validation[0].pooled_auc = 0.9;
  w = report_warnings(f.context());
  EXPECT_FALSE(any_says(w, "over-fitting"));
}
