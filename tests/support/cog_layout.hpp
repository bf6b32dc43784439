#pragma once
// The byte layout of a GeoTIFF on disk, where it matters for a Cloud Optimized
// GeoTIFF: its IFDs (the directories that say where every block is) first,
// then the blocks in order.

#include <string>

namespace prospect::test {

// True when the GeoTIFF at `path` (any GDAL file name, /vsimem/ too) has the
// layout GDAL's COG validator checks: the first IFD right after the header, the
// overviews' IFDs after it, every band's blocks in row order after the IFDs,
// and the smallest overview's data first.
bool has_cog_layout(const std::string& path);

// Expects (GoogleTest) the raster at `actual` to hold what the one at
// `expected` holds, as GDAL reads them: size, georeferencing, dataset and band
// metadata, band names, nodata, every cell, and the overviews with their cells.
void expect_same_raster(const std::string& expected, const std::string& actual);

}  // namespace prospect::test
