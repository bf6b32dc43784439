#pragma once
// The names a raster gives its class codes: GDAL category names (code = index,
// as GeoTIFF, ERDAS and ENVI files carry them) or a raster attribute table with
// a name column and a value column (as ArcGIS and QGIS write them). Empty when
// the raster names nothing.

#include <map>
#include <string>

namespace prospect {

// Band `band` (1-based) of `path`; throws Error(bad_input) when it cannot be opened.
std::map<double, std::string> raster_class_names(const std::string& path, int band);

}  // namespace prospect
