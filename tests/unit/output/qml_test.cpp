#include "prospect/output/qml.hpp"

#include <cpl_minixml.h>
#include <gtest/gtest.h>

#include <string>

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
