#pragma once
// Uncompressed Float32 tiles written straight into their final GeoTIFF, in the
// layout of a Cloud Optimized GeoTIFF without overviews: the header and its one
// IFD first, then every band's tiles in row order at offsets fixed in advance.
// No copy of the data is made. GDAL decides every tag: once the values and
// statistics are known it writes a sparse "twin" of the same raster (all tags,
// no tile data), and that twin's IFD is moved to the front of this file with
// the tile offsets and sizes filled in. Only the TIFF format is relied on
// (TIFF 6.0 and BigTIFF), not libtiff or GDAL internals. The header and the
// ZSTD tile encoder also serve raster/zstd_cog, which lays out compressed COGs
// with overviews.

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
  DirectTiffFile(std::string path, int width, int height, int bands, int block,
                 std::size_t header_reserve);
  ~DirectTiffFile();
  DirectTiffFile(const DirectTiffFile&) = delete;
  DirectTiffFile& operator=(const DirectTiffFile&) = delete;

  // True when the file needs BigTIFF (4 GiB or more); its twin must be one too.
  bool big_tiff() const { return m_big; }
  // One whole tile (block × block values, the grid's edges padded).
  void write_tile(int band, int tile_col, int tile_row, const float* values);
  // Writes the header from the twin's bytes and closes the file. When the
  // header outgrows the reserved room, the tiles are moved further in first.
  void finish(const std::string& twin);

 private:
  void write_at(const void* data, std::size_t size, std::uint64_t offset);
  std::string m_path;
  int m_fd = -1;
  int m_tiles_across = 0;
  bool m_big = false;
  TileLayout m_layout;
};

}  // namespace prospect
