#pragma once
// A raster input seen through the analysis grid. Inputs already on the grid
// (same CRS, cell size and lattice) are read directly; anything else goes
// through GDAL's warper, one tile at a time straight into the caller's buffer,
// so only the source blocks a tile needs are ever read. Values come back as float with NaN for
// no data, band scale/offset applied.
//
// Not thread-safe (GDAL datasets are not): open one RasterSource per worker.

#include <string>
#include <vector>

#include "prospect/core/grid.hpp"
#include "prospect/core/grid_source.hpp"
#include "prospect/core/tiles.hpp"
#include "prospect/raster/gdal_handles.hpp"
#include "prospect/raster/uncompressed_tiff.hpp"
#include "prospect/spec/inputs.hpp"

namespace prospect {

class FileHasher;

// The most cells of a raster input a run will read to warp it onto the grid,
// when the raster is much finer than the grid (docs/reliability.md).
constexpr double k_max_warp_cells = 4e9;

// Resampling methods accepted in a model file, in GDAL's words.
const std::vector<std::string>& resampling_names();

class RasterSource : public GridSource {
 public:
  // Opens and checks the input (readable, band exists, CRS known, overlaps the
  // grid, not k_max_warp_cells to read); throws Error(bad_input) saying what is
  // wrong and what to do.
  RasterSource(const RasterInput& input, const AnalysisGrid& grid);

  // Fills out[window.cell_count()] row by row.
  void read(const Window& window, float* out) override;

  bool aligned() const { return m_aligned; }
  const RasterInput& input() const { return m_input; }
  // Whether the file's blocks are read by prospect itself (aligned, uncompressed
  // Float32 GeoTIFF), and can then be hashed as they are read.
  bool reads_file_directly() const { return m_direct != nullptr; }
  // Bytes read from the file by prospect itself go to `hasher` as well.
  void hash_reads(std::shared_ptr<FileHasher> hasher);

 private:
  void read_aligned(const Window& window, float* out);
  void read_warped(const Window& window, float* out);
  // The file's values as the model sees them: nodata (or the warper's sentinel)
  // and +-Inf to NaN, then scale and offset. `from` may be `to`.
  void to_values(const float* from, float* to, std::size_t count, bool sentinel_is_nodata) const;

  RasterInput m_input;
  AnalysisGrid m_grid;
  DatasetPtr m_source;
  struct TransformerDeleter {
    void operator()(void* t) const;
  };
  std::unique_ptr<void, TransformerDeleter> m_transformer;  // source <-> grid cells
  int m_resampling = 0;                                     // GDALResampleAlg
  GDALRasterBand* m_band = nullptr;
  bool m_aligned = false;
  int m_col_shift = 0, m_row_shift = 0;            // source col = grid col + shift
  std::unique_ptr<UncompressedTiffBand> m_direct;  // aligned, uncompressed GeoTIFF: read by us
  bool m_has_nodata = false;
  double m_nodata = 0;
  double m_scale = 1, m_offset = 0;
};

}  // namespace prospect
