#include "prospect/output/project_file.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "prospect/output/output_folder.hpp"
#include "prospect/output/qgis_project.hpp"
#include "prospect/output/qml.hpp"
#include "prospect/output/shared_vectors.hpp"

namespace prospect {
namespace fs = std::filesystem;

std::string run_project(const ModelSpec& model, const AnalysisGrid& grid,
                        const std::string& files_dir, const std::vector<std::string>& outputs,
                        const std::vector<SharedVector>& vectors) {
  std::vector<ProjectLayer> layers;
  auto written = [&](const std::string& name) {
    return std::find(outputs.begin(), outputs.end(), name) != outputs.end();
  };
  if (written("targets.gpkg")) {
    ProjectLayer l;
    l.id = "prospect_targets";
    l.name = "targets";
    l.source = "./targets.gpkg|layername=targets";
    l.crs_wkt = grid.crs_wkt();
    l.geometry = "Polygon";
    l.style = target_polygons_qml();
    layers.push_back(l);
  }
  for (const SharedVector& v : vectors) {
    ProjectLayer l;
    l.id = v.id;
    l.name = v.name;
    l.source = std::string("./") + k_shared_vectors_file + "|layername=" + v.layer;
    l.crs_wkt = grid.crs_wkt();
    l.geometry = v.geometry;
    l.style = simple_vector_qml(v.geometry, v.rgb, v.dashed);
    l.visible = v.visible;
    l.group = v.group;
    layers.push_back(l);
  }
  for (const std::string& f : outputs) {
    if (f.rfind("evidence/", 0) != 0 || fs::path(f).extension() != ".tif") continue;
    ProjectLayer l;
    l.raster = true;
    const std::string name = fs::path(f).stem().string();
    l.id = "prospect_evidence_" + name;
    l.name = name;
    l.source = "./" + f;
    l.crs_wkt = grid.crs_wkt();
    l.style = read_text_file((fs::path(files_dir) / ("evidence/" + name + ".qml")).string());
    l.visible = false;
    l.group = "Evidence";
    layers.push_back(l);
  }
  ProjectLayer scores;
  scores.raster = true;
  scores.id = "prospect_prospectivity";
  scores.name = "prospectivity";
  scores.source = "./prospectivity.tif";
  scores.crs_wkt = grid.crs_wkt();
  scores.style = read_text_file((fs::path(files_dir) / "prospectivity.qml").string());
  layers.push_back(scores);
  return qgis_project(model.name, grid.crs_wkt(), layers);
}

}  // namespace prospect
