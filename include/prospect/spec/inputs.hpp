#pragma once
// What a model file says about its inputs, as plain data: no behaviour and no
// GDAL, so the parsed model compiles anywhere (config/ parses it, evidence/,
// raster/ and vector/ act on it).

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace prospect {

// A raster input.
struct RasterInput {
  std::string name;                    // the model's name for it
  std::string path;                    // resolved path
  int band = 1;                        // 1-based
  std::string resampling = "nearest";  // see resampling_names()
  std::string crs;                     // override when the file has none (or a wrong one)
};

// A vector layer: the features of an input built from vectors, deposits, a study area.
struct VectorInput {
  std::string name;   // the model's name for it
  std::string path;   // resolved path
  std::string layer;  // empty: the only (or first) layer
  std::string where;  // OGR SQL attribute filter, e.g. "type = 'fault'"
  std::string crs;    // override when the file has none (or a wrong one)
  // CSV points: the coordinate columns (x and y), or a column of WKT
  // geometries; empty: GDAL looks for x/lon/easting and y/lat/northing.
  std::string x_column, y_column, wkt_column;
};

// Distance to the nearest feature (evidence/distance).
struct DistanceSpec {
  double max = 0;              // > 0: distances are capped at this value
  bool signed_inside = false;  // inside polygons: negative distance to the boundary
  std::optional<std::pair<double, double>>
      strike;  // keep segments striking in [from, to] degrees (0-180)
};

// The most neighbours an IDW cell may average: more adds nothing an exploration
// map can show (weights fall as distance^-power) and costs time per cell.
constexpr int k_max_idw_points = 1000;
// `max_points: all`: every sample, for surveys with few (at most k_max_idw_points).
constexpr int k_all_idw_points = 0;

// A sample's score on a principal component of its clr-transformed parts
// (geochem/pca), as the value to interpolate.
struct PcaSpec {
  std::vector<std::string> parts;  // the columns (ppm of one unit)
  bool rare_earths = false;        // instead: every rare-earth column, found by element
  int component = 0;               // 1-based; 0: not a PCA value
};

// Inverse-distance weighting of point samples (evidence/idw).
struct IdwSpec {
  std::string field;  // attribute holding the value, or an expression of
                      // attributes (FieldExpression): "Dy_ppm / Y_ppm"
  std::string index;  // or a rare-earth index by name (geochem/indices): "(Dy/Yb)N"
  PcaSpec pca;        // or a principal component of clr-transformed parts
  double power = 2.0;
  double radius = 0;    // 0: no limit
  int max_points = 12;  // k_all_idw_points: every sample (when there are at most k_max_idw_points)
  int min_points = 1;
  bool log = false;
};

// Ordinary kriging of point samples (evidence/kriging).
struct KrigingSpec {
  std::string field;                // as IdwSpec: an attribute or expression
  std::string index;                // or a rare-earth index by name
  PcaSpec pca;                      // or a principal component of clr-transformed parts
  bool log = false;                 // krige ln(value); the estimate is exp of the kriged log
  std::string model = "spherical";  // spherical, exponential or gaussian
  // The variogram (gstat's vgm(partial_sill, model, range, nugget)); range 0:
  // fitted to the samples' experimental variogram.
  double nugget = 0, partial_sill = 0, range = 0;
  double cutoff = 0, lag_width = 0;  // of the experimental variogram (0: gstat's defaults)
  int max_points = 16;               // k_all_idw_points: every sample (global kriging)
  int min_points = 1;
  double radius = 0;      // 0: no limit
  bool variance = false;  // the kriging variance instead of the estimate
};

// Classes or presence burnt into the grid (evidence/rasterize).
struct RasterizeSpec {
  std::string field;                   // class attribute; empty: presence (1)
  std::map<std::string, int> classes;  // class name -> code; empty: taken from the data
  std::string classes_source;          // where a table not written in the model file came from
  bool all_touched = false;
  double background = 0;  // NaN: cells without a feature are missing
};

// Point or line density within a radius (evidence/density).
struct DensitySpec {
  double radius = 0;  // kernel radius in grid units, > 0
};

enum class InputKind { raster, distance, idw, rasterize, density, krige };

struct InputSpec {
  std::string name;
  InputKind kind = InputKind::raster;
  RasterInput raster;  // kind raster
  VectorInput vector;  // every other kind: the features or samples
  DistanceSpec distance;
  IdwSpec idw;
  KrigingSpec krige;
  RasterizeSpec rasterize;
  DensitySpec density;
  const std::string& path() const { return kind == InputKind::raster ? raster.path : vector.path; }
  // Built here from vectors (worth exporting as evidence/NAME.tif), not read from a raster.
  bool derived() const { return kind != InputKind::raster; }
};

}  // namespace prospect
