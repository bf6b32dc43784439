#include "prospect/output/qml.hpp"

#include <cpl_minixml.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "prospect/core/text.hpp"

using namespace prospect;

TEST(Qml, ScoreStyleIsWellFormedAndStretchesTheBand) {
  const std::string qml = score_raster_qml(4, 0.1, 0.9);
  CPLXMLNode* root = CPLParseXMLString(qml.c_str());  // an XML parser of its own
  ASSERT_NE(root, nullptr);
  const CPLXMLNode* renderer = CPLGetXMLNode(root, "=qgis.pipe.rasterrenderer");
  ASSERT_NE(renderer, nullptr);
  EXPECT_STREQ(CPLGetXMLValue(renderer, "type", ""), "singlebandpseudocolor");
  EXPECT_STREQ(CPLGetXMLValue(renderer, "band", ""), "4");
  const CPLXMLNode* shader =
      CPLGetXMLNode(root, "=qgis.pipe.rasterrenderer.rastershader.colorrampshader");
  ASSERT_NE(shader, nullptr);
  int items = 0;
  double first = -1, last = -1;
  for (const CPLXMLNode* n = shader->psChild; n; n = n->psNext)
    if (n->eType == CXT_Element && std::string(n->pszValue) == "item") {
      const double v = std::stod(CPLGetXMLValue(n, "value", "nan"));
      if (items == 0) first = v;
      last = v;
      ++items;
    }
  EXPECT_EQ(items, 5);
  EXPECT_DOUBLE_EQ(first, 0.1);
  EXPECT_DOUBLE_EQ(last, 0.9);
  CPLDestroyXMLNode(root);
}

TEST(Qml, AConstantBandStillGetsARamp) {
  const std::string qml = score_raster_qml(1, 0.5, 0.5);
  EXPECT_NE(qml.find("maximumValue=\"1.5\""), std::string::npos);
}

// The items of a style's colour ramp: value, label, colour.
struct Item {
  double value;
  std::string label, colour;
};
std::vector<Item> ramp_items(const std::string& qml) {
  std::vector<Item> items;
  CPLXMLNode* root = CPLParseXMLString(qml.c_str());
  const CPLXMLNode* shader =
      CPLGetXMLNode(root, "=qgis.pipe.rasterrenderer.rastershader.colorrampshader");
  for (const CPLXMLNode* n = shader ? shader->psChild : nullptr; n; n = n->psNext)
    if (n->eType == CXT_Element && std::string(n->pszValue) == "item")
      items.push_back({std::stod(CPLGetXMLValue(n, "value", "nan")), CPLGetXMLValue(n, "label", ""),
                       CPLGetXMLValue(n, "color", "")});
  CPLDestroyXMLNode(root);
  return items;
}

// Skewed soil values: the stops sit at the percentiles, labelled with value,
// unit and percentile, and the whole viridis ramp is spread over them.
TEST(Qml, EvidenceRampStopsAtPercentilesWithUnits) {
  const auto stops = percentile_stops({{2, 3.5}, {25, 12}, {50, 40}, {75, 310}, {98, 1500}}, "m");
  ASSERT_EQ(stops.size(), 5u);
  EXPECT_EQ(stops[0].label, "3.5 m (2nd percentile)");
  EXPECT_EQ(stops[2].label, "40 m (median)");
  EXPECT_EQ(stops[4].label, "1500 m (98th percentile)");  // never 1.5e+03
  const auto items = ramp_items(stretched_raster_qml(1, 0, 90000, stops));
  ASSERT_EQ(items.size(), 5u);
  EXPECT_DOUBLE_EQ(items[0].value, 3.5);
  EXPECT_DOUBLE_EQ(items[3].value, 310);
  EXPECT_EQ(items[0].colour, "#440154");
  EXPECT_EQ(items[4].colour, "#fde725");
  EXPECT_EQ(items[1].label, "12 m (25th percentile)");
}

// A density that is 0 over most of the area: equal percentiles make one stop,
// named by the highest percentile at that value (half the cells are 0).
TEST(Qml, EqualPercentilesMakeOneStop) {
  const auto stops =
      percentile_stops({{2, 0}, {25, 0}, {50, 0}, {75, 0.25}, {98, 1.75}}, "km per km²");
  ASSERT_EQ(stops.size(), 3u);
  EXPECT_EQ(stops[0].label, "0 km per km² (median)");
  EXPECT_EQ(stops[1].label, "0.25 km per km² (75th percentile)");
  const auto items = ramp_items(stretched_raster_qml(1, 0, 3, stops));
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].colour, "#440154");
  EXPECT_EQ(items[1].colour, "#21918c");
  EXPECT_EQ(items[2].colour, "#fde725");
  // One value only: the min-max ramp.
  EXPECT_EQ(
      ramp_items(stretched_raster_qml(1, 0, 1, percentile_stops({{2, 0}, {98, 0}}, ""))).size(),
      5u);
}

// QGIS's DISCRETE ramp: a cell takes the first item whose value is >= its own.
std::string discrete_class_of(const CPLXMLNode* shader, float cell) {
  for (const CPLXMLNode* n = shader->psChild; n; n = n->psNext)
    if (n->eType == CXT_Element && std::string(n->pszValue) == "item" &&
        std::stod(CPLGetXMLValue(n, "value", "nan")) >= double(cell))
      return CPLGetXMLValue(n, "label", "");
  return "none";
}

TEST(Qml, ScoreClassesAreSharesOfTheAreaAndTiesMerge) {
  // Top 10 % and top 5 % start at the same value (a tie): one class "top 10–1 %".
  const std::string qml =
      score_raster_qml(2, 0.0, 1.0, {{1, 0.9}, {50, 0.3}, {25, 0.5}, {10, 0.7}, {5, 0.7}});
  CPLXMLNode* root = CPLParseXMLString(qml.c_str());
  ASSERT_NE(root, nullptr);
  const CPLXMLNode* shader =
      CPLGetXMLNode(root, "=qgis.pipe.rasterrenderer.rastershader.colorrampshader");
  ASSERT_NE(shader, nullptr);
  EXPECT_STREQ(CPLGetXMLValue(shader, "colorRampType", ""), "DISCRETE");
  std::vector<std::string> labels, colours;
  for (const CPLXMLNode* n = shader->psChild; n; n = n->psNext)
    if (n->eType == CXT_Element) {
      labels.push_back(CPLGetXMLValue(n, "label", ""));
      colours.push_back(CPLGetXMLValue(n, "color", ""));
    }
  ASSERT_EQ(labels.size(), 5u);
  EXPECT_EQ(labels[0], "lower 50 % (< 0.3)");
  EXPECT_EQ(labels[1], "top 50–25 % (0.3–0.5)");
  EXPECT_EQ(labels[3], "top 10–1 % (0.7–0.9)");
  EXPECT_EQ(labels[4], "top 1 % (≥ 0.9)");
  EXPECT_EQ(colours[4], "#fde725");  // the top class is always the brightest
  // A cell equal to a break is in the higher class, as the threshold says (>=).
  EXPECT_EQ(discrete_class_of(shader, 0.5f), labels[2]);
  EXPECT_EQ(discrete_class_of(shader, std::nextafter(0.5f, 0.0f)), labels[1]);
  EXPECT_EQ(discrete_class_of(shader, 0.0f), labels[0]);
  EXPECT_EQ(discrete_class_of(shader, 0.9f), labels[4]);
  EXPECT_EQ(discrete_class_of(shader, 1e30f), labels[4]);
  CPLDestroyXMLNode(root);
}

TEST(Qml, CategoryStyleNamesEveryClassAndEscapesNames) {
  const std::string qml =
      category_raster_qml(1, {{1, "Carbonatite"}, {2, "Huab gneiss"}, {7, "K & Na <fenite>"}});
  CPLXMLNode* root = CPLParseXMLString(qml.c_str());
  ASSERT_NE(root, nullptr);
  const CPLXMLNode* renderer = CPLGetXMLNode(root, "=qgis.pipe.rasterrenderer");
  ASSERT_NE(renderer, nullptr);
  EXPECT_STREQ(CPLGetXMLValue(renderer, "type", ""), "paletted");
  const CPLXMLNode* palette = CPLGetXMLNode(renderer, "colorPalette");
  ASSERT_NE(palette, nullptr);
  std::vector<std::pair<std::string, std::string>> entries;
  for (const CPLXMLNode* n = palette->psChild; n; n = n->psNext)
    if (n->eType == CXT_Element)
      entries.emplace_back(CPLGetXMLValue(n, "value", ""), CPLGetXMLValue(n, "label", ""));
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[2].first, "7");
  EXPECT_EQ(entries[2].second, "K & Na <fenite>");  // the parser undoes the escaping
  CPLDestroyXMLNode(root);
}

// Class names come from data: control characters and bytes that are not UTF-8
// used to make the style not well-formed XML while the run exited 0.
TEST(Qml, ClassNamesFromDataNeverBreakTheXml) {
  const std::string qml = category_raster_qml(
      1, {{1, std::string("Carb\x01onatite", 12)}, {2, "r\xe9sum\xe9 <&>"}, {3, "Gneiss"}});
  CPLXMLNode* root = CPLParseXMLString(qml.c_str());
  ASSERT_NE(root, nullptr) << qml;
  // What XML 1.0 asks beyond structure (GDAL's parser is lenient there): UTF-8, no control
  // characters.
  bool changed = false;
  clean_text(qml, &changed);
  EXPECT_FALSE(changed);
  EXPECT_NE(qml.find("Carb\xef\xbf\xbdonatite"), std::string::npos);
  EXPECT_NE(qml.find("&lt;&amp;&gt;"), std::string::npos);
  CPLDestroyXMLNode(root);
}
