#include "prospect/raster/direct_tiff.hpp"

#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <gtest/gtest.h>

#include <cstring>

#include "prospect/core/error.hpp"
#include "prospect/raster/gdal_handles.hpp"
#include "support/cog_layout.hpp"

using namespace prospect;
using namespace prospect::test;

namespace {

constexpr int k_width = 40, k_height = 23, k_block = 16, k_bands = 2;
constexpr int k_across = 3, k_down = 2;  // tiles of the 40 × 23 grid

// What GDAL writes for a 40 × 23 two-band raster of 16-cell tiles, without
// any tile data: the twin the header is taken from.
std::string gdal_twin(bool big_tiff, bool zstd = false) {
  init_gdal();
  const char* path = "/vsimem/direct_tiff_twin.tif";
  CPLStringList options;
  options.SetNameValue("TILED", "YES");
  options.SetNameValue("BLOCKXSIZE", "16");
  options.SetNameValue("BLOCKYSIZE", "16");
  options.SetNameValue("INTERLEAVE", "BAND");
  options.SetNameValue("SPARSE_OK", "TRUE");
  options.SetNameValue("BIGTIFF", big_tiff ? "YES" : "NO");
  if (zstd) {
    options.SetNameValue("COMPRESS", "ZSTD");
    options.SetNameValue("PREDICTOR", "3");
  }
  {
    DatasetPtr ds(GetGDALDriverManager()->GetDriverByName("GTiff")->Create(
        path, k_width, k_height, k_bands, GDT_Float32, options.List()));
    const double gt[6] = {500000, 30, 0, 7700000, 0, -30};
    ds->SetGeoTransform(const_cast<double*>(gt));
    OGRSpatialReference srs;
    srs.importFromEPSG(32733);
    ds->SetSpatialRef(&srs);
    ds->SetMetadataItem("PROSPECT_MODEL", "twin");
    for (int b = 1; b <= k_bands; ++b) {
      ds->GetRasterBand(b)->SetDescription(b == 1 ? "gamma" : "wsum");
      ds->GetRasterBand(b)->SetNoDataValue(-9999);
      ds->GetRasterBand(b)->SetStatistics(0, 1, 0.5, 0.25);
    }
  }
  return take_memory_file(path);
}

TileLayout layout_of(std::uint64_t data_offset) {
  TileLayout layout;
  layout.data_offset = data_offset;
  layout.tile_bytes = k_block * k_block * sizeof(float);
  layout.tiles_per_band = k_across * k_down;
  layout.bands = k_bands;
  return layout;
}

// The value written at (col, row) of a band: different in every cell and band.
float value_at(int band, int col, int row) { return float(band * 10000 + row * 100 + col); }

// One whole tile of a band, the cells past the grid's edges as nodata.
std::vector<float> tile_at(int band, int tx, int ty) {
  std::vector<float> tile(k_block * k_block, -9999.0f);
  for (int r = 0; r < k_block; ++r)
    for (int c = 0; c < k_block; ++c)
      tile[std::size_t(r * k_block + c)] = value_at(band, tx * k_block + c, ty * k_block + r);
  return tile;
}

// The whole file: the header, zeros, then every tile where the layout says.
std::string file_with_tiles(const std::string& header, const TileLayout& layout) {
  std::string file(std::size_t(layout.end()), '\0');
  std::memcpy(file.data(), header.data(), header.size());
  for (int b = 0; b < k_bands; ++b)
    for (int ty = 0; ty < k_down; ++ty)
      for (int tx = 0; tx < k_across; ++tx) {
        const std::vector<float> tile = tile_at(b, tx, ty);
        std::memcpy(file.data() + layout.offset(b, std::size_t(ty * k_across + tx)), tile.data(),
                    tile.size() * sizeof(float));
      }
  return file;
}

// The same tiles compressed (encode_float_tile) one after another, band after band.
std::string file_with_encoded_tiles(const std::string& twin) {
  std::vector<std::string> tiles;
  std::vector<std::uint64_t> offsets, sizes;
  std::uint64_t at = 4096;
  for (int b = 0; b < k_bands; ++b)
    for (int ty = 0; ty < k_down; ++ty)
      for (int tx = 0; tx < k_across; ++tx) {
        tiles.push_back(encode_float_tile(tile_at(b, tx, ty).data(), k_block, 1));
        offsets.push_back(at);
        sizes.push_back(tiles.back().size());
        at += tiles.back().size();
      }
  const std::string header = relocated_tiff_header(twin, 4096, {ImageTiles{offsets, sizes}});
  if (header.empty()) return {};
  std::string file = header + std::string(4096 - header.size(), '\0');
  for (const std::string& t : tiles) file += t;
  return file;
}

void expect_readable_as_written(const std::string& twin, bool big_tiff, bool encoded = false) {
  const TileLayout layout = layout_of(4096);
  const std::string header = relocated_tiff_header(twin, layout);
  ASSERT_FALSE(header.empty());
  EXPECT_EQ(header[2], big_tiff ? 43 : 42);
  const std::string file =
      encoded ? file_with_encoded_tiles(twin) : file_with_tiles(header, layout);
  ASSERT_FALSE(file.empty());
  const char* path = "/vsimem/direct_tiff_file.tif";
  VSILFILE* f = VSIFileFromMemBuffer(path, reinterpret_cast<GByte*>(const_cast<char*>(file.data())),
                                     file.size(), FALSE);
  VSIFCloseL(f);
  {
    DatasetPtr ds = open_raster(path);
    ASSERT_EQ(ds->GetRasterXSize(), k_width);
    ASSERT_EQ(ds->GetRasterYSize(), k_height);
    ASSERT_EQ(ds->GetRasterCount(), k_bands);
    double gt[6];
    ds->GetGeoTransform(gt);
    EXPECT_EQ(gt[0], 500000);
    EXPECT_EQ(gt[5], -30);
    ASSERT_NE(ds->GetSpatialRef(), nullptr);
    EXPECT_STREQ(ds->GetSpatialRef()->GetAuthorityCode(nullptr), "32733");
    EXPECT_STREQ(ds->GetMetadataItem("PROSPECT_MODEL"), "twin");
    EXPECT_STREQ(ds->GetRasterBand(2)->GetDescription(), "wsum");
    EXPECT_STREQ(ds->GetRasterBand(1)->GetMetadataItem("STATISTICS_MEAN"), "0.5");
    EXPECT_EQ(ds->GetRasterBand(1)->GetNoDataValue(), -9999);
    for (int b = 0; b < k_bands; ++b) {
      std::vector<float> values(k_width * k_height);
      ASSERT_EQ(ds->GetRasterBand(b + 1)->RasterIO(GF_Read, 0, 0, k_width, k_height, values.data(),
                                                   k_width, k_height, GDT_Float32, 0, 0, nullptr),
                CE_None);
      for (int r = 0; r < k_height; ++r)
        for (int c = 0; c < k_width; ++c)
          ASSERT_EQ(values[std::size_t(r * k_width + c)], value_at(b, c, r))
              << "band " << b << " cell " << c << "," << r;
    }
  }
  EXPECT_TRUE(has_cog_layout(path));
  VSIUnlink(path);
}

}  // namespace

// The twin's IFD, moved to the front with this layout's tile offsets, makes a
// GeoTIFF that GDAL reads as written: values, georeferencing, names, statistics.
TEST(RelocatedTiffHeader, DescribesTheTilesAsLaidOut) {
  expect_readable_as_written(gdal_twin(false), false);
}

TEST(RelocatedTiffHeader, DescribesTheTilesAsLaidOutInBigTiff) {
  expect_readable_as_written(gdal_twin(true), true);
}

// Tiles compressed here (the floating-point predictor, then ZSTD) decode in
// GDAL to the values written: the same encoding libtiff reads.
TEST(EncodeFloatTile, GdalDecodesTheTilesToTheValuesWritten) {
  expect_readable_as_written(gdal_twin(false, true), false, true);
}

// With too little room before the tiles there is no header to write.
TEST(RelocatedTiffHeader, TooLittleRoomGivesNothing) {
  EXPECT_TRUE(relocated_tiff_header(gdal_twin(false), layout_of(64)).empty());
}

// Anything but a TIFF of the same tiling is refused, not written.
TEST(RelocatedTiffHeader, RefusesWhatIsNotTheTwin) {
  EXPECT_THROW(relocated_tiff_header("MM\0*junk", layout_of(4096)), Error);
  EXPECT_THROW(relocated_tiff_header(std::string(8, 'I'), layout_of(4096)), Error);
  TileLayout other = layout_of(4096);
  other.tiles_per_band = 5;
  EXPECT_THROW(relocated_tiff_header(gdal_twin(false), other), Error);
  TileLayout past_4_gib = layout_of(4096);
  past_4_gib.tile_bytes = std::uint64_t(1) << 30;  // 12 tiles of 1 GiB: classic offsets overflow
  EXPECT_THROW(relocated_tiff_header(gdal_twin(false), past_4_gib), Error);
  EXPECT_FALSE(relocated_tiff_header(gdal_twin(true), past_4_gib).empty());
}
