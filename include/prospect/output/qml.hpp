#pragma once
// QGIS style sidecars (.qml): QGIS applies `NAME.qml` beside `NAME.tif` when it
// loads the raster, so the map looks right on first load.

#include <string>
#include <vector>

namespace prospect {

// A single-band pseudocolour style on `band` (1-based) with a perceptual ramp
// (viridis, colour-blind safe) stretched from `min` to `max`; nodata is transparent.
std::string score_raster_qml(int band, double min, double max);

struct QmlClass {
  int code = 0;
  std::string name;
};

// A paletted style: one colour and name per class code (Okabe-Ito colours, safe
// for colour-blind readers, repeated after eight classes); nodata is transparent.
std::string category_raster_qml(int band, const std::vector<QmlClass>& classes);

// Target polygons: a translucent orange fill with a dark outline, labelled
// with their rank (field "rank").
std::string target_polygons_qml();

}  // namespace prospect
