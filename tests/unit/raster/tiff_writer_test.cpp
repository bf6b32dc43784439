#include "prospect/raster/tiff_writer.hpp"

#include <cpl_conv.h>
#include <gdal_priv.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "prospect/raster/gdal_handles.hpp"
#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;

// Staged rasters are tiled at the asked size.
TEST(StagedRaster, TilesOfTheAskedSize) {
  TempDir dir;
  const AnalysisGrid grid("EPSG:32733", 0, 1000, 1, 1000, 700);
  StagedRaster tiled(dir.file("tiled.tif"), grid, {"a"}, GDT_Int32, 256);
  int bx = 0, by = 0;
  tiled.dataset()->GetRasterBand(1)->GetBlockSize(&bx, &by);
  EXPECT_EQ(bx, 256);
  EXPECT_EQ(by, 256);
}

// GDAL's block cache is bounded to 64 MB unless the user sets GDAL_CACHEMAX:
// peak memory then follows tiles and threads, not the machine's RAM.
TEST(StagedRaster, GdalCacheIsBounded) {
  if (std::getenv("GDAL_CACHEMAX")) GTEST_SKIP() << "GDAL_CACHEMAX is set by the caller";
  init_gdal();
  EXPECT_EQ(GDALGetCacheMax64(), 64LL * 1024 * 1024);
}
