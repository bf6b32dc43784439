#include "prospect/output/qml.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "prospect/core/text.hpp"

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

// Enough digits that QGIS, comparing in double, reads back exactly this value
// (a float's exact double value, so a cell equal to a class bound stays in its class).
std::string value_text_exact(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace

std::string score_raster_qml(int band, double min, double max) {
  return score_raster_qml(band, min, max, {});
}

namespace {

struct RampItem {
  double value;  // the class's upper bound (inclusive), or the stop
  std::string label;
};

std::string percent_text(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", p);
  return buf;
}

std::string value_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

// Classes between area breaks, lowest first: QGIS's DISCRETE ramp gives a cell
// the first item whose value is >= the cell's, so each class's upper bound is
// the float just below the next break (a cell equal to a break is in the higher class).
std::vector<RampItem> area_classes(std::vector<AreaBreak> breaks) {
  std::sort(breaks.begin(), breaks.end(),
            [](const AreaBreak& a, const AreaBreak& b) { return a.percent > b.percent; });
  std::vector<RampItem> items;
  double lower_percent = 100;
  std::string lower_value;
  for (const AreaBreak& b : breaks) {
    const double upper = std::nextafter(float(b.value), -INFINITY);
    if (!items.empty() && !(upper > items.back().value))
      continue;  // a tie: merged into the class above
    std::string label = lower_percent == 100 ? "lower " + percent_text(100 - b.percent) + " %"
                                             : "top " + percent_text(lower_percent) + "-" +
                                                   percent_text(b.percent) + " %";
    label += lower_value.empty() ? " (< " + value_text(b.value) + ")"
                                 : " (" + lower_value + " - " + value_text(b.value) + ")";
    items.push_back({upper, label});
    lower_percent = b.percent;
    lower_value = value_text(b.value);
  }
  if (!items.empty())
    items.push_back(
        {INFINITY, "top " + percent_text(lower_percent) + " % (>= " + lower_value + ")"});
  return items;
}

}  // namespace

const std::vector<std::string>& score_class_colours() {
  // Viridis (van der Walt and Smith, matplotlib 2015), evenly spaced stops.
  static const std::vector<std::string> colours = {"#440154", "#414487", "#2a788e",
                                                   "#22a884", "#7ad151", "#fde725"};
  return colours;
}

std::string score_raster_qml(int band, double min, double max, std::vector<AreaBreak> breaks) {
  // Viridis as above, for the stretched (unclassed) style.
  static const char* stretch[] = {"#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"};
  if (!(max > min)) max = min + 1.0;
  std::vector<RampItem> items = area_classes(std::move(breaks));
  const bool discrete = items.size() >= 2;
  std::vector<const char*> colours;
  if (discrete) {
    // The top class always gets the brightest colour; fewer classes skip the dark end.
    const std::size_t skip = 6 - std::min<std::size_t>(items.size(), 6);
    for (std::size_t k = 0; k < items.size(); ++k)
      colours.push_back(score_class_colours()[std::min<std::size_t>(skip + k, 5)].c_str());
  } else {
    items.clear();
    for (int k = 0; k < 5; ++k) {
      const double v = min + (max - min) * k / 4.0;
      items.push_back({v, value_text(v)});
      colours.push_back(stretch[k]);
    }
  }
  std::string item_text;
  char buf[400];
  for (std::size_t k = 0; k < items.size(); ++k) {
    std::snprintf(buf, sizeof buf,
                  "          <item alpha=\"255\" value=\"%s\" label=\"%s\" color=\"%s\"/>\n",
                  std::isinf(items[k].value) ? "inf" : value_text_exact(items[k].value).c_str(),
                  xml_escape(items[k].label).c_str(), colours[k]);
    item_text += buf;
  }
  std::string out;
  out += "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n";
  out += "<qgis version=\"3.22.0\" styleCategories=\"AllStyleCategories\">\n";
  out += "  <pipe>\n";
  std::snprintf(buf, sizeof buf,
                "    <rasterrenderer type=\"singlebandpseudocolor\" band=\"%d\" opacity=\"1\" "
                "alphaBand=\"-1\" classificationMin=\"%.9g\" classificationMax=\"%.9g\" "
                "nodataColor=\"\">\n",
                band, min, max);
  out += buf;
  out += "      <rasterTransparency/>\n";
  out +=
      "      <minMaxOrigin>\n        <limits>None</limits>\n        <extent>WholeRaster</extent>\n"
      "        <statAccuracy>Exact</statAccuracy>\n        "
      "<cumulativeCutLower>0.02</cumulativeCutLower>\n"
      "        <cumulativeCutUpper>0.98</cumulativeCutUpper>\n        "
      "<stdDevFactor>2</stdDevFactor>\n"
      "      </minMaxOrigin>\n";
  out += "      <rastershader>\n";
  std::snprintf(buf, sizeof buf,
                "        <colorrampshader colorRampType=\"%s\" classificationMode=\"1\" "
                "clip=\"0\" minimumValue=\"%.9g\" maximumValue=\"%.9g\" labelPrecision=\"3\">\n",
                discrete ? "DISCRETE" : "INTERPOLATED", min, max);
  out += buf;
  out += item_text;
  out += "        </colorrampshader>\n      </rastershader>\n    </rasterrenderer>\n";
  out += "    <brightnesscontrast brightness=\"0\" contrast=\"0\" gamma=\"1\"/>\n";
  out += "    <huesaturation saturation=\"0\" grayscaleMode=\"0\" colorizeOn=\"0\"/>\n";
  out += "    <rasterresampler maxOversampling=\"2\"/>\n";
  out += "  </pipe>\n  <blendMode>0</blendMode>\n</qgis>\n";
  return out;
}

std::string category_raster_qml(int band, const std::vector<QmlClass>& classes) {
  // Okabe and Ito (2008), "Color Universal Design": distinguishable with any colour vision.
  static const char* colours[] = {"#e69f00", "#56b4e9", "#009e73", "#f0e442",
                                  "#0072b2", "#d55e00", "#cc79a7", "#999999"};
  std::string out;
  out += "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n";
  out += "<qgis version=\"3.22.0\" styleCategories=\"AllStyleCategories\">\n";
  out += "  <pipe>\n";
  char buf[300];
  std::snprintf(buf, sizeof buf,
                "    <rasterrenderer type=\"paletted\" band=\"%d\" opacity=\"1\" alphaBand=\"-1\" "
                "nodataColor=\"\">\n",
                band);
  out += buf;
  out += "      <rasterTransparency/>\n      <colorPalette>\n";
  for (std::size_t i = 0; i < classes.size(); ++i) {
    std::snprintf(buf, sizeof buf,
                  "        <paletteEntry value=\"%d\" color=\"%s\" alpha=\"255\" label=\"",
                  classes[i].code, colours[i % 8]);
    out += buf;
    out += xml_escape(classes[i].name);
    out += "\"/>\n";
  }
  out += "      </colorPalette>\n    </rasterrenderer>\n";
  out += "    <brightnesscontrast brightness=\"0\" contrast=\"0\" gamma=\"1\"/>\n";
  out += "    <huesaturation saturation=\"0\" grayscaleMode=\"0\" colorizeOn=\"0\"/>\n";
  out += "    <rasterresampler/>\n";
  out += "  </pipe>\n  <blendMode>0</blendMode>\n</qgis>\n";
  return out;
}

std::string target_polygons_qml() {
  // Properties as <prop k= v=/>, which every QGIS 3 reads.
  return R"(<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology|Labeling" labelsEnabled="1">
  <renderer-v2 type="singleSymbol" forceraster="0" symbollevels="0" enableorderby="0">
    <symbols>
      <symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <prop k="border_width_map_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="color" v="230,159,0,80"/>
          <prop k="joinstyle" v="bevel"/>
          <prop k="offset" v="0,0"/>
          <prop k="offset_map_unit_scale" v="3x:0,0,0,0,0,0"/>
          <prop k="offset_unit" v="MM"/>
          <prop k="outline_color" v="166,86,0,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.5"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="style" v="solid"/>
        </layer>
      </symbol>
    </symbols>
    <rotation/>
    <sizescale/>
  </renderer-v2>
  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName="rank" isExpression="0" fontSize="9" fontSizeUnit="Point" fontWeight="75" textColor="40,40,40,255" textOpacity="1" namedStyle="Bold" multilineHeight="1" blendMode="0" previewBkgrdColor="255,255,255,255"/>
      <text-format wrapChar="" multilineAlign="3" plussign="0" decimals="3" formatNumbers="0" reverseDirectionSymbol="0" addDirectionSymbol="0"/>
      <text-buffer bufferDraw="1" bufferSize="0.8" bufferSizeUnits="MM" bufferColor="255,255,255,255" bufferOpacity="0.8" bufferJoinStyle="128" bufferNoFill="1" bufferBlendMode="0"/>
      <placement placement="1" centroidInside="1" centroidWhole="0" fitInPolygonOnly="0" priority="5" offsetType="0" dist="0"/>
      <rendering drawLabels="1" obstacle="1" obstacleType="1" scaleVisibility="0" limitNumLabels="0" displayAll="0" upsidedownLabels="0" labelPerPart="0" mergeLines="0" minFeatureSize="0" fontLimitPixelSize="0" zIndex="0"/>
    </settings>
  </labeling>
  <layerGeometryType>2</layerGeometryType>
</qgis>
)";
}

std::string simple_vector_qml(const std::string& geometry, const std::string& rgb, bool dashed) {
  std::string symbol;
  if (geometry == "Point") {
    symbol =
        "      <symbol type=\"marker\" name=\"0\" alpha=\"1\" clip_to_extent=\"1\" "
        "force_rhr=\"0\">\n"
        "        <layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" pass=\"0\">\n"
        "          <prop k=\"name\" v=\"star\"/>\n"
        "          <prop k=\"color\" v=\"" +
        rgb +
        ",255\"/>\n"
        "          <prop k=\"outline_color\" v=\"0,0,0,255\"/>\n"
        "          <prop k=\"outline_width\" v=\"0.2\"/>\n"
        "          <prop k=\"size\" v=\"3.5\"/>\n"
        "          <prop k=\"size_unit\" v=\"MM\"/>\n"
        "        </layer>\n      </symbol>\n";
  } else if (geometry == "Line") {
    symbol =
        "      <symbol type=\"line\" name=\"0\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n"
        "        <layer class=\"SimpleLine\" enabled=\"1\" locked=\"0\" pass=\"0\">\n"
        "          <prop k=\"line_color\" v=\"" +
        rgb +
        ",255\"/>\n"
        "          <prop k=\"line_style\" v=\"" +
        std::string(dashed ? "dash" : "solid") +
        "\"/>\n"
        "          <prop k=\"line_width\" v=\"0.4\"/>\n"
        "          <prop k=\"line_width_unit\" v=\"MM\"/>\n"
        "        </layer>\n      </symbol>\n";
  } else {
    symbol =
        "      <symbol type=\"fill\" name=\"0\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n"
        "        <layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\">\n"
        "          <prop k=\"style\" v=\"no\"/>\n"
        "          <prop k=\"color\" v=\"0,0,0,0\"/>\n"
        "          <prop k=\"outline_color\" v=\"" +
        rgb +
        ",255\"/>\n"
        "          <prop k=\"outline_style\" v=\"" +
        std::string(dashed ? "dash" : "solid") +
        "\"/>\n"
        "          <prop k=\"outline_width\" v=\"0.6\"/>\n"
        "          <prop k=\"outline_width_unit\" v=\"MM\"/>\n"
        "        </layer>\n      </symbol>\n";
  }
  std::string out =
      "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
      "<qgis version=\"3.22.0\" styleCategories=\"Symbology\">\n"
      "  <renderer-v2 type=\"singleSymbol\" forceraster=\"0\" symbollevels=\"0\" "
      "enableorderby=\"0\">\n"
      "    <symbols>\n";
  out += symbol;
  out += "    </symbols>\n  </renderer-v2>\n</qgis>\n";
  return out;
}

std::string qml_element(const std::string& qml, const std::string& tag) {
  const auto start = qml.find("<" + tag);
  if (start == std::string::npos) return "";
  const std::string close = "</" + tag + ">";
  const auto end = qml.find(close, start);
  if (end == std::string::npos) return "";
  return qml.substr(start, end + close.size() - start);
}

}  // namespace prospect
