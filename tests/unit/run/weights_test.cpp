// prospect's weights tables against the EIS Toolkit's output for the same data
// (tests/data/eis-wofe): every row both tools define must agree to 4 decimals.

#include "prospect/run/weights.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "support/fixtures.hpp"

using namespace prospect;

namespace {

const std::string k_dir = std::string(PROSPECT_TEST_DATA) + "/eis-wofe/";

struct PeerRow {
  double cells, deposits, w_plus, s_w_plus, w_minus, s_w_minus, contrast, s_contrast, studentized;
};

// The peer's table of one type, by class.
std::map<double, PeerRow> peer_table(const std::string& type) {
  std::ifstream in(k_dir + "eis_wofe_output.txt");
  std::string line;
  std::map<double, PeerRow> rows;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line.rfind("===", 0) == 0) {
      inside = line.find("weights_type=" + type + " ") != std::string::npos;
      continue;
    }
    if (!inside || line.find("Class") != std::string::npos) continue;
    std::istringstream s(line);
    double cls;
    PeerRow r;
    s >> cls >> r.cells >> r.deposits >> r.w_plus >> r.s_w_plus >> r.w_minus >> r.s_w_minus >>
        r.contrast >> r.s_contrast >> r.studentized;
    if (s) rows[cls] = r;
  }
  return rows;
}

WeightsResult ours(WeightsType type) {
  WeightsRequest req;
  req.evidence.path = k_dir + "wofe_evidence_raster.tif";
  req.deposits.path = k_dir + "wofe_deposits.shp";
  req.options.type = type;
  req.options.unit_cell_km2 = 1.0;
  req.options.min_studentized = 1.0;
  req.threads = 2;
  return compute_weights(req);
}

int compare(WeightsType type, const std::string& peer_name) {
  const auto peer = peer_table(peer_name);
  const WeightsResult r = ours(type);
  EXPECT_EQ(r.table.deposits, 16);
  EXPECT_DOUBLE_EQ(r.table.total_unit_cells, 781);
  int compared = 0;
  for (const auto& row : r.table.rows) {
    EXPECT_TRUE(peer.count(row.value)) << row.value;
    if (!peer.count(row.value)) continue;
    const PeerRow& p = peer.at(row.value);
    EXPECT_EQ(double(row.cells), p.cells) << row.value;
    EXPECT_EQ(double(row.deposits), p.deposits) << row.value;
    if (!row.w_plus_defined || !row.w_minus_defined) continue;  // the peer patches these
    ++compared;
    EXPECT_NEAR(row.w_plus, p.w_plus, 5e-5) << row.value;
    EXPECT_NEAR(row.s_w_plus, p.s_w_plus, 5e-5) << row.value;
    EXPECT_NEAR(row.w_minus, p.w_minus, 5e-5) << row.value;
    EXPECT_NEAR(row.s_w_minus, p.s_w_minus, 5e-5) << row.value;
    EXPECT_NEAR(row.contrast, p.contrast, 5e-5) << row.value;
    EXPECT_NEAR(row.s_contrast, p.s_contrast, 5e-5) << row.value;
    EXPECT_NEAR(row.studentized, p.studentized, 5e-5) << row.value;
  }
  return compared;
}

}  // namespace

TEST(WeightsAgainstEis, CategoricalRowsMatch) {
  EXPECT_EQ(compare(WeightsType::categorical, "unique"), 4);  // classes 1, 3, 5, 10
}

TEST(WeightsAgainstEis, AscendingRowsMatch) {
  EXPECT_EQ(compare(WeightsType::ascending, "ascending"), 6);
}

TEST(WeightsAgainstEis, DescendingRowsMatch) {
  EXPECT_EQ(compare(WeightsType::descending, "descending"), 6);
}

TEST(WeightsAgainstEis, GeneralisationAgreesWithThePeersChoice) {
  // The peer generalises ascending at class 1 and descending at class 10.
  const WeightsResult asc = ours(WeightsType::ascending);
  ASSERT_GE(asc.table.threshold_row, 0);
  EXPECT_EQ(asc.table.rows[std::size_t(asc.table.threshold_row)].value, 1.0);
  const WeightsResult desc = ours(WeightsType::descending);
  ASSERT_GE(desc.table.threshold_row, 0);
  EXPECT_EQ(desc.table.rows[std::size_t(desc.table.threshold_row)].value, 10.0);
}

TEST(WeightsAgainstEis, CsvIsStableAndComplete) {
  const std::string csv = weights_csv(ours(WeightsType::categorical).table);
  EXPECT_THAT(csv, ::testing::StartsWith("class,cells,area_km2,unit_cells,deposits,w_plus"));
  EXPECT_THAT(csv, ::testing::HasSubstr("\n1,275,275.000000,275.000000,9,0.481015,"));
  EXPECT_EQ(csv, weights_csv(ours(WeightsType::categorical).table));
}

TEST(WeightsBadInput, NoDepositsOnTheEvidenceIsAClearError) {
  prospect::test::TempDir dir;
  WeightsRequest req;
  req.evidence.path = k_dir + "wofe_evidence_raster.tif";
  req.deposits.path = prospect::test::write_text(
      dir.file("far.geojson"),
      R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[10,50]}}]})");
  try {
    compute_weights(req);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_THAT(e.what(),
                ::testing::HasSubstr("no training deposit lies on a valid evidence cell"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("1 outside the raster"));
  }
}

TEST(WeightsBadInput, AUnitCellLargerThanTheStudyAreaIsRefused) {
  WeightsRequest req;
  req.evidence.path = k_dir + "wofe_evidence_raster.tif";
  req.deposits.path = k_dir + "wofe_deposits.shp";
  req.options.unit_cell_km2 = 5000;
  EXPECT_THROW(compute_weights(req), Error);
}

namespace {

// A 40 x 40 ramp of 100 m cells: the cell at (col, row) holds row * 40 + col,
// so every value is distinct, as in a distance or grade layer.
struct Ramp {
  prospect::test::TempDir dir;
  std::string raster, deposits;
  Ramp() {
    prospect::test::RasterFixture f;
    f.width = f.height = 40;
    f.origin_x = 400000;
    f.origin_y = 7000000;
    f.cell_x = f.cell_y = 100;
    f.values.resize(1600);
    for (int i = 0; i < 1600; ++i) f.values[std::size_t(i)] = float(i);
    raster = prospect::test::write_raster(dir.file("ramp.tif"), f);
    // Deposits on values 5, 410, 415 and 1500.
    std::string features;
    for (int v : {5, 410, 415, 1500})
      features +=
          std::string(features.empty() ? "" : ",") +
          R"({"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[)" +
          std::to_string(400000 + (v % 40 + 0.5) * 100) + "," +
          std::to_string(7000000 - (v / 40 + 0.5) * 100) + "]}}";
    deposits = prospect::test::write_text(
        dir.file("dep.geojson"),
        R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:32733"}},"features":[)" +
            features + "]}");
  }
  WeightsRequest request() const {
    WeightsRequest req;
    req.evidence.path = raster;
    req.deposits.path = deposits;
    req.options.type = WeightsType::ascending;
    req.options.unit_cell_km2 = 0.01;
    return req;
  }
};

}  // namespace

// 853,005 rows and 14 minutes on a real distance raster: now refused at once,
// with what to give instead.
TEST(WeightsOfContinuousEvidence, AreRefusedWithoutClassesAndTheHintSaysHow) {
  const Ramp ramp;
  try {
    compute_weights(ramp.request());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_THAT(e.what(), ::testing::HasSubstr("more than 256 distinct values"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("looks continuous"));
    EXPECT_THAT(e.hint(), ::testing::HasSubstr("--quantiles"));
    EXPECT_THAT(e.hint(), ::testing::HasSubstr("--breaks"));
  }
  WeightsRequest every_value = ramp.request();
  every_value.max_classes = 2000;
  EXPECT_EQ(compute_weights(every_value).table.rows.size(), 1600u);
}

TEST(WeightsOfContinuousEvidence, BreaksAreUpperBoundsAsInTheModelFile) {
  const Ramp ramp;
  WeightsRequest req = ramp.request();
  req.breaks = {400, 800, 1200};
  const WeightsResult r = compute_weights(req);
  // Counted by hand: x <= 400 holds 0..400 (401 cells, deposits 5), <= 800 adds
  // 401..800 (deposits 410, 415), <= 1200 nothing, the rest 1500.
  ASSERT_EQ(r.table.rows.size(), 4u);
  const std::int64_t cells[] = {401, 801, 1201, 1600}, deposits[] = {1, 3, 3, 4};
  const double bounds[] = {400, 800, 1200, INFINITY};
  for (std::size_t k = 0; k < 4; ++k) {
    EXPECT_EQ(r.table.rows[k].value, bounds[k]);
    EXPECT_EQ(r.table.rows[k].cells, cells[k]) << k;  // cumulative, ascending
    EXPECT_EQ(r.table.rows[k].deposits, deposits[k]) << k;
  }
  EXPECT_EQ(r.breaks, req.breaks);
}

TEST(WeightsOfContinuousEvidence, QuantilesMakeEqualCountClasses) {
  const Ramp ramp;
  WeightsRequest req = ramp.request();
  req.options.type = WeightsType::categorical;
  req.quantiles = 4;
  const WeightsResult r = compute_weights(req);
  ASSERT_EQ(r.breaks.size(), 3u);
  ASSERT_EQ(r.table.rows.size(), 4u);
  for (const auto& row : r.table.rows) EXPECT_NEAR(double(row.cells), 400, 1) << row.value;
  EXPECT_THAT(r.breaks_note, ::testing::HasSubstr("4 quantile classes of 1600 cells sampled"));
}

TEST(WeightsTables, NameTheirClassesWhenTheRasterDoes) {
  const WeightsTable t = ours(WeightsType::categorical).table;
  const std::map<double, std::string> names = {{1, "Carbonatite"}, {3, "Gneiss, banded"}};
  const std::string csv = weights_csv(t, names);
  EXPECT_THAT(csv, ::testing::HasSubstr(",note,name\n"));
  EXPECT_THAT(csv, ::testing::HasSubstr(",Carbonatite\n"));
  EXPECT_THAT(csv, ::testing::HasSubstr(",\"Gneiss, banded\"\n"));  // quoted: it holds a comma
  EXPECT_THAT(weights_text(t, names), ::testing::HasSubstr("  Carbonatite"));
}
