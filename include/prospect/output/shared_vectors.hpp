#pragma once
// The vector layers project.qgs shows -- training and validation deposits, the
// study area, the inputs built from vectors -- copied into one GeoPackage in
// the output folder (layers.gpkg), so the folder opens whole wherever it is
// moved or sent: the features that reach the grid's extent, the model's
// attribute filter applied, in the grid CRS, every attribute as it is.
// CSV points become point layers (QGIS could not open the CSV as the model reads it).

#include <string>
#include <vector>

#include "prospect/core/grid.hpp"
#include "prospect/spec/model.hpp"

namespace prospect {

// The GeoPackage's name in the output folder.
inline constexpr const char* k_shared_vectors_file = "layers.gpkg";

struct SharedVector {
  std::string id;        // the project layer id (longer than 10 characters)
  std::string name;      // shown in QGIS's layer panel
  std::string layer;     // its layer in layers.gpkg
  std::string geometry;  // Point, Line or Polygon
  long long features = 0;
  // How the project draws it.
  std::string rgb;
  bool visible = true;
  bool dashed = false;
  std::string group;  // "" top level
};

// Writes `gpkg_path` with every shown vector, top to bottom as the project
// lists them; none: no file. A layer that cannot be copied is left out with a
// warning (the run's own outputs do not depend on it). Same inputs, same bytes.
std::vector<SharedVector> copy_shared_vectors(const ModelSpec& model, const AnalysisGrid& grid,
                                              const std::string& gpkg_path);

}  // namespace prospect
