#include "prospect/output/qml.hpp"

#include <cpl_minixml.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace prospect;

TEST(Qml, ScoreStyleIsWellFormedAndStretchesTheBand) {
  const std::string qml = score_raster_qml(4, 0.1, 0.9);
  CPLXMLNode* root = CPLParseXMLString(qml.c_str());  // an XML parser of its own
  ASSERT_NE(root, nullptr);
  const CPLXMLNode* renderer = CPLGetXMLNode(root, "=qgis.pipe.rasterrenderer");
  ASSERT_NE(renderer, nullptr);
  EXPECT_STREQ(CPLGetXMLValue(renderer, "type", ""), "singlebandpseudocolor");
  EXPECT_STREQ(CPLGetXMLValue(renderer, "band", ""), "4");
  const CPLXMLNode* shader = CPLGetXMLNode(root, "=qgis.pipe.rasterrenderer.rastershader.colorrampshader");
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

TEST(Qml, CategoryStyleNamesEveryClassAndEscapesNames) {
  const std::string qml = category_raster_qml(1, {{1, "Carbonatite"}, {2, "Huab gneiss"}, {7, "K & Na <fenite>"}});
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
