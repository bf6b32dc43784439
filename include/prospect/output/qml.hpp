#pragma once
// QGIS style sidecars (.qml): QGIS applies `NAME.qml` beside `NAME.tif` when it
// loads the raster, so the map looks right on first load.

#include <string>

namespace prospect {

// A single-band pseudocolour style on `band` (1-based) with a perceptual ramp
// (viridis, colour-blind safe) stretched from `min` to `max`; nodata is transparent.
std::string score_raster_qml(int band, double min, double max);

}  // namespace prospect
