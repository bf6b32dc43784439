#pragma once
// QGIS style sidecars (.qml): QGIS applies `NAME.qml` beside `NAME.tif` when it
// loads the raster, so the map looks right on first load.

#include <string>
#include <vector>

#include "prospect/output/score_classes.hpp"

namespace prospect {

// A single-band pseudocolour style on `band` (1-based) with a perceptual ramp
// (viridis, colour-blind safe) stretched from `min` to `max`; nodata is transparent.
std::string score_raster_qml(int band, double min, double max);

// A classified score style: one viridis class between consecutive breaks
// ("top 10–5 % (0.41–0.73)"), so the map reads as shares of the study area,
// the way deposits are captured; classes and labels as score_classes has
// them. Without breaks, the stretched ramp above.
std::string score_raster_qml(int band, double min, double max, std::vector<AreaBreak> breaks);

// A colour stop of a continuous style.
struct RampStop {
  double value = 0;
  std::string label;
};
struct Percentile {
  double percent = 0;  // 0..100
  double value = 0;    // the value at that percentile
};

// The stops of a continuous evidence layer's ramp at percentiles of its
// cells, so a skewed layer (most soil samples low, a few high) spreads over
// the whole ramp instead of sitting in its first colour. One stop per
// distinct value, labelled with the highest percentile at it and the unit:
// "610 m (median)", "0.8 km per km² (98th percentile)".
std::vector<RampStop> percentile_stops(const std::vector<Percentile>& percentiles,
                                       const std::string& unit);

// A continuous style: viridis colours spread over the stops, interpolated
// between them; values beyond the ends take the end colours. Fewer than two
// stops: the stretched ramp of score_raster_qml over min..max.
std::string stretched_raster_qml(int band, double min, double max,
                                 const std::vector<RampStop>& stops);

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

// A plain vector style for reference layers: points as markers, lines as
// lines, polygons as an outline only. `rgb` like "0,114,178".
std::string simple_vector_qml(const std::string& geometry, const std::string& rgb,
                              bool dashed = false);

// Text safe inside XML text and quoted attributes; bytes that are not UTF-8 and
// control characters XML forbids become U+FFFD (clean_text).
std::string xml_escape(const std::string& text);

}  // namespace prospect
