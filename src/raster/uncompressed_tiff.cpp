#include "prospect/raster/uncompressed_tiff.hpp"

#include <fcntl.h>
#include <gdal_priv.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "prospect/core/error.hpp"
#include "prospect/core/hash.hpp"

namespace prospect {
namespace {

constexpr std::int64_t k_not_asked = -2, k_not_whole = -1;
// Block rows are read at most this many floats at a time (1 MiB).
constexpr std::size_t k_rows_floats = std::size_t(1) << 18;
// A window's part of each block row is read on its own (a read per row) only
// when the rest of the row is longer than this: a read costs about what a copy
// of 16 KiB does. (By half the block's width, the 64 columns of an 8000-wide
// image in its last 256-wide tiles took 256 reads of 256 bytes per block:
// 62,689 reads in an 8 x 8000^2 run.)
constexpr std::size_t k_row_skip_bytes = 16384;

bool is_little_endian_host() {
  const std::uint16_t one = 1;
  unsigned char first;
  std::memcpy(&first, &one, 1);
  return first == 1;
}

}  // namespace

std::unique_ptr<UncompressedTiffBand> UncompressedTiffBand::open(GDALDataset& dataset,
                                                                 GDALRasterBand& band,
                                                                 const std::string& path) {
  GDALDriver* driver = dataset.GetDriver();
  if (!driver || std::strcmp(driver->GetDescription(), "GTiff") != 0) return nullptr;
  if (band.GetRasterDataType() != GDT_Float32 || !is_little_endian_host()) return nullptr;
  if (dataset.GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE") != nullptr) return nullptr;
  if (band.GetMetadataItem("NBITS", "IMAGE_STRUCTURE") != nullptr) return nullptr;  // Float16
  const char* interleave = dataset.GetMetadataItem("INTERLEAVE", "IMAGE_STRUCTURE");
  if (dataset.GetRasterCount() > 1 && !(interleave && std::strcmp(interleave, "BAND") == 0))
    return nullptr;
  if (path.rfind("/vsi", 0) == 0) return nullptr;  // not a plain file
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  char order[2] = {0, 0};
  if (::pread(fd, order, 2, 0) != 2 || order[0] != 'I' || order[1] != 'I') {
    ::close(fd);
    return nullptr;
  }
  return std::unique_ptr<UncompressedTiffBand>(new UncompressedTiffBand(fd, band, path));
}

UncompressedTiffBand::UncompressedTiffBand(int fd, GDALRasterBand& band, std::string path)
    : m_fd(fd), m_band(band), m_path(std::move(path)) {
  m_width = band.GetXSize();
  m_height = band.GetYSize();
  band.GetBlockSize(&m_block_w, &m_block_h);
  m_blocks_x = (m_width + m_block_w - 1) / m_block_w;
  const int blocks_y = (m_height + m_block_h - 1) / m_block_h;
  m_offsets.assign(std::size_t(m_blocks_x) * std::size_t(blocks_y), k_not_asked);
}

UncompressedTiffBand::~UncompressedTiffBand() { ::close(m_fd); }

std::int64_t UncompressedTiffBand::block_offset(int bx, int by) {
  std::int64_t& known = m_offsets[std::size_t(by) * std::size_t(m_blocks_x) + std::size_t(bx)];
  if (known != k_not_asked) return known;
  known = k_not_whole;
  const std::string where = std::to_string(bx) + "_" + std::to_string(by);
  const char* offset = m_band.GetMetadataItem(("BLOCK_OFFSET_" + where).c_str(), "TIFF");
  const char* size = m_band.GetMetadataItem(("BLOCK_SIZE_" + where).c_str(), "TIFF");
  if (!offset || !size) return known;
  const long long at = std::atoll(offset), bytes = std::atoll(size);
  // Strips may end early at the foot of the image; tiles are always whole.
  const long long rows = std::min(m_block_h, m_height - by * m_block_h);
  if (at > 0 && bytes >= (long long)m_block_w * rows * (long long)sizeof(float)) known = at;
  return known;
}

void UncompressedTiffBand::read_bytes(void* to, std::size_t bytes, std::int64_t offset, int bx,
                                      int by) {
  const std::int64_t start = offset;
  const std::size_t size = bytes;
  auto* at = static_cast<char*>(to);
  while (bytes > 0) {
    const ssize_t got = ::pread(m_fd, at, bytes, off_t(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      ErrorContext c;
      c.file = m_path;
      c.layer = "band " + std::to_string(m_band.GetBand());
      c.step = "reading";
      throw Error(ErrorKind::bad_input,
                  "ends inside block " + std::to_string(bx) + "," + std::to_string(by) +
                      " (the file is truncated)",
                  c, "write the raster again, or copy a whole one");
    }
    at += got;
    offset += got;
    bytes -= std::size_t(got);
  }
  if (m_hasher) m_hasher->add(start, to, size);  // while the bytes are in the cache
}

bool UncompressedTiffBand::read(int col0, int row0, int col1, int row1, float* out,
                                std::size_t stride, const RowCopy& copy) {
  const int bx0 = col0 / m_block_w, bx1 = (col1 - 1) / m_block_w;
  const int by0 = row0 / m_block_h, by1 = (row1 - 1) / m_block_h;
  for (int by = by0; by <= by1; ++by)
    for (int bx = bx0; bx <= bx1; ++bx)
      if (block_offset(bx, by) < 0) return false;
  const auto block_w = std::size_t(m_block_w);
  for (int by = by0; by <= by1; ++by)
    for (int bx = bx0; bx <= bx1; ++bx) {
      const int c0 = std::max(col0, bx * m_block_w), c1 = std::min(col1, (bx + 1) * m_block_w);
      const int r0 = std::max(row0, by * m_block_h), r1 = std::min(row1, (by + 1) * m_block_h);
      const auto width = std::size_t(c1 - c0), skip = std::size_t(c0 - bx * m_block_w);
      // Where row r of the block starts in the file.
      auto row_at = [&](int r) {
        return block_offset(bx, by) +
               std::int64_t(std::size_t(r - by * m_block_h) * block_w * sizeof(float));
      };
      auto target = [&](int r) { return out + std::size_t(r - row0) * stride + (c0 - col0); };
      if ((block_w - width) * sizeof(float) > k_row_skip_bytes) {
        // A narrow window on wide blocks (a striped file): only its part of each row.
        for (int r = r0; r < r1; ++r) {
          float* to = target(r);
          read_bytes(to, width * sizeof(float), row_at(r) + std::int64_t(skip * sizeof(float)), bx,
                     by);
          copy(to, to, width);
        }
        continue;
      }
      // Whole block rows, as many as fit in m_rows at a time, then copied.
      const int rows_per_read = int(std::max<std::size_t>(1, k_rows_floats / block_w));
      m_rows.resize(std::size_t(std::min(rows_per_read, r1 - r0)) * block_w);
      for (int r = r0; r < r1; r += rows_per_read) {
        const int rows = std::min(rows_per_read, r1 - r);
        read_bytes(m_rows.data(), std::size_t(rows) * block_w * sizeof(float), row_at(r), bx, by);
        for (int k = 0; k < rows; ++k)
          copy(m_rows.data() + std::size_t(k) * block_w + skip, target(r + k), width);
      }
    }
  return true;
}

}  // namespace prospect
