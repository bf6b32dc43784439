#include "prospect/vector/vector_layer.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <proj.h>

#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;
using ::testing::HasSubstr;

namespace {

const std::string k_utm33s = "EPSG:32733";

std::string error_of(const VectorInput& in) {
  try {
    read_vector(in, crs_to_wkt(k_utm33s));
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input) << e.what();
    return e.what();
  }
  return "";
}

VectorInput input_for(const std::string& path) {
  VectorInput in;
  in.name = "test";
  in.path = path;
  return in;
}

const char* k_points = R"({"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"kind":"dyke","grade":1.5},"geometry":{"type":"Point","coordinates":[14.68,-20.35]}},
 {"type":"Feature","properties":{"kind":"plug","grade":0.4},"geometry":{"type":"Point","coordinates":[14.70,-20.33]}},
 {"type":"Feature","properties":{"kind":"dyke","grade":2.0},"geometry":{"type":"Point","coordinates":[14.61,-20.40]}}]})";

}  // namespace

TEST(VectorLayer, ReprojectsIntoTheGridCrsAsProjDoes) {
  const std::string path = write_text("/vsimem/points.geojson", k_points);
  const FeatureSet fs = read_vector(input_for(path), crs_to_wkt(k_utm33s));
  ASSERT_EQ(fs.geometries.size(), 3u);

  PJ_CONTEXT* ctx = proj_context_create();
  PJ* raw = proj_create_crs_to_crs(ctx, "EPSG:4326", "EPSG:32733", nullptr);
  PJ* t = proj_normalize_for_visualization(ctx, raw);
  const double lonlat[3][2] = {{14.68, -20.35}, {14.70, -20.33}, {14.61, -20.40}};
  for (int i = 0; i < 3; ++i) {
    const PJ_COORD q = proj_trans(t, PJ_FWD, proj_coord(lonlat[i][0], lonlat[i][1], 0, 0));
    const auto* p = fs.geometries[std::size_t(i)]->toPoint();
    EXPECT_NEAR(p->getX(), q.xy.x, 1e-6);
    EXPECT_NEAR(p->getY(), q.xy.y, 1e-6);
  }
  proj_destroy(t);
  proj_destroy(raw);
  proj_context_destroy(ctx);
  EXPECT_NEAR(fs.extent.min_x, 459000, 2000);  // sanity: UTM metres, not degrees
}

TEST(VectorLayer, AttributeFilterSelectsAndBadFilterListsFields) {
  VectorInput in = input_for(write_text("/vsimem/points2.geojson", k_points));
  in.where = "kind = 'dyke'";
  EXPECT_EQ(read_vector(in, crs_to_wkt(k_utm33s)).geometries.size(), 2u);
  in.where = "knd = 'dyke'";
  const std::string e = error_of(in);
  EXPECT_THAT(e, HasSubstr("the filter 'knd = 'dyke'' is not valid"));
  EXPECT_THAT(e, HasSubstr("fields in this layer: kind, grade"));
}

TEST(VectorLayer, GeoJsonInMetresWithoutCrsIsRefused) {
  const std::string path = write_text(
      "/vsimem/metres.geojson",
      polygon_geojson({466000, 7749000, 467000, 7749000, 467000, 7750000, 466000, 7749000}));
  const std::string e = error_of(input_for(path));
  EXPECT_THAT(e, HasSubstr("cannot be longitude/latitude"));
  EXPECT_THAT(e, HasSubstr("crs: EPSG:"));
  VectorInput fixed = input_for(path);
  fixed.crs = k_utm33s;
  EXPECT_EQ(error_of(fixed), "");
}

TEST(VectorLayer, ShapefileWithoutPrjNeedsACrs) {
  TempDir dir;
  {
    init_gdal();
    GDALDriver* shp = GetGDALDriverManager()->GetDriverByName("ESRI Shapefile");
    DatasetPtr ds(shp->Create(dir.file("faults.shp").c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    OGRLayer* layer = ds->CreateLayer("faults", nullptr, wkbLineString, nullptr);
    FeaturePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    OGRLineString line;
    line.addPoint(466000, 7749000);
    line.addPoint(467000, 7750000);
    f->SetGeometry(&line);
    ASSERT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE);
  }
  EXPECT_THAT(error_of(input_for(dir.file("faults.shp"))),
              HasSubstr("has no coordinate reference system"));
}

TEST(VectorLayer, CsvPointsWithCoordinateColumns) {
  TempDir dir;
  write_text(dir.file("samples.csv"),
             "id,easting,northing,Dy\n1,466000,7749000,12.5\n2,467000,7750500,3.1\n");
  VectorInput in = input_for(dir.file("samples.csv"));
  in.crs = k_utm33s;
  const FeatureSet fs = read_vector(in, crs_to_wkt(k_utm33s));
  ASSERT_EQ(fs.geometries.size(), 2u);
  EXPECT_DOUBLE_EQ(fs.geometries[1]->toPoint()->getY(), 7750500);
}

TEST(VectorLayer, UnknownLayerListsTheLayers) {
  VectorInput in = input_for(write_text("/vsimem/points3.geojson", k_points));
  in.layer = "faults";
  EXPECT_THAT(error_of(in), HasSubstr("has no layer 'faults'"));
}

TEST(VectorLayer, SelfIntersectingPolygonIsRepairedAndCounted) {
  // A bow tie: the ring crosses itself.
  const std::string path = write_text(
      "/vsimem/bowtie.geojson",
      polygon_geojson({14.60, -20.30, 14.62, -20.32, 14.62, -20.30, 14.60, -20.32, 14.60, -20.30}));
  const FeatureSet fs = read_vector(input_for(path), crs_to_wkt(k_utm33s));
  EXPECT_EQ(fs.repaired, 1);
  ASSERT_EQ(fs.geometries.size(), 1u);
  EXPECT_TRUE(fs.geometries[0]->IsValid());
}

// Files prospect wrote itself are read without the check: nothing repaired,
// the polygon as stored.
TEST(VectorLayer, ValidityCheckCanBeSkipped) {
  const std::string path = write_text(
      "/vsimem/bowtie2.geojson",
      polygon_geojson({14.60, -20.30, 14.62, -20.32, 14.62, -20.30, 14.60, -20.32, 14.60, -20.30}));
  const FeatureSet fs = read_vector(input_for(path), crs_to_wkt(k_utm33s), {}, false);
  EXPECT_EQ(fs.repaired, 0);
  ASSERT_EQ(fs.geometries.size(), 1u);
  EXPECT_FALSE(fs.geometries[0]->IsValid());
}
