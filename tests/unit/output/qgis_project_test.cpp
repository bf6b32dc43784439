#include "prospect/output/qgis_project.hpp"

#include <cpl_minixml.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "prospect/output/qml.hpp"

using namespace prospect;

namespace {

std::vector<std::string> children_named(const CPLXMLNode* parent, const std::string& element,
                                        const char* attribute) {
  std::vector<std::string> out;
  for (const CPLXMLNode* n = parent->psChild; n; n = n->psNext)
    if (n->eType == CXT_Element && element == n->pszValue)
      out.push_back(CPLGetXMLValue(n, attribute, ""));
  return out;
}

}  // namespace

// The project parses as XML (an independent parser), keeps the layer order,
// groups consecutive layers, embeds each style and escapes names and filters.
TEST(QgisProject, LayersInOrderWithGroupsAndEmbeddedStyles) {
  std::vector<ProjectLayer> layers(4);
  layers[0] = {false,
               "prospect_targets",
               "targets",
               "./targets.gpkg|layername=targets",
               "WKT-A",
               "Polygon",
               target_polygons_qml(),
               true,
               ""};
  layers[1] = {false,
               "prospect_input_faults",
               "faults & shears",
               "../v/s.gpkg|layername=f|subset=type = 'fault'",
               "WKT-B",
               "Line",
               simple_vector_qml("Line", "1,2,3"),
               false,
               "Input vectors"};
  layers[2] = {true,
               "prospect_evidence_lith",
               "lith",
               "./evidence/lith.tif",
               "WKT-A",
               "",
               category_raster_qml(1, {{1, "Carbonatite"}}),
               false,
               "Evidence"};
  layers[3] = {true,
               "prospect_prospectivity",
               "prospectivity",
               "./prospectivity.tif",
               "WKT-A",
               "",
               score_raster_qml(1, 0, 1),
               true,
               ""};
  const std::string xml = qgis_project("lofdal <test>", "WKT-A", layers);
  CPLXMLNode* root = CPLParseXMLString(xml.c_str());
  ASSERT_NE(root, nullptr) << xml;
  const CPLXMLNode* qgis = CPLGetXMLNode(root, "=qgis");
  ASSERT_NE(qgis, nullptr);
  EXPECT_STREQ(CPLGetXMLValue(qgis, "projectname", ""), "lofdal <test>");
  EXPECT_STREQ(CPLGetXMLValue(qgis, "projectCrs.spatialrefsys.wkt", ""), "WKT-A");
  EXPECT_STREQ(CPLGetXMLValue(qgis, "properties.SpatialRefSys.ProjectionsEnabled", ""), "1");

  const CPLXMLNode* tree = CPLGetXMLNode(qgis, "layer-tree-group");
  ASSERT_NE(tree, nullptr);
  EXPECT_EQ(children_named(tree, "layer-tree-layer", "id"),
            (std::vector<std::string>{"prospect_targets", "prospect_prospectivity"}));
  EXPECT_EQ(children_named(tree, "layer-tree-group", "name"),
            (std::vector<std::string>{"Input vectors", "Evidence"}));

  const CPLXMLNode* project_layers = CPLGetXMLNode(qgis, "projectlayers");
  ASSERT_NE(project_layers, nullptr);
  std::vector<const CPLXMLNode*> maplayers;
  for (const CPLXMLNode* n = project_layers->psChild; n; n = n->psNext)
    if (n->eType == CXT_Element) maplayers.push_back(n);
  ASSERT_EQ(maplayers.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(CPLGetXMLValue(maplayers[i], "id", ""), layers[i].id);
    EXPECT_GT(layers[i].id.size(), 10u);  // QGIS replaces shorter ids
    EXPECT_EQ(CPLGetXMLValue(maplayers[i], "datasource", ""), layers[i].source);
    EXPECT_EQ(CPLGetXMLValue(maplayers[i], "srs.spatialrefsys.wkt", ""), layers[i].crs_wkt);
  }
  EXPECT_STREQ(CPLGetXMLValue(maplayers[0], "labelsEnabled", ""), "1");
  EXPECT_NE(CPLGetXMLNode(maplayers[0], "renderer-v2"), nullptr);
  EXPECT_NE(CPLGetXMLNode(maplayers[0], "labeling"), nullptr);
  EXPECT_STREQ(CPLGetXMLValue(maplayers[1], "layername", ""), "faults & shears");
  EXPECT_STREQ(CPLGetXMLValue(maplayers[2], "pipe.rasterrenderer.type", ""), "paletted");
  EXPECT_STREQ(CPLGetXMLValue(maplayers[3], "pipe.rasterrenderer.type", ""),
               "singlebandpseudocolor");
  EXPECT_STREQ(CPLGetXMLValue(maplayers[3], "provider", ""), "gdal");
  CPLDestroyXMLNode(root);
}
