#include "prospect/output/qml.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "prospect/core/text.hpp"
#include "prospect/output/svg_plot.hpp"
#include "prospect/output/xml_tree.hpp"

namespace prospect {

std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : clean_text(text)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

const char* const k_doctype = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n";

std::string number_text(const char* format, double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

// Enough digits that QGIS, comparing in double, reads back exactly this value
// (a float's exact double value, so a cell equal to a class bound stays in its class).
std::string value_text_exact(double v) { return std::isinf(v) ? "inf" : number_text("%.17g", v); }

XmlElement qgis_root(XmlDocument& doc, const char* categories) {
  return doc.root().set("version", "3.22.0").set("styleCategories", categories);
}

// A raster renderer of `type` on `band` (1-based), nodata transparent.
XmlElement raster_renderer(XmlElement pipe, const char* type, int band) {
  return pipe.add("rasterrenderer")
      .set("type", type)
      .set("band", std::to_string(band))
      .set("opacity", "1")
      .set("alphaBand", "-1")
      .set("nodataColor", "");
}

// The pipe's fixed tail, as QGIS writes it.
void pipe_tail(XmlElement pipe, bool oversampling) {
  pipe.add("brightnesscontrast").set("brightness", "0").set("contrast", "0").set("gamma", "1");
  pipe.add("huesaturation").set("saturation", "0").set("grayscaleMode", "0").set("colorizeOn", "0");
  XmlElement resampler = pipe.add("rasterresampler");
  if (oversampling) resampler.set("maxOversampling", "2");
}

struct RampItem {
  double value;  // the class's upper bound (inclusive), or the stop
  std::string label;
  std::string colour;
};

// QGIS's DISCRETE ramp gives a cell the first item whose value is >= the
// cell's, so each class's item is the float just below the next class's start
// (a cell equal to a break is in the higher class).
std::vector<RampItem> discrete_items(const std::vector<ScoreClass>& classes) {
  std::vector<RampItem> items;
  for (const ScoreClass& c : classes)
    items.push_back({std::isinf(c.to) ? INFINITY : double(std::nextafter(float(c.to), -INFINITY)),
                     c.label, c.colour});
  return items;
}

std::vector<RampItem> stretched_items(double min, double max) {
  // Viridis as in score_class_colours, for the stretched (unclassed) style.
  static const char* stretch[] = {"#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"};
  std::vector<RampItem> items;
  for (int k = 0; k < 5; ++k) {
    const double v = min + (max - min) * k / 4.0;
    items.push_back({v, format_number(v, 3), stretch[k]});
  }
  return items;
}

}  // namespace

std::string score_raster_qml(int band, double min, double max) {
  return score_raster_qml(band, min, max, {});
}

namespace {

// The single-band pseudocolour style QGIS writes, with `items` as its ramp.
std::string pseudocolor_qml(int band, double min, double max, bool discrete,
                            const std::vector<RampItem>& items) {
  XmlDocument doc("qgis");
  XmlElement pipe = qgis_root(doc, "AllStyleCategories").add("pipe");
  XmlElement renderer = raster_renderer(pipe, "singlebandpseudocolor", band)
                            .set("classificationMin", number_text("%.9g", min))
                            .set("classificationMax", number_text("%.9g", max));
  renderer.add("rasterTransparency");
  XmlElement limits = renderer.add("minMaxOrigin");
  limits.add("limits", "None");
  limits.add("extent", "WholeRaster");
  limits.add("statAccuracy", "Exact");
  limits.add("cumulativeCutLower", "0.02");
  limits.add("cumulativeCutUpper", "0.98");
  limits.add("stdDevFactor", "2");
  XmlElement ramp = renderer.add("rastershader")
                        .add("colorrampshader")
                        .set("colorRampType", discrete ? "DISCRETE" : "INTERPOLATED")
                        .set("classificationMode", "1")
                        .set("clip", "0")
                        .set("minimumValue", number_text("%.9g", min))
                        .set("maximumValue", number_text("%.9g", max))
                        .set("labelPrecision", "3");
  for (const RampItem& item : items)
    ramp.add("item")
        .set("alpha", "255")
        .set("value", value_text_exact(item.value))
        .set("label", item.label)
        .set("color", item.colour);
  pipe_tail(pipe, true);
  doc.root().add("blendMode", "0");
  return doc.text(k_doctype);
}

std::string ordinal(double percent) {
  const long n = std::lround(percent);
  if (std::abs(percent - double(n)) > 1e-9) return format_number(percent, 3) + "th";
  const long tens = n % 100, ones = n % 10;
  const char* suffix = (tens >= 11 && tens <= 13) ? "th"
                       : ones == 1                ? "st"
                       : ones == 2                ? "nd"
                       : ones == 3                ? "rd"
                                                  : "th";
  return std::to_string(n) + suffix;
}

}  // namespace

std::string score_raster_qml(int band, double min, double max, std::vector<AreaBreak> breaks) {
  if (!(max > min)) max = min + 1.0;
  const std::vector<ScoreClass> classes = score_classes(std::move(breaks));
  const bool discrete = classes.size() >= 2;
  return pseudocolor_qml(band, min, max, discrete,
                         discrete ? discrete_items(classes) : stretched_items(min, max));
}

std::vector<RampStop> percentile_stops(const std::vector<Percentile>& percentiles,
                                       const std::string& unit) {
  std::vector<Percentile> kept;  // one per distinct value: the highest percentile at it
  for (const Percentile& p : percentiles) {
    if (!kept.empty() && p.value <= kept.back().value)
      kept.back().percent = std::max(kept.back().percent, p.percent);
    else
      kept.push_back(p);
  }
  std::vector<RampStop> stops;
  for (const Percentile& p : kept)
    stops.push_back(
        {p.value,
         format_number(p.value, 3) + (unit.empty() ? "" : " " + unit) + " (" +
             (p.percent == 50 ? std::string("median") : ordinal(p.percent) + " percentile") + ")"});
  return stops;
}

std::string stretched_raster_qml(int band, double min, double max,
                                 const std::vector<RampStop>& stops) {
  if (stops.size() < 2) return score_raster_qml(band, min, max);
  static const char* viridis[] = {"#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"};
  std::vector<RampItem> items;
  const std::size_t last = stops.size() - 1;
  for (std::size_t k = 0; k < stops.size(); ++k)
    items.push_back({stops[k].value, stops[k].label,
                     viridis[std::size_t(std::lround(4.0 * double(k) / double(last)))]});
  return pseudocolor_qml(band, stops.front().value, stops.back().value, false, items);
}

std::string category_raster_qml(int band, const std::vector<QmlClass>& classes) {
  // Okabe and Ito (2008), "Color Universal Design": distinguishable with any colour vision.
  static const char* colours[] = {"#e69f00", "#56b4e9", "#009e73", "#f0e442",
                                  "#0072b2", "#d55e00", "#cc79a7", "#999999"};
  XmlDocument doc("qgis");
  XmlElement pipe = qgis_root(doc, "AllStyleCategories").add("pipe");
  XmlElement renderer = raster_renderer(pipe, "paletted", band);
  renderer.add("rasterTransparency");
  XmlElement palette = renderer.add("colorPalette");
  for (std::size_t i = 0; i < classes.size(); ++i)
    palette.add("paletteEntry")
        .set("value", std::to_string(classes[i].code))
        .set("color", colours[i % 8])
        .set("alpha", "255")
        .set("label", classes[i].name);
  pipe_tail(pipe, false);
  doc.root().add("blendMode", "0");
  return doc.text(k_doctype);
}

namespace {

// A symbol layer: <layer class=...> with <prop k= v=/> children, which every QGIS 3 reads.
void symbol_layer(XmlElement symbol, const char* layer_class,
                  const std::vector<std::pair<std::string, std::string>>& props) {
  XmlElement layer = symbol.add("layer")
                         .set("class", layer_class)
                         .set("enabled", "1")
                         .set("locked", "0")
                         .set("pass", "0");
  for (const auto& [k, v] : props) layer.add("prop").set("k", k).set("v", v);
}

XmlElement single_symbol(XmlElement root, const char* type) {
  XmlElement renderer = root.add("renderer-v2")
                            .set("type", "singleSymbol")
                            .set("forceraster", "0")
                            .set("symbollevels", "0")
                            .set("enableorderby", "0");
  return renderer.add("symbols")
      .add("symbol")
      .set("type", type)
      .set("name", "0")
      .set("alpha", "1")
      .set("clip_to_extent", "1")
      .set("force_rhr", "0");
}

}  // namespace

std::string target_polygons_qml() {
  XmlDocument doc("qgis");
  XmlElement root = qgis_root(doc, "Symbology|Labeling").set("labelsEnabled", "1");
  symbol_layer(single_symbol(root, "fill"), "SimpleFill",
               {{"border_width_map_unit_scale", "3x:0,0,0,0,0,0"},
                {"color", "230,159,0,80"},
                {"joinstyle", "bevel"},
                {"offset", "0,0"},
                {"offset_map_unit_scale", "3x:0,0,0,0,0,0"},
                {"offset_unit", "MM"},
                {"outline_color", "166,86,0,255"},
                {"outline_style", "solid"},
                {"outline_width", "0.5"},
                {"outline_width_unit", "MM"},
                {"style", "solid"}});
  XmlElement settings =
      root.add("labeling").set("type", "simple").add("settings").set("calloutType", "simple");
  settings.add("text-style")
      .set("fieldName", "rank")
      .set("isExpression", "0")
      .set("fontSize", "9")
      .set("fontSizeUnit", "Point")
      .set("fontWeight", "75")
      .set("textColor", "40,40,40,255")
      .set("textOpacity", "1")
      .set("namedStyle", "Bold")
      .set("multilineHeight", "1")
      .set("blendMode", "0")
      .set("previewBkgrdColor", "255,255,255,255");
  settings.add("text-format")
      .set("wrapChar", "")
      .set("multilineAlign", "3")
      .set("plussign", "0")
      .set("decimals", "3")
      .set("formatNumbers", "0")
      .set("reverseDirectionSymbol", "0")
      .set("addDirectionSymbol", "0");
  settings.add("text-buffer")
      .set("bufferDraw", "1")
      .set("bufferSize", "0.8")
      .set("bufferSizeUnits", "MM")
      .set("bufferColor", "255,255,255,255")
      .set("bufferOpacity", "0.8")
      .set("bufferJoinStyle", "128")
      .set("bufferNoFill", "1")
      .set("bufferBlendMode", "0");
  settings.add("placement")
      .set("placement", "1")
      .set("centroidInside", "1")
      .set("centroidWhole", "0")
      .set("fitInPolygonOnly", "0")
      .set("priority", "5")
      .set("offsetType", "0")
      .set("dist", "0");
  settings.add("rendering")
      .set("drawLabels", "1")
      .set("obstacle", "1")
      .set("obstacleType", "1")
      .set("scaleVisibility", "0")
      .set("limitNumLabels", "0")
      .set("displayAll", "0")
      .set("upsidedownLabels", "0")
      .set("labelPerPart", "0")
      .set("mergeLines", "0")
      .set("minFeatureSize", "0")
      .set("fontLimitPixelSize", "0")
      .set("zIndex", "0");
  root.add("layerGeometryType", "2");
  return doc.text(k_doctype);
}

std::string simple_vector_qml(const std::string& geometry, const std::string& rgb, bool dashed) {
  XmlDocument doc("qgis");
  XmlElement root = qgis_root(doc, "Symbology");
  const std::string line_style = dashed ? "dash" : "solid";
  if (geometry == "Point")
    symbol_layer(single_symbol(root, "marker"), "SimpleMarker",
                 {{"name", "star"},
                  {"color", rgb + ",255"},
                  {"outline_color", "0,0,0,255"},
                  {"outline_width", "0.2"},
                  {"size", "3.5"},
                  {"size_unit", "MM"}});
  else if (geometry == "Line")
    symbol_layer(single_symbol(root, "line"), "SimpleLine",
                 {{"line_color", rgb + ",255"},
                  {"line_style", line_style},
                  {"line_width", "0.4"},
                  {"line_width_unit", "MM"}});
  else
    symbol_layer(single_symbol(root, "fill"), "SimpleFill",
                 {{"style", "no"},
                  {"color", "0,0,0,0"},
                  {"outline_color", rgb + ",255"},
                  {"outline_style", line_style},
                  {"outline_width", "0.6"},
                  {"outline_width_unit", "MM"}});
  return doc.text(k_doctype);
}

}  // namespace prospect
