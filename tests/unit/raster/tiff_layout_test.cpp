#include "prospect/raster/tiff_layout.hpp"

#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <string>
#include <vector>

#include "prospect/raster/gdal_handles.hpp"
#include "prospect/raster/tiff_writer.hpp"

using namespace prospect;

namespace {

std::string file_bytes(const std::string& path) {
  vsi_l_offset size = 0;
  GByte* data = VSIGetMemFileBuffer(path.c_str(), &size, FALSE);
  return data ? std::string(reinterpret_cast<const char*>(data), std::size_t(size)) : std::string();
}

std::uint64_t first_ifd(const std::string& bytes) {
  std::uint64_t v = 0;
  const bool big = bytes[2] == 43;
  for (int k = big ? 15 : 7; k >= (big ? 8 : 4); --k)
    v = v << 8 | static_cast<unsigned char>(bytes[std::size_t(k)]);
  return v;
}

float cell_value(int band, int col, int row) { return float(band * 100000 + row * 1000 + col); }

// A 2-band 1000 x 700 Float32 GeoTIFF with 256 x 256 blocks written one by one
// in row order (both bands per block, as prospect writes scores), then
// statistics and metadata set after the blocks, as at the end of a run.
void write_like_a_run(const std::string& path, const char* bigtiff, std::size_t room,
                      const char* block_order = "rows") {
  GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
  const char* options[] = {"TILED=YES",       "BLOCKXSIZE=256", "BLOCKYSIZE=256",
                           "INTERLEAVE=BAND", bigtiff,          nullptr};
  DatasetPtr ds(
      gtiff->Create(path.c_str(), 1000, 700, 2, GDT_Float32, const_cast<char**>(options)));
  ASSERT_TRUE(ds);
  double gt[6] = {400000, 25, 0, 7800000, 0, -25};
  ds->SetGeoTransform(gt);
  OGRSpatialReference srs;
  srs.importFromEPSG(32733);
  ds->SetSpatialRef(&srs);
  for (int b = 1; b <= 2; ++b) {
    ds->GetRasterBand(b)->SetNoDataValue(-9999);
    ds->GetRasterBand(b)->SetDescription(b == 1 ? "gamma" : "wsum");
  }
  if (room > 0) ds->SetMetadataItem("PROSPECT_METADATA_ROOM", std::string(room, '.').c_str());
  std::vector<float> block(256 * 256);
  std::vector<std::pair<int, int>> order;
  for (int by = 0; by < 3; ++by)
    for (int bx = 0; bx < 4; ++bx) order.emplace_back(bx, by);
  if (std::string(block_order) == "reversed") std::reverse(order.begin(), order.end());
  for (auto [bx, by] : order)
    for (int b = 1; b <= 2; ++b) {
      for (int r = 0; r < 256; ++r)
        for (int c = 0; c < 256; ++c)
          block[std::size_t(r) * 256 + std::size_t(c)] = cell_value(b, bx * 256 + c, by * 256 + r);
      ASSERT_EQ(ds->GetRasterBand(b)->WriteBlock(bx, by, block.data()), CE_None);
    }
  if (room > 0) ds->SetMetadataItem("PROSPECT_METADATA_ROOM", nullptr);
  for (int b = 1; b <= 2; ++b)
    ds->GetRasterBand(b)->SetStatistics(0.125, 299999.0, 150000.5, 1234.5678901234);
  ds->SetMetadataItem("PROSPECT_MODEL", "layout-test");
}

void expect_same_raster(const std::string& path) {
  DatasetPtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
  ASSERT_TRUE(ds);
  EXPECT_STREQ(ds->GetMetadataItem("PROSPECT_MODEL"), "layout-test");
  EXPECT_EQ(ds->GetMetadataItem("PROSPECT_METADATA_ROOM"), nullptr);
  double gt[6];
  ds->GetGeoTransform(gt);
  EXPECT_EQ(gt[0], 400000);
  EXPECT_EQ(gt[5], -25);
  ASSERT_NE(ds->GetSpatialRef(), nullptr);
  EXPECT_STREQ(ds->GetSpatialRef()->GetAuthorityCode(nullptr), "32733");
  for (int b = 1; b <= 2; ++b) {
    GDALRasterBand* band = ds->GetRasterBand(b);
    EXPECT_STREQ(band->GetDescription(), b == 1 ? "gamma" : "wsum");
    EXPECT_EQ(band->GetNoDataValue(), -9999);
    double mn = 0, mx = 0, mean = 0, sd = 0;
    EXPECT_EQ(band->GetStatistics(FALSE, FALSE, &mn, &mx, &mean, &sd), CE_None);
    EXPECT_EQ(sd, 1234.5678901234);
    std::vector<float> v(1000 * 700);
    ASSERT_EQ(
        band->RasterIO(GF_Read, 0, 0, 1000, 700, v.data(), 1000, 700, GDT_Float32, 0, 0, nullptr),
        CE_None);
    for (int r = 0; r < 700; r += 7)
      for (int c = 0; c < 1000; c += 3)
        ASSERT_EQ(v[std::size_t(r) * 1000 + std::size_t(c)], cell_value(b, c, r));
  }
}

}  // namespace

// Statistics set after the blocks make libtiff write the IFD again at the end;
// moved back to the front, the file has the COG layout and reads the same.
TEST(TiffLayout, MovesTheRewrittenIfdBackToTheFront) {
  init_gdal();
  for (const char* bigtiff : {"BIGTIFF=NO", "BIGTIFF=YES"}) {
    SCOPED_TRACE(bigtiff);
    const std::string path = "/vsimem/tiff_layout_move.tif";
    write_like_a_run(path, bigtiff, 2048);
    const std::string before = file_bytes(path);
    ASSERT_GT(first_ifd(before), 16u)
        << "libtiff no longer rewrites at the end: the move is not needed";
    EXPECT_FALSE(has_cog_layout(path));

    ASSERT_TRUE(move_last_ifd_to_front(path));
    const std::string after = file_bytes(path);
    EXPECT_EQ(first_ifd(after), std::string(bigtiff) == "BIGTIFF=YES" ? 16u : 8u);
    EXPECT_EQ(after.size(), first_ifd(before));  // the old copy at the end is gone
    EXPECT_TRUE(has_cog_layout(path));
    expect_same_raster(path);
    EXPECT_TRUE(move_last_ifd_to_front(path));  // nothing left to do
    EXPECT_EQ(file_bytes(path), after);
    VSIUnlink(path.c_str());
  }
}

// Without room reserved the rewritten IFD does not fit before the first block:
// the file is left exactly as it was, still a valid GeoTIFF.
TEST(TiffLayout, LeavesTheFileAloneWhenTheIfdDoesNotFit) {
  init_gdal();
  const std::string path = "/vsimem/tiff_layout_nofit.tif";
  write_like_a_run(path, "BIGTIFF=NO", 0);
  const std::string before = file_bytes(path);
  EXPECT_FALSE(move_last_ifd_to_front(path));
  EXPECT_EQ(file_bytes(path), before);
  expect_same_raster(path);
  VSIUnlink(path.c_str());
}

TEST(TiffLayout, BlocksOutOfRowOrderAreNotACog) {
  init_gdal();
  const std::string path = "/vsimem/tiff_layout_reversed.tif";
  write_like_a_run(path, "BIGTIFF=NO", 2048, "reversed");
  ASSERT_TRUE(move_last_ifd_to_front(path));
  EXPECT_FALSE(has_cog_layout(path));
  VSIUnlink(path.c_str());
}

// Overviews: GDAL's COG driver puts the smallest overview's data first; overviews
// built into a plain GeoTIFF afterwards land behind the full-resolution data.
TEST(TiffLayout, OverviewDataMustComeBeforeTheMainImage) {
  init_gdal();
  const std::string plain = "/vsimem/tiff_layout_plain.tif", cog = "/vsimem/tiff_layout_cog.tif";
  write_like_a_run(plain, "BIGTIFF=NO", 0);
  {
    DatasetPtr ds(GDALDataset::Open(plain.c_str(), GDAL_OF_RASTER | GDAL_OF_UPDATE));
    ASSERT_TRUE(ds);
    int factors[] = {2, 4};
    ASSERT_EQ(ds->BuildOverviews("AVERAGE", 2, factors, 0, nullptr, nullptr, nullptr), CE_None);
    const char* options[] = {"BLOCKSIZE=256", "OVERVIEWS=FORCE_USE_EXISTING", nullptr};
    DatasetPtr out(GetGDALDriverManager()->GetDriverByName("COG")->CreateCopy(
        cog.c_str(), ds.get(), FALSE, const_cast<char**>(options), nullptr, nullptr));
    ASSERT_TRUE(out);
  }
  EXPECT_FALSE(has_cog_layout(plain));
  EXPECT_TRUE(has_cog_layout(cog));
  VSIUnlink(plain.c_str());
  VSIUnlink(cog.c_str());
}
