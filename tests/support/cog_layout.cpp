// A test's check of a file's byte layout against what GDAL's COG validator
// (validate_cloud_optimized_geotiff.py) asks for.
#include "support/cog_layout.hpp"

#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "prospect/raster/gdal_handles.hpp"

namespace prospect::test {

namespace {

// TIFF 6.0 and BigTIFF: little-endian ("II") files only, as GDAL writes them here.
std::uint64_t get_le(const unsigned char* p, int bytes) {
  std::uint64_t v = 0;
  for (int k = bytes - 1; k >= 0; --k) v = v << 8 | p[k];
  return v;
}

// The header: its size (8 classic, 16 BigTIFF) and the first IFD's offset.
struct TiffHeader {
  bool big = false;
  std::uint64_t size = 0, first_ifd = 0;
};

bool read_header(VSILFILE* f, TiffHeader& h) {
  unsigned char b[16] = {};
  if (VSIFSeekL(f, 0, SEEK_SET) != 0 || VSIFReadL(b, 1, sizeof b, f) < 8) return false;
  if (b[0] != 'I' || b[1] != 'I') return false;
  if (b[2] == 42 && b[3] == 0) {
    h = {false, 8, get_le(b + 4, 4)};
    return true;
  }
  if (b[2] == 43 && b[3] == 0 && get_le(b + 4, 2) == 8) {
    h = {true, 16, get_le(b + 8, 8)};
    return true;
  }
  return false;
}

std::uint64_t tiff_item(GDALRasterBand* band, const std::string& key) {
  const char* v = band->GetMetadataItem(key.c_str(), "TIFF");
  return v ? std::strtoull(v, nullptr, 10) : 0;
}

// The offset of the band's first block, or 0 when a block is missing, lies
// before `after`, or is out of row order.
std::uint64_t first_block_in_row_order(GDALRasterBand* band, std::uint64_t after) {
  int bx = 0, by = 0;
  band->GetBlockSize(&bx, &by);
  const int nx = (band->GetXSize() + bx - 1) / bx, ny = (band->GetYSize() + by - 1) / by;
  std::uint64_t first = 0, last = after;
  for (int y = 0; y < ny; ++y)
    for (int x = 0; x < nx; ++x) {
      const std::uint64_t offset =
          tiff_item(band, "BLOCK_OFFSET_" + std::to_string(x) + "_" + std::to_string(y));
      if (offset <= last) return 0;
      if (first == 0) first = offset;
      last = offset;
    }
  return first;
}

struct FileCloser {
  void operator()(VSILFILE* f) const {
    if (f) VSIFCloseL(f);
  }
};
using FilePtr = std::unique_ptr<VSILFILE, FileCloser>;

// Where the first IFD of a COG goes: right after the header, or after GDAL's
// "ghost area" there (text that GDAL's COG driver writes about the layout).
std::uint64_t expected_first_ifd(VSILFILE* f, const TiffHeader& h) {
  static const std::string pattern = "GDAL_STRUCTURAL_METADATA_SIZE=";
  char text[43] = {};  // pattern, six digits, " bytes\n"
  if (VSIFSeekL(f, h.size, SEEK_SET) != 0 || VSIFReadL(text, 1, sizeof text, f) != sizeof text ||
      std::string(text, pattern.size()) != pattern)
    return h.size;
  const std::uint64_t ghost = sizeof text + std::strtoull(text + pattern.size(), nullptr, 10);
  return h.size + ghost + ghost % 2;  // an IFD starts on a word boundary
}

}  // namespace

bool has_cog_layout(const std::string& path) {
  TiffHeader header;
  {
    FilePtr f(VSIFOpenL(path.c_str(), "rb"));
    if (!f || !read_header(f.get(), header) ||
        header.first_ifd != expected_first_ifd(f.get(), header))
      return false;
  }
  DatasetPtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr,
                                  nullptr));
  if (!ds || ds->GetRasterCount() == 0) return false;
  GDALRasterBand* main = ds->GetRasterBand(1);
  // IFDs: the main one, then the overviews from the largest down; data the other way round.
  std::vector<GDALRasterBand*> levels = {main};
  for (int k = 0; k < main->GetOverviewCount(); ++k) levels.push_back(main->GetOverview(k));
  std::uint64_t last_ifd = 0;
  for (GDALRasterBand* level : levels) {
    const std::uint64_t offset = tiff_item(level, "IFD_OFFSET");
    if (offset < header.first_ifd || offset <= last_ifd) return false;
    last_ifd = offset;
  }
  std::uint64_t smaller_level_data = 0;
  for (auto level = levels.rbegin(); level != levels.rend(); ++level) {
    const std::uint64_t first = first_block_in_row_order(*level, last_ifd);
    if (first == 0 || first < smaller_level_data) return false;
    smaller_level_data = first;
  }
  for (int b = 2; b <= ds->GetRasterCount(); ++b)
    if (first_block_in_row_order(ds->GetRasterBand(b), last_ifd) == 0) return false;
  return true;
}

namespace {

std::map<std::string, std::string> items_of(char** list) {
  std::map<std::string, std::string> out;
  for (char** p = list; p && *p; ++p) {
    const std::string item(*p);
    const auto eq = item.find('=');
    out[item.substr(0, eq)] = eq == std::string::npos ? "" : item.substr(eq + 1);
  }
  return out;
}

std::vector<float> cells_of(GDALRasterBand* b) {
  std::vector<float> v(std::size_t(b->GetXSize()) * std::size_t(b->GetYSize()));
  EXPECT_EQ(b->RasterIO(GF_Read, 0, 0, b->GetXSize(), b->GetYSize(), v.data(), b->GetXSize(),
                        b->GetYSize(), GDT_Float32, 0, 0, nullptr),
            CE_None);
  return v;
}

}  // namespace

void expect_same_raster(const std::string& expected, const std::string& actual) {
  DatasetPtr a = open_raster(expected);
  DatasetPtr b = open_raster(actual);
  ASSERT_EQ(a->GetRasterXSize(), b->GetRasterXSize());
  ASSERT_EQ(a->GetRasterYSize(), b->GetRasterYSize());
  ASSERT_EQ(a->GetRasterCount(), b->GetRasterCount());
  EXPECT_EQ(items_of(a->GetMetadata()), items_of(b->GetMetadata()));
  EXPECT_STREQ(a->GetProjectionRef(), b->GetProjectionRef());
  double ga[6], gb[6];
  a->GetGeoTransform(ga);
  b->GetGeoTransform(gb);
  for (int k = 0; k < 6; ++k) EXPECT_EQ(ga[k], gb[k]);
  for (int band = 1; band <= a->GetRasterCount(); ++band) {
    SCOPED_TRACE("band " + std::to_string(band));
    GDALRasterBand* ba = a->GetRasterBand(band);
    GDALRasterBand* bb = b->GetRasterBand(band);
    EXPECT_STREQ(ba->GetDescription(), bb->GetDescription());
    EXPECT_EQ(ba->GetNoDataValue(), bb->GetNoDataValue());
    EXPECT_EQ(items_of(ba->GetMetadata()), items_of(bb->GetMetadata()));
    EXPECT_EQ(cells_of(ba), cells_of(bb));
    ASSERT_EQ(ba->GetOverviewCount(), bb->GetOverviewCount());
    for (int k = 0; k < ba->GetOverviewCount(); ++k)
      EXPECT_EQ(cells_of(ba->GetOverview(k)), cells_of(bb->GetOverview(k))) << "overview " << k;
  }
}

}  // namespace prospect::test
