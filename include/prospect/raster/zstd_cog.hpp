#pragma once
// The staged scores copied into a ZSTD Cloud Optimized GeoTIFF by prospect
// itself instead of GDAL's COG driver: each tile read once, compressed on
// `threads` threads (TIFF floating-point predictor, then ZSTD level 1, as the
// COG driver is asked for), and written in COG order (the smallest overview
// first, the full resolution last); the header is that of a sparse twin GDAL
// writes with the staged file's tags (raster/direct_tiff). Without GDAL's block
// cache and its copy of every block, the copy takes about half the time
// (BENCHMARKS.md), on the thread that runs beside the target outlining.

#include <string>

namespace prospect {

// True when `staged` can be copied by write_zstd_cog: Float32 bands of
// 512-cell tiles, the overviews (if any) too.
bool zstd_cog_can_copy(const std::string& staged);

// Writes `staged` as a ZSTD COG into `tmp`, then renames it to `final_path`
// (tmp is removed on failure). Bands, band names, nodata, georeferencing,
// metadata, statistics and internal overviews are carried over; the bands are
// stored band after band (INTERLEAVE=BAND). Same bytes for any thread count.
void write_zstd_cog(const std::string& staged, const std::string& tmp,
                    const std::string& final_path, int threads);

}  // namespace prospect
