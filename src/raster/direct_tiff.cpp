#include "prospect/raster/direct_tiff.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <new>
#include <vector>

#include "prospect/core/error.hpp"

namespace prospect {
namespace {

// TIFF 6.0 and BigTIFF field types: bytes per value.
std::size_t type_size(std::uint16_t type) {
  switch (type) {
    case 1:
    case 2:
    case 6:
    case 7:
      return 1;  // BYTE ASCII SBYTE UNDEFINED
    case 3:
    case 8:
      return 2;  // SHORT SSHORT
    case 4:
    case 9:
    case 11:
    case 13:
      return 4;  // LONG SLONG FLOAT IFD
    case 5:
    case 10:
    case 12:
    case 16:
    case 17:
    case 18:
      return 8;  // RATIONAL.. IFD8
    default:
      return 0;
  }
}

constexpr std::uint16_t k_tile_offsets = 324, k_tile_byte_counts = 325;
constexpr std::uint16_t k_long = 4, k_long8 = 16;

[[noreturn]] void bad_twin(const std::string& what) {
  throw Error(ErrorKind::run_failed, "internal error: the GeoTIFF header GDAL wrote " + what);
}

// Little-endian reads and writes, bounds-checked on the twin.
struct Reader {
  const std::string& bytes;
  std::uint64_t get(std::uint64_t at, int size) const {
    if (at + std::uint64_t(size) > bytes.size()) bad_twin("ends early");
    std::uint64_t v = 0;
    for (int i = size - 1; i >= 0; --i) v = (v << 8) | std::uint8_t(bytes[at + std::uint64_t(i)]);
    return v;
  }
};

void put(std::string& out, std::uint64_t at, std::uint64_t v, int size) {
  for (int i = 0; i < size; ++i, v >>= 8) out[at + std::uint64_t(i)] = char(v & 0xff);
}

struct Entry {
  std::uint16_t tag = 0, type = 0;
  std::uint64_t count = 0;
  std::string value;  // count × type_size bytes
};

}  // namespace

std::string relocated_tiff_header(const std::string& twin, const TileLayout& layout) {
  const std::size_t tile_count = layout.tiles_per_band * std::size_t(layout.bands);
  ImageTiles image;
  image.byte_counts.assign(tile_count, layout.tile_bytes);
  for (std::size_t t = 0; t < tile_count; ++t) image.offsets.push_back(layout.offset(0, t));
  return relocated_tiff_header(twin, layout.data_offset, {image});
}

std::string relocated_tiff_header(const std::string& twin, std::uint64_t room,
                                  const std::vector<ImageTiles>& images) {
  const Reader in{twin};
  if (twin.size() < 8 || twin[0] != 'I' || twin[1] != 'I') bad_twin("is not a little-endian TIFF");
  const auto version = in.get(2, 2);
  if (version != 42 && version != 43) bad_twin("is not a TIFF");
  const bool big = version == 43;
  const int offset_size = big ? 8 : 4;  // file offsets and inline values
  const int count_size = big ? 8 : 2;   // the IFD's entry count
  const int entry_size = big ? 20 : 12;
  const std::uint64_t header_size = big ? 16 : 8;

  // The twin's IFDs in the order they are chained: the image, then its overviews.
  std::vector<std::vector<Entry>> ifds;
  for (std::uint64_t ifd = in.get(big ? 8 : 4, offset_size); ifd != 0;) {
    if (ifds.size() == images.size()) bad_twin("has more images than asked for");
    std::vector<Entry>& entries = ifds.emplace_back(std::size_t(in.get(ifd, count_size)));
    for (std::size_t k = 0; k < entries.size(); ++k) {
      const std::uint64_t at = ifd + std::uint64_t(count_size) + k * std::uint64_t(entry_size);
      Entry& e = entries[k];
      e.tag = std::uint16_t(in.get(at, 2));
      e.type = std::uint16_t(in.get(at + 2, 2));
      e.count = in.get(at + 4, big ? 8 : 4);
      const std::size_t size = type_size(e.type);
      if (size == 0) bad_twin("has a field of unknown type");
      const std::uint64_t bytes = e.count * size;
      const std::uint64_t value_at = bytes <= std::uint64_t(offset_size)
                                         ? at + 4 + std::uint64_t(offset_size)
                                         : in.get(at + 4 + std::uint64_t(offset_size), offset_size);
      if (value_at + bytes > twin.size()) bad_twin("ends early");
      e.value = twin.substr(value_at, bytes);
    }
    ifd = in.get(ifd + std::uint64_t(count_size) + entries.size() * std::uint64_t(entry_size),
                 offset_size);
  }
  if (ifds.size() != images.size()) bad_twin("has fewer images than asked for");

  for (std::size_t i = 0; i < ifds.size(); ++i) {
    const ImageTiles& tiles = images[i];
    const std::size_t tile_count = tiles.offsets.size();
    if (tiles.byte_counts.size() != tile_count) bad_twin("was asked for tiles without sizes");
    // Classic TIFF holds 32-bit offsets: a larger file must be BigTIFF, and its twin too.
    for (std::size_t t = 0; t < tile_count && !big; ++t)
      if (tiles.offsets[t] + tiles.byte_counts[t] > 0xffffffffULL)
        bad_twin("is not a BigTIFF for a file over 4 GiB");
    // This file's tile offsets and byte counts, band after band (planar layout).
    int tile_entries = 0;
    for (Entry& e : ifds[i]) {
      if (e.tag != k_tile_offsets && e.tag != k_tile_byte_counts) continue;
      if (e.count != tile_count) bad_twin("has another number of tiles");
      ++tile_entries;
      e.type = big ? k_long8 : k_long;
      e.value.assign(tile_count * std::size_t(offset_size), '\0');
      const std::vector<std::uint64_t>& values =
          e.tag == k_tile_offsets ? tiles.offsets : tiles.byte_counts;
      for (std::size_t t = 0; t < tile_count; ++t)
        put(e.value, t * std::size_t(offset_size), values[t], offset_size);
    }
    if (tile_entries != 2) bad_twin("is not tiled");
  }

  // Each IFD in turn right after the file header, each followed by its values
  // too long to stand in their entries; IFDs and values at even offsets (TIFF
  // 6.0, section 2).
  std::uint64_t end = header_size;
  std::vector<std::uint64_t> ifd_at(ifds.size());
  std::vector<std::vector<std::uint64_t>> value_at(ifds.size());
  for (std::size_t i = 0; i < ifds.size(); ++i) {
    end += end % 2;
    ifd_at[i] = end;
    end += std::uint64_t(count_size) + ifds[i].size() * std::uint64_t(entry_size) +
           std::uint64_t(offset_size);
    value_at[i].assign(ifds[i].size(), 0);
    for (std::size_t k = 0; k < ifds[i].size(); ++k) {
      if (ifds[i][k].value.size() <= std::size_t(offset_size)) continue;
      end += end % 2;
      value_at[i][k] = end;
      end += ifds[i][k].value.size();
    }
  }
  if (end > room) return {};
  std::string out(std::size_t(end), '\0');
  out[0] = out[1] = 'I';
  put(out, 2, version, 2);
  if (big) {
    put(out, 4, 8, 2);  // bytes per offset
    put(out, 8, ifd_at[0], 8);
  } else {
    put(out, 4, ifd_at[0], 4);
  }
  for (std::size_t i = 0; i < ifds.size(); ++i) {
    const std::vector<Entry>& entries = ifds[i];
    put(out, ifd_at[i], entries.size(), count_size);
    for (std::size_t k = 0; k < entries.size(); ++k) {
      const Entry& e = entries[k];
      const std::uint64_t at =
          ifd_at[i] + std::uint64_t(count_size) + k * std::uint64_t(entry_size);
      put(out, at, e.tag, 2);
      put(out, at + 2, e.type, 2);
      put(out, at + 4, e.count, big ? 8 : 4);
      const std::uint64_t field = at + 4 + std::uint64_t(offset_size);
      if (value_at[i][k] == 0)
        std::copy(e.value.begin(), e.value.end(), out.begin() + std::ptrdiff_t(field));
      else {
        put(out, field, value_at[i][k], offset_size);
        std::copy(e.value.begin(), e.value.end(), out.begin() + std::ptrdiff_t(value_at[i][k]));
      }
    }
    // The next IFD's offset; the last one's stays 0.
    const std::uint64_t next =
        ifd_at[i] + std::uint64_t(count_size) + entries.size() * std::uint64_t(entry_size);
    if (i + 1 < ifds.size()) put(out, next, ifd_at[i + 1], offset_size);
  }
  return out;
}

namespace {

[[noreturn]] void write_failed(const std::string& path) {
  ErrorContext c;
  c.file = path;
  c.step = "writing";
  throw Error(ErrorKind::run_failed,
              std::string("could not be written (disk full?): ") + std::strerror(errno), c);
}

std::uint64_t round_up(std::uint64_t v, std::uint64_t to) { return (v + to - 1) / to * to; }

}  // namespace

DirectTiffFile::DirectTiffFile(std::string path, int width, int height, int bands, int block,
                               std::size_t header_reserve)
    : m_path(std::move(path)) {
  m_tiles_across = (width + block - 1) / block;
  const int tiles_down = (height + block - 1) / block;
  m_layout.tile_bytes = std::uint64_t(block) * std::uint64_t(block) * sizeof(float);
  m_layout.tiles_per_band = std::size_t(m_tiles_across) * std::size_t(tiles_down);
  m_layout.bands = bands;
  // Tiles on 4 KiB boundaries: whole pages for the kernel to write.
  m_layout.data_offset = round_up(header_reserve, 4096);
  // Classic TIFF offsets are 32-bit: the last tile must start and end below 4 GiB.
  m_big = m_layout.end() >= (std::uint64_t(1) << 32) - 4096;
  m_fd = ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (m_fd < 0) write_failed(m_path);
  // The file's final size at once: a tile never written reads as zeros, not past the end.
  if (::ftruncate(m_fd, off_t(m_layout.end())) != 0) write_failed(m_path);
}

DirectTiffFile::~DirectTiffFile() {
  if (m_fd >= 0) ::close(m_fd);
}

void DirectTiffFile::write_at(const void* data, std::size_t size, std::uint64_t offset) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::pwrite(m_fd, p, size, off_t(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) write_failed(m_path);
    p += n;
    size -= std::size_t(n);
    offset += std::uint64_t(n);
  }
}

void DirectTiffFile::write_tile(int band, int tile_col, int tile_row, const float* values) {
  const std::size_t tile =
      std::size_t(tile_row) * std::size_t(m_tiles_across) + std::size_t(tile_col);
  write_at(values, std::size_t(m_layout.tile_bytes), m_layout.offset(band, tile));
}

void DirectTiffFile::finish(const std::string& twin) {
  std::string header = relocated_tiff_header(twin, m_layout);
  if (header.empty()) {
    // The header outgrew its room (very long metadata): the tiles move further
    // in, once, into a new file that then replaces this one.
    TileLayout wider = m_layout;
    wider.data_offset = round_up(twin.size() + 4096, 4096);
    header = relocated_tiff_header(twin, wider);
    if (header.empty()) bad_twin("does not fit");
    const std::string moved = m_path + ".wider";
    const int out = ::open(moved.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (out < 0) write_failed(moved);
    loff_t from = loff_t(m_layout.data_offset), to = loff_t(wider.data_offset);
    std::uint64_t left = m_layout.end() - m_layout.data_offset;
    const int in = ::open(m_path.c_str(), O_RDONLY | O_CLOEXEC);
    while (in >= 0 && left > 0) {
      const ssize_t n = ::copy_file_range(in, &from, out, &to, std::size_t(left), 0);
      if (n <= 0) break;
      left -= std::uint64_t(n);
    }
    if (in >= 0) ::close(in);
    if (left > 0) {
      ::close(out);
      std::filesystem::remove(moved);
      write_failed(moved);
    }
    ::close(m_fd);
    m_fd = out;
    std::error_code ec;
    std::filesystem::rename(moved, m_path, ec);
    if (ec) write_failed(m_path);
    m_layout = wider;
  }
  write_at(header.data(), header.size(), 0);
  const int fd = m_fd;
  m_fd = -1;
  if (::close(fd) != 0) write_failed(m_path);
}

namespace {

// One thread's scratch for encode_float_tile: reused, so that no tile pays for
// allocating and zeroing a megabyte or for a new ZSTD context.
struct EncodeScratch {
  std::vector<std::uint32_t> bits;      // one row's samples
  std::vector<unsigned char> planes;    // one row's bytes, grouped by significance
  std::vector<unsigned char> shuffled;  // the whole tile, predicted
  std::vector<char> compressed;
  std::unique_ptr<ZSTD_CCtx, std::size_t (*)(ZSTD_CCtx*)> context{ZSTD_createCCtx(), ZSTD_freeCCtx};
};

}  // namespace

std::string encode_float_tile(const float* values, int block, int zstd_level) {
  // TIFF's floating-point predictor (Adobe Photoshop TIFF Technical Note 3, as
  // libtiff decodes it), row by row: the row's bytes regrouped by significance,
  // most significant bytes of every sample first, then each byte replaced by
  // its difference to the byte before it. Written as plain loops over whole
  // planes, which the compiler vectorises (a byte-by-byte scatter did not).
  thread_local EncodeScratch scratch;
  const std::size_t n = std::size_t(block);
  const std::size_t row_bytes = n * sizeof(float);
  scratch.bits.resize(n);
  scratch.planes.resize(row_bytes);
  scratch.shuffled.resize(row_bytes * n);
  for (std::size_t r = 0; r < n; ++r) {
    std::memcpy(scratch.bits.data(), values + r * n, row_bytes);
    const std::uint32_t* bits = scratch.bits.data();
    unsigned char* planes = scratch.planes.data();
    for (std::size_t b = 0; b < sizeof(float); ++b) {  // plane 0: the most significant bytes
      unsigned char* plane = planes + (sizeof(float) - 1 - b) * n;
      const unsigned shift = unsigned(8 * b);
      for (std::size_t i = 0; i < n; ++i) plane[i] = (unsigned char)(bits[i] >> shift);
    }
    unsigned char* out = scratch.shuffled.data() + r * row_bytes;
    out[0] = planes[0];
    for (std::size_t i = 1; i < row_bytes; ++i) out[i] = (unsigned char)(planes[i] - planes[i - 1]);
  }
  scratch.compressed.resize(ZSTD_compressBound(scratch.shuffled.size()));
  if (!scratch.context) throw std::bad_alloc();
  const std::size_t size =
      ZSTD_compressCCtx(scratch.context.get(), scratch.compressed.data(), scratch.compressed.size(),
                        scratch.shuffled.data(), scratch.shuffled.size(), zstd_level);
  if (ZSTD_isError(size))
    throw Error(ErrorKind::run_failed,
                std::string("ZSTD could not compress a tile: ") + ZSTD_getErrorName(size));
  return std::string(scratch.compressed.data(), size);
}

}  // namespace prospect
