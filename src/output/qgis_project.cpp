#include "prospect/output/qgis_project.hpp"

#include <cctype>

#include "prospect/output/qml.hpp"

namespace prospect {
namespace {

std::string spatial_ref(const std::string& wkt, const std::string& indent) {
  return indent + "<spatialrefsys>\n" + indent + "  <wkt>" + xml_escape(wkt) + "</wkt>\n" + indent +
         "</spatialrefsys>\n";
}

std::string tree_entry(const ProjectLayer& l, const std::string& indent) {
  return indent + "<layer-tree-layer id=\"" + xml_escape(l.id) + "\" name=\"" + xml_escape(l.name) +
         "\" source=\"" + xml_escape(l.source) + "\" providerKey=\"" + (l.raster ? "gdal" : "ogr") +
         "\" checked=\"Qt::" + (l.visible ? "Checked" : "Unchecked") + "\" expanded=\"0\"/>\n";
}

std::string map_layer(const ProjectLayer& l) {
  std::string out = "    <maplayer type=\"" + std::string(l.raster ? "raster" : "vector") + "\"";
  const bool labels = l.style.find("<labeling") != std::string::npos;
  if (!l.raster)
    out += " geometry=\"" + l.geometry + "\" labelsEnabled=\"" + (labels ? "1" : "0") + "\"";
  out += ">\n";
  out += "      <id>" + xml_escape(l.id) + "</id>\n";
  out += "      <datasource>" + xml_escape(l.source) + "</datasource>\n";
  out += "      <layername>" + xml_escape(l.name) + "</layername>\n";
  out += "      <srs>\n" + spatial_ref(l.crs_wkt, "        ") + "      </srs>\n";
  out += "      <provider>" + std::string(l.raster ? "gdal" : "ogr") + "</provider>\n";
  // The style's own elements, as QGIS reads them from a .qml.
  for (const char* tag : l.raster ? std::vector<const char*>{"pipe"}
                                  : std::vector<const char*>{"renderer-v2", "labeling"}) {
    const std::string element = qml_element(l.style, tag);
    if (!element.empty()) out += "      " + element + "\n";
  }
  out += "    </maplayer>\n";
  return out;
}

}  // namespace

std::optional<std::string> qgis_ogr_source(const std::string& path, const std::string& layer_name,
                                           int layer_index, const std::string& filter) {
  if (path.find('|') != std::string::npos) return std::nullopt;
  std::string lower_filter = filter;
  for (char& c : lower_filter) c = char(std::tolower(static_cast<unsigned char>(c)));
  for (const char* tag : {"|layername=", "|layerid=", "|geometrytype=", "|uniquegeometrytype=",
                          "|option:", "|credential:"})
    if (lower_filter.find(tag) != std::string::npos) return std::nullopt;
  std::string source = path;
  if (layer_name.find('|') == std::string::npos)
    source += "|layername=" + layer_name;
  else
    source += "|layerid=" + std::to_string(layer_index);
  if (!filter.empty()) source += "|subset=" + filter;
  return source;
}

std::string qgis_project(const std::string& title, const std::string& crs_wkt,
                         const std::vector<ProjectLayer>& layers) {
  std::string out = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n";
  out += "<qgis version=\"3.22.0\" projectname=\"" + xml_escape(title) + "\">\n";
  out += "  <title>" + xml_escape(title) + "</title>\n";
  out += "  <projectCrs>\n" + spatial_ref(crs_wkt, "    ") + "  </projectCrs>\n";
  out += "  <layer-tree-group>\n";
  for (std::size_t i = 0; i < layers.size();) {
    const std::string& group = layers[i].group;
    if (group.empty()) {
      out += tree_entry(layers[i++], "    ");
      continue;
    }
    out += "    <layer-tree-group name=\"" + xml_escape(group) +
           "\" checked=\"Qt::Checked\" expanded=\"0\">\n";
    for (; i < layers.size() && layers[i].group == group; ++i)
      out += tree_entry(layers[i], "      ");
    out += "    </layer-tree-group>\n";
  }
  out += "  </layer-tree-group>\n";
  out += "  <projectlayers>\n";
  for (const auto& l : layers) out += map_layer(l);
  out += "  </projectlayers>\n";
  out +=
      "  <properties>\n"
      "    <SpatialRefSys>\n      <ProjectionsEnabled type=\"int\">1</ProjectionsEnabled>\n    "
      "</SpatialRefSys>\n"
      "    <Paths>\n      <Absolute type=\"bool\">false</Absolute>\n    </Paths>\n"
      "  </properties>\n";
  out += "</qgis>\n";
  return out;
}

}  // namespace prospect
