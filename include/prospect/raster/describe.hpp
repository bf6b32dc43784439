#pragma once
// What `prospect info FILE` tells about a raster or vector file: format, CRS,
// extent, size and bands (rasters), layers, geometry types, feature counts and
// fields (vectors), with statistics on request. A small gdalinfo/ogrinfo for
// geologists, as text or as JSON for scripts.

#include <optional>
#include <string>
#include <vector>

namespace prospect {

struct CrsDescription {
  std::string name;  // "WGS 84 / UTM zone 33S"
  std::string id;    // "EPSG:32733", "" when it has none
  std::string wkt;   // WKT2
};

// Exact, over every cell (--stats).
struct RasterBandStatistics {
  double min = 0, max = 0, mean = 0, stddev = 0;  // population standard deviation
  long long valid = 0, nodata = 0;                // cells; NaN counts as nodata
};

struct BandDescription {
  int index = 1;
  std::string type;  // GDAL data type, "Float32"
  std::string description;
  std::optional<double> nodata;
  std::optional<RasterBandStatistics> statistics;
};

// Field values read the way IDW reads samples (core/sample_value): numbers,
// "<x" below the detection limit (as x / 2), everything else not numeric.
struct FieldStatistics {
  long long values = 0;  // not null, not empty
  long long numeric = 0, below_detection = 0, not_numeric = 0;
  double min = 0, max = 0, mean = 0;  // of the numeric values (below detection as x / 2)
  std::vector<std::string> not_numeric_examples;  // the first few distinct ones
};

struct FieldDescription {
  std::string name, type;
  std::optional<FieldStatistics> statistics;
};

struct Extent4 {
  double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
};

struct LayerDescription {
  std::string name, geometry;
  long long features = 0;
  std::optional<CrsDescription> crs;
  // CSV: the columns a run takes as coordinates (empty: none found under the usual names).
  bool csv = false;
  std::vector<std::string> coordinate_columns;
  std::optional<Extent4> extent;
  std::vector<FieldDescription> fields;
};

struct FileDescription {
  std::string path, format, format_name;
  // Raster part (bands empty for a vector file).
  int width = 0, height = 0;
  std::optional<CrsDescription> crs;
  std::optional<double> cell_width, cell_height;
  std::optional<Extent4> extent;
  std::vector<BandDescription> bands;
  std::vector<LayerDescription> layers;
};

// Throws Error(bad_input) when the file does not exist or GDAL cannot read it.
// statistics: read every cell and every feature's attributes.
FileDescription describe_file(const std::string& path, bool statistics = false);

// For people: extents in full (users copy them into grid.extent).
std::string description_text(const FileDescription& file);
// For scripts: one JSON object (docs/cli.md gives its keys).
std::string description_json(const FileDescription& file);

}  // namespace prospect
