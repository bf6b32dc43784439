#include "prospect/raster/direct_tiff.hpp"

#include <fcntl.h>
#include <linux/falloc.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
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

// Classic TIFF offsets are 32-bit: every tile must end below this.
constexpr std::uint64_t k_classic_limit = (std::uint64_t(1) << 32) - 4096;

std::uint64_t round_up(std::uint64_t v, std::uint64_t to) { return (v + to - 1) / to * to; }

}  // namespace

DirectTiffFile::DirectTiffFile(std::string path, int width, int height, int bands, int block,
                               std::size_t header_reserve, bool encoded)
    : m_path(std::move(path)),
      m_encoded(encoded),
      m_width(width),
      m_height(height),
      m_bands(bands),
      m_block(block) {
  m_tiles_across = (width + block - 1) / block;
  const int tiles_down = (height + block - 1) / block;
  m_layout.tile_bytes = std::uint64_t(block) * std::uint64_t(block) * sizeof(float);
  m_layout.tiles_per_band = std::size_t(m_tiles_across) * std::size_t(tiles_down);
  m_layout.bands = bands;
  // Tiles on 4 KiB boundaries: whole pages for the kernel to write.
  m_layout.data_offset = round_up(header_reserve, 4096);
  const std::size_t tile_count = m_layout.tiles_per_band * std::size_t(bands);
  m_offsets.resize(tile_count);
  m_byte_counts.assign(tile_count, m_encoded ? 0 : m_layout.tile_bytes);
  for (std::size_t t = 0; t < tile_count && !m_encoded; ++t) m_offsets[t] = m_layout.offset(0, t);
  m_end = m_encoded ? m_layout.data_offset : m_layout.end();
  m_fd = ::open(m_path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (m_fd < 0) write_failed(m_path);
  // The file's final size at once: a tile never written reads as zeros, not past the end.
  if (!m_encoded && ::ftruncate(m_fd, off_t(m_end)) != 0) write_failed(m_path);
}

DirectTiffFile::~DirectTiffFile() {
  if (m_fd >= 0) ::close(m_fd);
  if (m_side_fd >= 0) {
    ::close(m_side_fd);
    ::unlink((m_path + ".ovr").c_str());
  }
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

bool DirectTiffFile::big_tiff() const {
  // Everything written so far, and room for the header to grow to twice its
  // reserve. Classic TIFF offsets are 32-bit: every tile must end below 4 GiB.
  return m_end + m_side_end + m_layout.data_offset + 4096 >= k_classic_limit;
}

std::size_t DirectTiffFile::tile_index(int band, int tile_col, int tile_row) const {
  return std::size_t(band) * m_layout.tiles_per_band +
         std::size_t(tile_row) * std::size_t(m_tiles_across) + std::size_t(tile_col);
}

void DirectTiffFile::write_tile(int band, int tile_col, int tile_row, const float* values) {
  if (m_encoded) throw std::logic_error("write_tile on a file of encoded tiles");
  write_at(values, std::size_t(m_layout.tile_bytes),
           m_offsets[tile_index(band, tile_col, tile_row)]);
}

void DirectTiffFile::append_tile(int band, int tile_col, int tile_row, const std::string& bytes) {
  if (!m_encoded) throw std::logic_error("append_tile on a file of raw tiles");
  const std::size_t t = tile_index(band, tile_col, tile_row);
  write_at(bytes.data(), bytes.size(), m_end);
  m_offsets[t] = m_end;
  m_byte_counts[t] = bytes.size();
  m_end += bytes.size();
}

void DirectTiffFile::add_overviews(int levels) {
  if (!m_levels.empty() || levels < 0) throw std::logic_error("overviews added twice");
  for (int k = 1; k <= levels; ++k) {
    const long factor = 1L << k;
    const long width = (m_width + factor - 1) / factor, height = (m_height + factor - 1) / factor;
    Level& level = m_levels.emplace_back();
    level.tiles_across = int((width + m_block - 1) / m_block);
    level.tiles_per_band =
        std::size_t(level.tiles_across) * std::size_t((height + m_block - 1) / m_block);
    level.side_offsets.assign(level.tiles_per_band * std::size_t(m_bands), 0);
    level.byte_counts.assign(level.tiles_per_band * std::size_t(m_bands), 0);
  }
}

void DirectTiffFile::append_overview_tile(int level, int band, int tile_col, int tile_row,
                                          const std::string& bytes) {
  if (level < 1 || level > int(m_levels.size()) || band < 0 || band >= m_bands)
    throw std::logic_error("an overview tile outside the overviews added");
  Level& l = m_levels[std::size_t(level - 1)];
  const std::size_t t = std::size_t(band) * l.tiles_per_band +
                        std::size_t(tile_row) * std::size_t(l.tiles_across) + std::size_t(tile_col);
  if (t >= l.byte_counts.size()) throw std::logic_error("an overview tile outside its level");
  const std::string side = m_path + ".ovr";
  if (m_side_fd < 0) {
    m_side_fd = ::open(side.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (m_side_fd < 0) write_failed(side);
  }
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t n =
        ::pwrite(m_side_fd, bytes.data() + done, bytes.size() - done, off_t(m_side_end + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) write_failed(side);
    done += std::size_t(n);
  }
  l.side_offsets[t] = m_side_end;
  l.byte_counts[t] = bytes.size();
  m_side_end += bytes.size();
}

// Moves the image's tiles `shift` bytes further into the file (a multiple of
// 4096): a range inserted in place by the filesystem, else a copy into a new
// file that replaces this one.
void DirectTiffFile::move_image_tiles(std::uint64_t shift) {
  const std::uint64_t from = m_layout.data_offset;
  if (::fallocate(m_fd, FALLOC_FL_INSERT_RANGE, off_t(from), off_t(shift)) == 0) {
    m_end += shift;
    return;
  }
  const std::string moved = m_path + ".wider";
  const int out = ::open(moved.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (out < 0) write_failed(moved);
  loff_t in_at = loff_t(from), out_at = loff_t(from + shift);
  std::uint64_t left = m_end - from;
  while (left > 0) {
    const ssize_t n = ::copy_file_range(m_fd, &in_at, out, &out_at, std::size_t(left), 0);
    if (n <= 0) break;
    left -= std::uint64_t(n);
  }
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
  m_end += shift;
}

void DirectTiffFile::finish(const std::string& twin) {
  // Where every tile will lie with `room` bytes of header: the overviews'
  // tiles from `room`, smallest level first, then the image's (on a 4 KiB
  // boundary, moved `shift` bytes from where they are).
  std::vector<ImageTiles> images(1 + m_levels.size());
  std::uint64_t shift = 0;
  auto header_with_room = [&](std::uint64_t room) {
    std::uint64_t at = room;
    for (std::size_t k = m_levels.size(); k-- > 0;) {
      const Level& l = m_levels[k];
      ImageTiles& tiles = images[k + 1];
      tiles.byte_counts = l.byte_counts;
      tiles.offsets.assign(l.byte_counts.size(), 0);
      for (std::size_t t = 0; t < l.byte_counts.size(); ++t)
        if (l.byte_counts[t] > 0) {
          tiles.offsets[t] = at;
          at += l.byte_counts[t];
        }
    }
    shift = (m_levels.empty() ? room : round_up(at, 4096)) - m_layout.data_offset;
    images[0].byte_counts = m_byte_counts;
    images[0].offsets = m_offsets;
    for (std::size_t t = 0; t < m_offsets.size(); ++t)
      if (m_byte_counts[t] > 0) images[0].offsets[t] += shift;
    return relocated_tiff_header(twin, room, images);
  };
  std::string header = header_with_room(m_layout.data_offset);
  // The header outgrew its room (very long metadata): more room, once.
  if (header.empty()) header = header_with_room(round_up(twin.size() + 4096, 4096));
  if (header.empty()) bad_twin("does not fit");

  if (shift > 0) move_image_tiles(shift);
  // The overviews' tiles from the side file into their places.
  const std::string side = m_path + ".ovr";
  for (std::size_t k = 0; k < m_levels.size(); ++k)
    for (std::size_t t = 0; t < m_levels[k].byte_counts.size(); ++t) {
      loff_t in_at = loff_t(m_levels[k].side_offsets[t]);
      loff_t out_at = loff_t(images[k + 1].offsets[t]);
      std::uint64_t left = m_levels[k].byte_counts[t];
      while (left > 0) {
        const ssize_t n = ::copy_file_range(m_side_fd, &in_at, m_fd, &out_at, std::size_t(left), 0);
        if (n <= 0) write_failed(m_path);
        left -= std::uint64_t(n);
      }
    }
  if (m_side_fd >= 0) {
    ::close(m_side_fd);
    m_side_fd = -1;
    ::unlink(side.c_str());
  }
  write_at(header.data(), header.size(), 0);
  const int fd = m_fd;
  m_fd = -1;
  if (::close(fd) != 0) write_failed(m_path);
}

std::string encode_float_tile(const float* values, int block, int zstd_level) {
  // TIFF's floating-point predictor (Adobe Photoshop TIFF Technical Note 3, as
  // libtiff decodes it), row by row: the row's bytes regrouped by significance,
  // most significant bytes of every sample first, then each byte replaced by
  // its difference to the byte before it.
  const std::size_t row_bytes = std::size_t(block) * sizeof(float);
  std::string shuffled(row_bytes * std::size_t(block), '\0');
  for (int r = 0; r < block; ++r) {
    const auto* in =
        reinterpret_cast<const unsigned char*>(values + std::size_t(r) * std::size_t(block));
    auto* out = reinterpret_cast<unsigned char*>(shuffled.data() + std::size_t(r) * row_bytes);
    for (std::size_t i = 0; i < std::size_t(block); ++i)
      for (std::size_t b = 0; b < sizeof(float);
           ++b)  // little-endian: byte 3 is the most significant
        out[(sizeof(float) - 1 - b) * std::size_t(block) + i] = in[i * sizeof(float) + b];
    for (std::size_t i = row_bytes - 1; i > 0; --i) out[i] = (unsigned char)(out[i] - out[i - 1]);
  }
  std::string compressed(ZSTD_compressBound(shuffled.size()), '\0');
  const std::size_t n = ZSTD_compress(compressed.data(), compressed.size(), shuffled.data(),
                                      shuffled.size(), zstd_level);
  if (ZSTD_isError(n))
    throw Error(ErrorKind::run_failed,
                std::string("ZSTD could not compress a tile: ") + ZSTD_getErrorName(n));
  compressed.resize(n);
  return compressed;
}

}  // namespace prospect
