// The CLI end to end, in-process: a small survey written to a temporary folder,
// `prospect run` on it, and the outputs checked against independent computations.

#include "prospect/cli/cli.hpp"

#include <cpl_minixml.h>
#include <gdal_priv.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>

#include "prospect/core/hash.hpp"
#include "prospect/output/output_folder.hpp"
#include "prospect/raster/gdal_handles.hpp"
#include "support/cog_layout.hpp"
#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

namespace {

std::string replace_text(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? s : s.replace(at, from.size(), to);
}

// A width x height raster of 10 m cells from (400000, 7800000), UTM 33S, its
// values all 0 until the test sets them.
RasterFixture ten_metre_raster(int width, int height) {
  RasterFixture f;
  f.width = width;
  f.height = height;
  f.origin_x = 400000;
  f.origin_y = 7800000;
  f.cell_x = f.cell_y = 10;
  f.values.assign(std::size_t(width) * std::size_t(height), 0.0f);
  return f;
}

// 40 x 40 cells of 50 m in UTM 33S near Lofdal. eth rises to the east, K to the
// north; a nodata hole in eth; the study area leaves out the western quarter.
class Survey : public ::testing::Test {
 protected:
  void SetUp() override {
    RasterFixture eth;
    eth.width = eth.height = 40;
    eth.origin_x = 466000;
    eth.origin_y = 7750000;
    eth.cell_x = eth.cell_y = 50;
    eth.nodata = -9999;
    eth.values.resize(1600);
    for (int r = 0; r < 40; ++r)
      for (int c = 0; c < 40; ++c) eth.values[std::size_t(r) * 40 + c] = float(5 + c + 0.25 * r);
    eth.values[20 * 40 + 30] = -9999;
    write_raster(dir.file("eth.tif"), eth);

    RasterFixture k = eth;
    k.nodata.reset();
    for (int r = 0; r < 40; ++r)
      for (int c = 0; c < 40; ++c)
        k.values[std::size_t(r) * 40 + c] = float(4.0 - r * 0.08 + c * 0.01);
    write_raster(dir.file("k.tif"), k);

    write_text(dir.file("area.geojson"),
               polygon_geojson({466500, 7748000, 468000, 7748000, 468000, 7750000, 466500, 7750000,
                                466500, 7748000}));
    write_text(dir.file("model.yaml"), model_text);
  }

  std::string model_text = R"(name: survey-test
grid:
  crs: EPSG:32733
  cell_size: 50
  extent: [466000, 7748000, 468000, 7750000]
study_area:
  path: area.geojson
  crs: EPSG:32733
inputs:
  eth: {path: eth.tif}
  k: {path: k.tif, resampling: bilinear}
evidence:
  th: {input: eth, membership: {function: linear, low: 10, high: 40}}
  alt: {input: k, membership: {function: large, midpoint: 2.5, spread: 6}}
scores:
  Dy: {op: gamma, gamma: 0.75, of: [th, alt]}
  Tb: {op: and, of: [th, alt]}
  Y: {op: or, of: [th, alt]}
composite: {weights: {Dy: 2, Tb: 1, Y: 1}}
targets: {top_percent: 10}
outputs: {tile_size: 64}
)";

  TempDir dir;
};

}  // namespace

TEST_F(Survey, RunWritesTheScoredMapTargetsAndManifest) {
  // The study area used is named (the manifest's notes, the report).
  {
    const auto q = run_prospect({"run", dir.file("model.yaml"), "--out", dir.file("named")});
    ASSERT_EQ(q.code, 0) << q.err;
    EXPECT_THAT(q.err, HasSubstr("prospect: study area: " + dir.file("area.geojson")));
    // In a pipe (stderr here is one): each phase on a line as it goes, GDAL-style.
    EXPECT_THAT(q.err, testing::ContainsRegex(
                           "prospect: scoring 0\\.\\.\\.10\\.\\.\\.20[0-9.]*\\.\\.\\.100 - done in "
                           "[0-9.]+ s\n"));
    // ("writing prospectivity.tif" shows only when its thread is still at work
    // once the report is written: it depends on the machine, not checked here.)
    for (const char* phase :
         {"preparing", "validating", "outlining targets", "writing the QGIS project",
          "writing report.html", "hashing the outputs"})
      EXPECT_THAT(q.err, HasSubstr(std::string("prospect: ") + phase)) << phase;
    EXPECT_EQ(q.err.find('\r'), std::string::npos);  // no terminal control in a log
    EXPECT_THAT(read_file(dir.file("named/report.html")),
                HasSubstr("Study area: <code>" + dir.file("area.geojson")));
  }
  // --quiet: success says nothing at all (the files and the exit code speak).
  auto r = run_prospect({"run", dir.file("model.yaml"), "--out", dir.file("quiet"), "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
  r = run_prospect({"run", dir.file("model.yaml"), "--out", dir.file("out")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("wrote"));

  DatasetPtr ds(GDALDataset::Open(dir.file("out/prospectivity.tif").c_str(), GDAL_OF_RASTER));
  ASSERT_TRUE(ds);
  ASSERT_EQ(ds->GetRasterCount(), 4);
  const char* names[] = {"Dy", "Tb", "Y", "HREE"};
  for (int b = 1; b <= 4; ++b) {
    EXPECT_STREQ(ds->GetRasterBand(b)->GetDescription(), names[b - 1]);
    EXPECT_EQ(ds->GetRasterBand(b)->GetRasterDataType(), GDT_Float32);
    int has = 0;
    EXPECT_EQ(ds->GetRasterBand(b)->GetNoDataValue(&has), -9999.0);
    EXPECT_TRUE(has);
  }
  EXPECT_STREQ(ds->GetMetadataItem("LAYOUT", "IMAGE_STRUCTURE"), "COG");
  EXPECT_STREQ(ds->GetMetadataItem("PROSPECT_MODEL"), "survey-test");

  const auto manifest = nlohmann::json::parse(read_file(dir.file("out/manifest.json")));
  EXPECT_EQ(manifest["grid"]["width"], 40);
  EXPECT_EQ(manifest["cells"]["outside_study_area"].get<long>() +
                manifest["cells"]["missing_evidence"].get<long>() +
                manifest["cells"]["valid"].get<long>(),
            1600);
  EXPECT_EQ(manifest["cells"]["outside_study_area"], 10 * 40);  // western 10 columns
  EXPECT_EQ(manifest["cells"]["missing_evidence"], 1);          // the eth hole
  EXPECT_EQ(manifest["inputs"].size(), 3u);
  EXPECT_FALSE(fs::exists(dir.file("out/prospectivity.tif.part")));
  for (const auto& e : fs::directory_iterator(dir.file("out")))
    EXPECT_THAT(e.path().filename().string(), ::testing::Not(HasSubstr("staging")));
}

// A rerun into the same folder takes the hash of an input whose identity is
// the one the manifest there records (shown here by a made-up hash surviving),
// and hashes again an input written since.
TEST_F(Survey, RerunTakesTheHashOfAnUnchangedInputFromTheManifest) {
  std::this_thread::sleep_for(std::chrono::milliseconds(3200));  // inputs settled (file_identity)
  ASSERT_EQ(run_prospect({"run", dir.file("model.yaml"), "--out", dir.file("out"), "-q"}).code, 0);
  auto manifest = nlohmann::json::parse(read_file(dir.file("out/manifest.json")));
  auto& first = manifest["inputs"][0];
  ASSERT_TRUE(first.contains("identity"));
  const std::string input = first["path"], identity = first["identity"], real = first["hash"];
  const std::string made_up = "xxh3-4k:" + std::string(32, '0');
  first["hash"] = made_up;
  write_text(dir.file("out/manifest.json"), manifest.dump(2));

  ASSERT_EQ(run_prospect({"run", dir.file("model.yaml"), "--out", dir.file("out"), "-q"}).code, 0);
  manifest = nlohmann::json::parse(read_file(dir.file("out/manifest.json")));
  EXPECT_EQ(manifest["inputs"][0]["hash"], made_up);
  EXPECT_EQ(manifest["inputs"][0]["identity"], identity);
  manifest["inputs"][0]["hash"] = made_up;  // still made up: the written file must not keep it

  const std::string bytes = read_file(input);
  fs::remove(input);
  std::ofstream(input, std::ios::binary) << bytes;  // the same bytes, a new file
  ASSERT_EQ(run_prospect({"run", dir.file("model.yaml"), "--out", dir.file("out"), "-q"}).code, 0);
  manifest = nlohmann::json::parse(read_file(dir.file("out/manifest.json")));
  EXPECT_EQ(manifest["inputs"][0]["hash"], real);
  EXPECT_FALSE(manifest["inputs"][0].contains("identity"));  // just written: not settled yet
}

// Every score recomputed here from the input values and the formulas in
// docs/science/fuzzy.md, cell by cell.
TEST_F(Survey, ScoresMatchAnIndependentComputation) {
  ASSERT_EQ(run_prospect({"run", dir.file("model.yaml"), "--out", dir.file("out"), "-q"}).code, 0);
  const auto eth = read_band(dir.file("eth.tif"), 1), k = read_band(dir.file("k.tif"), 1);
  std::vector<std::vector<float>> bands;
  for (int b = 1; b <= 4; ++b) bands.push_back(read_band(dir.file("out/prospectivity.tif"), b));
  for (int r = 0; r < 40; ++r)
    for (int c = 0; c < 40; ++c) {
      const std::size_t i = std::size_t(r) * 40 + c;
      if (c < 10 || eth[i] == -9999) {
        for (const auto& b : bands) EXPECT_EQ(b[i], -9999.0f) << r << "," << c;
        continue;
      }
      const double th = std::clamp((eth[i] - 10.0) / 30.0, 0.0, 1.0);
      const double alt = 1.0 / (1.0 + std::pow(k[i] / 2.5, -6.0));
      const double dy = std::pow(1 - (1 - th) * (1 - alt), 0.75) * std::pow(th * alt, 0.25);
      const double tb = std::min(th, alt), y = std::max(th, alt);
      EXPECT_NEAR(bands[0][i], dy, 1e-6);
      EXPECT_NEAR(bands[1][i], tb, 1e-6);
      EXPECT_NEAR(bands[2][i], y, 1e-6);
      EXPECT_NEAR(bands[3][i], (2 * dy + tb + y) / 4, 1e-6);
    }
}

// The targets hold exactly the cells at or above the top-10 % value, found here by a sort.
TEST_F(Survey, TargetsAreTheTopPercentAsRfc7946Polygons) {
  ASSERT_EQ(run_prospect({"run", dir.file("model.yaml"), "--out", dir.file("out"), "-q"}).code, 0);
  std::vector<float> hree = read_band(dir.file("out/prospectivity.tif"), 4), valid;
  for (float v : hree)
    if (v != -9999.0f) valid.push_back(v);
  std::sort(valid.begin(), valid.end(), std::greater<float>());
  const std::size_t k = std::size_t(std::ceil(valid.size() * 0.10));
  const float threshold = valid[k - 1];
  const long expected_cells =
      std::count_if(valid.begin(), valid.end(), [&](float v) { return v >= threshold; });

  const std::string text = read_file(dir.file("out/targets.geojson"));
  const auto gj = nlohmann::json::parse(text);
  EXPECT_FALSE(gj.contains("crs"));  // RFC 7946 has no crs member
  long cells = 0;
  int rank = 0;
  double previous_mean = 2;
  for (const auto& f : gj["features"]) {
    EXPECT_EQ(f["properties"]["rank"], ++rank);
    cells += f["properties"]["cells"].get<long>();
    EXPECT_DOUBLE_EQ(f["properties"]["area_m2"].get<double>(),
                     f["properties"]["cells"].get<double>() * 2500);
    EXPECT_LE(f["properties"]["mean_HREE"].get<double>(), previous_mean);
    previous_mean = f["properties"]["mean_HREE"].get<double>();
    for (const auto& ring : f["geometry"]["coordinates"])
      for (const auto& p : ring) {
        EXPECT_NEAR(p[0].get<double>(), 14.69, 0.05);   // longitude first
        EXPECT_NEAR(p[1].get<double>(), -20.36, 0.05);  // latitude second
      }
    // Right-hand rule: exterior ring counter-clockwise (positive shoelace area).
    const auto& outer = f["geometry"]["coordinates"][0];
    double twice_area = 0;
    for (std::size_t i = 0; i + 1 < outer.size(); ++i)
      twice_area += outer[i][0].get<double>() * outer[i + 1][1].get<double>() -
                    outer[i + 1][0].get<double>() * outer[i][1].get<double>();
    EXPECT_GT(twice_area, 0);
  }
  EXPECT_GT(rank, 0);
  EXPECT_EQ(cells, expected_cells);
}

TEST_F(Survey, SameInputsGiveTheSameBytesWhateverTheThreadCount) {
  ASSERT_EQ(
      run_prospect({"run", dir.file("model.yaml"), "--out", dir.file("a"), "-q", "--threads", "1"})
          .code,
      0);
  ASSERT_EQ(
      run_prospect({"run", dir.file("model.yaml"), "--out", dir.file("b"), "-q", "--threads", "3"})
          .code,
      0);
  for (const char* f : {"prospectivity.tif", "prospectivity.qml", "targets.geojson", "targets.gpkg",
                        "project.qgs", "report.html"})
    EXPECT_EQ(read_file(dir.file(std::string("a/") + f)),
              read_file(dir.file(std::string("b/") + f)))
        << f;
}

TEST_F(Survey, CheckValidatesWithoutWriting) {
  const auto r = run_prospect({"check", dir.file("model.yaml")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("40 x 40 cells"));
  EXPECT_THAT(r.out, HasSubstr("input eth"));
  EXPECT_FALSE(fs::exists(dir.file("model-out")));
}

// check used to say OK when a deposit file was misspelt, although run then
// failed: it opens the deposit files too, with their filters.
TEST_F(Survey, CheckOpensTheDepositFilesARunWouldOpen) {
  write_text(
      dir.file("deposits.geojson"),
      R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"Dy":900},"geometry":{"type":"Point","coordinates":[467025,7748775]}}]})");
  write_text(dir.file("v.yaml"), model_text +
                                     "validation: {deposits: {path: deposit.geojson, crs: "
                                     "EPSG:32733}}\n");
  auto r = run_prospect({"check", dir.file("v.yaml")});
  EXPECT_EQ(r.code, 3) << r.out;
  EXPECT_THAT(r.err, HasSubstr("deposit.geojson"));
  EXPECT_THAT(r.err, HasSubstr("does not exist"));

  write_text(dir.file("v.yaml"),
             model_text + "validation: {deposits: {path: deposits.geojson, crs: EPSG:32733}}\n");
  r = run_prospect({"check", dir.file("v.yaml")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("validation deposits: "));
  EXPECT_THAT(r.out, HasSubstr("1 point(s), 1 on the grid"));

  write_text(dir.file("f.yaml"), model_text +
                                     "validation: {deposits: {path: deposits.geojson, "
                                     "crs: EPSG:32733, where: \"Tb > 3\"}}\n");
  r = run_prospect({"check", dir.file("f.yaml")});
  EXPECT_EQ(r.code, 3) << r.out;
  EXPECT_THAT(r.err, HasSubstr("Tb"));  // a filter on a field the layer lacks
}

// A common export header (X_UTM, Y_UTM) used to fail later with the wrong
// cause ("no usable sample values"): the columns are named in the model, and
// without them the error lists the columns the file has.
TEST_F(Survey, CsvPointsTakeTheirCoordinateColumnsFromTheModel) {
  write_text(dir.file("deposits.csv"), "ID,X_UTM,Y_UTM,Dy_ppm\n1,467025,7748775,900\n");
  write_text(dir.file("plain.yaml"),
             model_text + "validation: {deposits: {path: deposits.csv, crs: EPSG:32733}}\n");
  auto r = run_prospect({"check", dir.file("plain.yaml")});
  EXPECT_EQ(r.code, 3);
  EXPECT_THAT(r.err, HasSubstr("no coordinate columns under the usual names"));
  EXPECT_THAT(r.err, HasSubstr("its columns: ID, X_UTM, Y_UTM, Dy_ppm"));
  EXPECT_THAT(r.err, HasSubstr("columns: {x: X_UTM, y: Y_UTM}"));

  write_text(dir.file("named.yaml"),
             model_text +
                 "validation: {deposits: {path: deposits.csv, crs: EPSG:32733, columns: "
                 "{x: X_UTM, y: Y_UTM}}}\n");
  r = run_prospect({"check", dir.file("named.yaml")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("1 point(s), 1 on the grid"));

  write_text(dir.file("wkt.csv"), "ID,geom\n1,POINT (467025 7748775)\n");
  write_text(dir.file("wkt.yaml"),
             model_text +
                 "validation: {deposits: {path: wkt.csv, crs: EPSG:32733, columns: "
                 "{wkt: geom}}}\n");
  r = run_prospect({"check", dir.file("wkt.yaml")});
  EXPECT_EQ(r.code, 0) << r.err;

  write_text(dir.file("half.yaml"), model_text +
                                        "validation: {deposits: {path: deposits.csv, "
                                        "columns: {x: X_UTM}}}\n");
  r = run_prospect({"check", dir.file("half.yaml")});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("needs both x and y"));
}

// One-cell targets are speckle: without min_area_ha, zones under 4 cells are
// left out (and counted); min_area_ha: 0 keeps every zone.
TEST_F(Survey, TargetsLeaveOutSpeckleByDefault) {
  model_text = replace_text(model_text, "targets: {top_percent: 10}", "targets: {top_percent: 30}");
  write_text(dir.file("default.yaml"), model_text);
  write_text(dir.file("every.yaml"), replace_text(model_text, "targets: {top_percent: 30}",
                                                  "targets: {top_percent: 30, min_area_ha: 0}"));
  ASSERT_EQ(run_prospect({"run", dir.file("default.yaml"), "--out", dir.file("d"), "-q"}).code, 0);
  ASSERT_EQ(run_prospect({"run", dir.file("every.yaml"), "--out", dir.file("e"), "-q"}).code, 0);
  const auto d = nlohmann::json::parse(read_file(dir.file("d/manifest.json")))["targets"];
  const auto e = nlohmann::json::parse(read_file(dir.file("e/manifest.json")))["targets"];
  EXPECT_TRUE(d["min_area_ha"].is_null());
  EXPECT_EQ(d["min_cells"], 4);
  EXPECT_EQ(e["min_area_ha"], 0.0);
  EXPECT_EQ(e["min_cells"], 1);
  EXPECT_EQ(e["zones_below_min_area"], 0);
  // The same cut: every zone kept with min_area_ha 0 is a default zone or one left out.
  EXPECT_EQ(e["threshold"], d["threshold"]);
  EXPECT_EQ(e["zones"].get<long long>(),
            d["zones"].get<long long>() + d["zones_below_min_area"].get<long long>());
  EXPECT_THAT(read_file(dir.file("d/report.html")),
              HasSubstr("none smaller than 4 cells (the default; targets.min_area_ha sets it)"));
}

// When the zones left out for their size take a real share of the cut, the run
// says how much the targets cover instead. 20 x 20 cells, all values distinct:
// 25 single cells and a 6-cell block at 1, then the background rising to the
// last cells of the bottom row. The top 10 % (40 cells) are the 31 ones and the
// last 9 cells of the bottom row; the 25 single cells are left out, so the 15
// cells of two zones cover 3.75 % of the area, not the 10 % cut.
TEST(Cli, TargetsSayWhatTheyCoverWhenSmallZonesAreLeftOut) {
  TempDir dir;
  RasterFixture spot;
  spot.width = spot.height = 20;
  spot.origin_x = 466000;
  spot.origin_y = 7750000;
  spot.cell_x = spot.cell_y = 50;
  spot.values.resize(400);
  for (int r = 0; r < 20; ++r)
    for (int c = 0; c < 20; ++c)
      spot.values[std::size_t(r * 20 + c)] =
          (r % 4 == 0 && c % 4 == 0) || ((r == 9 || r == 10) && c >= 1 && c <= 3)
              ? 1.0f
              : float(0.001 * (r * 20 + c) / 400.0);
  write_raster(dir.file("spot.tif"), spot);
  write_text(dir.file("m.yaml"), R"(grid: {like: spot.tif}
inputs: {spot: {path: spot.tif}}
evidence: {high: {input: spot, membership: {function: linear, low: 0, high: 1}}}
scores: {S: high}
targets: {top_percent: 10}
)");
  const auto r = run_prospect({"run", dir.file("m.yaml"), "--out", dir.file("out")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("targets: 25 zone(s) smaller than 4 cells (the default; "
                               "targets.min_area_ha sets it) left out, so the targets cover 3.75 % "
                               "of the valid study area, not the 10 % the cut takes"));
  const auto targets = nlohmann::json::parse(read_file(dir.file("out/manifest.json")))["targets"];
  EXPECT_EQ(targets["zones"], 2);
  EXPECT_EQ(targets["zones_below_min_area"], 25);
}

TEST_F(Survey, MissingInputFileIsExitThreeAndNamesTheFile) {
  fs::remove(dir.file("k.tif"));
  const auto r = run_prospect({"run", dir.file("model.yaml"), "--out", dir.file("out"), "-q"});
  EXPECT_EQ(r.code, 3);
  EXPECT_THAT(r.err, HasSubstr(dir.file("k.tif")));
  EXPECT_THAT(r.err, HasSubstr("does not exist"));
  EXPECT_FALSE(fs::exists(dir.file("out/prospectivity.tif")));
}

TEST_F(Survey, ModelFileErrorsAreExitTwoWithLineNumbers) {
  write_text(dir.file("bad.yaml"), "name: x\ngrid:\n  crs: EPSG:32733\n   cell_size: [\n");
  auto r = run_prospect({"run", dir.file("bad.yaml")});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr(dir.file("bad.yaml") + ":"));
  EXPECT_THAT(r.err, HasSubstr("YAML syntax error"));

  std::string typo = model_text;
  typo.replace(typo.find("targets:"), 8, "target:");
  write_text(dir.file("typo.yaml"), typo);
  r = run_prospect({"check", dir.file("typo.yaml")});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("typo.yaml:20:1: unknown key 'target'"));
  EXPECT_THAT(r.err, HasSubstr("did you mean 'targets'?"));
}

TEST_F(Survey, AnOutputFolderThatHoldsAnInputIsRefused) {
  const auto r = run_prospect({"run", dir.file("model.yaml"), "--out", dir.path(), "-q"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("the output folder holds an input file"));
  const auto same =
      run_prospect({"run", dir.file("model.yaml"), "--out", dir.file("eth.tif"), "-q"});
  EXPECT_EQ(same.code, 2);
  EXPECT_THAT(same.err, HasSubstr("the output folder is an input file"));
}

// A GeoTIFF that opens but breaks part way through: the run fails with exit 3,
// and the output folder is not created (nor is a staging folder left beside it).
TEST_F(Survey, ACorruptInputMidRunLeavesNoPartialOutput) {
  RasterFixture big;
  big.width = big.height = 40;
  big.origin_x = 466000;
  big.origin_y = 7750000;
  big.cell_x = big.cell_y = 50;
  write_raster(dir.file("k.tif"), big);
  std::string bytes = read_file(dir.file("k.tif"));
  bytes.resize(bytes.size() * 2 / 3);  // the last rows' strips are gone
  std::ofstream(dir.file("k.tif"), std::ios::binary | std::ios::trunc) << bytes;

  const auto r = run_prospect({"run", dir.file("model.yaml"), "--out", dir.file("out"), "-q"});
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_THAT(r.err, HasSubstr("k.tif"));
  EXPECT_FALSE(fs::exists(dir.file("out")));                // nothing published
  for (const auto& e : fs::directory_iterator(dir.path()))  // and no staging folder left beside it
    EXPECT_EQ(e.path().filename().string().find("staging"), std::string::npos) << e.path();
}

// Links planted in an earlier output folder (report.html.part towards an input,
// evidence/ towards another folder) are never written through: the run writes
// a new folder beside it and swaps it in whole.
TEST_F(Survey, PlantedLinksInTheOutputFolderAreNeverFollowed) {
  ASSERT_EQ(run_prospect({"run", dir.file("model.yaml"), "--out", dir.file("out"), "-q"}).code, 0);
  const std::string input_bytes = read_file(dir.file("eth.tif"));
  fs::create_directories(dir.file("elsewhere"));
  fs::create_symlink(dir.file("eth.tif"), dir.file("out/report.html.part"));
  fs::create_symlink(dir.file("eth.tif"), dir.file("out/report.html.tmp"));
  fs::remove(dir.file("out/prospectivity.qml"));
  fs::create_symlink(dir.file("eth.tif"), dir.file("out/prospectivity.qml"));
  fs::create_directory_symlink(dir.file("elsewhere"), dir.file("out/evidence"));
  model_text = replace_text(model_text, "outputs: {tile_size: 64}",
                            "outputs: {tile_size: 64, evidence: all}");
  write_text(dir.file("model.yaml"), model_text);
  const auto r = run_prospect({"run", dir.file("model.yaml"), "--out", dir.file("out"), "-q"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(read_file(dir.file("eth.tif")), input_bytes);
  EXPECT_TRUE(fs::is_empty(dir.file("elsewhere")));
  EXPECT_FALSE(fs::is_symlink(dir.file("out/evidence")));
  EXPECT_FALSE(fs::is_symlink(dir.file("out/prospectivity.qml")));
  EXPECT_TRUE(fs::exists(dir.file("out/evidence/eth.tif")));
}

// Two runs into one folder at once: the second is refused at once (exit 2,
// naming the first's process), and the first finishes as if alone.
TEST_F(Survey, ASecondRunIntoTheSameFolderIsRefusedWhileTheFirstRuns) {
  std::optional<OutputFolder> first;
  first.emplace(dir.file("out"),
                std::vector<std::string>{});  // what a running `prospect run` holds
  const auto r = run_prospect({"run", dir.file("model.yaml"), "--out", dir.file("out"), "-q"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("another prospect run is writing this output folder (process " +
                               std::to_string(getpid()) + ")"));
  first.reset();
  EXPECT_EQ(run_prospect({"run", dir.file("model.yaml"), "--out", dir.file("out"), "-q"}).code, 0);
}

// A folder of someone's own files is never replaced: refused before any work.
TEST_F(Survey, AFolderOfOtherFilesIsNeverReplaced) {
  fs::create_directories(dir.file("notes"));
  write_text(dir.file("notes/field-notes.txt"), "day 1");
  const auto r = run_prospect({"run", dir.file("model.yaml"), "--out", dir.file("notes"), "-q"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("holds files but no manifest.json of an earlier prospect run"));
  EXPECT_EQ(read_file(dir.file("notes/field-notes.txt")), "day 1");
}

// --quiet silences the terminal, not the record: the notes and warnings a run
// has land in its manifest (and the warnings in its report) either way.
TEST(Cli, QuietRunsKeepTheirNotesInTheManifest) {
  TempDir dir;
  RasterFixture f;
  f.crs = "EPSG:4326";
  f.origin_x = 14.6;
  f.origin_y = -20.2;
  f.cell_x = f.cell_y = 0.01;
  write_raster(dir.file("r.tif"), f);
  write_text(dir.file("m.yaml"),
             "grid: {like: r.tif}\ninputs: {a: {path: r.tif}}\n"
             "evidence: {e: {input: a, membership: {function: linear, low: 0, high: 1000}}}\n"
             "scores: {S: e}\ntargets: false\n");
  const auto r = run_prospect({"run", dir.file("m.yaml"), "--out", dir.file("out"), "--quiet"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out + r.err, "");
  const auto manifest = nlohmann::json::parse(read_file(dir.file("out/manifest.json")));
  ASSERT_TRUE(manifest.contains("notes"));
  EXPECT_THAT(manifest["notes"][0].get<std::string>(), HasSubstr("the grid CRS is geographic"));
  const auto loud = run_prospect({"run", dir.file("m.yaml"), "--out", dir.file("out2")});
  EXPECT_THAT(loud.err, HasSubstr("prospect: the grid CRS is geographic"));
}

TEST(Cli, HelpTeachesAndBadUsageIsExitTwo) {
  auto r = run_prospect({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_THAT(r.out, HasSubstr("run"));
  r = run_prospect({"run", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_THAT(r.out, HasSubstr("Examples:"));
  EXPECT_THAT(r.out, HasSubstr("Exit codes"));
  EXPECT_THAT(r.out, HasSubstr("130 interrupted by Ctrl-C"));
  // The default folder as the code makes it: the model file's name, not its 'name:'.
  EXPECT_THAT(r.out,
              HasSubstr("default: ./<model file name>-out, e.g. lofdal-out for lofdal.yaml"));
  EXPECT_EQ(run_prospect({}).code, 2);
  EXPECT_EQ(run_prospect({"frobnicate"}).code, 2);
  EXPECT_EQ(run_prospect({"run"}).code, 2);
  EXPECT_EQ(run_prospect({"run", "/no/such/model.yaml"}).code, 2);
}

// nan and inf pass CLI11's own number checks; they are refused as bad usage.
TEST(Cli, NumbersOnTheCommandLineMustBeFinite) {
  for (const char* bad : {"nan", "inf", "-inf", "1e999"}) {
    auto r = run_prospect({"weights", "e.tif", "--deposits", "d.gpkg", "--min-studentized", bad});
    EXPECT_EQ(r.code, 2) << bad;
    EXPECT_THAT(r.err, HasSubstr("not a finite number")) << bad;
    r = run_prospect({"weights", "e.tif", "--deposits", "d.gpkg", "--unit-cell-km2", bad});
    EXPECT_EQ(r.code, 2) << bad;
    r = run_prospect(
        {"weights", "e.tif", "--deposits", "d.gpkg", "--breaks", std::string("1,") + bad});
    EXPECT_EQ(r.code, 2) << bad;
  }
}

TEST(Cli, WeightsClassesAreBreaksOrQuantilesNotBoth) {
  TempDir dir;
  RasterFixture f;
  write_raster(dir.file("e.tif"), f);
  auto r = run_prospect(
      {"weights", dir.file("e.tif"), "-d", "d.gpkg", "--breaks", "1,2", "--quantiles", "4"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("excludes"));
  r = run_prospect({"weights", dir.file("e.tif"), "-d", "d.gpkg", "--breaks", "300,100"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--breaks must be increasing"));
  r = run_prospect({"weights", dir.file("e.tif"), "-d", "d.gpkg", "--quantiles", "1"});
  EXPECT_EQ(r.code, 2);
}

TEST(Cli, InfoDescribesRastersAndVectors) {
  TempDir dir;
  RasterFixture f;
  f.nodata = -1;
  write_raster(dir.file("r.tif"), f);
  auto r = run_prospect({"info", dir.file("r.tif")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("EPSG:32733"));
  EXPECT_THAT(r.out, HasSubstr("10 x 10 cells"));
  EXPECT_THAT(r.out, HasSubstr("nodata -1"));
  write_text(dir.file("v.geojson"),
             polygon_geojson({14.6, -20.3, 14.7, -20.3, 14.7, -20.4, 14.6, -20.3}));
  r = run_prospect({"info", dir.file("v.geojson")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("field id: Integer"));
  EXPECT_EQ(run_prospect({"info", dir.file("nothing.tif")}).code, 3);

  // Extents in full, as grid.extent takes them (7.73805e+06 lost 10 m).
  f.origin_x = 466005;
  f.origin_y = 7738055;
  f.cell_x = f.cell_y = 10;
  write_raster(dir.file("utm.tif"), f);
  r = run_prospect({"info", dir.file("utm.tif")});
  EXPECT_THAT(r.out, HasSubstr("as grid.extent: [466005, 7737955, 466105, 7738055]"));

  // CSV points: which columns became the coordinates, as a run reads them.
  write_text(dir.file("soil.csv"), "id,Easting,Northing,Dy\n1,466010,7738000,5\n");
  r = run_prospect({"info", dir.file("soil.csv")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("coordinates: columns Easting, Northing"));
  EXPECT_THAT(r.out, HasSubstr("1 feature(s)"));
  write_text(dir.file("odd.csv"), "id,X_UTM,Y_UTM\n1,466010,7738000\n");
  r = run_prospect({"info", dir.file("odd.csv")});
  EXPECT_THAT(r.out, HasSubstr("name them in the model: columns: {x: ..., y: ...}"));
}

// --stats and --json: every cell and every attribute, checked by hand.
TEST(Cli, InfoStatisticsAndJson) {
  TempDir dir;
  RasterFixture f;
  f.width = 2;
  f.height = 2;
  f.nodata = -9999;
  f.values = {1, 2, 6, -9999};  // mean 3, population variance (4 + 1 + 9) / 3
  write_raster(dir.file("r.tif"), f);
  auto r = run_prospect({"info", dir.file("r.tif"), "--stats"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("statistics: min 1, max 6, mean 3, std dev 2.16025; 3 valid "
                               "cell(s), 1 nodata"));
  r = run_prospect({"info", dir.file("r.tif"), "--stats", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto raster = nlohmann::json::parse(r.out);
  const auto& stats = raster["raster"]["bands"][0]["statistics"];
  EXPECT_DOUBLE_EQ(stats["mean"].get<double>(), 3.0);
  EXPECT_NEAR(stats["stddev"].get<double>(), std::sqrt(14.0 / 3), 1e-12);
  EXPECT_EQ(stats["valid_cells"].get<long long>(), 3);
  EXPECT_EQ(stats["nodata_cells"].get<long long>(), 1);
  EXPECT_EQ(raster["raster"]["crs"]["id"], "EPSG:32733");
  EXPECT_EQ(raster["raster"]["bands"][0]["nodata"].get<double>(), -9999);
  EXPECT_EQ(raster["raster"]["extent"], nlohmann::json({0, -2, 2, 0}));

  // Assays as laboratories write them: "<1" is half the limit, "n.d." is not a value.
  write_text(dir.file("soil.csv"),
             "id,Easting,Northing,Dy\n1,466010,7738000,4\n2,466020,7738000,<1\n"
             "3,466030,7738000,n.d.\n4,466040,7738000,\n5,466050,7738000,8.5\n");
  r = run_prospect({"info", dir.file("soil.csv"), "--stats"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("field Dy: String; 4 value(s), 3 numeric (min 0.5, max 8.5, mean "
                               "4.33333), 1 below detection (taken as half the limit), 1 not "
                               "numeric ('n.d.')"));
  r = run_prospect({"info", dir.file("soil.csv"), "--json", "--stats"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto layer = nlohmann::json::parse(r.out)["layers"][0];
  EXPECT_EQ(layer["coordinate_columns"], nlohmann::json({"Easting", "Northing"}));
  EXPECT_EQ(layer["features"].get<int>(), 5);
  EXPECT_EQ(layer["crs"], nullptr);
  const auto& dy = layer["fields"][1];
  EXPECT_EQ(dy["name"], "Dy");
  EXPECT_EQ(dy["statistics"]["numeric"].get<int>(), 3);
  EXPECT_EQ(dy["statistics"]["not_numeric_examples"], nlohmann::json({"n.d."}));
  EXPECT_NEAR(dy["statistics"]["mean"].get<double>(), 13.0 / 3, 1e-12);
}

// A weights-of-evidence model on the EIS Toolkit test data: the posterior in a
// class-1 cell is the prior odds times the likelihood ratio exp(W+), with W+ as
// the peer tool prints it (0.4810), and the tables land in weights/.
TEST(WofeRun, PosteriorFollowsThePeersWeights) {
  TempDir dir;
  const std::string data = std::string(PROSPECT_TEST_DATA) + "/eis-wofe/";
  write_text(dir.file("m.yaml"), "model: wofe\ngrid: {like: " + data +
                                     "wofe_evidence_raster.tif}\n" +
                                     "training: {deposits: {path: " + data +
                                     "wofe_deposits.shp}, unit_cell_km2: 1, min_studentized: 1}\n"
                                     "inputs: {classes: {path: " +
                                     data +
                                     "wofe_evidence_raster.tif}}\n"
                                     "evidence: {lith: {input: classes, weights: categorical}}\n"
                                     "scores: {Dy: {evidence: [lith]}}\n");
  const auto r = run_prospect({"run", dir.file("m.yaml"), "--out", dir.file("out")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("conditional independence"));
  EXPECT_TRUE(fs::exists(dir.file("out/weights/Dy_lith.csv")));
  // No study_area: the weights are over the whole grid rectangle, and the run says so.
  EXPECT_THAT(r.err,
              HasSubstr("warning: no study_area: the whole grid rectangle is the study area"));
  EXPECT_THAT(read_file(dir.file("out/report.html")),
              HasSubstr("Study area: the whole grid rectangle (no study_area given)"));

  int width = 0;
  const auto classes = read_band(data + "wofe_evidence_raster.tif", 1, &width);
  const auto post = read_band(dir.file("out/prospectivity.tif"), 1);
  const auto sd = read_band(dir.file("out/prospectivity.tif"), 2);
  // Prior over the whole grid (1092 unit cells of 1 km2, 16 deposits).
  const double prior_odds = 16.0 / (1092 - 16);
  const double expected = prior_odds * std::exp(0.4810) / (1 + prior_odds * std::exp(0.4810));
  int checked = 0;
  for (std::size_t i = 0; i < classes.size(); ++i) {
    if (classes[i] != 1.0f) continue;
    EXPECT_NEAR(post[i], expected, 2e-5);
    EXPECT_GT(sd[i], 0.0f);
    ++checked;
  }
  EXPECT_EQ(checked, 275);
  // On nodata the posterior is the prior.
  for (std::size_t i = 0; i < classes.size(); ++i)
    if (classes[i] == 15.0f) {
      EXPECT_NEAR(post[i], 16.0 / 1092, 1e-6);
      break;
    }
  const auto manifest = nlohmann::json::parse(read_file(dir.file("out/manifest.json")));
  EXPECT_EQ(manifest["wofe"]["scores"][0]["training_deposits"], 16);
  EXPECT_TRUE(manifest["wofe"]["scores"][0]["conditional_independence"].contains("p_one_sided"));
}

TEST(WofeRun, NoTrainingDepositsIsABadInput) {
  TempDir dir;
  const std::string data = std::string(PROSPECT_TEST_DATA) + "/eis-wofe/";
  write_text(dir.file("m.yaml"), "model: wofe\ngrid: {like: " + data +
                                     "wofe_evidence_raster.tif}\n" +
                                     "training: {deposits: {path: " + data +
                                     "wofe_deposits.shp, where: \"Dep_ID < 0\"}}\n"
                                     "inputs: {classes: {path: " +
                                     data +
                                     "wofe_evidence_raster.tif}}\n"
                                     "evidence: {lith: {input: classes}}\n"
                                     "scores: {Dy: {evidence: [lith]}}\n");
  const auto r = run_prospect({"run", dir.file("m.yaml"), "--out", dir.file("out"), "-q"});
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_THAT(r.err, HasSubstr("no training deposit for Dy"));

  // Deposits without the element's attribute: the score's filter names a field
  // the layer lacks; the error lists the fields it has.
  write_text(dir.file("e.yaml"),
             "model: wofe\ngrid: {like: " + data + "wofe_evidence_raster.tif}\n" +
                 "training: {deposits: {path: " + data +
                 "wofe_deposits.shp}}\n"
                 "inputs: {classes: {path: " +
                 data +
                 "wofe_evidence_raster.tif}}\n"
                 "evidence: {lith: {input: classes}}\n"
                 "scores: {Dy: {evidence: [lith], where: \"Dy_ppm >= 300\"}}\n");
  const auto e = run_prospect({"run", dir.file("e.yaml"), "--out", dir.file("eout"), "-q"});
  EXPECT_EQ(e.code, 3) << e.err;
  EXPECT_THAT(e.err, HasSubstr("Dy_ppm"));
  EXPECT_THAT(e.err, HasSubstr("fields in this layer"));
}

// A continuous layer without breaks would make a weights table with a row per
// value (and take quadratic time counting them): refused, with the fix.
TEST(WofeRun, AContinuousLayerWithoutBreaksIsRefusedWithTheFix) {
  TempDir dir;
  RasterFixture f;
  f.width = f.height = 40;
  f.origin_x = 400000;
  f.origin_y = 7000000;
  f.cell_x = f.cell_y = 100;
  f.values.resize(1600);
  for (int i = 0; i < 1600; ++i) f.values[std::size_t(i)] = float(i) * 0.5f;  // all distinct
  write_raster(dir.file("mag.tif"), f);
  write_text(
      dir.file("occ.geojson"),
      R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:32733"}},"features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[401050,6998950]}}]})");
  write_text(dir.file("m.yaml"), R"(model: wofe
grid: {like: mag.tif}
training: {deposits: {path: occ.geojson}, unit_cell_km2: 0.01}
inputs: {mag: {path: mag.tif}}
evidence: {high_mag: {input: mag, weights: descending}}
scores: {Dy: {evidence: [high_mag]}}
targets: false
)");
  const auto r = run_prospect({"run", dir.file("m.yaml"), "--out", dir.file("out"), "-q"});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("evidence 'high_mag' has more than 1000 classes"));
  EXPECT_THAT(r.err, HasSubstr("breaks: {quantiles: 10}"));
  EXPECT_FALSE(fs::exists(dir.file("out")));
}

// A distance input end to end: the score is a linear membership of the distance
// to one fault segment, checked against the point-to-segment distance worked
// here from the cell centres.
TEST_F(Survey, DistanceToFaultsAsEvidence) {
  write_text(
      dir.file("faults.geojson"),
      R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"type":"fault"},"geometry":{"type":"LineString","coordinates":[[466600,7748300],[467700,7749400]]}},{"type":"Feature","properties":{"type":"dyke"},"geometry":{"type":"LineString","coordinates":[[466000,7750000],[468000,7750000]]}}]})");
  write_text(dir.file("d.yaml"),
             R"(grid: {crs: EPSG:32733, cell_size: 50, extent: [466000, 7748000, 468000, 7750000]}
inputs:
  faults: {path: faults.geojson, crs: EPSG:32733, where: "type = 'fault'", distance: {max: 5000}}
evidence:
  near: {input: faults, membership: {function: linear, low: 1000, high: 0}}
scores: {S: near}
targets: false
)");
  const auto r = run_prospect({"run", dir.file("d.yaml"), "--out", dir.file("dout"), "-q"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto s = read_band(dir.file("dout/prospectivity.tif"), 1);
  auto segment_distance = [](double px, double py) {
    const double ax = 466600, ay = 7748300, bx = 467700, by = 7749400;
    const double t = std::clamp(((px - ax) * (bx - ax) + (py - ay) * (by - ay)) /
                                    ((bx - ax) * (bx - ax) + (by - ay) * (by - ay)),
                                0.0, 1.0);
    return std::hypot(ax + t * (bx - ax) - px, ay + t * (by - ay) - py);
  };
  for (int row = 0; row < 40; row += 3)
    for (int col = 0; col < 40; col += 3) {
      const double d = segment_distance(466000 + (col + 0.5) * 50, 7750000 - (row + 0.5) * 50);
      EXPECT_NEAR(s[std::size_t(row) * 40 + col], std::clamp(1 - d / 1000, 0.0, 1.0), 1e-5)
          << row << "," << col;
    }
  EXPECT_FALSE(fs::exists(dir.file("dout/targets.geojson")));  // targets: false
}

// Deposits are bucketed by tile; on a grid narrower than one tile but several
// tiles tall the buckets must still follow the tiles' rows.
TEST(WofeRun, DepositsLandInTheirClassesOnANarrowTallGrid) {
  TempDir dir;
  RasterFixture f;
  f.width = 50;
  f.height = 200;
  f.origin_x = 466000;
  f.origin_y = 7750000;
  f.cell_x = f.cell_y = 25;
  f.values.resize(50 * 200);
  for (int r = 0; r < 200; ++r)
    for (int c = 0; c < 50; ++c) f.values[std::size_t(r) * 50 + c] = r < 100 ? 1.0f : 2.0f;
  write_raster(dir.file("classes.tif"), f);
  auto point = [](int row, int col) {
    return "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Point\","
           "\"coordinates\":[" +
           std::to_string(466000 + (col + 0.5) * 25) + "," +
           std::to_string(7750000 - (row + 0.5) * 25) + "]}}";
  };
  write_text(dir.file("deposits.geojson"), "{\"type\":\"FeatureCollection\",\"features\":[" +
                                               point(10, 5) + "," + point(150, 7) + "," +
                                               point(170, 40) + "," + point(199, 49) + "]}");
  write_text(dir.file("m.yaml"), R"(model: wofe
grid: {like: classes.tif}
training: {deposits: {path: deposits.geojson, crs: EPSG:32733}, unit_cell_km2: 0.01, min_studentized: 0}
inputs: {c: {path: classes.tif}}
evidence: {lith: {input: c}}
scores: {Dy: {evidence: [lith]}}
targets: false
outputs: {tile_size: 64}
)");
  const auto r = run_prospect({"run", dir.file("m.yaml"), "--out", dir.file("out"), "-q"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string csv = read_file(dir.file("out/weights/Dy_lith.csv"));
  EXPECT_THAT(csv, HasSubstr("\n1,5000,3.125000,312.500000,1,"));  // 5000 cells of 0.000625 km2
  EXPECT_THAT(csv, HasSubstr("\n2,5000,3.125000,312.500000,3,"));
}

// validation.json: the AUC of each band equals a Mann-Whitney count done here
// over the written raster (deposit cells against every valid cell, ties one half).
// Deposits that say nothing about the evidence (a regular lattice over the study
// area) and deposits where the scores are lowest: the first map is no better
// than chance, the second worse; the terminal, validation.json, the manifest's
// warnings and the report's "What to watch" all say so.
TEST_F(Survey, MapsNoBetterOrWorseThanChanceAreSaidToBe) {
  auto deposits_at = [&](const std::vector<std::pair<int, int>>& cells, const std::string& file) {
    std::string json = R"({"type":"FeatureCollection","features":[)";
    for (std::size_t k = 0; k < cells.size(); ++k)
      json += std::string(k ? "," : "") +
              "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Point\","
              "\"coordinates\":[" +
              std::to_string(466000 + (cells[k].second + 0.5) * 50) + "," +
              std::to_string(7750000 - (cells[k].first + 0.5) * 50) + "]}}";
    write_text(dir.file(file), json + "]}");
  };
  std::vector<std::pair<int, int>> lattice, low;
  for (int r = 2; r < 40; r += 6)
    for (int c = 11; c < 40; c += 5) lattice.push_back({r, c});  // row, col
  for (int k = 0; k < 25; ++k)
    low.push_back({30 + k % 10, 10 + k / 10});  // south-west: low eth, low k
  deposits_at(lattice, "lattice.geojson");
  deposits_at(low, "low.geojson");
  const std::string fuzzy =
      replace_text(model_text, "composite: {weights: {Dy: 2, Tb: 1, Y: 1}}", "composite: false");
  for (const auto& [file, expected] :
       {std::pair{"lattice", "no better than chance"}, std::pair{"low", "worse than chance"}}) {
    write_text(dir.file(std::string(file) + ".yaml"),
               fuzzy + "validation: {deposits: {path: " + file + ".geojson, crs: EPSG:32733}}\n");
    const auto r = run_prospect({"run", dir.file(std::string(file) + ".yaml"), "--out",
                                 dir.file(std::string(file) + "-out")});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::string out_dir = dir.file(std::string(file) + "-out");
    const auto doc = nlohmann::json::parse(read_file(out_dir + "/validation.json"));
    const auto& dy = doc["bands"][0];
    ASSERT_EQ(dy["band"], "Dy");
    EXPECT_EQ(dy["chance"], expected)
        << "AUC " << dy["auc"] << " " << dy["auc_95_percent_interval"];
    EXPECT_THAT(r.out, HasSubstr(std::string("Dy: AUC")));
    EXPECT_THAT(r.out, HasSubstr(expected));
    EXPECT_THAT(r.err, HasSubstr(std::string("warning: Dy is ") + expected));
    const auto manifest = nlohmann::json::parse(read_file(out_dir + "/manifest.json"));
    EXPECT_THAT(manifest["warnings"].dump(), HasSubstr(std::string("Dy is ") + expected));
    const std::string report = read_file(out_dir + "/report.html");
    const std::string watch = report.substr(report.find("<ul class=\"warnings\">"));
    EXPECT_THAT(watch.substr(0, watch.find("</ul>")), HasSubstr(std::string("Dy is ") + expected));
  }
}

// A logistic term the deposits do not follow (deposits on a lattice, evidence a
// ramp) is named as adding nothing measurable, on the terminal and in the report.
TEST_F(Survey, LogisticTermsThatAddNothingAreNamed) {
  std::string json = R"({"type":"FeatureCollection","features":[)";
  int k = 0;
  for (int r = 2; r < 40; r += 6)
    for (int c = 11; c < 40; c += 5)
      json += std::string(k++ ? "," : "") +
              "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Point\","
              "\"coordinates\":[" +
              std::to_string(466000 + (c + 0.5) * 50) + "," +
              std::to_string(7750000 - (r + 0.5) * 50) + "]}}";
  write_text(dir.file("lattice.geojson"), json + "]}");
  write_text(dir.file("l.yaml"), R"(model: logistic
grid: {crs: EPSG:32733, cell_size: 50, extent: [466000, 7748000, 468000, 7750000]}
study_area: {path: area.geojson, crs: EPSG:32733}
training: {deposits: {path: lattice.geojson, crs: EPSG:32733}}
inputs: {eth: {path: eth.tif}}
evidence: {th: {input: eth}}
scores: {Dy: {evidence: [th]}}
validation: {cross_validation: false}
)");
  const auto r = run_prospect({"run", dir.file("l.yaml"), "--out", dir.file("lout")});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto manifest = nlohmann::json::parse(read_file(dir.file("lout/manifest.json")));
  const double p = manifest["logistic"]["scores"][0]["terms"][1]["p_value"];
  ASSERT_GT(p, 0.05) << "the lattice should not follow the ramp";
  EXPECT_THAT(r.out, HasSubstr("Dy: 'th' adds nothing measurable to the fit"));
  EXPECT_THAT(read_file(dir.file("lout/report.html")),
              HasSubstr("Dy: &apos;th&apos; adds nothing measurable"));
}

// A map of three values cannot give a "top 5 %": every cell tied at the cut
// value is in. The share the targets really cover is computed here from the
// written band and must be what the terminal, the manifest, each target's
// properties and the report say, with a warning that it is not what was asked.
TEST_F(Survey, TiedTargetsStateTheShareTheyReallyCover) {
  write_text(dir.file("ties.yaml"),
             R"(grid: {crs: EPSG:32733, cell_size: 50, extent: [466000, 7748000, 468000, 7750000]}
study_area: {path: area.geojson, crs: EPSG:32733}
inputs: {eth: {path: eth.tif}}
evidence: {th: {input: eth, membership: {function: classes, breaks: [20, 33], values: [0, 0.5, 1]}}}
scores: {Dy: th}
targets: {top_percent: 5}
)");
  const auto r = run_prospect({"run", dir.file("ties.yaml"), "--out", dir.file("tout")});
  ASSERT_EQ(r.code, 0) << r.err;
  // Independent: the share of scored cells at the top value.
  const auto band = read_band(dir.file("tout/prospectivity.tif"), 1);
  long long valid = 0, top = 0;
  for (float v : band)
    if (v != -9999.0f) {
      ++valid;
      top += v == 1.0f;
    }
  ASSERT_GT(valid, 0);
  const double share = 100.0 * double(top) / double(valid);
  ASSERT_GT(share, 10.0) << "the fixture should tie far more than 5 % at the top";
  const auto manifest = nlohmann::json::parse(read_file(dir.file("tout/manifest.json")));
  EXPECT_NEAR(double(manifest["targets"]["cut_percent"]), share, 1e-9);
  EXPECT_NEAR(double(manifest["targets"]["delivered_percent"]), share,
              1e-9);  // one zone, nothing dropped
  EXPECT_EQ(manifest["targets"]["top_percent"], 5);
  EXPECT_THAT(manifest["warnings"].dump(), HasSubstr("not the top 5 % asked"));
  char covering[120];
  std::snprintf(covering, sizeof covering,
                "covering %.3g %% of the valid study area (top 5 %% asked)", share);
  EXPECT_THAT(r.out, HasSubstr(covering));
  EXPECT_THAT(r.err, HasSubstr("warning: targets: every cell scoring 1 or more is in"));
  const auto targets = nlohmann::json::parse(read_file(dir.file("tout/targets.geojson")));
  ASSERT_FALSE(targets["features"].empty());
  for (const auto& f : targets["features"]) {
    EXPECT_EQ(f["properties"]["top_percent_asked"], 5.0);
    EXPECT_NEAR(double(f["properties"]["top_percent_delivered"]), share, 1e-6);
  }
  EXPECT_THAT(read_file(dir.file("tout/report.html")), HasSubstr("the top 5 % was asked"));
}

TEST_F(Survey, ValidationAucMatchesMannWhitneyOnTheOutput) {
  std::string deposits = R"({"type":"FeatureCollection","features":[)";
  const int cells[][2] = {{5, 30},  {12, 35}, {20, 25}, {33, 38},
                          {38, 12}, {2, 2}};  // row, col ({2,2} is outside the study area)
  for (std::size_t k = 0; k < 6; ++k) {
    if (k) deposits += ",";
    deposits +=
        "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Point\",\"coordinates\":"
        "[" +
        std::to_string(466000 + (cells[k][1] + 0.5) * 50) + "," +
        std::to_string(7750000 - (cells[k][0] + 0.5) * 50) + "]}}";
  }
  write_text(dir.file("deposits.geojson"), deposits + "]}");
  write_text(dir.file("v.yaml"),
             model_text + "validation: {deposits: {path: deposits.geojson, crs: EPSG:32733}}\n");
  const auto r = run_prospect({"run", dir.file("v.yaml"), "--out", dir.file("vout")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("AUC"));
  const auto doc = nlohmann::json::parse(read_file(dir.file("vout/validation.json")));
  ASSERT_EQ(doc["bands"].size(), 4u);
  for (int b = 0; b < 4; ++b) {
    const auto band = read_band(dir.file("vout/prospectivity.tif"), b + 1);
    std::vector<float> valid, dep;
    for (float v : band)
      if (v != -9999.0f) valid.push_back(v);
    for (std::size_t k = 0; k < 6; ++k) {
      const float v = band[std::size_t(cells[k][0]) * 40 + cells[k][1]];
      if (v != -9999.0f) dep.push_back(v);
    }
    double u = 0;
    for (float d : dep)
      for (float c : valid) u += d > c ? 1.0 : (d == c ? 0.5 : 0.0);
    const auto& entry = doc["bands"][std::size_t(b)];
    EXPECT_EQ(entry["deposits_scored"], dep.size());
    EXPECT_EQ(entry["deposits_not_scored"], 6 - dep.size());
    EXPECT_NEAR(entry["auc"].get<double>(), u / (double(dep.size()) * double(valid.size())), 1e-12);
  }
}

// Weights of evidence on distance bands to a fault: the cell counts of each
// cumulative band match distances worked here from the cell centres.
TEST_F(Survey, WofeOnDistanceBands) {
  write_text(
      dir.file("fault.geojson"),
      R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[466600,7748300],[467700,7749400]]}}]})");
  write_text(dir.file("occ.geojson"),
             R"({"type":"FeatureCollection","features":[
  {"type":"Feature","properties":{"Dy":900},"geometry":{"type":"Point","coordinates":[467025,7748775]}},
  {"type":"Feature","properties":{"Dy":300},"geometry":{"type":"Point","coordinates":[467425,7749075]}},
  {"type":"Feature","properties":{"Dy":1200},"geometry":{"type":"Point","coordinates":[467875,7748125]}},
  {"type":"Feature","properties":{"Dy":800},"geometry":{"type":"Point","coordinates":[466125,7749000]}}]})");
  write_text(dir.file("w.yaml"), R"(model: wofe
grid: {crs: EPSG:32733, cell_size: 50, extent: [466000, 7748000, 468000, 7750000]}
study_area: {path: area.geojson, crs: EPSG:32733}
training: {deposits: {path: occ.geojson, crs: EPSG:32733}, unit_cell_km2: 0.01, min_studentized: 0}
inputs:
  fault: {path: fault.geojson, crs: EPSG:32733, distance: true}
evidence:
  near: {input: fault, weights: ascending, breaks: [100, 300, 600]}
scores:
  Dy: {evidence: [near], where: "Dy >= 500"}
targets: false
)");
  const auto r = run_prospect({"run", dir.file("w.yaml"), "--out", dir.file("wout"), "-q"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto segment_distance = [](double px, double py) {
    const double ax = 466600, ay = 7748300, bx = 467700, by = 7749400;
    const double t = std::clamp(((px - ax) * (bx - ax) + (py - ay) * (by - ay)) /
                                    ((bx - ax) * (bx - ax) + (by - ay) * (by - ay)),
                                0.0, 1.0);
    return std::hypot(ax + t * (bx - ax) - px, ay + t * (by - ay) - py);
  };
  long within[4] = {0, 0, 0, 0};  // <= 100, <= 300, <= 600, all
  for (int row = 0; row < 40; ++row)
    for (int col = 10; col < 40; ++col) {  // the study area's columns
      const double d = segment_distance(466000 + (col + 0.5) * 50, 7750000 - (row + 0.5) * 50);
      within[0] += d <= 100;
      within[1] += d <= 300;
      within[2] += d <= 600;
      ++within[3];
    }
  const std::string csv = read_file(dir.file("wout/weights/Dy_near.csv"));
  EXPECT_THAT(csv, HasSubstr("\n100," + std::to_string(within[0]) + ","));
  EXPECT_THAT(csv, HasSubstr("\n300," + std::to_string(within[1]) + ","));
  EXPECT_THAT(csv, HasSubstr("\n600," + std::to_string(within[2]) + ","));
  EXPECT_THAT(csv, HasSubstr("\ninf," + std::to_string(within[3]) + ","));
  // Two deposits pass the Dy filter (900 and 1200 ppm): one 35 m from the fault, one far from it.
  char row[160];
  std::snprintf(row, sizeof row, "\n100,%ld,%.6f,%.6f,1,", within[0], within[0] * 0.0025,
                within[0] * 0.25);
  EXPECT_THAT(csv, HasSubstr(row));
  std::snprintf(row, sizeof row, "\ninf,%ld,%.6f,%.6f,2,", within[3], within[3] * 0.0025,
                within[3] * 0.25);
  EXPECT_THAT(csv, HasSubstr(row));
  const auto m = nlohmann::json::parse(read_file(dir.file("wout/manifest.json")));
  EXPECT_EQ(m["wofe"]["scores"][0]["training_deposits"], 2);
  // The fourth passes the filter but lies west of the study area: said, not silently dropped.
  EXPECT_THAT(m["warnings"].dump(), HasSubstr("Dy: 1 training deposit(s) lie on cells outside "
                                              "the study area"));
}

// Overviews built from the tiles during scoring reach the COG: level 1 holds the
// 2 x 2 averages of the full-resolution cells.
TEST(CogOverviews, BuiltFromTheTilesAndKeptInTheCog) {
  TempDir dir;
  RasterFixture f = ten_metre_raster(1100, 1100);
  for (std::size_t i = 0; i < f.values.size(); ++i)
    f.values[i] = float((i * 2654435761u) % 1000) / 1000.0f;
  write_raster(dir.file("in.tif"), f);
  write_text(dir.file("m.yaml"), R"(grid: {like: in.tif}
inputs: {a: {path: in.tif}}
evidence: {e: {input: a, membership: {function: linear, low: 0, high: 1}}}
scores: {S: e}
targets: false
)");
  ASSERT_EQ(run_prospect({"run", dir.file("m.yaml"), "--out", dir.file("out"), "-q"}).code, 0);
  DatasetPtr ds(GDALDataset::Open(dir.file("out/prospectivity.tif").c_str(), GDAL_OF_RASTER));
  GDALRasterBand* band = ds->GetRasterBand(1);
  ASSERT_EQ(band->GetOverviewCount(), 2);  // 550, 275
  GDALRasterBand* ov = band->GetOverview(0);
  ASSERT_EQ(ov->GetXSize(), 550);
  std::vector<float> full(4 * 4), half(2 * 2);
  for (int y : {0, 300, 548})
    for (int x : {0, 511, 548}) {
      ASSERT_EQ(band->RasterIO(GF_Read, 2 * x, 2 * y, 4, 4, full.data(), 4, 4, GDT_Float32, 0, 0,
                               nullptr),
                CE_None);
      ASSERT_EQ(ov->RasterIO(GF_Read, x, y, 2, 2, half.data(), 2, 2, GDT_Float32, 0, 0, nullptr),
                CE_None);
      for (int r = 0; r < 2; ++r)
        for (int c = 0; c < 2; ++c) {
          const double mean =
              (double(full[std::size_t(2 * r) * 4 + 2 * c]) +
               full[std::size_t(2 * r) * 4 + 2 * c + 1] + full[std::size_t(2 * r + 1) * 4 + 2 * c] +
               full[std::size_t(2 * r + 1) * 4 + 2 * c + 1]) /
              4;
          EXPECT_NEAR(half[std::size_t(r) * 2 + c], mean, 1e-6) << x << "," << y;
        }
    }
}

// Without overviews prospectivity.tif is still a COG (GDAL's own validator
// agrees where it is installed), holds the same cells as the COG with
// overviews, and does not depend on the threads.
TEST(CogWithoutOverviews, IsACogWithTheSameCellsForAnyThreads) {
  TempDir dir;
  RasterFixture f = ten_metre_raster(1100, 700);
  f.nodata = -1;
  for (std::size_t i = 0; i < f.values.size(); ++i)
    f.values[i] = i % 97 == 0 ? -1.0f : float((i * 2654435761u) % 1000) / 1000.0f;
  write_raster(dir.file("in.tif"), f);
  const std::string model = R"(grid: {like: in.tif}
inputs: {a: {path: in.tif}}
evidence: {e: {input: a, membership: {function: linear, low: 0, high: 1}}}
scores: {S: e, T: {op: gamma, gamma: 0.5, of: [e]}}
targets: false
)";
  write_text(dir.file("copied.yaml"), model);
  write_text(dir.file("zstd.yaml"), model + "outputs: {overviews: false}\n");
  write_text(dir.file("none.yaml"), model + "outputs: {overviews: false, compress: NONE}\n");
  ASSERT_EQ(run_prospect({"run", dir.file("copied.yaml"), "--out", dir.file("copied"), "-q"}).code,
            0);
  EXPECT_TRUE(has_cog_layout(dir.file("copied/prospectivity.tif")));
  for (const std::string name : {"zstd", "none"}) {
    SCOPED_TRACE(name);
    for (const char* threads : {"1", "2"}) {
      const std::string out = dir.file(name + threads);
      ASSERT_EQ(
          run_prospect({"run", dir.file(name + ".yaml"), "--out", out, "--threads", threads, "-q"})
              .code,
          0);
      EXPECT_TRUE(has_cog_layout(out + "/prospectivity.tif"));
      EXPECT_FALSE(std::filesystem::exists(out + "/prospectivity.tif.aux.xml"));
      // Hashed on its writing thread (or, written straight, at its scratch
      // path): the manifest's hash is that of the file in the folder.
      const auto manifest = nlohmann::json::parse(read_file(out + "/manifest.json"));
      for (const auto& o : manifest["outputs"])
        if (o["path"] == "prospectivity.tif") {
          EXPECT_EQ(o["hash"].get<std::string>(), hash_file(out + "/prospectivity.tif"));
        }
    }
    const std::string tif = dir.file(name + "1/prospectivity.tif");
    EXPECT_EQ(read_file(tif), read_file(dir.file(name + "2/prospectivity.tif")));
    for (int band : {1, 2})
      EXPECT_EQ(read_band(tif, band), read_band(dir.file("copied/prospectivity.tif"), band));
    DatasetPtr ds(GDALDataset::Open(tif.c_str(), GDAL_OF_RASTER));
    ASSERT_TRUE(ds);
    EXPECT_EQ(ds->GetRasterBand(1)->GetOverviewCount(), 0);
    EXPECT_STREQ(ds->GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE"),
                 name == "zstd" ? "ZSTD" : nullptr);
    EXPECT_STREQ(ds->GetRasterBand(2)->GetDescription(), "T");
    EXPECT_NE(ds->GetRasterBand(1)->GetMetadataItem("STATISTICS_MEAN"), nullptr);
    EXPECT_STREQ(ds->GetMetadataItem("PROSPECT_MODEL_TYPE"), "fuzzy");
    const std::string validator =
        "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_cloud_optimized_geotiff.py";
    if (std::filesystem::exists(validator) && std::filesystem::exists("/usr/bin/python3")) {
      EXPECT_EQ(std::system(("/usr/bin/python3 " + validator + " -q " + tif).c_str()), 0);
    }
  }
}

// A cell is scored in every band or in none: with two scores on inputs whose
// nodata differ, and a study area, a cell holds scores where it is inside and
// both inputs have a value, and nodata in both bands elsewhere. Tiles of 64
// cells on a 150 x 90 grid: the corner tile (22 x 26) is no multiple of 8 cells.
TEST(ScoredCells, EveryBandOrNone) {
  TempDir dir;
  RasterFixture a = ten_metre_raster(150, 90);
  a.nodata = -1;
  RasterFixture b = a;
  for (std::size_t i = 0; i < a.values.size(); ++i) {
    a.values[i] = i % 7 == 0 ? -1.0f : float(i % 100) / 100.0f;
    b.values[i] = i % 11 == 3 ? -1.0f : float(i % 37) / 37.0f;
  }
  write_raster(dir.file("a.tif"), a);
  write_raster(dir.file("b.tif"), b);
  // Inside: columns 5 and on (the area's west edge on a cell edge).
  write_text(dir.file("area.geojson"), polygon_geojson({400050, 7799100, 401500, 7799100, 401500,
                                                        7800000, 400050, 7800000, 400050, 7799100},
                                                       "EPSG:32733"));
  write_text(dir.file("model.yaml"), R"(grid: {like: a.tif}
study_area: {path: area.geojson}
inputs: {a: {path: a.tif}, b: {path: b.tif}}
evidence:
  ea: {input: a, membership: {function: linear, low: 0, high: 1}}
  eb: {input: b, membership: {function: linear, low: 0, high: 1}}
scores: {SA: ea, SB: eb}
targets: false
outputs: {tile_size: 64}
)");
  const CliResult run =
      run_prospect({"run", dir.file("model.yaml"), "--out", dir.file("out"), "-q"});
  ASSERT_EQ(run.code, 0) << run.err;
  const auto sa = read_band(dir.file("out/prospectivity.tif"), 1);
  const auto sb = read_band(dir.file("out/prospectivity.tif"), 2);
  ASSERT_EQ(sa.size(), a.values.size());
  std::size_t scored = 0;
  for (std::size_t i = 0; i < sa.size(); ++i) {
    const bool inside = i % 150 >= 5;
    const bool complete = inside && a.values[i] != -1.0f && b.values[i] != -1.0f;
    scored += complete ? 1 : 0;
    if (complete) {
      EXPECT_FLOAT_EQ(sa[i], a.values[i]) << i;
      EXPECT_FLOAT_EQ(sb[i], b.values[i]) << i;
    } else {
      EXPECT_EQ(sa[i], -9999.0f) << i;
      EXPECT_EQ(sb[i], -9999.0f) << i;
    }
  }
  const auto manifest = nlohmann::json::parse(read_file(dir.file("out/manifest.json")));
  EXPECT_EQ(manifest["cells"]["valid"].get<std::size_t>(), scored);
}

// On a grid whose cells are far smaller than the report map's pixels (here 12
// cells a pixel), the target outlines are drawn in tenths of a pixel without
// repeating a point: a noisy 8000 x 8000 map's 13,000 outlines once made a
// report of 5.6 MB and took 1 s to write, most points the one before again.
TEST(ReportMap, TargetOutlinesRepeatNoPoint) {
  TempDir dir;
  RasterFixture f = ten_metre_raster(6000, 60);
  for (std::size_t i = 0; i < f.values.size(); ++i)  // blobs with ragged edges
    f.values[i] =
        float(std::sin(double(i % 6000) / 40.0) + 0.3 * double((i * 2654435761u) % 7) / 7.0);
  write_raster(dir.file("in.tif"), f);
  write_text(dir.file("model.yaml"), R"(grid: {like: in.tif}
inputs: {a: {path: in.tif}}
evidence: {e: {input: a, membership: {function: linear, low: -1, high: 1.3}}}
scores: {S: e}
targets: {top_percent: 10}
)");
  ASSERT_EQ(run_prospect({"run", dir.file("model.yaml"), "--out", dir.file("out"), "-q"}).code, 0);
  const std::string report = read_file(dir.file("out/report.html"));
  std::size_t outlines = 0;
  for (std::size_t at = report.find("class=\"target\" d=\""); at != std::string::npos;
       at = report.find("class=\"target\" d=\"", at + 1)) {
    ++outlines;
    const std::size_t begin = at + 20, end = report.find('"', begin);
    std::string previous;
    for (std::size_t i = begin; i < end;) {  // at an M, L or Z
      const std::size_t next = report.find_first_of("MLZ", i + 1);
      const std::string point = report.substr(i + 1, next - i - 1);
      if (report[i] == 'M') previous.clear();  // a ring starts
      if (report[i] != 'Z') {
        EXPECT_NE(point, previous) << report.substr(begin, std::min<std::size_t>(end - begin, 300));
        EXPECT_EQ(point.size() - point.find_last_of('.'), 2u) << point;  // one decimal
        previous = point;
      }
      i = next;
    }
  }
  EXPECT_EQ(outlines,
            nlohmann::json::parse(read_file(dir.file("out/targets.geojson")))["features"].size());
  EXPECT_GT(outlines, 0u);
}

// model: logistic with one binary predictor: the fitted probability in each half
// is that half's share of deposit cells (the closed form of the MLE), and the
// manifest holds the coefficients with their standard errors.
TEST(LogisticRun, BinaryPredictorGivesEachHalfItsDepositShare) {
  TempDir dir;
  RasterFixture f;
  f.width = f.height = 40;
  f.origin_x = 466000;
  f.origin_y = 7750000;
  f.cell_x = f.cell_y = 50;
  f.values.resize(1600);
  for (int r = 0; r < 40; ++r)
    for (int c = 0; c < 40; ++c) f.values[std::size_t(r) * 40 + c] = c >= 20 ? 1.0f : 0.0f;
  write_raster(dir.file("x.tif"), f);
  std::string deposits = R"({"type":"FeatureCollection","features":[)";
  const int cells[8][2] = {{3, 4},   {30, 11}, {2, 25},  {9, 33},
                           {15, 21}, {22, 38}, {31, 29}, {37, 24}};
  for (int k = 0; k < 8; ++k) {
    if (k) deposits += ",";
    deposits +=
        "{\"type\":\"Feature\",\"properties\":{\"Dy\":1},\"geometry\":{\"type\":\"Point\","
        "\"coordinates\":[" +
        std::to_string(466000 + (cells[k][1] + 0.5) * 50) + "," +
        std::to_string(7750000 - (cells[k][0] + 0.5) * 50) + "]}}";
  }
  write_text(dir.file("occ.geojson"), deposits + "]}");
  write_text(dir.file("m.yaml"), R"(model: logistic
grid: {like: x.tif}
training: {deposits: {path: occ.geojson, crs: EPSG:32733}}
inputs: {x: {path: x.tif}}
evidence: {east: {input: x}}
scores: {Dy: {evidence: [east]}}
targets: false
)");
  const auto r = run_prospect({"run", dir.file("m.yaml"), "--out", dir.file("out"), "-q"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto p = read_band(dir.file("out/prospectivity.tif"), 1);
  EXPECT_NEAR(p[5], 2.0 / 800, 1e-6);   // west half: 2 deposit cells of 800
  EXPECT_NEAR(p[35], 6.0 / 800, 1e-6);  // east half: 6 of 800
  const auto m = nlohmann::json::parse(read_file(dir.file("out/manifest.json")));
  const auto& terms = m["logistic"]["scores"][0]["terms"];
  EXPECT_NEAR(terms[1]["coefficient"].get<double>(), std::log(6.0 / 794) - std::log(2.0 / 798),
              1e-6);
  EXPECT_NEAR(terms[1]["std_error"].get<double>(),
              std::sqrt(1.0 / 2 + 1.0 / 798 + 1.0 / 6 + 1.0 / 794), 1e-5);
  EXPECT_TRUE(
      fs::exists(dir.file("out/validation.json")));  // a success rate on the training deposits

  // Balanced deposit weights: each deposit cell weighs (1600 - 8) / 8 = 199. In
  // closed form the odds ratio (the coefficient) is unchanged and the intercept
  // becomes ln(199 * 2 / 798): case weights on the ones multiply their odds.
  write_text(dir.file("mw.yaml"), R"(model: logistic
grid: {like: x.tif}
training: {deposits: {path: occ.geojson, crs: EPSG:32733}, deposit_weight: balanced}
inputs: {x: {path: x.tif}}
evidence: {east: {input: x}}
scores: {Dy: {evidence: [east]}}
targets: false
)");
  const auto rw = run_prospect({"run", dir.file("mw.yaml"), "--out", dir.file("outw"), "-q"});
  ASSERT_EQ(rw.code, 0) << rw.err;
  const auto mw = nlohmann::json::parse(read_file(dir.file("outw/manifest.json")));
  const auto& weighted = mw["logistic"]["scores"][0];
  EXPECT_NEAR(weighted["deposit_weight"].get<double>(), 199.0, 1e-12);
  EXPECT_NEAR(weighted["terms"][1]["coefficient"].get<double>(),
              std::log(6.0 / 794) - std::log(2.0 / 798), 1e-6);
  EXPECT_NEAR(weighted["terms"][0]["coefficient"].get<double>(), std::log(199.0 * 2 / 798), 1e-6);

  // Leave-one-out cross-validation, in closed form: without a west deposit the
  // refit gives west 1/800 < east 6/800, so that deposit ranks below the east
  // half: placement (0 + 800 / 2) / 1600 = 0.25; without an east one, west
  // 2/800 < east 5/800 and it ranks above the west half: 0.75.
  write_text(dir.file("mcv.yaml"), R"(model: logistic
grid: {like: x.tif}
training: {deposits: {path: occ.geojson, crs: EPSG:32733}}
inputs: {x: {path: x.tif}}
evidence: {east: {input: x}}
scores: {Dy: {evidence: [east]}}
targets: false
validation: {cross_validation: {folds: leave_one_out}}
)");
  const auto rcv = run_prospect({"run", dir.file("mcv.yaml"), "--out", dir.file("outcv"), "-q"});
  ASSERT_EQ(rcv.code, 0) << rcv.err;
  const auto cv = nlohmann::json::parse(
      read_file(dir.file("outcv/validation.json")))["cross_validation"]["scores"][0];
  ASSERT_EQ(cv["folds"].get<int>(), 8);
  int west = 0, east = 0;
  for (const auto& fold : cv["per_fold"]) {
    EXPECT_EQ(fold["held_out_deposits"].get<int>(), 1);
    const double a = fold["auc"].get<double>();
    if (std::abs(a - 0.25) < 1e-9) ++west;
    if (std::abs(a - 0.75) < 1e-9) ++east;
  }
  EXPECT_EQ(west, 2);
  EXPECT_EQ(east, 6);
  EXPECT_NEAR(cv["auc_mean"].get<double>(), 0.625, 1e-9);
  EXPECT_NEAR(cv["auc_pooled"].get<double>(), 0.625, 1e-9);
  EXPECT_NEAR(cv["auc_full_fit"].get<double>(), 0.625, 1e-9);

  // All deposits in the east and none in the west: separated; say so, exit 3.
  std::string east_only = R"({"type":"FeatureCollection","features":[)";
  for (int k = 2; k < 8; ++k) {
    if (k > 2) east_only += ",";
    east_only +=
        "{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Point\",\"coordinates\":"
        "[" +
        std::to_string(466000 + (cells[k][1] + 0.5) * 50) + "," +
        std::to_string(7750000 - (cells[k][0] + 0.5) * 50) + "]}}";
  }
  write_text(dir.file("occ.geojson"), east_only + "]}");
  const auto bad = run_prospect({"run", dir.file("m.yaml"), "--out", dir.file("out2"), "-q"});
  EXPECT_EQ(bad.code, 3);
  EXPECT_THAT(bad.err, HasSubstr("perfect separation"));
}

// Lithology polygons rasterized to named classes, scored by class name, and a
// dyke density; both written to evidence/ with their styles.
TEST_F(Survey, RasterizedClassesAndDensityAsEvidence) {
  write_text(dir.file("geology.geojson"),
             R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"unit":"Huab gneiss"},"geometry":{"type":"Polygon","coordinates":[[[466000,7748000],[468000,7748000],[468000,7750000],[466000,7750000],[466000,7748000]]]}},
{"type":"Feature","properties":{"unit":"Carbonatite"},"geometry":{"type":"Polygon","coordinates":[[[467000,7748500],[467500,7748500],[467500,7749000],[467000,7749000],[467000,7748500]]]}}]})");
  write_text(
      dir.file("dykes.geojson"),
      R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[466000,7749025],[468000,7749025]]}}]})");
  const std::string model =
      R"(grid: {crs: EPSG:32733, cell_size: 50, extent: [466000, 7748000, 468000, 7750000]}
inputs:
  lithology: {path: geology.geojson, crs: EPSG:32733, rasterize: {field: unit}}
  dykes: {path: dykes.geojson, crs: EPSG:32733, density: {radius: 500}}
evidence:
  host: {input: lithology, membership: {function: categorical, classes: {Carbonatite: 1, Huab gneiss: 0.2}}}
  dense: {input: dykes, membership: {function: linear, low: 0, high: 1}}
scores: {S: {op: or, of: [host, dense]}}
targets: false
)";
  write_text(dir.file("g.yaml"), model);
  const auto r = run_prospect({"run", dir.file("g.yaml"), "--out", dir.file("gout"), "-q"});
  ASSERT_EQ(r.code, 0) << r.err;
  // Classes in sorted order of names: Carbonatite 1, Huab gneiss 2.
  const auto litho = read_band(dir.file("gout/evidence/lithology.tif"), 1);
  EXPECT_EQ(litho[0], 2.0f);
  EXPECT_EQ(litho[std::size_t(25 * 40 + 25)], 1.0f);  // cell centre (467275, 7748725)
  const std::string qml = read_file(dir.file("gout/evidence/lithology.qml"));
  EXPECT_THAT(qml, HasSubstr("paletteEntry value=\"1\""));
  EXPECT_THAT(qml, HasSubstr("label=\"Carbonatite\""));
  // The dyke runs along the centre of row 19: 1 km inside a 500 m circle, over
  // pi 0.25 km^2; 300 m away the chord is 2 * 400 m.
  const auto density = read_band(dir.file("gout/evidence/dykes.tif"), 1);
  EXPECT_NEAR(density[std::size_t(19 * 40 + 20)], 1.0 / (M_PI * 0.25), 1e-4);
  EXPECT_NEAR(density[std::size_t(25 * 40 + 20)], 0.8 / (M_PI * 0.25), 1e-4);
  // Its style stops at the 2nd, 25th, 50th, 75th and 98th percentiles of its
  // cells (nearest rank, by a sort here), equal ones merged, in km per km².
  {
    std::vector<float> sorted;
    for (float v : density)
      if (v != -9999.0f) sorted.push_back(v);
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::pair<float, std::string>> expected;
    for (double p : {2.0, 25.0, 50.0, 75.0, 98.0}) {
      const auto position = std::size_t(std::ceil(p / 100 * double(sorted.size())));
      const float v = sorted[position - 1];
      if (!expected.empty() && expected.back().first == v)
        expected.pop_back();  // one stop per value: the highest percentile names it
      expected.emplace_back(v, p == 50 ? "(median)" : "percentile)");
    }
    CPLXMLNode* style = CPLParseXMLString(read_file(dir.file("gout/evidence/dykes.qml")).c_str());
    ASSERT_NE(style, nullptr);
    const CPLXMLNode* shader =
        CPLGetXMLNode(style, "=qgis.pipe.rasterrenderer.rastershader.colorrampshader");
    ASSERT_NE(shader, nullptr);
    std::size_t k = 0;
    for (const CPLXMLNode* n = shader->psChild; n; n = n->psNext) {
      if (n->eType != CXT_Element || std::string(n->pszValue) != "item") continue;
      ASSERT_LT(k, expected.size());
      EXPECT_EQ(float(std::stod(CPLGetXMLValue(n, "value", "nan"))), expected[k].first);
      const std::string label = CPLGetXMLValue(n, "label", "");
      EXPECT_THAT(label, HasSubstr("km per km² "));
      EXPECT_THAT(label, HasSubstr(expected[k].second));
      ++k;
    }
    EXPECT_EQ(k, expected.size());
    EXPECT_GE(k, 2u);
    CPLDestroyXMLNode(style);
  }
  const auto s = read_band(dir.file("gout/prospectivity.tif"), 1);
  EXPECT_NEAR(s[0], 0.2f, 1e-6);                          // gneiss, no dyke in reach
  EXPECT_NEAR(s[std::size_t(25 * 40 + 25)], 1.0f, 1e-6);  // carbonatite

  // A class name the data does not have is a model error that names the classes.
  std::string bad = model;
  bad.replace(bad.find("Carbonatite: 1"), 14, "Carbonatit: 1");
  write_text(dir.file("bad.yaml"), bad);
  const auto b = run_prospect({"check", dir.file("bad.yaml")});
  EXPECT_EQ(b.code, 2);
  EXPECT_THAT(b.err, HasSubstr("did you mean 'Carbonatite'"));
}

// evidence.missing: where eth has no value (its nodata hole at row 20, column 30),
// the membership is the stated one, so the cell is scored instead of left out.
TEST_F(Survey, MissingEvidenceCanTakeAStatedMembership) {
  std::string text = model_text;
  text.replace(
      text.find("th: {input: eth, membership: {function: linear, low: 10, high: 40}}"),
      std::string("th: {input: eth, membership: {function: linear, low: 10, high: 40}}").size(),
      "th: {input: eth, membership: {function: linear, low: 10, high: 40}, missing: 0.5}");
  write_text(dir.file("m.yaml"), text);
  ASSERT_EQ(run_prospect({"run", dir.file("m.yaml"), "--out", dir.file("mout"), "-q"}).code, 0);
  const auto k = read_band(dir.file("k.tif"), 1);
  const auto tb = read_band(dir.file("mout/prospectivity.tif"), 2);  // Tb = and(th, alt)
  const std::size_t hole = 20 * 40 + 30;
  const double alt = 1.0 / (1.0 + std::pow(k[hole] / 2.5, -6.0));
  EXPECT_NEAR(tb[hole], std::min(0.5, alt), 1e-6);

  // Only fuzzy models take it (weights of evidence has a missing-data variance instead).
  write_text(dir.file("w.yaml"), R"(model: wofe
grid: {crs: EPSG:32733, cell_size: 50, extent: [466000, 7748000, 468000, 7750000]}
training: {deposits: {path: area.geojson, crs: EPSG:32733}}
inputs: {eth: {path: eth.tif}}
evidence: {th: {input: eth, weights: ascending, missing: 0.5}}
scores: {S: [th]}
)");
  const auto bad = run_prospect({"check", dir.file("w.yaml")});
  EXPECT_EQ(bad.code, 2);
  EXPECT_THAT(bad.err, HasSubstr("unknown key 'missing'"));
}

// A score table on quartiles of eth over the study area: the breaks found here
// by sorting the study-area values, each cell's class by counting breaks below it.
TEST_F(Survey, QuantileClassesScoreTable) {
  std::string text = model_text;
  const std::string th = "th: {input: eth, membership: {function: linear, low: 10, high: 40}}";
  text.replace(text.find(th), th.size(),
               "th: {input: eth, membership: {function: classes, breaks: {quantiles: 4}, values: "
               "[0, 0.2, 0.6, 1]}}");
  write_text(dir.file("q.yaml"), text);
  const auto r = run_prospect({"run", dir.file("q.yaml"), "--out", dir.file("qout")});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto eth = read_band(dir.file("eth.tif"), 1);
  std::vector<float> inside;
  for (int row = 0; row < 40; ++row)
    for (int col = 10; col < 40; ++col)  // the study area leaves out the western quarter
      if (eth[std::size_t(row) * 40 + col] != -9999)
        inside.push_back(eth[std::size_t(row) * 40 + col]);
  std::sort(inside.begin(), inside.end());
  std::vector<float> breaks;
  for (int k = 1; k < 4; ++k)
    breaks.push_back(inside[std::size_t(std::ceil(k * double(inside.size()) / 4)) - 1]);
  const double values[] = {0, 0.2, 0.6, 1};
  const auto k = read_band(dir.file("k.tif"), 1);
  const auto tb = read_band(dir.file("qout/prospectivity.tif"), 2);  // Tb = and(th, alt)
  for (int row = 0; row < 40; row += 3)
    for (int col = 10; col < 40; col += 2) {
      const std::size_t i = std::size_t(row) * 40 + col;
      if (eth[i] == -9999) continue;
      std::size_t cls = 0;
      while (cls < breaks.size() && eth[i] > breaks[cls]) ++cls;
      const double alt = 1.0 / (1.0 + std::pow(k[i] / 2.5, -6.0));
      EXPECT_NEAR(tb[i], std::min(values[cls], alt), 1e-6) << row << "," << col;
    }

  // One membership per class, or a model error that says how many.
  text.replace(text.find("values: [0, 0.2, 0.6, 1]"), 24, "values: [0, 0.2, 1]");
  write_text(dir.file("q2.yaml"), text);
  const auto bad = run_prospect({"check", dir.file("q2.yaml")});
  EXPECT_EQ(bad.code, 2);
  EXPECT_THAT(bad.err, HasSubstr("needs 4 memberships, one per class"));
}

// The same layer twice is as dependent as two layers can be: the pairwise test
// must say so, with chi-square = n (k - 1) for k groups both layers share.
TEST(WofeRun, PairwiseTestFlagsALayerUsedTwice) {
  TempDir dir;
  const std::string data = std::string(PROSPECT_TEST_DATA) + "/eis-wofe/";
  write_text(dir.file("m.yaml"), "model: wofe\ngrid: {like: " + data +
                                     "wofe_evidence_raster.tif}\n" +
                                     "training: {deposits: {path: " + data +
                                     "wofe_deposits.shp}, unit_cell_km2: 1, min_studentized: 1}\n"
                                     "inputs: {classes: {path: " +
                                     data +
                                     "wofe_evidence_raster.tif}}\n"
                                     "evidence: {lith: {input: classes, weights: categorical}, "
                                     "same: {input: classes, weights: categorical}}\n"
                                     "scores: {Dy: {evidence: [lith, same]}}\n");
  const auto r = run_prospect({"run", dir.file("m.yaml"), "--out", dir.file("out"), "-q"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto manifest = nlohmann::json::parse(read_file(dir.file("out/manifest.json")));
  const auto& pairs = manifest["wofe"]["scores"][0]["pairwise_independence"];
  ASSERT_EQ(pairs.size(), 1u);
  const int df = pairs[0]["degrees_of_freedom"];
  const double n = pairs[0]["deposits"];
  ASSERT_GE(df, 1);
  const int groups = int(std::lround(std::sqrt(double(df)))) + 1;  // a k x k table: df = (k - 1)^2
  EXPECT_NEAR(double(pairs[0]["chi_square"]), n * (groups - 1), 1e-9);
  EXPECT_LT(double(pairs[0]["p"]), 0.05);
  EXPECT_THAT(std::string(pairs[0]["verdict"]), HasSubstr("dependent given the deposits"));
}

// The Agterberg-Cheng test does not depend on the cell size: the same two-layer
// model on 100 m and on 50 m cells (each 100 m cell split in four) gives the
// same T, s(T) and verdict. s(T) is also recomputed here from the written bands:
// cells grouped by their (P, s(P)), each group's area in unit cells times s(P),
// squared and summed (Agterberg and Cheng 2002; one error per unique condition).
TEST(WofeRun, ConditionalIndependenceDoesNotDependOnTheCellSize) {
  TempDir dir;
  struct Result {
    double t, s_t, z;
    std::string verdict;
  };
  auto run_at = [&](int factor) {
    const std::string tag = std::to_string(factor);
    RasterFixture a, b;  // 4 x 4 km: layer a high in the east, b high in the north, overlapping
    for (RasterFixture* f : {&a, &b}) {
      f->width = f->height = 40 * factor;
      f->origin_x = 466000;
      f->origin_y = 7750000;
      f->cell_x = f->cell_y = 100.0 / factor;
      f->values.resize(std::size_t(f->width) * f->height);
    }
    for (int r = 0; r < a.height; ++r)
      for (int c = 0; c < a.width; ++c) {
        const std::size_t i = std::size_t(r) * a.width + c;
        a.values[i] = c >= 24 * factor ? 1.0f : 0.0f;
        b.values[i] = r < 18 * factor ? 1.0f : 0.0f;
      }
    write_raster(dir.file("a" + tag + ".tif"), a);
    write_raster(dir.file("b" + tag + ".tif"), b);
    // 14 deposits, most where both layers say yes; the same points at either cell size.
    std::string points = "{\"type\":\"FeatureCollection\",\"features\":[";
    const double xy[][2] = {{3250, 250},  {3450, 650},  {2950, 1050}, {3650, 1250}, {2550, 450},
                            {3850, 1650}, {2750, 850},  {3150, 1450}, {450, 350},   {850, 2850},
                            {3350, 3250}, {1250, 1150}, {2650, 3650}, {3550, 2150}};
    for (std::size_t k = 0; k < 14; ++k)
      points += std::string(k ? "," : "") +
                "{\"type\":\"Feature\",\"properties\":{},\"geometry\":" +
                "{\"type\":\"Point\",\"coordinates\":[" + std::to_string(466000 + xy[k][0]) + "," +
                std::to_string(7750000 - xy[k][1]) + "]}}";
    write_text(dir.file("d.geojson"), points + "]}");
    write_text(dir.file("m" + tag + ".yaml"),
               "model: wofe\ngrid: {like: a" + tag +
                   ".tif}\n"
                   "training: {deposits: {path: d.geojson, crs: EPSG:32733}, unit_cell_km2: 0.01, "
                   "min_studentized: 1}\n"
                   "inputs: {a: {path: a" +
                   tag + ".tif}, b: {path: b" + tag +
                   ".tif}}\n"
                   "evidence: {ea: {input: a, weights: categorical}, eb: {input: b, weights: "
                   "categorical}}\n"
                   "scores: {Dy: {evidence: [ea, eb]}}\nvalidation: {cross_validation: "
                   "false}\ntargets: false\n");
    const auto r =
        run_prospect({"run", dir.file("m" + tag + ".yaml"), "--out", dir.file("out" + tag), "-q"});
    EXPECT_EQ(r.code, 0) << r.err;
    const auto m = nlohmann::json::parse(read_file(dir.file("out" + tag + "/manifest.json")));
    const auto& ci = m["wofe"]["scores"][0]["conditional_independence"];
    // Independent: group the written cells by (P, s(P)).
    const auto p = read_band(dir.file("out" + tag + "/prospectivity.tif"), 1);
    const auto sd = read_band(dir.file("out" + tag + "/prospectivity.tif"), 2);
    std::map<std::pair<float, float>, long long> groups;
    for (std::size_t i = 0; i < p.size(); ++i) ++groups[{p[i], sd[i]}];
    const double u = (100.0 / factor) * (100.0 / factor) / 1e6 / 0.01;  // unit cells per cell
    double t = 0, var = 0;
    for (const auto& [ps, cells] : groups) {
      t += cells * u * ps.first;
      var += (cells * u * ps.second) * (cells * u * ps.second);
    }
    EXPECT_EQ(groups.size(), 4u);  // two layers of two classes
    EXPECT_NEAR(double(ci["sum_of_posteriors_T"]), t, 1e-9 * t);
    EXPECT_NEAR(double(ci["s_T"]), std::sqrt(var), 1e-9 * std::sqrt(var));
    return Result{ci["sum_of_posteriors_T"], ci["s_T"], ci["z"], ci["verdict"]};
  };
  const Result coarse = run_at(1), fine = run_at(2);
  EXPECT_NEAR(fine.t, coarse.t, 1e-6 * coarse.t);
  EXPECT_NEAR(fine.s_t, coarse.s_t, 1e-6 * coarse.s_t);  // summed per cell it would halve
  EXPECT_NEAR(fine.z, coarse.z, 1e-5);
  EXPECT_EQ(fine.verdict, coarse.verdict);
}

// targets.gpkg: the same zones as targets.geojson, in the grid CRS (metres), with
// the same attributes and a default QGIS style in its layer_styles table.
TEST_F(Survey, TargetsGeoPackageMatchesTheGeoJsonInTheGridCrs) {
  ASSERT_EQ(run_prospect({"run", dir.file("model.yaml"), "--out", dir.file("out"), "-q"}).code, 0);
  DatasetPtr gj(GDALDataset::Open(dir.file("out/targets.geojson").c_str(), GDAL_OF_VECTOR));
  DatasetPtr gp(GDALDataset::Open(dir.file("out/targets.gpkg").c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(gj && gp);
  OGRLayer* a = gj->GetLayer(0);
  OGRLayer* b = gp->GetLayerByName("targets");
  ASSERT_NE(b, nullptr);
  ASSERT_GT(a->GetFeatureCount(), 0);
  EXPECT_EQ(a->GetFeatureCount(), b->GetFeatureCount());
  EXPECT_TRUE(b->GetSpatialRef()->IsProjected());
  EXPECT_EQ(std::string(b->GetSpatialRef()->GetAuthorityCode(nullptr)), "32733");
  OGRSpatialReference wgs84;
  wgs84.importFromEPSG(4326);
  wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  a->ResetReading();
  b->ResetReading();
  for (int i = 0; i < a->GetFeatureCount(); ++i) {
    FeaturePtr fa(a->GetNextFeature()), fb(b->GetNextFeature());
    EXPECT_EQ(fa->GetFieldAsInteger("rank"), fb->GetFieldAsInteger("rank"));
    EXPECT_DOUBLE_EQ(fa->GetFieldAsDouble("mean_Dy"), fb->GetFieldAsDouble("mean_Dy"));
    EXPECT_DOUBLE_EQ(fa->GetFieldAsDouble("area_ha"), fb->GetFieldAsDouble("area_ha"));
    // The GeoPackage polygon's area in m2 is the zone's cells times 2500 m2.
    EXPECT_NEAR(fb->GetGeometryRef()->toPolygon()->get_Area(), fb->GetFieldAsDouble("area_m2"),
                1e-6);
  }
  OGRLayer* styles = gp->GetLayerByName("layer_styles");
  ASSERT_NE(styles, nullptr);
  FeaturePtr style(styles->GetNextFeature());
  ASSERT_TRUE(style);
  EXPECT_STREQ(style->GetFieldAsString("f_table_name"), "targets");
  EXPECT_EQ(style->GetFieldAsInteger("useAsDefault"), 1);
  EXPECT_THAT(style->GetFieldAsString("styleQML"), HasSubstr("fieldName=\"rank\""));
  // QGIS 3.22 sorts the styles by update_time; without it no default style is found.
  EXPECT_GE(style->GetFieldIndex("update_time"), 0);
  EXPECT_TRUE(fs::exists(dir.file("out/targets.qml")));
}

// A folder the user cannot write to: exit 1 with the folder named and what to
// do, and nothing created. Root writes to any ordinary folder, so as root the
// folder is on sysfs, which refuses everyone.
TEST_F(Survey, AnOutputFolderThatIsNotWritableIsAClearError) {
  std::string out = dir.file("locked/out");
  if (geteuid() == 0) {
    out = "/sys/prospect-test-out";
  } else {
    fs::create_directories(dir.file("locked"));
    fs::permissions(dir.file("locked"), fs::perms::owner_read | fs::perms::owner_exec);
  }
  const auto r = run_prospect({"run", dir.file("model.yaml"), "--out", out, "-q"});
  if (geteuid() != 0) fs::permissions(dir.file("locked"), fs::perms::owner_all);
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr(out));
  EXPECT_THAT(r.err, HasSubstr("permission to write there"));
  EXPECT_FALSE(fs::exists(out));
}

// project.qgs names every layer by a path inside the output folder (the vectors
// copied into layers.gpkg), so the folder moved alone still opens whole.
TEST_F(Survey, ProjectFileOpensWholeWhenTheFolderIsMovedAlone) {
  ASSERT_EQ(run_prospect({"run", dir.file("model.yaml"), "--out", dir.file("out/run1"), "-q"}).code,
            0);
  fs::create_directories(dir.file("elsewhere"));
  fs::rename(dir.file("out/run1"), dir.file("elsewhere/shared"));
  const std::string moved = dir.file("elsewhere/shared");
  CPLXMLNode* root = CPLParseXMLFile((moved + "/project.qgs").c_str());
  ASSERT_NE(root, nullptr);
  const CPLXMLNode* layers = CPLGetXMLNode(root, "=qgis.projectlayers");
  ASSERT_NE(layers, nullptr);
  std::vector<std::string> names;
  for (const CPLXMLNode* n = layers->psChild; n; n = n->psNext) {
    if (n->eType != CXT_Element) continue;
    names.push_back(CPLGetXMLValue(n, "layername", ""));
    const std::string source = CPLGetXMLValue(n, "datasource", "");
    const std::string path = source.substr(0, source.find('|'));
    EXPECT_EQ(path.rfind("./", 0), 0u) << source;
    EXPECT_EQ(path.find(".."), std::string::npos) << source;
    EXPECT_TRUE(fs::exists(fs::path(moved) / path)) << source;
    if (source.find("|layername=") !=
        std::string::npos) {  // the layer is in the file, with features
      const std::string layer = source.substr(source.find("|layername=") + 11);
      DatasetPtr ds(GDALDataset::Open((moved + "/" + path).c_str(), GDAL_OF_VECTOR));
      ASSERT_TRUE(ds) << source;
      ASSERT_NE(ds->GetLayerByName(layer.c_str()), nullptr) << source;
      EXPECT_GT(ds->GetLayerByName(layer.c_str())->GetFeatureCount(), 0) << source;
    }
  }
  EXPECT_EQ(names, (std::vector<std::string>{"targets", "study area", "prospectivity"}));
  // The scores' style is embedded (QGIS reads no .qml sidecar when it opens a project).
  const CPLXMLNode* scores = layers->psChild;
  while (scores && std::string(CPLGetXMLValue(scores, "layername", "")) != "prospectivity")
    scores = scores->psNext;
  ASSERT_NE(scores, nullptr);
  EXPECT_STREQ(CPLGetXMLValue(scores, "pipe.rasterrenderer.type", ""), "singlebandpseudocolor");
  CPLDestroyXMLNode(root);
}

// A second run into a folder that holds a first: everything the run reads back
// while it writes (the target outlines drawn in the report, the styles embedded
// in project.qgs) is its own, never the first run's.
TEST_F(Survey, WhatARunReadsBackIsItsOwnNotThePreviousRuns) {
  auto target_paths = [&](const std::string& report) {
    std::size_t count = 0;
    for (std::size_t at = report.find("class=\"target\""); at != std::string::npos;
         at = report.find("class=\"target\"", at + 1))
      ++count;
    return count;
  };
  auto zones = [&](const std::string& folder) {
    return nlohmann::json::parse(read_file(folder + "/targets.geojson"))["features"].size();
  };
  write_text(dir.file("no-targets.yaml"),
             replace_text(model_text, "targets: {top_percent: 10}", "targets: false"));
  ASSERT_EQ(run_prospect({"run", dir.file("no-targets.yaml"), "--out", dir.file("out"), "-q"}).code,
            0);
  EXPECT_EQ(target_paths(read_file(dir.file("out/report.html"))), 0u);
  ASSERT_EQ(run_prospect({"run", dir.file("model.yaml"), "--out", dir.file("out"), "-q"}).code, 0);
  const std::size_t zones_now = zones(dir.file("out"));
  ASSERT_GT(zones_now, 0u);
  EXPECT_EQ(target_paths(read_file(dir.file("out/report.html"))), zones_now);
}

// Each zone's drivers, recomputed here: the layers whose membership averages
// higher over the zone's cells (cell centres inside its outline) than over all
// valid study-area cells, largest lift first.
// A gradient-boosting model on the survey: trained on deposits in the east
// (high eth), it scores the east above the west; the model files are written;
// the same bytes come out for 1 and 2 threads; a forest runs too.
TEST_F(Survey, GradientBoostingLearnsWhereTheDepositsAre) {
  auto deposits = [&](int count) {
    write_text(dir.file("deposits.geojson"), points_geojson(count, 467600, 7748300, 40, 170));
  };
  deposits(8);
  const std::string ml = R"(model: gradient_boosting
grid: {crs: EPSG:32733, cell_size: 50, extent: [466000, 7748000, 468000, 7750000]}
study_area: {path: area.geojson, crs: EPSG:32733}
training:
  deposits: {path: deposits.geojson, crs: EPSG:32733}
  background: {ratio: 20, seed: 3}
learner: {trees: 20, depth: 2}
inputs: {eth: {path: eth.tif}, k: {path: k.tif}}
evidence: {th: {input: eth}, potassium: {input: k}}
scores: {Dy: {evidence: [th, potassium]}}
targets: {top_percent: 10}
)";
  write_text(dir.file("ml.yaml"), ml);
  auto r =
      run_prospect({"run", dir.file("ml.yaml"), "--out", dir.file("one"), "-q", "--threads", "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  r = run_prospect({"run", dir.file("ml.yaml"), "--out", dir.file("two"), "-q", "--threads", "2"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(read_file(dir.file("one/prospectivity.tif")),
            read_file(dir.file("two/prospectivity.tif")));
  EXPECT_THAT(read_file(dir.file("one/models/Dy.json")), HasSubstr("\"feature_names\":[\"th\""));
  const auto manifest = nlohmann::json::parse(read_file(dir.file("one/manifest.json")));
  const auto& fit = manifest["gradient_boosting"]["scores"][0];
  EXPECT_EQ(fit["deposit_cells"], 8);
  EXPECT_GT(fit["background_cells"].get<int>(), 80);
  EXPECT_LT(fit["background_cells"].get<int>(), 250);  // 20 per deposit cell, on average
  const auto dy = read_band(dir.file("one/prospectivity.tif"), 1);
  double east = 0, west = 0;
  for (int row = 0; row < 40; ++row) {
    east += dy[std::size_t(row * 40 + 36)];
    west += dy[std::size_t(row * 40 + 12)];
  }
  EXPECT_GT(east, west);
  // The zones' drivers from the learner's feature contributions: eth lifts the eastern targets.
  const auto zones = nlohmann::json::parse(read_file(dir.file("one/targets.geojson")));
  ASSERT_GE(zones["features"].size(), 1u);
  EXPECT_THAT(zones["features"][0]["properties"]["drivers"].get<std::string>(), HasSubstr("th"));
  // Cross-validated: every training deposit held out once, each fold refitted.
  const auto cv = nlohmann::json::parse(
      read_file(dir.file("one/validation.json")))["cross_validation"]["scores"][0];
  ASSERT_GE(cv["folds"].get<int>(), 2);
  int held_out = 0;
  for (const auto& fold : cv["per_fold"]) {
    held_out += fold["held_out_deposits"].get<int>();
    EXPECT_EQ(fold["training_deposits"].get<int>() + fold["held_out_deposits"].get<int>(), 8);
  }
  EXPECT_EQ(held_out, 8);
  EXPECT_GT(cv["auc_pooled"].get<double>(), 0.5);  // the east is where they are
  EXPECT_GT(cv["auc_full_fit"].get<double>(), 0.5);
  // Permutation importance on the held-out folds: eth places the deposits (they lie in the
  // east, where eth is high), K hardly (they spread over its rows).
  ASSERT_EQ(cv["permutation_importance"].size(), 2u);
  EXPECT_EQ(cv["permutation_importance"][0]["evidence"], "th");
  EXPECT_GT(cv["permutation_importance"][0]["auc_drop"].get<double>(),
            cv["permutation_importance"][1]["auc_drop"].get<double>());
  // An ensemble of 3 more fits with other seeds: Dy_spread, their standard deviation per cell.
  write_text(dir.file("ens.yaml"), replace_text(ml, "depth: 2}", "depth: 2, ensemble: 3}"));
  r = run_prospect({"run", dir.file("ens.yaml"), "--out", dir.file("ens"), "-q"});
  ASSERT_EQ(r.code, 0) << r.err;
  {
    DatasetPtr ds(GDALDataset::Open(dir.file("ens/prospectivity.tif").c_str(), GDAL_OF_RASTER));
    ASSERT_TRUE(ds);
    ASSERT_EQ(ds->GetRasterCount(), 2);
    EXPECT_STREQ(ds->GetRasterBand(2)->GetDescription(), "Dy_spread");
  }
  EXPECT_EQ(read_band(dir.file("ens/prospectivity.tif"), 1), dy);  // the first fit's map, as before
  const auto spread = read_band(dir.file("ens/prospectivity.tif"), 2);
  double largest = 0;
  for (std::size_t i = 0; i < spread.size(); ++i) {
    if (dy[i] == -9999.0f) {
      EXPECT_EQ(spread[i], -9999.0f);
      continue;
    }
    EXPECT_GE(spread[i], 0.0f);
    largest = std::max(largest, double(spread[i]));
  }
  EXPECT_GT(largest, 0.0);  // the seeds' subsamples differ, so do the fits
  write_text(dir.file("rf.yaml"), replace_text(ml, "gradient_boosting", "random_forest"));
  r = run_prospect({"run", dir.file("rf.yaml"), "--out", dir.file("rf"), "-q"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(
      nlohmann::json::parse(read_file(dir.file("rf/manifest.json"))).contains("random_forest"));
  // Too few deposits: the error says how many are needed.
  deposits(3);
  r = run_prospect({"run", dir.file("ml.yaml"), "--out", dir.file("few"), "-q"});
  EXPECT_EQ(r.code, 3);
  EXPECT_THAT(r.err, HasSubstr("needs at least 5"));
}

// An input with one value over the training cells is named, with the value,
// not only as a layer no split uses.
TEST_F(Survey, ConstantEvidenceIsNamedForTheLearner) {
  RasterFixture flat;
  flat.width = flat.height = 40;
  flat.origin_x = 466000;
  flat.origin_y = 7750000;
  flat.cell_x = flat.cell_y = 50;
  flat.values.assign(1600, 7.5f);
  write_raster(dir.file("flat.tif"), flat);
  write_text(dir.file("deposits.geojson"), points_geojson(8, 467600, 7748300, 40, 170));
  write_text(dir.file("ml.yaml"), R"(model: gradient_boosting
grid: {crs: EPSG:32733, cell_size: 50, extent: [466000, 7748000, 468000, 7750000]}
training: {deposits: {path: deposits.geojson, crs: EPSG:32733}}
learner: {trees: 10, depth: 2}
inputs: {eth: {path: eth.tif}, flat: {path: flat.tif}}
evidence: {th: {input: eth}, level: {input: flat}}
scores: {Dy: {evidence: [th, level]}}
validation: {cross_validation: false}
)");
  const auto r = run_prospect({"run", dir.file("ml.yaml"), "--out", dir.file("out")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Dy: 'level' has one value (7.5) at every training cell"));
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("'level' is used by no split")));
  EXPECT_THAT(read_file(dir.file("out/report.html")), HasSubstr("has one value (7.5)"));
}

TEST_F(Survey, TargetDriversAreTheLayersThatLiftTheZone) {
  // "alt" high in the south, th in the east: zones differ in what lifts them.
  model_text.replace(model_text.find("function: large"), 15, "function: small");
  write_text(dir.file("model.yaml"), model_text);
  ASSERT_EQ(run_prospect({"run", dir.file("model.yaml"), "--out", dir.file("out"), "-q"}).code, 0);
  const auto eth = read_band(dir.file("eth.tif"), 1), k = read_band(dir.file("k.tif"), 1);
  const auto hree = read_band(dir.file("out/prospectivity.tif"), 4);
  const auto th = [&](std::size_t i) { return std::clamp((eth[i] - 10.0) / 30.0, 0.0, 1.0); };
  const auto alt = [&](std::size_t i) { return 1.0 / (1.0 + std::pow(k[i] / 2.5, 6.0)); };
  double study[2] = {0, 0};
  long valid = 0;
  for (std::size_t i = 0; i < hree.size(); ++i)
    if (hree[i] != -9999.0f) {
      study[0] += th(i);
      study[1] += alt(i);
      ++valid;
    }
  DatasetPtr gp(GDALDataset::Open(dir.file("out/targets.gpkg").c_str(), GDAL_OF_VECTOR));
  OGRLayer* layer = gp->GetLayerByName("targets");
  ASSERT_GT(layer->GetFeatureCount(), 0);
  int checked = 0;
  for (FeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
    double zone[2] = {0, 0};
    long cells = 0;
    for (int r = 0; r < 40; ++r)
      for (int c = 0; c < 40; ++c) {
        OGRPoint centre(466000 + 50 * c + 25, 7750000 - 50 * r - 25);
        if (!f->GetGeometryRef()->Contains(&centre)) continue;
        const std::size_t i = std::size_t(r) * 40 + c;
        zone[0] += th(i);
        zone[1] += alt(i);
        ++cells;
      }
    ASSERT_EQ(cells, f->GetFieldAsInteger64("cells"));
    const double lift_th = zone[0] / cells - study[0] / valid,
                 lift_alt = zone[1] / cells - study[1] / valid;
    std::vector<std::pair<double, std::string>> lifts;
    if (lift_th > 1e-9) lifts.emplace_back(lift_th, "th");
    if (lift_alt > 1e-9) lifts.emplace_back(lift_alt, "alt");
    std::sort(lifts.rbegin(), lifts.rend());
    std::string expected;
    for (const auto& [lift, name] : lifts) expected += (expected.empty() ? "" : ", ") + name;
    EXPECT_FALSE(expected.empty());  // a top zone is lifted by something
    EXPECT_EQ(f->GetFieldAsString("drivers"), expected) << "zone " << f->GetFieldAsInteger("rank");
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

// Data-derived breaks or class names on evidence layers no score uses: their
// input is never opened, so there is nothing to resolve and the run goes on.
TEST_F(Survey, UnusedEvidenceWithDerivedBreaksIsSkipped) {
  std::string text = model_text;
  text.replace(text.find("  k: {path: k.tif, resampling: bilinear}\n"), 0,
               "  spare: {path: k.tif}\n");
  text.replace(
      text.find("evidence:\n") + 10, 0,
      "  idle: {input: spare, membership: {function: classes, breaks: {natural_breaks: 3}, values: "
      "[0, 0.5, 1]}}\n"
      "  named: {input: spare, membership: {function: categorical, classes: {Carbonatite: 1}}}\n");
  write_text(dir.file("u.yaml"), text);
  const auto r = run_prospect({"run", dir.file("u.yaml"), "--out", dir.file("uout"), "-q"});
  EXPECT_EQ(r.code, 0) << r.err;
}

// The report comes with every run: a self-contained page with a map per band,
// and warnings in plain words for what went wrong with the validation deposits.
TEST_F(Survey, ReportIsSelfContainedAndFlagsTurnOffValidationAndReport) {
  // Three deposits: two on scored cells, one outside the study area (west quarter).
  std::string deposits = R"({"type":"FeatureCollection","features":[)";
  const int cells[][2] = {{5, 30}, {20, 25}, {10, 2}};
  for (std::size_t k = 0; k < 3; ++k)
    deposits += std::string(k ? "," : "") +
                R"({"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[)" +
                std::to_string(466000 + (cells[k][1] + 0.5) * 50) + "," +
                std::to_string(7750000 - (cells[k][0] + 0.5) * 50) + "]}}";
  write_text(dir.file("deposits.geojson"), deposits + "]}");
  write_text(dir.file("v.yaml"),
             model_text + "validation: {deposits: {path: deposits.geojson, crs: EPSG:32733}}\n");

  auto r = run_prospect({"run", dir.file("v.yaml"), "--out", dir.file("full"), "-q"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string html = read_file(dir.file("full/report.html"));
  EXPECT_THAT(html, HasSubstr("<h1>Prospectivity report: survey-test</h1>"));
  std::size_t images = 0;
  for (std::size_t at = html.find("data:image/png;base64,"); at != std::string::npos;
       at = html.find("data:image/png;base64,", at + 1))
    ++images;
  EXPECT_EQ(images, 4u);                                  // Dy, Tb, Y and the composite
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);  // nothing fetched
  EXPECT_EQ(html.find("href=\"http"), std::string::npos);
  EXPECT_THAT(html, HasSubstr("Only 2 deposits validate Dy"));
  EXPECT_THAT(html, HasSubstr("Dy: 1 of 3 deposits is not counted: 1 outside the study area"));
  // validation.json lists the deposit left out, where it is and why.
  const auto validation = nlohmann::json::parse(read_file(dir.file("full/validation.json")));
  const auto& left_out = validation["bands"][0]["deposits_not_counted"];
  EXPECT_EQ(left_out["outside_study_area"], 1);
  EXPECT_EQ(left_out["of_which_inside_the_polygon"], 0);
  ASSERT_EQ(left_out["deposits"].size(), 1u);
  EXPECT_EQ(left_out["deposits"][0]["fid"], 2);
  EXPECT_EQ(left_out["deposits"][0]["reason"], "outside the study area");
  EXPECT_DOUBLE_EQ(left_out["deposits"][0]["x"].get<double>(), 466000 + 2.5 * 50);
  EXPECT_THAT(html, HasSubstr("Prediction-rate curves"));
  // The targets listed as targets.geojson has them: rank 1's area and score.
  const auto zones = nlohmann::json::parse(read_file(dir.file("full/targets.geojson")));
  ASSERT_GE(zones["features"].size(), 1u);
  const auto& first = zones["features"][0]["properties"];
  char row[200];
  std::snprintf(row, sizeof row,
                "<tr><td>1</td><td class=\"num\">%.3g</td><td class=\"num\">%d</td>",
                first["area_ha"].get<double>(), first["cells"].get<int>());
  EXPECT_THAT(html, HasSubstr("<section id=\"targets\">"));
  EXPECT_THAT(html, HasSubstr(row));
  std::snprintf(row, sizeof row, "<td class=\"num\">%.3g</td>", first["mean_HREE"].get<double>());
  EXPECT_THAT(html, HasSubstr(row));
  // The target band's map labels each listed zone with its rank; every map has a scale bar.
  std::size_t ranks = 0;
  for (auto at = html.find("class=\"rank\""); at != std::string::npos;
       at = html.find("class=\"rank\"", at + 1))
    ++ranks;
  EXPECT_EQ(ranks, std::min<std::size_t>(zones["features"].size(), 25));
  EXPECT_THAT(html, HasSubstr("class=\"scale-bar\""));
  EXPECT_THAT(html, HasSubstr("class=\"north\""));
  EXPECT_THAT(html, HasSubstr("Response curves"));  // eth and k against the validation deposits
  const auto manifest = nlohmann::json::parse(read_file(dir.file("full/manifest.json")));
  EXPECT_THAT(manifest.dump(), HasSubstr("report.html"));

  r = run_prospect(
      {"run", dir.file("v.yaml"), "--out", dir.file("novalidation"), "-q", "--no-validation"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_FALSE(fs::exists(dir.file("novalidation/validation.json")));
  EXPECT_THAT(read_file(dir.file("novalidation/report.html")),
              HasSubstr("Skipped (<code>--no-validation</code>)"));
  EXPECT_EQ(read_file(dir.file("novalidation/prospectivity.tif")),
            read_file(dir.file("full/prospectivity.tif")));

  // Not quiet: the terminal names the deposit left out too.
  r = run_prospect({"run", dir.file("v.yaml"), "--out", dir.file("noreport"), "--no-report"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("Dy: 1 of 3 deposits is not counted: 1 outside the study area"));
  EXPECT_FALSE(fs::exists(dir.file("noreport/report.html")));
  EXPECT_TRUE(fs::exists(dir.file("noreport/validation.json")));
}

// A score that is the same everywhere ranks nothing: AUC 0.5, said in words.
TEST_F(Survey, ConstantScoreBandIsValidatedAsUselessAndSaidSo) {
  std::string text = model_text;
  text.replace(text.find("  Dy: {op: gamma"),
               std::string("  Dy: {op: gamma, gamma: 0.75, of: [th, alt]}").size(), "  Dy: flat");
  text.replace(
      text.find("evidence:\n"), 10,
      "evidence:\n  flat: {input: eth, membership: {function: linear, low: -100, high: -50}}\n");
  write_text(
      dir.file("deposits.geojson"),
      R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[467525,7749725]}}]})");
  write_text(dir.file("flat.yaml"),
             text + "validation: {deposits: {path: deposits.geojson, crs: EPSG:32733}}\n");
  const auto r = run_prospect({"run", dir.file("flat.yaml"), "--out", dir.file("flat"), "-q"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto doc = nlohmann::json::parse(read_file(dir.file("flat/validation.json")));
  EXPECT_DOUBLE_EQ(doc["bands"][0]["auc"].get<double>(), 0.5);
  EXPECT_THAT(doc["bands"][0]["note"].get<std::string>(), HasSubstr("same score"));
  EXPECT_THAT(read_file(dir.file("flat/report.html")),
              HasSubstr("Dy has the same score in every valid cell"));
}

// Soil samples kriged with a fitted variogram: check prints the fit, the run
// writes the kriged layer (within the samples' range: kriging interpolates) and
// the report draws the variogram; a rare-earth index reads its columns by element.
TEST_F(Survey, KrigedSoilsWithAFittedVariogramAndAnIndex) {
  std::string csv = "id,easting,northing,Dy_ppm,Yb_ppm\n";
  for (int i = 0; i < 400; ++i) {
    const double x = 466000 + 50.0 * (i % 20) + 25, y = 7748000 + 100.0 * (i / 20) + 10;
    const double dy = std::exp(2 + 0.8 * std::sin(x / 300.0) + 0.6 * std::cos(y / 250.0));
    csv += std::to_string(i) + "," + std::to_string(x) + "," + std::to_string(y) + "," +
           std::to_string(dy) + "," + std::to_string(dy / 4 + 1) + "\n";
  }
  write_text(dir.file("soils.csv"), csv);
  std::string model = replace_text(model_text, "  k: {path: k.tif, resampling: bilinear}\n",
                                   "  k: {path: k.tif, resampling: bilinear}\n"
                                   "  dy: {path: soils.csv, crs: EPSG:32733, krige: {field: "
                                   "Dy_ppm, log: true, variogram: {model: exponential}}}\n"
                                   "  dy_yb: {path: soils.csv, crs: EPSG:32733, idw: {index: "
                                   "(Dy/Yb)N}}\n");
  model = replace_text(model, "  alt: {input: k",
                       "  soil: {input: dy, membership: {function: linear, low: 5, high: 20}}\n"
                       "  ratio: {input: dy_yb, membership: {function: linear, low: 1, high: "
                       "10}}\n  alt: {input: k");
  model = replace_text(model, "  Y: {op: or, of: [th, alt]}\n",
                       "  Y: {op: or, of: [th, alt, soil, ratio]}\n");
  write_text(dir.file("kriged.yaml"), model);
  auto r = run_prospect({"check", dir.file("kriged.yaml")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("ordinary kriging of ln 'Dy_ppm'"));
  EXPECT_THAT(r.out, HasSubstr("exponential variogram fitted"));
  EXPECT_THAT(r.out, HasSubstr("the index (Dy/Yb)N = N(\"Dy_ppm\") / N(\"Yb_ppm\")"));
  r = run_prospect({"run", dir.file("kriged.yaml"), "--out", dir.file("out")});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string report = read_file(dir.file("out/report.html"));
  EXPECT_THAT(report, HasSubstr("<section id=\"geochemistry\">"));
  EXPECT_THAT(report, HasSubstr("dy: ln Dy_ppm"));
  EXPECT_THAT(report, HasSubstr("exponential model, fitted"));
  // Both geochemical inputs get a map of their samples above median + 2 MAD.
  EXPECT_THAT(report, HasSubstr("<h3>dy: Dy_ppm</h3>"));
  EXPECT_THAT(report, HasSubstr("<h3>dy_yb: the index (Dy/Yb)N</h3>"));
  EXPECT_THAT(report, HasSubstr("of 400 sample locations above"));
  const std::vector<float> kriged = read_band(dir.file("out/evidence/dy.tif"), 1);
  float lo = 1e30f, hi = -1e30f;
  for (float v : kriged)
    if (v > -9999) lo = std::min(lo, v), hi = std::max(hi, v);
  EXPECT_GT(lo, std::exp(2 - 1.4) * 0.9);  // within the samples' range (kriging interpolates)
  EXPECT_LT(hi, std::exp(2 + 1.4) * 1.1);
}
