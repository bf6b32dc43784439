#include "prospect/output/quicklook.hpp"

#include <cpl_string.h>
#include <gdal_priv.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "prospect/raster/gdal_handles.hpp"
#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;

TEST(Base64, Rfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

// A 100 x 100 ramp (values 0..9999, nodata in one corner) drawn at 50 x 50:
// pixel colours follow the area classes, nodata is transparent.
TEST(Quicklook, ClassesByShareOfAreaAndTransparentNodata) {
  init_gdal();
  RasterFixture f;
  f.width = f.height = 100;
  f.nodata = -9999;
  f.values.resize(10000);
  for (int i = 0; i < 10000; ++i) f.values[std::size_t(i)] = float(i);
  for (int r = 0; r < 10; ++r)
    for (int c = 0; c < 10; ++c) f.values[std::size_t(r) * 100 + c] = -9999;
  write_raster("/vsimem/quicklook_test.tif", f);
  const Quicklook q = render_quicklook("/vsimem/quicklook_test.tif", 1, 50, {});
  ASSERT_EQ(q.width, 50);
  ASSERT_EQ(q.height, 50);
  ASSERT_EQ(q.legend.size(), 6u);
  EXPECT_EQ(q.legend.front().colour, score_class_colours().back());  // brightest first
  // 25 of the 2475 valid pixels reach the top-1 % break: the legend says so.
  EXPECT_EQ(q.legend.front().label.rfind("top 1.01 %", 0), 0u) << q.legend.front().label;
  EXPECT_EQ(q.geotransform[1], 2.0);  // pixels twice the cell size

  const std::string png = "/vsimem/quicklook_test.png";
  VSILFILE* out = VSIFileFromMemBuffer(
      png.c_str(), reinterpret_cast<GByte*>(const_cast<char*>(q.png.data())), q.png.size(), FALSE);
  VSIFCloseL(out);
  DatasetPtr ds(GDALDataset::Open(png.c_str(), GDAL_OF_RASTER));
  ASSERT_TRUE(ds);
  ASSERT_EQ(ds->GetRasterCount(), 4);
  auto pixel = [&](int band, int x, int y) {
    unsigned char v = 0;
    EXPECT_EQ(
        ds->GetRasterBand(band)->RasterIO(GF_Read, x, y, 1, 1, &v, 1, 1, GDT_Byte, 0, 0, nullptr),
        CE_None);
    return v;
  };
  EXPECT_EQ(pixel(4, 0, 0), 0);  // nodata corner
  EXPECT_EQ(pixel(4, 49, 49), 255);
  // The last row holds the top 1-2 % of values: brightest colour #fde725; the
  // middle of the map is in the lower half: darkest #440154.
  EXPECT_EQ(pixel(1, 49, 49), 0xfd);
  EXPECT_EQ(pixel(2, 49, 49), 0xe7);
  EXPECT_EQ(pixel(1, 25, 10), 0x44);
  EXPECT_EQ(pixel(3, 25, 10), 0x54);
  ds.reset();
  VSIUnlink(png.c_str());
  VSIUnlink("/vsimem/quicklook_test.tif");
}

// The means gathered tile by tile while scoring equal each pixel's mean of the
// valid cells whose centres fall in it, computed here cell by cell.
TEST(QuicklookSums, TileSumsMergeToPerPixelMeans) {
  const int w = 100, h = 70;
  const QuicklookGrid grid(w, h, 30);
  ASSERT_EQ(grid.width, 30);
  ASSERT_EQ(grid.height, 21);
  std::vector<float> cells(std::size_t(w) * h);
  for (int r = 0; r < h; ++r)
    for (int c = 0; c < w; ++c)
      cells[std::size_t(r) * w + std::size_t(c)] =
          (r * 7 + c * 3) % 11 == 0 ? NAN : float(r * 1000 + c);
  QuicklookSums whole(grid);
  for (int r0 = 0; r0 < h; r0 += 32)
    for (int c0 = 0; c0 < w; c0 += 32) {
      const Window t{c0, r0, std::min(32, w - c0), std::min(32, h - r0)};
      std::vector<float> tile(t.cell_count());
      for (int r = 0; r < t.height; ++r)
        for (int c = 0; c < t.width; ++c)
          tile[std::size_t(r) * std::size_t(t.width) + std::size_t(c)] =
              cells[std::size_t(r0 + r) * w + std::size_t(c0 + c)];
      whole.merge(QuicklookSums(grid, t, tile.data()));
    }
  const std::vector<float> means = whole.means(grid);
  std::vector<double> sum(means.size(), 0.0);
  std::vector<int> count(means.size(), 0);
  for (int r = 0; r < h; ++r)
    for (int c = 0; c < w; ++c) {
      const float v = cells[std::size_t(r) * w + std::size_t(c)];
      if (std::isnan(v)) continue;
      const int px = int((c + 0.5) * grid.width / w), py = int((r + 0.5) * grid.height / h);
      sum[std::size_t(py) * std::size_t(grid.width) + std::size_t(px)] += v;
      ++count[std::size_t(py) * std::size_t(grid.width) + std::size_t(px)];
    }
  for (std::size_t i = 0; i < means.size(); ++i) {
    ASSERT_GT(count[i], 0);
    EXPECT_NEAR(means[i], sum[i] / count[i], 1e-6 * sum[i] / count[i]) << i;  // Float32 rounding
  }
}
