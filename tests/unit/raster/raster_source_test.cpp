#include "prospect/raster/raster_source.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <proj.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include "prospect/core/interrupt.hpp"
#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;
using ::testing::HasSubstr;

namespace {

RasterInput input_for(const std::string& path, const std::string& resampling = "nearest") {
  RasterInput in;
  in.name = "test";
  in.path = path;
  in.resampling = resampling;
  return in;
}

std::string error_of(const RasterInput& in, const AnalysisGrid& grid) {
  try {
    RasterSource s(in, grid);
    std::vector<float> buf(grid.cell_count());
    s.read({0, 0, grid.width(), grid.height()}, buf.data());
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input) << e.what();
    return e.what();
  }
  return "";
}

}  // namespace

TEST(RasterSource, AlignedInputIsReadDirectlyWithNodataAsNaN) {
  RasterFixture f;  // 10 x 10, value = col + 100 row, origin (0, 0) extends south
  f.origin_x = 1000;
  f.origin_y = 2000;
  f.cell_x = f.cell_y = 10;
  f.nodata = 305;  // col 5, row 3
  const std::string path = write_raster("/vsimem/aligned.tif", f);
  // The grid starts 2 cells right and 1 cell down of the raster and runs past its edges.
  const AnalysisGrid grid("EPSG:32733", 1020, 1990, 10, 12, 12);
  RasterSource s(input_for(path), grid);
  EXPECT_TRUE(s.aligned());
  std::vector<float> v(144);
  s.read({0, 0, 12, 12}, v.data());
  EXPECT_FLOAT_EQ(v[0], 2 + 100 * 1);
  EXPECT_FLOAT_EQ(v[1 * 12 + 3], 5 + 100 * 2);
  EXPECT_TRUE(std::isnan(v[2 * 12 + 3]));  // nodata
  EXPECT_TRUE(std::isnan(v[0 * 12 + 8]));  // right of the raster
  EXPECT_TRUE(std::isnan(v[9 * 12 + 0]));  // below the raster
  EXPECT_FLOAT_EQ(v[8 * 12 + 7], 9 + 100 * 9);
}

namespace {

// The 10 x 10 raster at `path`, given a scale and offset, read onto its own grid.
std::vector<float> read_scaled(const std::string& path, double scale, double offset) {
  {
    DatasetPtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_UPDATE));
    ds->GetRasterBand(1)->SetScale(scale);
    ds->GetRasterBand(1)->SetOffset(offset);
  }
  const AnalysisGrid grid("EPSG:32733", 0, 0, 1, 10, 10);
  RasterSource s(input_for(path), grid);
  std::vector<float> v(100);
  s.read({0, 0, 10, 10}, v.data());
  return v;
}

}  // namespace

TEST(RasterSource, ScaleAndOffsetAreApplied) {
  RasterFixture f;
  const std::vector<float> v = read_scaled(write_raster("/vsimem/scaled.tif", f), 0.5, -1);
  EXPECT_FLOAT_EQ(v[3 * 10 + 4], (4 + 300) * 0.5f - 1);
}

// A raster in lon/lat whose value is a linear function of lon and lat, warped
// bilinearly onto a UTM grid: bilinear interpolation reproduces a linear function
// exactly, so each cell must hold f(lon, lat) of its centre, with lon/lat from
// PROJ directly.
TEST(RasterSource, WarpFromGeographicMatchesProjAtCellCentres) {
  RasterFixture f;
  f.crs = "EPSG:4326";
  f.width = 200;
  f.height = 200;
  f.origin_x = 14.6;
  f.origin_y = -20.25;
  f.cell_x = f.cell_y = 0.001;
  auto fn = [](double lon, double lat) { return 1000.0 * (lon - 14.6) + 500.0 * (lat + 20.4); };
  f.values.resize(200 * 200);
  for (int r = 0; r < 200; ++r)
    for (int c = 0; c < 200; ++c)
      f.values[std::size_t(r) * 200 + c] =
          float(fn(f.origin_x + (c + 0.5) * f.cell_x, f.origin_y - (r + 0.5) * f.cell_y));
  const std::string path = write_raster("/vsimem/lonlat.tif", f);

  const AnalysisGrid grid("EPSG:32733", 466000, 7752000, 50, 40, 40);
  RasterSource s(input_for(path, "bilinear"), grid);
  EXPECT_FALSE(s.aligned());
  std::vector<float> v(grid.cell_count());
  s.read({0, 0, 40, 40}, v.data());

  PJ_CONTEXT* ctx = proj_context_create();
  PJ* raw = proj_create_crs_to_crs(ctx, "EPSG:32733", "EPSG:4326", nullptr);
  PJ* to_lonlat = proj_normalize_for_visualization(ctx, raw);
  for (int row : {0, 13, 39})
    for (int col : {0, 21, 39}) {
      PJ_COORD p = proj_coord(grid.center_x(col), grid.center_y(row), 0, 0);
      PJ_COORD q = proj_trans(to_lonlat, PJ_FWD, p);
      EXPECT_NEAR(v[std::size_t(row) * 40 + col], fn(q.lp.lam, q.lp.phi), 2e-3)
          << "row " << row << " col " << col;
    }
  proj_destroy(to_lonlat);
  proj_destroy(raw);
  proj_context_destroy(ctx);
}

TEST(RasterSource, NoCrsIsRefusedUnlessTheModelGivesOne) {
  RasterFixture f;
  f.crs = "";
  const std::string path = write_raster("/vsimem/nocrs.tif", f);
  const AnalysisGrid grid("EPSG:32733", 0, 0, 1, 10, 10);
  const std::string e = error_of(input_for(path), grid);
  EXPECT_THAT(e, HasSubstr("/vsimem/nocrs.tif"));
  EXPECT_THAT(e, HasSubstr("has no coordinate reference system"));
  EXPECT_THAT(e, HasSubstr("crs: EPSG:"));
  RasterInput with_crs = input_for(path);
  with_crs.crs = "EPSG:32733";
  EXPECT_EQ(error_of(with_crs, grid), "");
}

TEST(RasterSource, NoOverlapWithTheGridIsRefused) {
  RasterFixture f;
  f.origin_x = 500000;
  const std::string path = write_raster("/vsimem/far.tif", f);
  const AnalysisGrid grid("EPSG:32733", 0, 0, 1, 10, 10);
  EXPECT_THAT(error_of(input_for(path), grid), HasSubstr("does not overlap the analysis grid"));
}

TEST(RasterSource, MissingFileAndMissingBand) {
  const AnalysisGrid grid("EPSG:32733", 0, 0, 1, 10, 10);
  EXPECT_THAT(error_of(input_for("/no/such/file.tif"), grid), HasSubstr("does not exist"));
  RasterInput in = input_for(write_raster("/vsimem/oneband.tif", RasterFixture{}));
  in.band = 3;
  EXPECT_THAT(error_of(in, grid), HasSubstr("has no band 3 (it has 1)"));
}

TEST(RasterSource, TruncatedGeoTiffIsABadInputNotACrash) {
  TempDir dir;
  RasterFixture f;
  f.width = f.height = 300;
  const std::string path = write_raster(dir.file("full.tif"), f);
  const auto size = std::filesystem::file_size(path);
  std::filesystem::resize_file(path, size / 2);
  const AnalysisGrid grid("EPSG:32733", 0, 0, 1, 300, 300);
  const std::string e = error_of(input_for(path), grid);
  EXPECT_THAT(e, HasSubstr(path));
  EXPECT_THAT(e, ::testing::AnyOf(HasSubstr("truncated"), HasSubstr("not a raster")));
}

TEST(RasterSource, GarbageFileIsABadInput) {
  TempDir dir;
  std::ofstream(dir.file("junk.tif")) << "this is not a tiff";
  const AnalysisGrid grid("EPSG:32733", 0, 0, 1, 10, 10);
  EXPECT_THAT(error_of(input_for(dir.file("junk.tif")), grid),
              HasSubstr("not a raster GDAL can read"));
}

// +-Inf is no measurement: it reads as missing (NaN), like nodata; with and
// without a nodata value, and with a scale and offset (each its own loop in
// RasterSource::to_values).
TEST(RasterSource, InfinitiesAreMissingData) {
  for (int variant = 0; variant < 3; ++variant) {
    RasterFixture f;
    f.values.assign(100, 7.0f);
    f.values[3] = std::numeric_limits<float>::infinity();
    f.values[4] = -std::numeric_limits<float>::infinity();
    f.values[6] = -9999.0f;
    if (variant > 0) f.nodata = -9999.0;
    const std::vector<float> v =
        read_scaled(write_raster("/vsimem/inf" + std::to_string(variant) + ".tif", f),
                    variant == 2 ? 0.5 : 1.0, variant == 2 ? -1.0 : 0.0);
    EXPECT_TRUE(std::isnan(v[3])) << variant;
    EXPECT_TRUE(std::isnan(v[4])) << variant;
    EXPECT_FLOAT_EQ(v[5], variant == 2 ? 7.0f * 0.5f - 1 : 7.0f) << variant;
    if (variant == 0)
      EXPECT_FLOAT_EQ(v[6], -9999.0f);  // a value like any other without nodata
    else
      EXPECT_TRUE(std::isnan(v[6])) << variant;
  }
}

// A warp stops when an interrupt is requested (the warper's progress callback),
// and says "interrupted", not that the input is bad.
TEST(RasterSource, AWarpStopsOnInterrupt) {
  RasterFixture f;
  f.crs = "EPSG:4326";
  f.origin_x = 14.6;
  f.origin_y = -20.25;
  f.cell_x = f.cell_y = 0.01;
  const std::string path = write_raster("/vsimem/lonlat-interrupt.tif", f);
  const AnalysisGrid grid("EPSG:32733", 466000, 7752000, 50, 20, 20);
  RasterSource s(input_for(path), grid);
  ASSERT_FALSE(s.aligned());
  std::vector<float> v(grid.cell_count());
  request_interrupt();
  try {
    s.read({0, 0, 20, 20}, v.data());
    ADD_FAILURE() << "the warp went on";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::interrupted);
    EXPECT_THAT(e.what(), HasSubstr("interrupted"));
  }
  clear_interrupt();
  EXPECT_NO_THROW(s.read({0, 0, 20, 20}, v.data()));
}

// A sparse 10^6 x 10^6 GeoTIFF (a few KB on disk) on a coarse grid would mean
// 10^12 cells to read: refused with the numbers and a way out, before any work.
TEST(RasterSource, AFarFinerHugeRasterIsRefusedNotReadForHours) {
  const std::string path = "/vsimem/huge-sparse.tif";
  init_gdal();
  {
    GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
    const char* options[] = {"SPARSE_OK=YES", "TILED=YES", "BIGTIFF=YES", nullptr};
    DatasetPtr ds(
        gtiff->Create(path.c_str(), 1000000, 1000000, 1, GDT_Byte, const_cast<char**>(options)));
    double gt[6] = {400000, 0.01, 0, 7800000, 0, -0.01};
    ds->SetGeoTransform(gt);
    OGRSpatialReference srs;
    srs.importFromEPSG(32733);
    ds->SetSpatialRef(&srs);
  }
  const AnalysisGrid grid("EPSG:32733", 400000, 7800000, 100, 100, 100);
  const std::string error = error_of(input_for(path), grid);
  EXPECT_THAT(error, HasSubstr("would need about 1e+12 of its cells read"));
  EXPECT_THAT(error, HasSubstr("gdalwarp -tr 100 100 -r average"));
  VSIUnlink(path.c_str());
}
