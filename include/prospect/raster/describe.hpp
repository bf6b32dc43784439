#pragma once
// What `prospect info FILE` prints about a raster or vector file: format, CRS,
// extent, size and bands (rasters), layers, geometry types, feature counts and
// fields (vectors). A small gdalinfo/ogrinfo for geologists.

#include <string>

namespace prospect {

// Throws Error(bad_input) when the file does not exist or GDAL cannot read it.
std::string describe_file(const std::string& path);

}  // namespace prospect
