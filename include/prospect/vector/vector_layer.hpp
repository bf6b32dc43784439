#pragma once
// Vector inputs: any format OGR reads (GeoPackage, GeoJSON, Shapefile, CSV
// with coordinate columns), one layer, an optional attribute filter, brought
// into the grid CRS. Invalid polygons are repaired (GEOS make-valid) and counted.

#include <string>
#include <vector>

#include "prospect/core/grid.hpp"
#include "prospect/raster/gdal_handles.hpp"
#include "prospect/spec/inputs.hpp"

namespace prospect {

struct FeatureSet {
  std::string layer_name;
  std::vector<GeometryPtr> geometries;  // in the target CRS; empty geometries dropped
  std::vector<OGREnvelope> envelopes;   // one per geometry
  Extent extent;                        // of all geometries
  long long dropped_empty = 0;          // features without geometry
  long long repaired = 0;               // invalid geometries made valid
  // Attribute values of the fields asked for, as text ("" when null):
  // values[i][k] is feature i (same order as geometries), field k.
  std::vector<std::vector<std::string>> values;
  std::vector<long long> fids;  // feature ids, for messages
};

// Reads the layer into `target_crs_wkt`, with the values of `fields`. Throws
// Error(bad_input) for a missing file, layer or field (listing the fields that
// exist), a bad filter, no CRS, GeoJSON coordinates that cannot be lon/lat, or
// a transformation failure. `check_validity` false skips the polygons'
// validity check and repair, for files prospect wrote itself (GEOS's check
// costs about 10 µs a polygon: a second for a noisy map's 100,000 targets).
FeatureSet read_vector(const VectorInput& input, const std::string& target_crs_wkt,
                       const std::vector<std::string>& fields = {}, bool check_validity = true);

// Two attribute filters that must both hold, as one OGR SQL filter ("" = none).
std::string both_filters(const std::string& a, const std::string& b);

// The layer's field names, for messages.
std::vector<std::string> field_names(OGRLayer& layer);

// The field names of the input's layer (opening the file; errors as read_vector).
std::vector<std::string> field_names(const VectorInput& input);

}  // namespace prospect
