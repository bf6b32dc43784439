#pragma once
// Windows of an uncompressed little-endian Float32 GeoTIFF band read from the
// file with one pread per block, each block row then converted (nodata to NaN,
// scale and offset) into its place in the window by the caller's function.
// GDAL's RasterIO copies such blocks once more through a buffer of its own,
// and the caller then converted the window in a pass of its own (measured:
// 0.45 s of CPU for the copies of the 2 GB of an 8-input 8000 x 8000 run).
// Only blocks GDAL places in the file (its "TIFF" metadata: BLOCK_OFFSET_x_y,
// BLOCK_SIZE_x_y) are read this way; a window touching any other (sparse,
// short) is left to GDAL.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

class GDALDataset;
class GDALRasterBand;

namespace prospect {

class FileHasher;

class UncompressedTiffBand {
 public:
  // The band of `dataset` (opened from `path`) when it can be read this way:
  // a GeoTIFF on a local file, uncompressed, Float32 of 32 bits, one band or
  // band-interleaved, little-endian. Otherwise nullptr.
  static std::unique_ptr<UncompressedTiffBand> open(GDALDataset& dataset, GDALRasterBand& band,
                                                    const std::string& path);
  ~UncompressedTiffBand();
  UncompressedTiffBand(const UncompressedTiffBand&) = delete;
  UncompressedTiffBand& operator=(const UncompressedTiffBand&) = delete;

  // Copies n values of one row as the caller stores them (`from` may be `to`).
  using RowCopy = std::function<void(const float* from, float* to, std::size_t n)>;

  // Source cells [col0, col1) x [row0, row1) into `out`, row after row, `stride`
  // floats apart, each row through `copy`. False, with nothing read, when a
  // block of the window is not one this reader takes (the caller asks GDAL
  // instead). Throws when the file ends before a block does.
  bool read(int col0, int row0, int col1, int row1, float* out, std::size_t stride,
            const RowCopy& copy);

  // Every byte read from now on is also passed, as read, to `hasher` (the
  // file's hash for the manifest, so that the file is read once).
  void hash_reads(std::shared_ptr<FileHasher> hasher) { m_hasher = std::move(hasher); }

 private:
  UncompressedTiffBand(int fd, GDALRasterBand& band, std::string path);
  // The file offset of block (bx, by), or -1 when it is not in the file whole.
  std::int64_t block_offset(int bx, int by);
  // `bytes` at `offset` into `to`; throws (naming block bx, by) when the file ends first.
  void read_bytes(void* to, std::size_t bytes, std::int64_t offset, int bx, int by);

  int m_fd;
  GDALRasterBand& m_band;
  std::string m_path;
  int m_width = 0, m_height = 0, m_block_w = 0, m_block_h = 0, m_blocks_x = 0;
  std::vector<std::int64_t> m_offsets;   // per block, row by row: -2 not yet asked
  std::vector<float> m_rows;             // block rows as read, before their copy
  std::shared_ptr<FileHasher> m_hasher;  // null: no one wants the bytes hashed
};

}  // namespace prospect
