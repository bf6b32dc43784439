#pragma once
// Float32 result rasters on the analysis grid: written tile by tile into a
// plain tiled GeoTIFF in a staging folder, then turned into a Cloud Optimized
// GeoTIFF (compressed, with overviews) under a temporary name and renamed into
// place, so a reader never sees a half-written file under the final name.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "prospect/core/grid.hpp"
#include "prospect/core/grid_source.hpp"
#include "prospect/core/interrupt.hpp"
#include "prospect/core/tiles.hpp"
#include "prospect/raster/direct_tiff.hpp"
#include "prospect/raster/gdal_handles.hpp"

namespace prospect {

// The value written where a cell has no score (outside the study area or
// missing evidence). Scores live in [0, 1], so it cannot be mistaken for one.
constexpr float k_output_nodata = -9999.0f;

struct BandStatistics {
  double min = 0, max = 0, mean = 0, stddev = 0;
  long long valid_count = 0;
};

// Sums per band; merged in tile order so the totals never depend on threads.
class StatisticsAccumulator {
 public:
  void add(const float* values, std::size_t count);  // NaN is skipped
  void merge(const StatisticsAccumulator& other);
  BandStatistics result() const;

 private:
  long long m_count = 0;
  double m_sum = 0, m_sum_sq = 0;
  double m_min = 0, m_max = 0;
};

class StagedRaster {
 public:
  // `compress` (ZSTD, DEFLATE, LZW; empty or NONE: none) makes the file final as
  // written: a tiled, compressed GeoTIFF (with internal overviews when created),
  // though not in COG layout.
  StagedRaster(const std::string& path, const AnalysisGrid& grid,
               const std::vector<std::string>& band_names, GDALDataType type = GDT_Float32,
               int block_size = 512, const std::string& compress = "");
  // A Float32 raster of 512-cell tiles, uncompressed, without overviews, written
  // straight as its final Cloud Optimized GeoTIFF (DirectTiffFile): whole tiles
  // only, and nothing is readable until finish_writing().
  static StagedRaster final_cog(const std::string& path, const AnalysisGrid& grid,
                                const std::vector<std::string>& band_names);
  StagedRaster(StagedRaster&&) = default;
  ~StagedRaster();

  // Writes one band's tile; NaN becomes the nodata value (float bands).
  void write(int band, const Window& window, float* values);
  // The same for values where NaN was already replaced by k_output_nodata.
  void write_prepared(int band, const Window& window, const float* values);
  void write_bytes(int band, const Window& window, const unsigned char* values);
  void read(int band, const Window& window, float* values);
  // A reader of one band for one worker of a tile pass (flush first): its own
  // handle on the file, with GDAL's direct I/O where the file is uncompressed;
  // nodata comes back as NaN.
  std::unique_ptr<GridSource> band_reader(int band) const;
  void read_raw(int band, const Window& window, void* values, GDALDataType type);

  // Creates `levels` empty internal overviews (factors 2, 4, 8, ...) to be
  // filled with write_overview; the COG then uses them as they are.
  void create_overviews(int levels);
  // One band's values at overview `level` (1-based); NaN becomes nodata.
  void write_overview(int level, int band, const Window& window, float* values);

  void set_statistics(int band, const BandStatistics& stats);
  void set_metadata(const std::map<std::string, std::string>& items);
  // Everything written and set is in the file, which can be read from here on
  // (a final COG gets its header now).
  void finish_writing();
  // True for final_cog(): the file is prospectivity.tif as it will be published.
  bool is_final_cog() const { return m_final_cog; }
  // Closes the file (everything written) and opens it again read-only, so
  // that other handles on it, on other threads, read what is final.
  void reopen_read_only();
  GDALDataset* dataset() { return m_ds.get(); }
  const std::string& path() const { return m_path; }
  void close() { m_ds.reset(); }

 private:
  struct FinalCogTag {};
  StagedRaster(FinalCogTag, std::string path, const AnalysisGrid& grid,
               std::vector<std::string> band_names);
  std::string m_path;
  DatasetPtr m_ds;
  std::vector<float> m_edge_block;
  // A final COG's pending writes: the file, and what its header will say.
  bool m_final_cog = false;
  std::unique_ptr<DirectTiffFile> m_direct;
  AnalysisGrid m_grid;
  std::vector<std::string> m_band_names;
  std::map<int, BandStatistics> m_stats;
  std::map<std::string, std::string> m_metadata;
};

// The block size of every COG prospect writes.
constexpr int k_cog_block_size = 512;

struct CogOptions {
  std::string compress = "ZSTD";  // ZSTD, DEFLATE, LZW or NONE
  int threads = 1;
  bool overviews = true;
  bool overviews_prebuilt = false;  // the staged raster already holds them
  ShareDone on_progress;            // the share written, as GDAL reports it (may be empty)
};

// Writes `staged` as a COG to temp_path, then renames it to final_path (same file
// system), so final_path is either absent, the previous file, or complete.
void write_cog(GDALDataset* staged, const std::string& temp_path, const std::string& final_path,
               const CogOptions& options);

}  // namespace prospect
