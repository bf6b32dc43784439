#include "prospect/output/qgis_project.hpp"

#include <vector>

#include "prospect/output/xml_tree.hpp"

namespace prospect {
namespace {

void spatial_ref(XmlElement parent, const std::string& wkt) {
  parent.add("spatialrefsys").add("wkt", wkt);
}

void tree_entry(XmlElement group, const ProjectLayer& l) {
  group.add("layer-tree-layer")
      .set("id", l.id)
      .set("name", l.name)
      .set("source", l.source)
      .set("providerKey", l.raster ? "gdal" : "ogr")
      .set("checked", l.visible ? "Qt::Checked" : "Qt::Unchecked")
      .set("expanded", "0");
}

void map_layer(XmlElement layers, const ProjectLayer& l) {
  const ParsedXml style(l.style);
  XmlElement layer = layers.add("maplayer").set("type", l.raster ? "raster" : "vector");
  if (!l.raster)
    layer.set("geometry", l.geometry)
        .set("labelsEnabled", style.find("=qgis.labeling") ? "1" : "0");
  layer.add("id", l.id);
  layer.add("datasource", l.source);
  layer.add("layername", l.name);
  spatial_ref(layer.add("srs"), l.crs_wkt);
  layer.add("provider", l.raster ? "gdal" : "ogr");
  // The style's own elements, as QGIS reads them from a .qml.
  for (const char* tag : l.raster ? std::vector<const char*>{"pipe"}
                                  : std::vector<const char*>{"renderer-v2", "labeling"})
    if (const CPLXMLNode* element = style.find(std::string("=qgis.") + tag))
      layer.add_copy(element);
}

}  // namespace

std::string qgis_project(const std::string& title, const std::string& crs_wkt,
                         const std::vector<ProjectLayer>& layers) {
  XmlDocument doc("qgis");
  XmlElement root = doc.root().set("version", "3.22.0").set("projectname", title);
  root.add("title", title);
  spatial_ref(root.add("projectCrs"), crs_wkt);
  XmlElement tree = root.add("layer-tree-group");
  for (std::size_t i = 0; i < layers.size();) {
    const std::string& group = layers[i].group;
    if (group.empty()) {
      tree_entry(tree, layers[i++]);
      continue;
    }
    XmlElement g = tree.add("layer-tree-group")
                       .set("name", group)
                       .set("checked", "Qt::Checked")
                       .set("expanded", "0");
    for (; i < layers.size() && layers[i].group == group; ++i) tree_entry(g, layers[i]);
  }
  XmlElement project_layers = root.add("projectlayers");
  for (const auto& l : layers) map_layer(project_layers, l);
  XmlElement properties = root.add("properties");
  properties.add("SpatialRefSys").add("ProjectionsEnabled", "1").set("type", "int");
  properties.add("Paths").add("Absolute", "false").set("type", "bool");
  return doc.text("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n");
}

}  // namespace prospect
