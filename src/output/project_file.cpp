#include "prospect/output/project_file.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "prospect/output/output_folder.hpp"
#include "prospect/output/qgis_project.hpp"
#include "prospect/output/qml.hpp"
#include "prospect/raster/gdal_handles.hpp"

namespace prospect {
namespace fs = std::filesystem;

namespace {

// `file` as the project file in `out_dir` should name it.
std::string relative_to(const std::string& file, const std::string& out_dir) {
  std::error_code ec;
  const fs::path from = fs::weakly_canonical(fs::absolute(out_dir), ec);
  const fs::path to = fs::weakly_canonical(fs::absolute(file), ec);
  fs::path rel = to.lexically_relative(from);
  if (rel.empty()) return to.generic_string();  // another root: absolute
  return rel.generic_string();
}

std::string geometry_name(OGRwkbGeometryType type) {
  switch (wkbFlatten(type)) {
    case wkbPoint:
    case wkbMultiPoint:
      return "Point";
    case wkbLineString:
    case wkbMultiLineString:
      return "Line";
    case wkbPolygon:
    case wkbMultiPolygon:
      return "Polygon";
    default:
      return "";
  }
}

// A model vector as a project layer, or nothing when QGIS could not show it
// as it is (CSV points need reading options; no CRS to place it by).
std::optional<ProjectLayer> vector_layer(const VectorInput& v, const std::string& id,
                                         const std::string& name, const std::string& out_dir) {
  DatasetPtr ds(GDALDataset::Open(v.path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  if (!ds || std::string(ds->GetDriverName()) == "CSV") return std::nullopt;
  OGRLayer* layer = v.layer.empty() ? ds->GetLayer(0) : ds->GetLayerByName(v.layer.c_str());
  if (!layer) return std::nullopt;
  ProjectLayer l;
  l.id = id;
  l.name = name;
  l.geometry = geometry_name(layer->GetGeomType());
  if (l.geometry.empty()) {  // e.g. GeoJSON without a declared type: the first feature says
    FeaturePtr f(layer->GetNextFeature());
    if (f && f->GetGeometryRef())
      l.geometry = geometry_name(f->GetGeometryRef()->getGeometryType());
  }
  if (l.geometry.empty()) return std::nullopt;
  if (!v.crs.empty()) {
    l.crs_wkt = crs_to_wkt(v.crs);
  } else if (const OGRSpatialReference* srs = layer->GetSpatialRef()) {
    char* wkt = nullptr;
    const char* options[] = {"FORMAT=WKT2_2018", nullptr};
    srs->exportToWkt(&wkt, options);
    l.crs_wkt = wkt ? wkt : "";
    CPLFree(wkt);
  }
  if (l.crs_wkt.empty()) return std::nullopt;
  int index = 0;
  while (index < ds->GetLayerCount() && ds->GetLayer(index) != layer) ++index;
  // A source QGIS would misread is left out rather than shown wrong.
  const auto source =
      qgis_ogr_source(relative_to(v.path, out_dir), layer->GetName(), index, v.where);
  if (!source) return std::nullopt;
  l.source = *source;
  return l;
}

}  // namespace

std::string run_project(const ModelSpec& model, const AnalysisGrid& grid,
                        const std::string& out_dir, const std::string& files_dir,
                        const std::vector<std::string>& outputs) {
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
  // Okabe-Ito vermilion and blue: the two deposit sets apart at a glance.
  auto add_vector = [&](const VectorInput& v, const std::string& id, const std::string& name,
                        const std::string& rgb, bool visible, const std::string& group,
                        bool dashed = false) {
    if (auto l = vector_layer(v, id, name, out_dir)) {
      l->style = simple_vector_qml(l->geometry, rgb, dashed);
      l->visible = visible;
      l->group = group;
      layers.push_back(*l);
    }
  };
  if (model.training)
    add_vector(model.training->deposits, "prospect_training_deposits", "training deposits",
               "213,94,0", true, "");
  if (model.validation_deposits &&
      !(model.training && model.training->deposits.path == model.validation_deposits->path &&
        model.training->deposits.where == model.validation_deposits->where))
    add_vector(*model.validation_deposits, "prospect_validation_deposits", "validation deposits",
               "0,114,178", true, "");
  if (model.study_area)
    add_vector(*model.study_area, "prospect_study_area", "study area", "0,0,0", true, "", true);
  for (const InputSpec& in : model.inputs)
    if (in.derived())
      add_vector(in.vector, "prospect_input_" + in.name, in.name, "86,180,233", false,
                 "Input vectors");
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
