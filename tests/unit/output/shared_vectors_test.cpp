#include "prospect/output/shared_vectors.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "prospect/core/diagnostics.hpp"
#include "prospect/raster/gdal_handles.hpp"
#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;
using ::testing::HasSubstr;

namespace {

// 10 x 10 cells of 100 m: x 500000..501000, y 7799000..7800000 (UTM 33S).
AnalysisGrid utm_grid() { return AnalysisGrid("EPSG:32733", 500000, 7800000, 100, 10, 10); }

VectorInput vector_input(const std::string& name, const std::string& path) {
  VectorInput v;
  v.name = name;
  v.path = path;
  return v;
}

std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// A point in UTM 33S as WGS84 longitude, latitude (PROJ, traditional axis order).
std::pair<double, double> lon_lat_of(double x, double y) {
  OGRSpatialReference utm, wgs84;
  utm.SetFromUserInput("EPSG:32733");
  wgs84.SetFromUserInput("EPSG:4326");
  wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  TransformPtr ct(OGRCreateCoordinateTransformation(&utm, &wgs84));
  ct->Transform(1, &x, &y);
  return {x, y};
}

struct SharedVectorsTest : ::testing::Test {
  TempDir dir;
  ModelSpec model;
  void SetUp() override {
    init_gdal();
    // Deposits as a CSV export: columns not under GDAL's usual names, no CRS,
    // a filter, one row outside the grid.
    write_text(dir.file("deposits.csv"),
               "X_UTM,Y_UTM,name,grade\n"
               "500150,7799850,A,high\n"
               "500550,7799450,B,high\n"
               "500950,7799050,C,high\n"
               "500350,7799350,D,low\n"
               "520000,7799500,far,high\n");
    TrainingSpec training;
    training.deposits = vector_input("deposits", dir.file("deposits.csv"));
    training.deposits.x_column = "X_UTM";
    training.deposits.y_column = "Y_UTM";
    training.deposits.crs = "EPSG:32733";
    training.deposits.where = "grade = 'high'";
    model.training = training;
    // A fault in WGS84 longitude/latitude, crossing the grid.
    const auto a = lon_lat_of(500100, 7799100), b = lon_lat_of(500900, 7799900);
    char line[200];
    std::snprintf(line, sizeof line, "[[%.10f,%.10f],[%.10f,%.10f]]", a.first, a.second, b.first,
                  b.second);
    write_text(dir.file("faults.geojson"),
               "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
               "\"properties\":{\"kind\":\"shear\"},\"geometry\":{\"type\":\"LineString\","
               "\"coordinates\":" +
                   std::string(line) + "}}]}");
    InputSpec faults;
    faults.name = "faults";
    faults.kind = InputKind::distance;
    faults.vector = vector_input("faults", dir.file("faults.geojson"));
    model.inputs.push_back(faults);
  }
};

TEST_F(SharedVectorsTest, CopiesFilteredFeaturesOnTheGridIntoTheGridCrs) {
  const std::string gpkg = dir.file("layers.gpkg");
  const std::vector<SharedVector> copied = copy_shared_vectors(model, utm_grid(), gpkg);
  ASSERT_EQ(copied.size(), 2u);
  EXPECT_EQ(copied[0].layer, "training_deposits");
  EXPECT_EQ(copied[0].geometry, "Point");
  EXPECT_EQ(copied[0].features, 3);  // the low-grade row filtered out, the far one off the grid
  EXPECT_TRUE(copied[0].visible);
  EXPECT_EQ(copied[1].layer, "input_faults");
  EXPECT_EQ(copied[1].geometry, "Line");
  EXPECT_EQ(copied[1].group, "Input vectors");
  EXPECT_FALSE(copied[1].visible);

  DatasetPtr ds(GDALDataset::Open(gpkg.c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(ds);
  OGRLayer* deposits = ds->GetLayerByName("training_deposits");
  ASSERT_NE(deposits, nullptr);
  ASSERT_NE(deposits->GetSpatialRef(), nullptr);
  EXPECT_STREQ(deposits->GetSpatialRef()->GetAuthorityCode(nullptr), "32733");
  std::vector<std::string> names;
  for (auto& f : *deposits) {
    names.push_back(f->GetFieldAsString("name"));
    EXPECT_STREQ(f->GetFieldAsString("grade"), "high");
  }
  EXPECT_EQ(names, (std::vector<std::string>{"A", "B", "C"}));
  // The fault is back in UTM where it was drawn.
  OGRLayer* faults = ds->GetLayerByName("input_faults");
  ASSERT_NE(faults, nullptr);
  FeaturePtr f(faults->GetNextFeature());
  ASSERT_TRUE(f);
  EXPECT_STREQ(f->GetFieldAsString("kind"), "shear");
  OGREnvelope e;
  f->GetGeometryRef()->getEnvelope(&e);
  EXPECT_NEAR(e.MinX, 500100, 0.01);
  EXPECT_NEAR(e.MinY, 7799100, 0.01);
  EXPECT_NEAR(e.MaxX, 500900, 0.01);
  EXPECT_NEAR(e.MaxY, 7799900, 0.01);
}

// Four IDW inputs of one soil CSV: one copy, four project layers.
TEST_F(SharedVectorsTest, InputsReadingTheSameFeaturesShareOneCopy) {
  InputSpec density = model.inputs[0];
  density.name = "fault_density";
  density.kind = InputKind::density;
  model.inputs.push_back(density);
  const std::vector<SharedVector> copied =
      copy_shared_vectors(model, utm_grid(), dir.file("layers.gpkg"));
  ASSERT_EQ(copied.size(), 3u);
  EXPECT_EQ(copied[1].layer, "input_faults");
  EXPECT_EQ(copied[2].layer, "input_faults");
  EXPECT_EQ(copied[2].name, "fault_density");
  EXPECT_EQ(copied[2].id, "prospect_input_fault_density");
  DatasetPtr ds(GDALDataset::Open(dir.file("layers.gpkg").c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(ds);
  EXPECT_EQ(ds->GetLayerCount(), 2);
}

TEST_F(SharedVectorsTest, SameInputsSameBytes) {
  copy_shared_vectors(model, utm_grid(), dir.file("a.gpkg"));
  copy_shared_vectors(model, utm_grid(), dir.file("b.gpkg"));
  const std::string a = bytes_of(dir.file("a.gpkg"));
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, bytes_of(dir.file("b.gpkg")));
}

TEST_F(SharedVectorsTest, ALayerThatCannotBeCopiedIsLeftOutWithAWarning) {
  model.inputs[0].vector.path = dir.file("moved-away.geojson");
  Diagnostics diagnostics;
  const DiagnosticsScope scope(&diagnostics);
  const std::vector<SharedVector> copied =
      copy_shared_vectors(model, utm_grid(), dir.file("layers.gpkg"));
  ASSERT_EQ(copied.size(), 1u);
  EXPECT_EQ(copied[0].layer, "training_deposits");
  const auto warnings = diagnostics.texts(Severity::warning);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_THAT(warnings[0], HasSubstr("'faults'"));
  EXPECT_THAT(warnings[0], HasSubstr("moved-away.geojson"));
  EXPECT_THAT(warnings[0], HasSubstr("left out of the project"));
}

TEST_F(SharedVectorsTest, NothingToShowWritesNoFile) {
  model.training.reset();
  model.inputs.clear();
  EXPECT_TRUE(copy_shared_vectors(model, utm_grid(), dir.file("layers.gpkg")).empty());
  EXPECT_FALSE(std::ifstream(dir.file("layers.gpkg")).good());
}

}  // namespace
