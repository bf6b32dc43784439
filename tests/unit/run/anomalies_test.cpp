#include "prospect/run/anomalies.hpp"

#include <gdal_priv.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "prospect/core/error.hpp"
#include "prospect/raster/gdal_handles.hpp"
#include "prospect/vector/vector_layer.hpp"
#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

namespace {

// 30 samples: Dy 10..39 ppm and one of 500; Yb 1 throughout.
std::string soils_csv() {
  std::string csv = "sample_id,easting,northing,Dy_ppm,Yb_ppm\n";
  for (int i = 0; i < 30; ++i)
    csv += "S" + std::to_string(i) + "," + std::to_string(462000 + 100 * i) + ",7757000," +
           std::to_string(i == 29 ? 500 : 10 + i) + ",1\n";
  return csv;
}

AnomalySpec spec_for(const TempDir& dir) {
  AnomalySpec spec;
  spec.samples.path = write_text(dir.file("soils.csv"), soils_csv());
  spec.samples.crs = "EPSG:32733";
  spec.fields = {"Dy_ppm"};
  spec.indices = {"(Dy/Yb)N"};
  return spec;
}

}  // namespace

TEST(AnomalyLayerName, PlainAndUnique) {
  EXPECT_EQ(anomaly_layer_name("Dy_ppm", {}), "Dy_ppm");
  EXPECT_EQ(anomaly_layer_name("(Dy/Yb)N", {}), "Dy_Yb_N");
  EXPECT_EQ(anomaly_layer_name("Eu/Eu*", {}), "Eu_Eu");
  EXPECT_EQ(anomaly_layer_name("Dy_ppm", {"Dy_ppm"}), "Dy_ppm_2");
  EXPECT_EQ(anomaly_layer_name("1/x", {}), "value_1_x");
  EXPECT_EQ(anomaly_layer_name("***", {}), "value_");
}

// The layer holds every sample with its attributes; the one high Dy sample is
// the only anomaly, and its reason says by how much and by which rule.
TEST(Anomalies, EverySampleWithItsFlagAndReason) {
  TempDir dir;
  RunOptions options;
  options.out_dir = dir.file("out");
  const AnomalyRecord record = find_anomalies(spec_for(dir), options);
  ASSERT_EQ(record.values.size(), 2u);
  EXPECT_EQ(record.values[0].threshold.anomalous, 1);
  EXPECT_EQ(record.values[1].layer, "Dy_Yb_N");
  EXPECT_EQ(record.outputs,
            (std::vector<std::string>{"anomalies.gpkg", "thresholds.csv", "manifest.json"}));
  init_gdal();
  DatasetPtr gpkg(GDALDataset::Open(dir.file("out/anomalies.gpkg").c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(gpkg);
  OGRLayer* layer = gpkg->GetLayerByName("Dy_ppm");
  ASSERT_TRUE(layer);
  EXPECT_EQ(layer->GetFeatureCount(), 30);
  layer->SetAttributeFilter("anomalous = 1");
  FeaturePtr f(layer->GetNextFeature());
  ASSERT_TRUE(f);
  EXPECT_STREQ(f->GetFieldAsString("sample_id"), "S29");
  EXPECT_DOUBLE_EQ(f->GetFieldAsDouble("value"), 500);
  EXPECT_THAT(f->GetFieldAsString("reason"),
              HasSubstr("Dy_ppm 500 > " +
                        std::string(gpkg->GetLayerByName("Dy_ppm")->GetFeature(1)->GetFieldAsString(
                                        "threshold"))
                            .substr(0, 4)));
  EXPECT_THAT(f->GetFieldAsString("reason"), HasSubstr("median + 2 x MAD of log10 values"));
  EXPECT_FALSE(layer->GetNextFeature());
  // QGIS's default style for each layer travels inside the GeoPackage.
  EXPECT_TRUE(gpkg->GetLayerByName("layer_styles"));
  EXPECT_THAT(read_file(dir.file("out/thresholds.csv")),
              HasSubstr("(Dy/Yb)N,Dy_Yb_N,\"N(\"\"Dy_ppm\"\") / N(\"\"Yb_ppm\"\")\",mad,2,"));
}

// The anomalous samples are point evidence for a model: a vector source on the
// layer with where: anomalous = 1 reads exactly them.
TEST(Anomalies, TheLayerServesAsPointEvidence) {
  TempDir dir;
  RunOptions options;
  options.out_dir = dir.file("out");
  find_anomalies(spec_for(dir), options);
  VectorInput evidence;
  evidence.path = dir.file("out/anomalies.gpkg");
  evidence.layer = "Dy_ppm";
  evidence.where = "anomalous = 1";
  const AnalysisGrid grid("EPSG:32733", 460000, 7760000, 50, 120, 100);
  const FeatureSet points = read_vector(evidence, grid.crs_wkt());
  ASSERT_EQ(points.geometries.size(), 1u);
  EXPECT_DOUBLE_EQ(points.geometries[0]->toPoint()->getX(), 462000 + 100 * 29);
}

TEST(Anomalies, SameInputsSameBytesAndARerunReplacesTheFolder) {
  TempDir dir;
  RunOptions options;
  options.out_dir = dir.file("out");
  find_anomalies(spec_for(dir), options);
  const std::string first = read_file(dir.file("out/anomalies.gpkg"));
  fs::remove(dir.file("out/thresholds.csv"));
  find_anomalies(spec_for(dir), options);
  EXPECT_EQ(read_file(dir.file("out/anomalies.gpkg")), first);
  EXPECT_TRUE(fs::exists(dir.file("out/thresholds.csv")));
}

// Nothing is written when a value cannot be thresholded; the folder keeps what it had.
TEST(Anomalies, ABadValueLeavesNoOutput) {
  TempDir dir;
  AnomalySpec spec = spec_for(dir);
  spec.fields = {"clr(Yb_ppm, Dy_ppm)"};  // negative: needs --no-log
  RunOptions options;
  options.out_dir = dir.file("out");
  try {
    find_anomalies(spec, options);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_THAT(e.what(), HasSubstr("value(s) <= 0"));
  }
  EXPECT_FALSE(fs::exists(dir.file("out")));
}

TEST(Anomalies, TheSamplesFolderIsNeverTheOutput) {
  TempDir dir;
  RunOptions options;
  options.out_dir = dir.path();
  try {
    find_anomalies(spec_for(dir), options);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_model);
  }
  EXPECT_TRUE(fs::exists(dir.file("soils.csv")));
}

TEST(AnomaliesCommand, TeachesAndRefusesBadValues) {
  TempDir dir;
  const std::string csv = write_text(dir.file("soils.csv"), soils_csv());
  const CliResult help = run_prospect({"anomalies", "--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_THAT(help.out, HasSubstr("concentration-number"));
  const CliResult bad = run_prospect(
      {"anomalies", csv, "--crs", "EPSG:32733", "--index", "(Dy/Th)N", "--out", dir.file("out")});
  EXPECT_EQ(bad.code, 2);
  EXPECT_THAT(bad.err, HasSubstr("Eu/Eu*"));
  const CliResult no_crs =
      run_prospect({"anomalies", csv, "--field", "Dy_ppm", "--out", dir.file("o")});
  EXPECT_EQ(no_crs.code, 3);
  EXPECT_THAT(no_crs.err, HasSubstr("--crs"));
  const CliResult ok = run_prospect(
      {"anomalies", csv, "--crs", "EPSG:32733", "--field", "Dy_ppm", "--out", dir.file("ok")});
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_THAT(ok.out, HasSubstr("Dy_ppm: 1 of 30 samples above"));
  // A value whose text starts like a spreadsheet formula stays text in thresholds.csv.
  const CliResult minus = run_prospect({"anomalies", csv, "--crs", "EPSG:32733", "--field",
                                        "-Dy_ppm", "--no-log", "--out", dir.file("minus")});
  ASSERT_EQ(minus.code, 0) << minus.err;
  EXPECT_THAT(read_file(dir.file("minus/thresholds.csv")), HasSubstr("\n'-Dy_ppm,"));
}
