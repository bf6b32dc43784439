#include "prospect/raster/uncompressed_tiff.hpp"

#include <gdal_priv.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <vector>

#include "prospect/core/error.hpp"
#include "prospect/core/hash.hpp"
#include "prospect/raster/raster_source.hpp"
#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;
using ::testing::HasSubstr;

namespace {

constexpr int k_width = 150, k_height = 130;
constexpr float k_nodata = -9999.0f;

// col + 1000 row, with nodata and infinities sprinkled in.
std::vector<float> test_values() {
  std::vector<float> v(std::size_t(k_width) * k_height);
  for (int r = 0; r < k_height; ++r)
    for (int c = 0; c < k_width; ++c) {
      float x = float(c + 1000 * r);
      if ((c * 7 + r * 3) % 23 == 0) x = k_nodata;
      if ((c + r) % 97 == 0) x = std::numeric_limits<float>::infinity();
      v[std::size_t(r) * k_width + std::size_t(c)] = x;
    }
  return v;
}

// A north-up Float32 GeoTIFF of test_values() at 1 m cells from (0, 0), written
// with GDAL creation options `options` (nullptr-terminated).
std::string write_tiff(const std::string& path, const std::vector<const char*>& options,
                       bool write = true) {
  init_gdal();
  GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
  std::vector<const char*> opts = options;
  opts.push_back(nullptr);
  DatasetPtr ds(gtiff->Create(path.c_str(), k_width, k_height, 1, GDT_Float32,
                              const_cast<char**>(opts.data())));
  double gt[6] = {0, 1, 0, 0, 0, -1};
  ds->SetGeoTransform(gt);
  OGRSpatialReference srs;
  srs.SetFromUserInput("EPSG:32733");
  ds->SetSpatialRef(&srs);
  ds->GetRasterBand(1)->SetNoDataValue(k_nodata);
  std::vector<float> v = test_values();
  if (write) {
    EXPECT_EQ(ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, k_width, k_height, v.data(), k_width,
                                             k_height, GDT_Float32, 0, 0, nullptr),
              CE_None);
  }
  return path;
}

bool direct(const std::string& path) {
  DatasetPtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
  return UncompressedTiffBand::open(*ds, *ds->GetRasterBand(1), path) != nullptr;
}

// Window w of the grid over the whole raster, read by RasterSource (the bytes
// it reads itself also passed to `hasher`, when given).
std::vector<float> read_window(const std::string& path, const Window& w,
                               std::shared_ptr<FileHasher> hasher = nullptr) {
  RasterInput in;
  in.name = "test";
  in.path = path;
  const AnalysisGrid grid("EPSG:32733", 0, 0, 1, k_width, k_height);
  RasterSource s(in, grid);
  EXPECT_TRUE(s.aligned());
  if (hasher) s.hash_reads(hasher);
  std::vector<float> out(w.cell_count());
  s.read(w, out.data());
  return out;
}

void expect_same_cells(const std::vector<float>& a, const std::vector<float>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(b[i])) {
      EXPECT_TRUE(std::isnan(a[i])) << "cell " << i;
    } else {
      EXPECT_EQ(a[i], b[i]) << "cell " << i;
    }
  }
}

// Windows inside one block, across blocks, along the image's right and foot
// edges (partial blocks), and the whole image.
const std::vector<Window> k_windows = {{0, 0, 16, 16},    {5, 3, 40, 70},   {60, 30, 90, 100},
                                       {100, 90, 50, 40}, {149, 0, 1, 130}, {0, 0, 150, 130}};

}  // namespace

// Tiled and striped uncompressed files are read straight from the file, and
// give the same cells as GDAL gives for a DEFLATE copy: nodata and +-Inf as NaN.
TEST(UncompressedTiffBand, TilesAndStripsEqualGdalsReadOfACompressedCopy) {
  TempDir dir;
  const std::string reference = write_tiff(dir.file("deflate.tif"), {"COMPRESS=DEFLATE"});
  ASSERT_FALSE(direct(reference));
  const std::vector<std::vector<const char*>> layouts = {
      {"TILED=YES", "BLOCKXSIZE=64", "BLOCKYSIZE=32"},  // tiles
      {"BLOCKYSIZE=3"},                                 // strips of 3 rows
      {"BLOCKYSIZE=130"}};                              // one strip
  for (std::size_t k = 0; k < layouts.size(); ++k) {
    const std::string path = write_tiff(dir.file("plain" + std::to_string(k) + ".tif"), layouts[k]);
    ASSERT_TRUE(direct(path)) << layouts[k][0];
    for (const Window& w : k_windows) {
      SCOPED_TRACE(std::string(layouts[k][0]) + " window " + std::to_string(w.col) + "," +
                   std::to_string(w.row) + " " + std::to_string(w.width) + "x" +
                   std::to_string(w.height));
      expect_same_cells(read_window(path, w), read_window(reference, w));
    }
  }
}

// What the reader leaves to GDAL: compressed, other types, in-memory files.
TEST(UncompressedTiffBand, OtherFilesAreLeftToGdal) {
  TempDir dir;
  init_gdal();
  EXPECT_FALSE(direct(write_tiff(dir.file("lzw.tif"), {"COMPRESS=LZW"})));
  EXPECT_FALSE(direct(write_tiff("/vsimem/plain.tif", {})));
  VSIUnlink("/vsimem/plain.tif");
  GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
  const std::string int16 = dir.file("int16.tif");
  DatasetPtr(gtiff->Create(int16.c_str(), 10, 10, 1, GDT_Int16, nullptr)).reset();
  EXPECT_FALSE(direct(int16));
  EXPECT_TRUE(direct(write_tiff(dir.file("plain.tif"), {})));
}

// Blocks never written (a sparse file) are not in the file: GDAL reads them
// (as nodata), the written ones are read directly, and the window is whole.
TEST(UncompressedTiffBand, SparseBlocksAreReadByGdal) {
  TempDir dir;
  const std::string path =
      write_tiff(dir.file("sparse.tif"),
                 {"TILED=YES", "BLOCKXSIZE=64", "BLOCKYSIZE=64", "SPARSE_OK=TRUE"}, false);
  {
    DatasetPtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_UPDATE));
    std::vector<float> block(64 * 64, 42.0f);
    ASSERT_EQ(ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, 64, 64, block.data(), 64, 64,
                                             GDT_Float32, 0, 0, nullptr),
              CE_None);
  }
  ASSERT_TRUE(direct(path));
  const std::vector<float> written = read_window(path, {0, 0, 64, 64});
  for (float x : written) ASSERT_EQ(x, 42.0f);
  const std::vector<float> across = read_window(path, {32, 32, 64, 64});
  EXPECT_EQ(across[0], 42.0f);                    // in the written block
  EXPECT_TRUE(std::isnan(across[63 * 64 + 63]));  // in a block never written: nodata
}

// A file cut short inside the rows of a block the window needs is a bad input
// naming the file, not a crash or a window of garbage. (Cut only inside the
// padding of the last tiles, below the image, it still reads: those rows are
// never read.)
TEST(UncompressedTiffBand, ATruncatedFileIsABadInput) {
  TempDir dir;
  const std::string path =
      write_tiff(dir.file("cut.tif"), {"TILED=YES", "BLOCKXSIZE=64", "BLOCKYSIZE=64"});
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 40000);
  ASSERT_TRUE(direct(path));
  try {
    read_window(path, {0, 0, k_width, k_height});
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_THAT(e.what(), HasSubstr(path));
    EXPECT_THAT(e.what(), HasSubstr("truncated"));
  }
}

// The bytes the reader reads go to the file's hasher as they were in the
// file: the hash comes out as the file's, and finish() reads only what the
// windows did not cover whole (header, directory, the blocks' edge pieces,
// the padding rows of the last blocks).
TEST(UncompressedTiffBand, PassesWhatItReadsToTheFilesHasher) {
  TempDir dir;
  const std::vector<std::vector<const char*>> layouts = {
      {"TILED=YES", "BLOCKXSIZE=64", "BLOCKYSIZE=64"},  // blocks of 16 KiB
      {"BLOCKYSIZE=130"}};                              // one strip
  for (std::size_t k = 0; k < layouts.size(); ++k) {
    SCOPED_TRACE(layouts[k][0]);
    const std::string path = write_tiff(dir.file("f" + std::to_string(k) + ".tif"), layouts[k]);
    auto hasher = std::make_shared<FileHasher>(path);
    for (const Window& w : k_windows) read_window(path, w, hasher);
    EXPECT_EQ(hasher->finish(), hash_file(path));
    const std::size_t pieces = (std::filesystem::file_size(path) + 4095) / 4096;
    EXPECT_LT(hasher->pieces_finish_read(), pieces);
  }
}

// A window that needs little of each row of a wide strip reads only its part
// of each row; the cells are GDAL's.
TEST(UncompressedTiffBand, ANarrowWindowOfAWideStripIsReadRowByRow) {
  TempDir dir;
  RasterFixture f;
  f.width = 9000;  // rows of 36,000 bytes
  f.height = 6;
  f.nodata = -9999.0;
  for (int r = 0; r < f.height; ++r)
    for (int c = 0; c < f.width; ++c)
      f.values.push_back(c % 101 == 0 ? -9999.0f : float(c + 1e4 * r));
  const std::string path = write_raster(dir.file("wide.tif"), f);
  ASSERT_TRUE(direct(path));
  RasterInput in;
  in.name = "wide";
  in.path = path;
  const AnalysisGrid grid("EPSG:32733", 0, 0, 1, f.width, f.height);
  RasterSource source(in, grid);
  auto hasher = std::make_shared<FileHasher>(path);
  source.hash_reads(hasher);
  const Window w{4000, 1, 300, 4};
  std::vector<float> ours(w.cell_count());
  source.read(w, ours.data());
  for (int r = 0; r < w.height; ++r)
    for (int c = 0; c < w.width; ++c) {
      const float want = f.values[std::size_t(w.row + r) * f.width + std::size_t(w.col + c)];
      const float got = ours[std::size_t(r) * w.width + std::size_t(c)];
      if (want == -9999.0f) {
        EXPECT_TRUE(std::isnan(got)) << r << "," << c;
      } else {
        EXPECT_EQ(got, want) << r << "," << c;
      }
    }
  EXPECT_EQ(hasher->finish(), hash_file(path));
  // 1,200 bytes of each of 4 rows: no whole piece, so no read was a whole row.
  EXPECT_EQ(hasher->pieces_finish_read(), (std::filesystem::file_size(path) + 4095) / 4096);
}
