#include "prospect/raster/zstd_cog.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "prospect/core/grid.hpp"
#include "prospect/raster/gdal_handles.hpp"
#include "prospect/raster/overviews.hpp"
#include "prospect/raster/tiff_writer.hpp"
#include "support/cog_layout.hpp"
#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;

namespace {

// A staged raster of two bands with NaN in some cells, edge tiles at the right
// and bottom, statistics, metadata and `levels` overviews built from the tiles.
void stage(const std::string& path, int width, int height, int levels) {
  const AnalysisGrid grid("EPSG:32733", 450000, 7750000, 25, width, height);
  StagedRaster staged(path, grid, {"gamma", "wsum"});
  if (levels > 0) staged.create_overviews(levels);
  for (int row = 0; row < height; row += 512)
    for (int col = 0; col < width; col += 512) {
      const Window w{col, row, std::min(512, width - col), std::min(512, height - row)};
      for (int b = 1; b <= 2; ++b) {
        std::vector<float> values(w.cell_count());
        for (int r = 0; r < w.height; ++r)
          for (int c = 0; c < w.width; ++c) {
            const int x = col + c, y = row + r;
            // Smooth with cell-scale noise, like a score map.
            values[std::size_t(r * w.width + c)] =
                (x + y) % 97 == 0 ? std::nanf("")
                                  : float(b) + std::sin(float(x) * 0.01f) * float(y) * 1e-3f +
                                        float((x * 7919 + y * 104729) % 1000) * 1e-6f;
          }
        TilePyramid pyramid = build_pyramid(w, values.data(), levels);
        staged.write(b, w, values.data());
        for (int k = 1; k <= levels; ++k)
          staged.write_overview(k, b, pyramid.windows[std::size_t(k - 1)],
                                pyramid.values[std::size_t(k - 1)].data());
      }
    }
  for (int b = 1; b <= 2; ++b)
    staged.set_statistics(b, BandStatistics{0.125, 0.875, 0.5, 0.0625, 7000});
  staged.set_metadata({{"PROSPECT_MODEL", "lofdal"}, {"PROSPECT_UNITS", "favourability 0..1"}});
  staged.finish_writing();
}

std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The copy holds what GDAL's COG driver makes of the same staged file: the
// same cells, overviews, georeferencing, band names, nodata, statistics and
// metadata, ZSTD with the floating-point predictor, in COG layout; the same
// bytes for 1 and 2 threads.
void expect_as_gdal_writes(int width, int height, int levels) {
  SCOPED_TRACE(std::to_string(levels) + " overviews");
  TempDir dir;
  stage(dir.file("staged.tif"), width, height, levels);
  ASSERT_TRUE(zstd_cog_can_copy(dir.file("staged.tif")));
  {
    DatasetPtr staged = open_raster(dir.file("staged.tif"));
    CogOptions options;
    options.compress = "ZSTD";
    options.overviews = levels > 0;
    options.overviews_prebuilt = levels > 0;
    write_cog(staged.get(), dir.file("gdal.tmp.tif"), dir.file("by_gdal.tif"), options);
  }
  write_zstd_cog(dir.file("staged.tif"), dir.file("ours.tmp.tif"), dir.file("ours.tif"), 2);
  write_zstd_cog(dir.file("staged.tif"), dir.file("one.tmp.tif"), dir.file("one.tif"), 1);
  EXPECT_FALSE(std::filesystem::exists(dir.file("ours.tmp.tif")));
  EXPECT_EQ(bytes_of(dir.file("ours.tif")), bytes_of(dir.file("one.tif")));
  EXPECT_TRUE(has_cog_layout(dir.file("ours.tif")));

  expect_same_raster(dir.file("by_gdal.tif"), dir.file("ours.tif"));
  DatasetPtr a = open_raster(dir.file("by_gdal.tif"));
  DatasetPtr b = open_raster(dir.file("ours.tif"));
  for (const char* item : {"COMPRESSION", "PREDICTOR"}) {
    const char* va = a->GetMetadataItem(item, "IMAGE_STRUCTURE");
    const char* vb = b->GetMetadataItem(item, "IMAGE_STRUCTURE");
    EXPECT_EQ(std::string(va ? va : ""), std::string(vb ? vb : "")) << item;
  }
  ASSERT_EQ(a->GetRasterCount(), b->GetRasterCount());
  for (int band = 1; band <= 2; ++band) {
    GDALRasterBand* bb = b->GetRasterBand(band);
    EXPECT_NE(bb->GetMetadataItem("STATISTICS_MEAN"), nullptr);
    ASSERT_EQ(bb->GetOverviewCount(), levels);
    for (int k = 0; k < levels; ++k) {
      int bx = 0, by = 0;
      bb->GetOverview(k)->GetBlockSize(&bx, &by);
      EXPECT_EQ(bx, 512);
    }
  }
}

}  // namespace

TEST(ZstdCog, WithoutOverviewsIsWhatGdalsCogDriverWrites) { expect_as_gdal_writes(1100, 700, 0); }

TEST(ZstdCog, WithOverviewsIsWhatGdalsCogDriverWrites) { expect_as_gdal_writes(2100, 1300, 3); }

// Only 512-cell Float32 tiles can be copied; anything else goes to GDAL.
TEST(ZstdCog, OtherTilesAreLeftToGdal) {
  TempDir dir;
  const AnalysisGrid grid("EPSG:32733", 450000, 7750000, 25, 600, 400);
  {
    StagedRaster staged(dir.file("s256.tif"), grid, {"a"}, GDT_Float32, 256);
    staged.finish_writing();
  }
  EXPECT_FALSE(zstd_cog_can_copy(dir.file("s256.tif")));
}

// A full disk or a bad folder: a clear error, nothing left behind.
TEST(ZstdCog, AFailedWriteLeavesNothing) {
  TempDir dir;
  stage(dir.file("staged.tif"), 600, 400, 0);
  EXPECT_THROW(write_zstd_cog(dir.file("staged.tif"), dir.file("missing/out.tmp.tif"),
                              dir.file("missing/out.tif"), 2),
               Error);
  EXPECT_FALSE(std::filesystem::exists(dir.file("missing")));
}
