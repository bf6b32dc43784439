#include "prospect/raster/tiff_writer.hpp"

#include <cpl_conv.h>
#include <gdal_priv.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <map>

#include "prospect/raster/gdal_handles.hpp"
#include "support/cog_layout.hpp"
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

namespace {

// Writes a 1100 × 700 grid (edge tiles at the right and bottom) of two bands
// tile by tile, with NaN in some cells, into `raster`.
void fill_two_bands(StagedRaster& raster, int width, int height) {
  for (int row = 0; row < height; row += 512)
    for (int col = 0; col < width; col += 512) {
      const Window w{col, row, std::min(512, width - col), std::min(512, height - row)};
      for (int b = 1; b <= 2; ++b) {
        std::vector<float> values(w.cell_count());
        for (int r = 0; r < w.height; ++r)
          for (int c = 0; c < w.width; ++c)
            values[std::size_t(r * w.width + c)] =
                (c + r) % 97 == 0 ? std::nanf("")
                                  : float(b) + float(col + c) * 1e-3f + float(row + r);
        raster.write(b, w, values.data());
      }
    }
}

// A GDAL metadata list as text items ("KEY=VALUE").
std::vector<std::string> items_of(char** list) {
  std::vector<std::string> out;
  for (char** p = list; p && *p; ++p) out.emplace_back(*p);
  return out;
}

const std::map<std::string, std::string> k_items = {{"PROSPECT_MODEL", "lofdal"},
                                                    {"PROSPECT_UNITS", "favourability 0..1"}};

}  // namespace

// Written straight as the final COG, the file is what GDAL's COG driver makes
// of the same staged raster (no compression, no overviews): the same values,
// georeferencing, band names, nodata, statistics and metadata, in COG layout.
TEST(StagedRaster, FinalCogIsWhatGdalsCogDriverWrites) {
  TempDir dir;
  const int width = 1100, height = 700;
  const AnalysisGrid grid("EPSG:32733", 450000, 7750000, 25, width, height);
  const std::vector<std::string> names = {"gamma", "wsum"};
  const BandStatistics stats{0.125, 0.875, 0.5, 0.0625, 700000};

  StagedRaster staged(dir.file("staged.tif"), grid, names);
  fill_two_bands(staged, width, height);
  for (int b = 1; b <= 2; ++b) staged.set_statistics(b, stats);
  staged.set_metadata(k_items);
  staged.finish_writing();
  CogOptions options;
  options.compress = "NONE";
  options.overviews = false;
  write_cog(staged.dataset(), dir.file("cog.tmp.tif"), dir.file("by_gdal.tif"), options);

  StagedRaster direct = StagedRaster::final_cog(dir.file("direct.tif"), grid, names);
  EXPECT_TRUE(direct.is_final_cog());
  fill_two_bands(direct, width, height);
  for (int b = 1; b <= 2; ++b) direct.set_statistics(b, stats);
  direct.set_metadata(k_items);
  direct.finish_writing();
  std::vector<float> back(512 * 512);
  direct.read(2, Window{1024, 512, 76, 188}, back.data());  // readable once finished
  EXPECT_FLOAT_EQ(back[1], 2.0f + 1025e-3f + 512.0f);
  direct.close();

  EXPECT_TRUE(has_cog_layout(dir.file("direct.tif")));
  expect_same_raster(dir.file("by_gdal.tif"), dir.file("direct.tif"));
  DatasetPtr b = open_raster(dir.file("direct.tif"));
  for (int band = 1; band <= 2; ++band) {
    GDALRasterBand* bb = b->GetRasterBand(band);
    EXPECT_FALSE(items_of(bb->GetMetadata()).empty());
    int bx = 0, by = 0;
    bb->GetBlockSize(&bx, &by);
    EXPECT_EQ(bx, 512);
  }
}

// A band read back tile by tile (the ranking and target passes) gives what
// was written, NaN where NaN was written, whether the staged file is the final
// COG or a staging copy, and across the edge tiles.
TEST(StagedRaster, BandReaderGivesBackTheWrittenValues) {
  TempDir dir;
  const int width = 1100, height = 700;
  const AnalysisGrid grid("EPSG:32733", 450000, 7750000, 25, width, height);
  StagedRaster staged(dir.file("staged.tif"), grid, {"a", "b"});
  StagedRaster direct = StagedRaster::final_cog(dir.file("direct.tif"), grid, {"a", "b"});
  for (StagedRaster* raster : {&staged, &direct}) {
    fill_two_bands(*raster, width, height);
    raster->finish_writing();
    for (const Window w : {Window{0, 0, 512, 512}, Window{1024, 512, 76, 188}}) {
      std::vector<float> back(w.cell_count());
      raster->band_reader(2)->read(w, back.data());
      for (int r = 0; r < w.height; ++r)
        for (int c = 0; c < w.width; ++c) {
          const float v = back[std::size_t(r * w.width + c)];
          if ((c + r) % 97 == 0) {  // both windows are whole tiles of fill_two_bands
            EXPECT_TRUE(std::isnan(v)) << c << "," << r;
          } else {
            EXPECT_EQ(v, 2.0f + float(w.col + c) * 1e-3f + float(w.row + r)) << c << "," << r;
          }
        }
    }
  }
}

// Metadata too long for the room kept for the header: the tiles move further
// into the file, and it is still a COG with every value in place.
TEST(StagedRaster, FinalCogMakesRoomForALongHeader) {
  TempDir dir;
  const int width = 600, height = 530;
  const AnalysisGrid grid("EPSG:32733", 450000, 7750000, 25, width, height);
  StagedRaster direct = StagedRaster::final_cog(dir.file("direct.tif"), grid, {"a", "b"});
  fill_two_bands(direct, width, height);
  const std::string long_text(300000, 'x');
  direct.set_metadata({{"PROSPECT_NOTE", long_text}});
  direct.finish_writing();
  direct.close();
  EXPECT_TRUE(has_cog_layout(dir.file("direct.tif")));
  DatasetPtr ds = open_raster(dir.file("direct.tif"));
  EXPECT_EQ(std::string(ds->GetMetadataItem("PROSPECT_NOTE")), long_text);
  const std::vector<float> band2 = read_band(dir.file("direct.tif"), 2);
  EXPECT_EQ(band2[0], -9999.0f);  // (0, 0): 0 % 97 == 0, NaN written as nodata
  EXPECT_FLOAT_EQ(band2[std::size_t(529 * width + 599)], 2.0f + 0.599f + 529.0f);
}

// Statistics against the same sums taken one value at a time in long double:
// counts, minimum and maximum exact, mean and deviation to 1e-12; NaN skipped,
// any length (the lanes' remainder too), added in pieces or merged.
TEST(StatisticsAccumulator, AgreesWithASumOneValueAtATime) {
  for (std::size_t n : {std::size_t(0), std::size_t(5), std::size_t(16), std::size_t(1000003)}) {
    SCOPED_TRACE(n);
    std::vector<float> v(n);
    long double sum = 0, sq = 0;
    long long count = 0;
    float lo = 0, hi = 0;
    for (std::size_t i = 0; i < n; ++i) {
      v[i] = i % 13 == 0 ? std::nanf("") : float((i * 2654435761u) % 100003) / 1000.0f - 40.0f;
      if (std::isnan(v[i])) continue;
      lo = count == 0 ? v[i] : std::min(lo, v[i]);
      hi = count == 0 ? v[i] : std::max(hi, v[i]);
      sum += v[i];
      sq += (long double)v[i] * v[i];
      ++count;
    }
    StatisticsAccumulator whole, first, second;
    whole.add(v.data(), n);
    first.add(v.data(), n / 3);
    second.add(v.data() + n / 3, n - n / 3);
    first.merge(second);
    for (const StatisticsAccumulator* a : {&whole, &first}) {
      const BandStatistics s = a->result();
      EXPECT_EQ(s.valid_count, count);
      if (count == 0) continue;
      EXPECT_EQ(s.min, double(lo));
      EXPECT_EQ(s.max, double(hi));
      const long double mean = sum / count;
      EXPECT_NEAR(s.mean, double(mean), 1e-12 * 40);
      EXPECT_NEAR(s.stddev, double(std::sqrt(sq / count - mean * mean)), 1e-9);
    }
  }
}
