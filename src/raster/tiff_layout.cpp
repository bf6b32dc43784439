#include "prospect/raster/tiff_layout.hpp"

#include <cpl_vsi.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "prospect/raster/gdal_handles.hpp"

namespace prospect {

namespace {

// TIFF 6.0 and BigTIFF: little-endian ("II") files only, as GDAL writes them here.
std::uint64_t get_le(const unsigned char* p, int bytes) {
  std::uint64_t v = 0;
  for (int k = bytes - 1; k >= 0; --k) v = v << 8 | p[k];
  return v;
}

void put_le(unsigned char* p, std::uint64_t v, int bytes) {
  for (int k = 0; k < bytes; ++k, v >>= 8) p[k] = static_cast<unsigned char>(v & 0xff);
}

// Bytes per value of a TIFF field type; 0 for a type this code does not know.
int type_size(std::uint64_t type) {
  switch (type) {
    case 1:
    case 2:
    case 6:
    case 7:
      return 1;  // BYTE, ASCII, SBYTE, UNDEFINED
    case 3:
    case 8:
      return 2;  // SHORT, SSHORT
    case 4:
    case 9:
    case 11:
    case 13:
      return 4;  // LONG, SLONG, FLOAT, IFD
    case 5:
    case 10:
    case 12:
    case 16:
    case 17:
    case 18:
      return 8;  // RATIONALs, DOUBLE, LONG8s, IFD8
    default:
      return 0;
  }
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

bool move_last_ifd_to_front(const std::string& path) {
  FilePtr f(VSIFOpenL(path.c_str(), "r+b"));
  TiffHeader h;
  if (!f || !read_header(f.get(), h)) return false;
  if (h.first_ifd == h.size) return true;
  if (VSIFSeekL(f.get(), 0, SEEK_END) != 0) return false;
  const std::uint64_t end = VSIFTellL(f.get());
  const std::uint64_t from = h.first_ifd;
  if (from < h.size || from >= end || end - from > (std::uint64_t(64) << 20)) return false;

  // The IFD and the tag data written with it run from `from` to the end of the file.
  std::vector<unsigned char> block(std::size_t(end - from));
  if (VSIFSeekL(f.get(), from, SEEK_SET) != 0 ||
      VSIFReadL(block.data(), 1, block.size(), f.get()) != block.size())
    return false;
  const int count_bytes = h.big ? 8 : 2, entry_bytes = h.big ? 20 : 12, word = h.big ? 8 : 4;
  const std::uint64_t entries = get_le(block.data(), count_bytes);
  if (entries > block.size() / std::uint64_t(entry_bytes))
    return false;  // not an IFD this block can hold
  const std::uint64_t ifd_bytes =
      std::uint64_t(count_bytes) + entries * std::uint64_t(entry_bytes) + std::uint64_t(word);
  if (ifd_bytes > block.size()) return false;
  if (get_le(block.data() + ifd_bytes - std::uint64_t(word), word) != 0)
    return false;  // one IFD only

  // Pass 1: where the first block of image data starts (the room up to it is
  // where the IFD goes), and every out-of-line value lies within the block.
  std::uint64_t first_data = end;
  std::vector<std::uint64_t> value_fields;  // positions in `block` of offsets to shift
  for (std::uint64_t e = 0; e < entries; ++e) {
    unsigned char* p = block.data() + count_bytes + e * std::uint64_t(entry_bytes);
    const std::uint64_t tag = get_le(p, 2), type = get_le(p + 2, 2);
    const std::uint64_t count = get_le(p + 4, word);
    const int size = type_size(type);
    if (size == 0 || count > (std::uint64_t(1) << 40)) return false;
    if (tag == 330 || tag == 34665 || tag == 34853)
      return false;  // values that are offsets: SubIFDs, Exif, GPS
    const std::uint64_t bytes = count * std::uint64_t(size);
    const unsigned char* values = p + 4 + word;
    if (bytes > std::uint64_t(word)) {
      const std::uint64_t at = get_le(values, word);
      if (at < from || at + bytes > end) return false;  // tag data outside the rewritten block
      value_fields.push_back(std::uint64_t(values - block.data()));
      values = block.data() + (at - from);
    }
    if (tag == 273 || tag == 324) {  // StripOffsets, TileOffsets
      for (std::uint64_t k = 0; k < count; ++k) {
        const std::uint64_t offset = get_le(values + k * std::uint64_t(size), size);
        if (offset != 0 && offset < first_data) first_data = offset;
      }
    }
  }
  if (first_data < h.size || block.size() > first_data - h.size) return false;

  // Pass 2: shift the out-of-line offsets, write the block after the header,
  // zero the rest of the room, point the header at it and cut off the old copy.
  // In this order the file is a valid TIFF after each step, should one fail.
  const std::uint64_t shift = from - h.size;
  for (std::uint64_t at : value_fields)
    put_le(block.data() + at, get_le(block.data() + at, word) - shift, word);
  std::vector<unsigned char> room(std::size_t(first_data - h.size), 0);
  std::copy(block.begin(), block.end(), room.begin());
  unsigned char offset_field[8];
  put_le(offset_field, h.size, word);
  if (VSIFSeekL(f.get(), h.size, SEEK_SET) != 0 ||
      VSIFWriteL(room.data(), 1, room.size(), f.get()) != room.size() ||
      VSIFSeekL(f.get(), h.big ? 8 : 4, SEEK_SET) != 0 ||
      VSIFWriteL(offset_field, 1, std::size_t(word), f.get()) != std::size_t(word) ||
      VSIFTruncateL(f.get(), from) != 0)
    return false;
  return true;
}

}  // namespace prospect
