#pragma once
// Float32 tiles written straight into their final GeoTIFF, in the layout of a
// Cloud Optimized GeoTIFF: the header and its IFDs first, then the overviews'
// tiles (smallest first), then every band's tiles in row order. The image's
// tiles are not copied: uncompressed at offsets fixed in advance, or compressed
// (ZSTD) one after the other as they come. GDAL decides every tag: once the values and
// statistics are known it writes a sparse "twin" of the same raster (all tags,
// no tile data), and that twin's IFD is moved to the front of this file with
// the tile offsets and sizes filled in. Only the TIFF format is relied on
// (TIFF 6.0 and BigTIFF), not libtiff or GDAL internals.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace prospect {

// Where the tiles lie in a file of `bands` bands of tiles_per_band tiles each,
// all tile_bytes long: band after band, row by row, from data_offset.
struct TileLayout {
  std::uint64_t data_offset = 0;
  std::uint64_t tile_bytes = 0;
  std::size_t tiles_per_band = 0;
  int bands = 1;
  std::uint64_t offset(int band, std::size_t tile) const {
    return data_offset + (std::uint64_t(band) * tiles_per_band + tile) * tile_bytes;
  }
  std::uint64_t end() const { return offset(bands, 0); }
};

// The header of a file laid out as `layout`: the bytes of TIFF `twin` (little-
// endian, classic or BigTIFF, one uncompressed tiled image of the same size,
// bands and tile size) with its IFD moved right after the file header, the
// IFD's values after it, and the tile offsets and byte counts set. The result
// is at most layout.data_offset long, else nothing is returned (empty string).
// Throws when the twin is not such a TIFF.
std::string relocated_tiff_header(const std::string& twin, const TileLayout& layout);
// The same for a twin of one image and its overviews (its IFDs chained in
// that order), their tiles anywhere: per IFD, the offsets and byte counts in
// TIFF order (band after band, row by row); `room` bytes before the first tile.
// A tile not written has offset and byte count 0 (read as nodata).
struct ImageTiles {
  std::vector<std::uint64_t> offsets, byte_counts;
};
std::string relocated_tiff_header(const std::string& twin, std::uint64_t room,
                                  const std::vector<ImageTiles>& images);

// One block × block tile of Float32 values as a TIFF tile compressed with ZSTD
// after the floating-point predictor (TIFF tags Compression 50000, Predictor 3).
std::string encode_float_tile(const float* values, int block, int zstd_level);

// A file being filled tile by tile; the header comes last.
class DirectTiffFile {
 public:
  // Creates (truncates) `path` with room for `header_reserve` bytes of header.
  // Raw tiles (write_tile) lie at offsets fixed in advance; encoded ones
  // (append_tile) follow each other in the order they come.
  DirectTiffFile(std::string path, int width, int height, int bands, int block,
                 std::size_t header_reserve, bool encoded = false);
  ~DirectTiffFile();
  DirectTiffFile(const DirectTiffFile&) = delete;
  DirectTiffFile& operator=(const DirectTiffFile&) = delete;

  // True when the file needs BigTIFF (4 GiB or more); its twin must be one too.
  // Final once every tile is written.
  bool big_tiff() const;
  // One whole tile (block × block values, the grid's edges padded).
  void write_tile(int band, int tile_col, int tile_row, const float* values);
  // One encoded tile (encode_float_tile), after the last one written.
  void append_tile(int band, int tile_col, int tile_row, const std::string& bytes);
  // Overviews: `levels` of them, halving the size each time (as GDAL sizes
  // them: level k is ceil(width / 2^k) wide). Their tiles (raw or encoded, as
  // the image's) come in any order and wait in a side file `path`.ovr until
  // finish() copies them in front of the image's tiles, smallest level first.
  void add_overviews(int levels);
  void append_overview_tile(int level, int band, int tile_col, int tile_row,
                            const std::string& bytes);
  // Writes the header from the twin's bytes (its IFDs: the image, then each
  // overview) and closes the file. The image's tiles move further in when the
  // overviews or a header longer than the room kept need the space: the
  // filesystem inserts it in place where it can (ext4, XFS), else the tiles
  // are copied once into a new file that replaces this one.
  void finish(const std::string& twin);

 private:
  struct Level {  // one overview level's tiles in the side file, TIFF order
    int tiles_across = 0;
    std::size_t tiles_per_band = 0;
    std::vector<std::uint64_t> side_offsets, byte_counts;
  };
  void write_at(const void* data, std::size_t size, std::uint64_t offset);
  std::size_t tile_index(int band, int tile_col, int tile_row) const;
  void move_image_tiles(std::uint64_t shift);
  std::string m_path;
  bool m_encoded = false;
  int m_fd = -1;
  int m_width = 0, m_height = 0, m_bands = 0, m_block = 0;
  int m_tiles_across = 0;
  TileLayout m_layout;
  std::vector<std::uint64_t> m_offsets, m_byte_counts;  // per tile, TIFF order
  std::uint64_t m_end = 0;                              // the file's end so far
  std::vector<Level> m_levels;
  int m_side_fd = -1;
  std::uint64_t m_side_end = 0;
};

}  // namespace prospect
