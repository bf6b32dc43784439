#pragma once
// project.qgs: a QGIS project that opens a run's outputs styled, with the
// study area and the key input vectors, in a sensible order. Written as text
// (no QGIS needed); the rules QGIS 3.22 holds a hand-written project to:
//  - layer ids longer than 10 characters (shorter ones are replaced on load,
//    and the layer drops out of the layer tree);
//  - every layer's CRS given as WKT (QGIS takes it from the project, not the
//    data; an authid alone is not enough), and ProjectionsEnabled set so the
//    project CRS is read at all;
//  - styles embedded (.qml sidecars are not read when a project opens);
//  - paths relative to the project file.

#include <string>
#include <vector>

namespace prospect {

struct ProjectLayer {
  bool raster = false;
  std::string id;      // unique, > 10 characters
  std::string name;    // shown in the layer panel
  std::string source;  // relative to the project file, e.g. ./prospectivity.tif
  std::string crs_wkt;
  std::string geometry;  // vectors: Point, Line or Polygon
  std::string style;     // the .qml the layer is drawn with
  bool visible = true;
  std::string group;  // "" top level; consecutive layers of one group share it
};

// Layers top to bottom (drawn bottom first).
std::string qgis_project(const std::string& title, const std::string& crs_wkt,
                         const std::vector<ProjectLayer>& layers);

}  // namespace prospect
