// The layout check the integration tests rely on, against files whose layout
// is known: GDAL's COG driver output, and plain tiled GeoTIFFs that are not COGs.
#include "support/cog_layout.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <string>
#include <vector>

#include "prospect/raster/gdal_handles.hpp"

using namespace prospect;
using namespace prospect::test;

namespace {

// A 2-band 1000 x 700 Float32 GeoTIFF with 256 x 256 blocks written one by one,
// then statistics and metadata set after the blocks (libtiff writes the IFD
// again at the end of the file).
void write_tiled(const std::string& path, const char* block_order = "rows") {
  GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
  const char* options[] = {"TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256", "INTERLEAVE=BAND",
                           nullptr};
  DatasetPtr ds(
      gtiff->Create(path.c_str(), 1000, 700, 2, GDT_Float32, const_cast<char**>(options)));
  ASSERT_TRUE(ds);
  double gt[6] = {400000, 25, 0, 7800000, 0, -25};
  ds->SetGeoTransform(gt);
  OGRSpatialReference srs;
  srs.importFromEPSG(32733);
  ds->SetSpatialRef(&srs);
  std::vector<float> block(256 * 256, 1.0f);
  std::vector<std::pair<int, int>> order;
  for (int by = 0; by < 3; ++by)
    for (int bx = 0; bx < 4; ++bx) order.emplace_back(bx, by);
  if (std::string(block_order) == "reversed") std::reverse(order.begin(), order.end());
  for (auto [bx, by] : order)
    for (int b = 1; b <= 2; ++b)
      ASSERT_EQ(ds->GetRasterBand(b)->WriteBlock(bx, by, block.data()), CE_None);
  for (int b = 1; b <= 2; ++b) ds->GetRasterBand(b)->SetStatistics(1, 1, 1, 0);
  ds->SetMetadataItem("PROSPECT_MODEL", "layout-test");
}

DatasetPtr cog_copy(const std::string& from, const std::string& to, const char* overviews) {
  DatasetPtr ds(GDALDataset::Open(from.c_str(), GDAL_OF_RASTER | GDAL_OF_UPDATE));
  if (!ds) return nullptr;
  const char* options[] = {"BLOCKSIZE=256", overviews, nullptr};
  return DatasetPtr(GetGDALDriverManager()->GetDriverByName("COG")->CreateCopy(
      to.c_str(), ds.get(), FALSE, const_cast<char**>(options), nullptr, nullptr));
}

}  // namespace

TEST(CogLayout, AnIfdRewrittenAtTheEndIsNotACogAndTheCogDriversCopyIs) {
  init_gdal();
  const std::string plain = "/vsimem/cog_layout_plain.tif", cog = "/vsimem/cog_layout_cog.tif";
  write_tiled(plain);
  EXPECT_FALSE(has_cog_layout(plain));
  ASSERT_TRUE(cog_copy(plain, cog, "OVERVIEWS=NONE"));
  EXPECT_TRUE(has_cog_layout(cog));
  VSIUnlink(plain.c_str());
  VSIUnlink(cog.c_str());
}

TEST(CogLayout, BlocksOutOfRowOrderAreNotACog) {
  init_gdal();
  const std::string path = "/vsimem/cog_layout_reversed.tif";
  write_tiled(path, "reversed");
  EXPECT_FALSE(has_cog_layout(path));
  VSIUnlink(path.c_str());
}

// Overviews: GDAL's COG driver puts the smallest overview's data first; overviews
// built into a plain GeoTIFF afterwards land behind the full-resolution data.
TEST(CogLayout, OverviewDataMustComeBeforeTheMainImage) {
  init_gdal();
  const std::string plain = "/vsimem/cog_layout_ovr.tif", cog = "/vsimem/cog_layout_ovr_cog.tif";
  write_tiled(plain);
  {
    DatasetPtr ds(GDALDataset::Open(plain.c_str(), GDAL_OF_RASTER | GDAL_OF_UPDATE));
    ASSERT_TRUE(ds);
    int factors[] = {2, 4};
    ASSERT_EQ(ds->BuildOverviews("AVERAGE", 2, factors, 0, nullptr, nullptr, nullptr), CE_None);
  }
  ASSERT_TRUE(cog_copy(plain, cog, "OVERVIEWS=FORCE_USE_EXISTING"));
  EXPECT_FALSE(has_cog_layout(plain));
  EXPECT_TRUE(has_cog_layout(cog));
  VSIUnlink(plain.c_str());
  VSIUnlink(cog.c_str());
}
