#include "prospect/output/geojson_writer.hpp"

#include <cpl_vsi.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

using namespace prospect;

namespace {

std::string text_of(const std::string& path) {
  GByte* bytes = nullptr;
  vsi_l_offset size = 0;
  if (!VSIIngestFile(nullptr, path.c_str(), &bytes, &size, -1)) return {};
  std::string text(reinterpret_cast<char*>(bytes), std::size_t(size));
  VSIFree(bytes);
  return text;
}

std::string real(double v) {
  std::string out;
  append_json_real(out, v);
  return out;
}

OGRSpatialReference srs(const char* user_input) {
  OGRSpatialReference s;
  s.SetFromUserInput(user_input);
  s.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return s;
}

// A polygon with a hole, both rings clockwise, as polygonize can return them.
GeometryPtr polygon_with_hole(double x0, double y0, double size) {
  OGRLinearRing outer, hole;
  for (auto [dx, dy] : {std::pair{0., 0.}, {0., size}, {size, size}, {size, 0.}, {0., 0.}})
    outer.addPoint(x0 + dx, y0 + dy);
  const double a = size / 4, b = size / 2;
  for (auto [dx, dy] : {std::pair{a, a}, {a, b}, {b, b}, {b, a}, {a, a}})
    hole.addPoint(x0 + dx, y0 + dy);
  auto* polygon = new OGRPolygon;
  polygon->addRing(&outer);
  polygon->addRing(&hole);
  return GeometryPtr(polygon);
}

struct Fields {
  OGRFeatureDefn* defn = new OGRFeatureDefn("zones");
  Fields() {
    defn->Reference();
    for (auto [name, type] : {std::pair{"rank", OFTInteger},
                              {"cells", OFTInteger64},
                              {"area_m2", OFTReal},
                              {"drivers", OFTString}}) {
      OGRFieldDefn d(name, type);
      defn->AddFieldDefn(&d);
    }
  }
  ~Fields() { defn->Release(); }
  FeaturePtr feature(int rank, const char* drivers, OGRGeometry* g) const {
    FeaturePtr f(OGRFeature::CreateFeature(defn));
    f->SetField(0, rank);
    f->SetField(1, GIntBig(1) << 40);
    f->SetField(2, 100000.0);
    f->SetField(3, drivers);
    f->SetGeometry(g);
    return f;
  }
};

}  // namespace

TEST(GeoJsonWriter, NumbersReadBackAsTheSameDoublesAndStayReal) {
  EXPECT_EQ(real(100000.0), "100000.0");
  EXPECT_EQ(real(0.000125), "0.000125");
  EXPECT_EQ(real(-0.5), "-0.5");
  EXPECT_EQ(real(0.0), "0.0");
  EXPECT_EQ(real(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(real(-1e300), "-1e+300");
  EXPECT_EQ(real(std::numeric_limits<double>::quiet_NaN()), "null");
  EXPECT_EQ(real(std::numeric_limits<double>::infinity()), "null");
  for (double v : {0.76493, 11929.625, 7665536.15, 1.0 / 3, 123456789012345.6, 2.5e-7})
    EXPECT_EQ(std::stod(real(v)), v) << real(v);
}

// Against GDAL's own RFC 7946 writer: the same fields, types and values, the
// same vertices within the 7 decimals both write, and the right-hand rule.
TEST(GeoJsonWriter, AgreesWithGdalsRfc7946Writer) {
  GDALAllRegister();
  const OGRSpatialReference utm = srs("EPSG:32733");
  const std::string ours = "/vsimem/geojson_writer_ours.geojson";
  const std::string gdals = "/vsimem/geojson_writer_gdal.geojson";
  Fields fields;
  GeometryPtr zones[] = {polygon_with_hole(450000, 7750000, 400),
                         polygon_with_hole(455025, 7751075, 75)};
  {
    GeoJsonPolygonWriter writer(ours, utm);
    ASSERT_TRUE(writer.add(*fields.feature(1, "e1, \"e2\"\n", zones[0].get())));
    ASSERT_TRUE(writer.add(*fields.feature(2, "", zones[1].get())));
    writer.finish();
  }
  {
    DatasetPtr ds(GetGDALDriverManager()->GetDriverByName("GeoJSON")->Create(gdals.c_str(), 0, 0, 0,
                                                                             GDT_Unknown, nullptr));
    const char* options[] = {"RFC7946=YES", "WRITE_NAME=NO", nullptr};
    OGRLayer* layer = ds->CreateLayer("zones", const_cast<OGRSpatialReference*>(&utm), wkbPolygon,
                                      const_cast<char**>(options));
    for (int i = 0; i < fields.defn->GetFieldCount(); ++i)
      layer->CreateField(fields.defn->GetFieldDefn(i));
    ASSERT_EQ(layer->CreateFeature(fields.feature(1, "e1, \"e2\"\n", zones[0].get()).get()),
              OGRERR_NONE);
    ASSERT_EQ(layer->CreateFeature(fields.feature(2, "", zones[1].get()).get()), OGRERR_NONE);
  }
  DatasetPtr a(GDALDataset::Open(ours.c_str(), GDAL_OF_VECTOR));
  DatasetPtr b(GDALDataset::Open(gdals.c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(a && b) << text_of(ours);
  OGRLayer* la = a->GetLayer(0);
  OGRLayer* lb = b->GetLayer(0);
  ASSERT_EQ(la->GetFeatureCount(), 2);
  ASSERT_EQ(lb->GetFeatureCount(), 2);
  ASSERT_EQ(la->GetLayerDefn()->GetFieldCount(), 4);
  for (int i = 0; i < 4; ++i) {
    EXPECT_STREQ(la->GetLayerDefn()->GetFieldDefn(i)->GetNameRef(),
                 lb->GetLayerDefn()->GetFieldDefn(i)->GetNameRef());
    EXPECT_EQ(la->GetLayerDefn()->GetFieldDefn(i)->GetType(),
              lb->GetLayerDefn()->GetFieldDefn(i)->GetType());
  }
  for (int k = 0; k < 2; ++k) {
    FeaturePtr fa(la->GetNextFeature()), fb(lb->GetNextFeature());
    EXPECT_EQ(fa->GetFieldAsInteger(0), fb->GetFieldAsInteger(0));
    EXPECT_EQ(fa->GetFieldAsInteger64(1), GIntBig(1) << 40);
    EXPECT_EQ(fa->GetFieldAsDouble(2), 100000.0);
    EXPECT_STREQ(fa->GetFieldAsString(3), fb->GetFieldAsString(3));
    const OGRPolygon* pa = fa->GetGeometryRef()->toPolygon();
    const OGRPolygon* pb = fb->GetGeometryRef()->toPolygon();
    ASSERT_EQ(pa->getNumInteriorRings(), 1);
    ASSERT_EQ(pb->getNumInteriorRings(), 1);
    EXPECT_FALSE(pa->getExteriorRing()->isClockwise());  // counterclockwise
    EXPECT_TRUE(pa->getInteriorRing(0)->isClockwise());
    for (int r = 0; r < 2; ++r) {
      const OGRLinearRing* ra = r ? pa->getInteriorRing(0) : pa->getExteriorRing();
      const OGRLinearRing* rb = r ? pb->getInteriorRing(0) : pb->getExteriorRing();
      ASSERT_EQ(ra->getNumPoints(), rb->getNumPoints());
      for (int i = 0; i < ra->getNumPoints(); ++i) {
        // GDAL rounds "…99999x" up to the next round number (5e-7 off); otherwise both are 7
        // decimals.
        EXPECT_NEAR(ra->getX(i), rb->getX(i), 6e-7);
        EXPECT_NEAR(ra->getY(i), rb->getY(i), 6e-7);
      }
    }
  }
  EXPECT_EQ(text_of(ours).find("\"crs\""), std::string::npos);  // RFC 7946: WGS84 only
  VSIUnlink(ours.c_str());
  VSIUnlink(gdals.c_str());
}

// 7 decimals rounded, not GDAL's round-up of trailing nines: -21.49999952 is
// -21.4999995, 5 cm from -21.5.
TEST(GeoJsonWriter, CoordinatesAreRoundedToSevenDecimals) {
  const std::string path = "/vsimem/geojson_writer_round.geojson";
  Fields fields;
  OGRLinearRing ring;
  for (auto [x, y] :
       {std::pair{14.0, -21.49999952}, {14.00000004, -21.0}, {15.0, -21.0}, {14.0, -21.49999952}})
    ring.addPoint(x, y);
  OGRPolygon polygon;
  polygon.addRing(&ring);
  GeoJsonPolygonWriter writer(path, srs("EPSG:4326"));
  ASSERT_TRUE(writer.add(*fields.feature(1, "", &polygon)));
  writer.finish();
  const std::string text = text_of(path);
  EXPECT_NE(text.find("[ 14.0, -21.4999995 ]"), std::string::npos) << text;
  EXPECT_NE(text.find("[ 14.0, -21.0 ]"), std::string::npos) << text;
  VSIUnlink(path.c_str());
}

// A zone across the antimeridian is left to GDAL, which splits it.
TEST(GeoJsonWriter, RingsAcrossTheAntimeridianAreRefused) {
  const std::string path = "/vsimem/geojson_writer_antimeridian.geojson";
  Fields fields;
  // UTM zone 60S: 179.9°E to 180.1°E (-179.9°) around 20°S.
  const OGRSpatialReference utm60 = srs("EPSG:32760");
  OGRSpatialReference wgs84 = srs("EPSG:4326");
  TransformPtr to_utm(OGRCreateCoordinateTransformation(&wgs84, &utm60));
  OGRLinearRing ring;
  for (auto [lon, lat] : {std::pair{179.9, -20.0},
                          {179.9, -20.1},
                          {-179.9, -20.1},
                          {-179.9, -20.0},
                          {179.9, -20.0}}) {
    double x = lon, y = lat;
    ASSERT_TRUE(to_utm->Transform(1, &x, &y));
    ring.addPoint(x, y);
  }
  OGRPolygon polygon;
  polygon.addRing(&ring);
  GeoJsonPolygonWriter writer(path, utm60);
  GeometryPtr inside = polygon_with_hole(500000, 7800000, 100);
  EXPECT_TRUE(writer.add(*fields.feature(1, "", inside.get())));
  EXPECT_FALSE(writer.add(*fields.feature(2, "", &polygon)));
  VSIUnlink(path.c_str());
}
