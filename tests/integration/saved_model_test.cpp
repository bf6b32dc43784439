// `saved_model:`: a machine-learning model fitted by one run, applied by another
// to a new survey without refitting, and refused where it would not fit.

#include <gdal_priv.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "prospect/cli/cli.hpp"
#include "prospect/raster/gdal_handles.hpp"
#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;
using ::testing::HasSubstr;

namespace {

std::string replaced(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? s : s.replace(at, from.size(), to);
}

// A feature collection of rectangles, each with a "rock" class.
std::string rocks(const std::vector<std::pair<std::string, std::array<double, 4>>>& boxes) {
  std::string features;
  for (const auto& [rock, b] : boxes) {
    char ring[300];
    std::snprintf(ring, sizeof ring, "[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]", b[0], b[1], b[2],
                  b[1], b[2], b[3], b[0], b[3], b[0], b[1]);
    features += std::string(features.empty() ? "" : ",") +
                R"({"type":"Feature","properties":{"rock":")" + rock +
                R"("},"geometry":{"type":"Polygon","coordinates":[)" + ring + "]}}";
  }
  return R"({"type":"FeatureCollection","features":[)" + features + "]}";
}

// 40 x 40 cells of 50 m: eth rising to the east; rocks "granite" in the west
// half and "carbonatite" in the east; deposits in the east on carbonatite.
class SavedModel : public ::testing::Test {
 protected:
  void SetUp() override {
    RasterFixture eth;
    eth.width = eth.height = 40;
    eth.origin_x = 466000;
    eth.origin_y = 7750000;
    eth.cell_x = eth.cell_y = 50;
    eth.values.resize(1600);
    for (int r = 0; r < 40; ++r)
      for (int c = 0; c < 40; ++c) eth.values[std::size_t(r) * 40 + c] = float(5 + c + 0.25 * r);
    write_raster(dir.file("eth.tif"), eth);
    write_text(dir.file("rocks.geojson"),
               rocks({{"granite", {466000, 7748000, 467000, 7750000}},
                      {"carbonatite", {467000, 7748000, 468000, 7750000}}}));
    write_text(dir.file("deposits.geojson"), points_geojson(8, 467600, 7748300, 40, 170));
    write_text(dir.file("fit.yaml"), fit_text);
    ASSERT_EQ(run_prospect({"run", dir.file("fit.yaml"), "--out", dir.file("fit"), "-q"}).code, 0);
  }

  std::string fit_text = R"(model: gradient_boosting
grid: {crs: EPSG:32733, cell_size: 50, extent: [466000, 7748000, 468000, 7750000]}
training:
  deposits: {path: deposits.geojson, crs: EPSG:32733}
  background: {ratio: 20, seed: 3}
learner: {trees: 20, depth: 2, ensemble: 3}
inputs:
  eth: {path: eth.tif}
  rocks: {path: rocks.geojson, crs: EPSG:32733, rasterize: {field: rock}}
evidence: {th: {input: eth}, rock: {input: rocks}}
scores: {Dy: {evidence: [th, rock]}}
targets: {top_percent: 10}
)";
  // The same evidence, made from the new survey's files, scored by the saved learners.
  std::string apply_text = R"(model: gradient_boosting
saved_model: fit
grid: {crs: EPSG:32733, cell_size: 50, extent: [466000, 7748000, 468000, 7750000]}
inputs:
  eth: {path: eth.tif}
  rocks: {path: rocks.geojson, crs: EPSG:32733, rasterize: {field: rock}}
evidence: {th: {input: eth}, rock: {input: rocks}}
scores: {Dy: {evidence: [th, rock]}}
targets: {top_percent: 10}
)";

  CliResult apply(const std::string& text, const std::string& out = "applied") {
    write_text(dir.file("apply.yaml"), text);
    return run_prospect({"run", dir.file("apply.yaml"), "--out", dir.file(out), "-q"});
  }

  TempDir dir;
};

}  // namespace

// The saved learner describes what it was fitted on: each evidence layer's
// input and settings, the class table, the CRS, the training files' hashes
// (those of the manifest); the ensemble's fits are saved beside it.
TEST_F(SavedModel, TheSavedLearnerDescribesItsFit) {
  const auto model = nlohmann::json::parse(read_file(dir.file("fit/models/Dy.json")));
  const auto d =
      nlohmann::json::parse(model["learner"]["attributes"]["prospect"].get<std::string>());
  EXPECT_EQ(d["kind"], "gradient_boosting");
  ASSERT_EQ(d["features"].size(), 2u);
  EXPECT_EQ(d["features"][0]["name"], "th");
  EXPECT_EQ(d["features"][0]["definition"]["kind"], "raster");
  EXPECT_EQ(d["features"][1]["type"], "c");
  EXPECT_EQ(d["features"][1]["classes"], (nlohmann::json{{"carbonatite", 1}, {"granite", 2}}));
  EXPECT_THAT(d["grid"]["crs_name"].get<std::string>(), HasSubstr("32733"));
  EXPECT_EQ(d["training"]["deposit_cells"], 8);
  const auto manifest = nlohmann::json::parse(read_file(dir.file("fit/manifest.json")));
  std::map<std::string, std::string> hashes;
  for (const auto& f : d["training"]["files"]) hashes[f["file"]] = f["hash"];
  ASSERT_EQ(hashes.size(), 3u);  // eth.tif, rocks.geojson, deposits.geojson
  for (const auto& in : manifest["inputs"]) {
    const std::string name = std::filesystem::path(in["path"].get<std::string>()).filename();
    EXPECT_EQ(hashes[name], in["hash"]) << name;
  }
  for (int m = 1; m <= 3; ++m)
    EXPECT_TRUE(
        std::filesystem::exists(dir.file("fit/models/ensemble/Dy." + std::to_string(m) + ".json")));
}

// The fit's report draws a class input's partial dependence as a level per
// class, the codes named beneath.
TEST_F(SavedModel, PartialDependenceOfClassesNamesThem) {
  write_text(dir.file("rock.yaml"), replaced(fit_text, "evidence: [th, rock]", "evidence: [rock]"));
  const CliResult r = run_prospect({"run", dir.file("rock.yaml"), "--out", dir.file("rock"), "-q"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string report = read_file(dir.file("rock/report.html"));
  EXPECT_THAT(report, HasSubstr("<figcaption>1 carbonatite, 2 granite</figcaption>"));
  EXPECT_THAT(report, HasSubstr(">Dy: rock</text>"));
}

// Applied to the survey it was fitted on, the saved learner gives the fit's
// map and spread to the bit; applied to part of it, the same values there.
TEST_F(SavedModel, AppliedLearnerScoresAsTheFit) {
  auto r = apply(apply_text);
  ASSERT_EQ(r.code, 0) << r.err;
  for (int band : {1, 2})
    EXPECT_EQ(read_band(dir.file("applied/prospectivity.tif"), band),
              read_band(dir.file("fit/prospectivity.tif"), band))
        << "band " << band;
  EXPECT_EQ(read_file(dir.file("applied/models/Dy.json")),
            read_file(dir.file("fit/models/Dy.json")));
  const auto manifest = nlohmann::json::parse(read_file(dir.file("applied/manifest.json")));
  EXPECT_THAT(manifest["gradient_boosting"]["scores"][0]["applied_from"].get<std::string>(),
              HasSubstr("Dy.json"));
  EXPECT_FALSE(manifest["gradient_boosting"].contains("background"));
  EXPECT_THAT(read_file(dir.file("applied/report.html")), HasSubstr("not fitted in this run"));

  // A new area: the eastern half of the grid (columns 20-39).
  r = apply(replaced(apply_text, "extent: [466000,", "extent: [467000,"), "east");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto whole = read_band(dir.file("fit/prospectivity.tif"), 1);
  const auto east = read_band(dir.file("east/prospectivity.tif"), 1);
  ASSERT_EQ(east.size(), 800u);
  for (int row = 0; row < 40; ++row)
    for (int col = 0; col < 20; ++col)
      EXPECT_EQ(east[std::size_t(row * 20 + col)], whole[std::size_t(row * 40 + col + 20)]);
}

// A survey whose values leave those the learner was fitted on is told so: the
// counts in the manifest equal a count made here from the raster and the
// range the saved learner records; the summary names the layer.
TEST_F(SavedModel, ValuesOutsideTheTrainingRangeAreNamed) {
  const auto model = nlohmann::json::parse(read_file(dir.file("fit/models/Dy.json")));
  const auto d =
      nlohmann::json::parse(model["learner"]["attributes"]["prospect"].get<std::string>());
  ASSERT_TRUE(d["features"][0].contains("training_range"));
  EXPECT_FALSE(d["features"][1].contains("training_range"));  // classes have none
  const double low = d["features"][0]["training_range"][0];
  const double high = d["features"][0]["training_range"][1];
  EXPECT_LT(low, high);

  RasterFixture eth;  // the fit's eth, 20 higher: the east runs past the fitted values
  eth.width = eth.height = 40;
  eth.origin_x = 466000;
  eth.origin_y = 7750000;
  eth.cell_x = eth.cell_y = 50;
  long long below = 0, above = 0;
  for (int r = 0; r < 40; ++r)
    for (int c = 0; c < 40; ++c) {
      eth.values.push_back(float(25 + c + 0.25 * r));
      below += double(eth.values.back()) < low;
      above += double(eth.values.back()) > high;
    }
  ASSERT_GT(above, 0);
  write_raster(dir.file("eth_high.tif"), eth);
  write_text(dir.file("apply.yaml"), replaced(apply_text, "eth.tif", "eth_high.tif"));
  const CliResult r = run_prospect({"run", dir.file("apply.yaml"), "--out", dir.file("high")});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto manifest = nlohmann::json::parse(read_file(dir.file("high/manifest.json")));
  const auto& ranges = manifest["gradient_boosting"]["scores"][0]["outside_training_range"];
  ASSERT_EQ(ranges.size(), 1u);
  EXPECT_EQ(ranges[0]["evidence"], "th");
  EXPECT_EQ(ranges[0]["cells_with_a_value"], 1600);
  EXPECT_EQ(ranges[0]["below"], below);
  EXPECT_EQ(ranges[0]["above"], above);
  EXPECT_THAT(r.out, HasSubstr("prospect: Dy: 'th' lies outside the values the learner was "
                               "fitted on"));
  EXPECT_THAT(read_file(dir.file("high/report.html")), HasSubstr("read the map there as"));
}

// A survey without granite: carbonatite keeps the code it was fitted with (2
// by its own data would make it 1, granite's), so its cells score as in the fit.
TEST_F(SavedModel, ClassesKeepTheirFittedCodes) {
  write_text(dir.file("carbonatite.geojson"),
             rocks({{"carbonatite", {467000, 7748000, 468000, 7750000}}}));
  auto r = apply(replaced(apply_text, "path: rocks.geojson", "path: carbonatite.geojson"));
  ASSERT_EQ(r.code, 0) << r.err;
  const auto fitted = read_band(dir.file("fit/prospectivity.tif"), 1);
  const auto applied = read_band(dir.file("applied/prospectivity.tif"), 1);
  for (int row = 0; row < 40; ++row)
    for (int col = 20; col < 40; ++col)
      EXPECT_EQ(applied[std::size_t(row * 40 + col)], fitted[std::size_t(row * 40 + col)]);
  // A class the learner never saw is refused, naming it.
  write_text(dir.file("dolerite.geojson"),
             rocks({{"dolerite", {466000, 7748000, 467000, 7750000}},
                    {"carbonatite", {467000, 7748000, 468000, 7750000}}}));
  r = apply(replaced(apply_text, "path: rocks.geojson", "path: dolerite.geojson"));
  EXPECT_EQ(r.code, 3);
  EXPECT_THAT(r.err, HasSubstr("'dolerite'"));
  EXPECT_THAT(r.err, HasSubstr("knows the classes carbonatite, granite only"));
}

// What does not match the fit is refused before anything is scored, saying what differs.
TEST_F(SavedModel, MismatchesAreRefused) {
  struct Case {
    std::string from, to, says;
    int code;
  };
  const std::vector<Case> cases = {
      {"evidence: [th, rock]", "evidence: [rock, th]",
       "was fitted on the evidence th, rock, and scores.Dy here uses rock, th", 3},
      {"eth: {path: eth.tif}", "eth: {path: eth.tif, resampling: bilinear}",
       "evidence 'th' was made another way when the model was fitted (resampling \"nearest\" "
       "when fitted, \"bilinear\" here)",
       3},
      {"model: gradient_boosting", "model: random_forest",
       "was fitted as gradient_boosting, and the model file says model: random_forest", 3},
      {"grid: {crs: EPSG:32733,", "grid: {crs: EPSG:32734,",
       "was fitted on a grid in WGS 84 / UTM zone 33S (EPSG:32733), and this grid is in WGS 84 / "
       "UTM zone 34S (EPSG:32734)",
       3},
      {"saved_model: fit", "saved_model: nowhere",
       "nowhere/models/Dy.json: while reading the saved model of Dy: does not exist", 3},
      {"saved_model: fit", "saved_model: fit\nlearner: {trees: 5}",
       "'learner' fits a new model, and saved_model applies a fitted one", 2},
      {"evidence: [th, rock]}", "evidence: [th, rock], where: \"x > 1\"}",
       "scores.Dy.where filters training deposits; a saved_model is applied, not fitted", 2},
  };
  for (const Case& c : cases) {
    const CliResult r = apply(replaced(apply_text, c.from, c.to));
    EXPECT_EQ(r.code, c.code) << c.to << "\n" << r.err;
    EXPECT_THAT(r.err, HasSubstr(c.says)) << c.to;
    EXPECT_FALSE(std::filesystem::exists(dir.file("applied"))) << c.to;
  }
  // The saved model's folder is an input: a run may not replace it.
  const CliResult r = apply(apply_text, "fit");
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("holds an input file"));
  EXPECT_TRUE(std::filesystem::exists(dir.file("fit/models/Dy.json")));
}

// A description that lacks a part is refused up front, not met later by the report.
TEST_F(SavedModel, ADamagedDescriptionIsRefused) {
  auto model = nlohmann::json::parse(read_file(dir.file("fit/models/Dy.json")));
  auto d = nlohmann::json::parse(model["learner"]["attributes"]["prospect"].get<std::string>());
  d.erase("training");
  model["learner"]["attributes"]["prospect"] = d.dump();
  write_text(dir.file("fit/models/Dy.json"), model.dump());
  write_text(dir.file("apply.yaml"), apply_text);
  const CliResult r = run_prospect({"run", dir.file("apply.yaml"), "--out", dir.file("applied")});
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_THAT(r.err, HasSubstr("has a description of its evidence that lacks a part"));
}

// Another cell size is allowed, with a warning saying what it can change.
TEST_F(SavedModel, AnotherCellSizeIsAWarning) {
  const CliResult r = run_prospect(
      {"run",
       write_text(dir.file("apply.yaml"), replaced(apply_text, "cell_size: 50", "cell_size: 100")),
       "--out", dir.file("coarse")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("warning: the saved model of Dy was fitted on cells of 50, and this "
                               "grid's are 100"));
}

// `prospect check` reads the saved learners as a run would.
TEST_F(SavedModel, CheckNamesTheSavedLearner) {
  write_text(dir.file("apply.yaml"), apply_text);
  CliResult r = run_prospect({"check", dir.file("apply.yaml")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("gradient_boosting fitted on 8 deposit cells, with 3 ensemble fits"));
  write_text(dir.file("apply.yaml"),
             replaced(apply_text, "evidence: [th, rock]", "evidence: [th]"));
  r = run_prospect({"check", dir.file("apply.yaml")});
  EXPECT_EQ(r.code, 3);
  EXPECT_THAT(r.err, HasSubstr("scores.Dy here uses th"));
}
