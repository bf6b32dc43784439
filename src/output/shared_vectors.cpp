#include "prospect/output/shared_vectors.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal_utils.h>

#include <filesystem>
#include <map>
#include <memory>

#include "prospect/core/diagnostics.hpp"
#include "prospect/core/error.hpp"
#include "prospect/core/interrupt.hpp"
#include "prospect/raster/gdal_handles.hpp"

namespace prospect {
namespace {

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

struct TranslateOptionsFree {
  void operator()(GDALVectorTranslateOptions* o) const { GDALVectorTranslateOptionsFree(o); }
};

// ogr2ogr's options for one layer: filtered, cut to the grid's extent, into the grid CRS.
CPLStringList translate_arguments(const VectorInput& v, const AnalysisGrid& grid,
                                  const std::string& source_layer, bool point_source,
                                  const std::string& layer) {
  const Extent e = grid.extent();
  CPLStringList args;
  for (const std::string& a :
       {std::string("-nln"), layer, std::string("-t_srs"), grid.crs_wkt(), std::string("-spat"),
        std::to_string(e.min_x), std::to_string(e.min_y), std::to_string(e.max_x),
        std::to_string(e.max_y), std::string("-spat_srs"), grid.crs_wkt()})
    args.AddString(a.c_str());
  if (!point_source) {
    // Shapefiles mix Polygon and MultiPolygon in one layer; GeoPackage layers hold one type.
    args.AddString("-nlt");
    args.AddString("PROMOTE_TO_MULTI");
  }
  if (!v.crs.empty()) {
    args.AddString("-s_srs");
    args.AddString(crs_to_wkt(v.crs, v.path).c_str());
  }
  if (!v.where.empty()) {
    args.AddString("-where");
    args.AddString(v.where.c_str());
  }
  args.AddString(source_layer.c_str());
  return args;
}

// Copies `v` into layer `layer` of `out`; the reason when it cannot.
std::string copy_layer(const VectorInput& v, const AnalysisGrid& grid, GDALDataset& out,
                       const std::string& layer) {
  DatasetPtr source;
  try {
    source = open_vector(v.path, {v.x_column, v.y_column, v.wkt_column});
  } catch (const Error& e) {
    return e.what();
  }
  OGRLayer* in = v.layer.empty() ? source->GetLayer(0) : source->GetLayerByName(v.layer.c_str());
  if (!in) return "no layer '" + v.layer + "'";
  std::unique_ptr<GDALVectorTranslateOptions, TranslateOptionsFree> options(
      GDALVectorTranslateOptionsNew(
          translate_arguments(v, grid, in->GetName(), wkbFlatten(in->GetGeomType()) == wkbPoint,
                              layer)
              .List(),
          nullptr));
  if (!options) return "GDAL refused the copy options";
  GDALVectorTranslateOptionsSetProgress(options.get(), stop_on_interrupt, nullptr);
  GDALDatasetH source_handle = GDALDataset::ToHandle(source.get());
  int usage_error = 0;
  CPLErrorReset();
  CPLPushErrorHandler(CPLQuietErrorHandler);
  GDALDatasetH done = GDALVectorTranslate(nullptr, GDALDataset::ToHandle(&out), 1, &source_handle,
                                          options.get(), &usage_error);
  CPLPopErrorHandler();
  throw_if_interrupted();
  if (!done) {
    const std::string why = CPLGetLastErrorMsg();
    return why.empty() ? "GDAL could not copy it" : why;
  }
  return "";
}

}  // namespace

std::vector<SharedVector> copy_shared_vectors(const ModelSpec& model, const AnalysisGrid& grid,
                                              const std::string& gpkg_path) {
  struct Wanted {
    const VectorInput* input;
    SharedVector shown;
  };
  std::vector<Wanted> wanted;
  // Okabe-Ito vermilion and blue: the two deposit sets apart at a glance.
  auto want = [&](const VectorInput& v, const std::string& layer, const std::string& name,
                  const std::string& rgb, bool visible, const std::string& group,
                  bool dashed = false) {
    SharedVector s;
    s.id = "prospect_" + layer;
    s.name = name;
    s.layer = layer;
    s.rgb = rgb;
    s.visible = visible;
    s.dashed = dashed;
    s.group = group;
    wanted.push_back({&v, s});
  };
  if (model.training)
    want(model.training->deposits, "training_deposits", "training deposits", "213,94,0", true, "");
  if (model.validation_deposits &&
      !(model.training && model.training->deposits.path == model.validation_deposits->path &&
        model.training->deposits.where == model.validation_deposits->where))
    want(*model.validation_deposits, "validation_deposits", "validation deposits", "0,114,178",
         true, "");
  if (model.study_area)
    want(*model.study_area, "study_area", "study area", "0,0,0", true, "", true);
  for (const InputSpec& in : model.inputs)
    if (in.derived())
      want(in.vector, "input_" + in.name, in.name, "86,180,233", false, "Input vectors");
  std::vector<SharedVector> copied;
  if (wanted.empty()) return copied;

  // GeoPackages record modification times; a fixed one keeps the bytes reproducible.
  CPLConfigOptionSetter fixed_date("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z", false);
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
  DatasetPtr out(driver ? driver->Create(gpkg_path.c_str(), 0, 0, 0, GDT_Unknown, nullptr)
                        : nullptr);
  if (!out) {
    ErrorContext context;
    context.file = gpkg_path;
    context.step = "writing the project's vector layers";
    throw_gdal(ErrorKind::run_failed, "cannot be created", context);
  }
  // Inputs that read the same features (four IDW layers of one soil CSV) share one copy.
  struct Copy {
    std::string layer, failure;
  };
  std::map<std::string, Copy> copies;
  for (Wanted& w : wanted) {
    const VectorInput& v = *w.input;
    const std::string key = v.path + '\n' + v.layer + '\n' + v.where + '\n' + v.crs + '\n' +
                            v.x_column + '\n' + v.y_column + '\n' + v.wkt_column;
    const auto [copy, is_new] = copies.emplace(key, Copy{w.shown.layer, ""});
    if (is_new) copy->second.failure = copy_layer(v, grid, *out, w.shown.layer);
    w.shown.layer = copy->second.layer;
    const std::string& why = copy->second.failure;
    OGRLayer* layer = why.empty() ? out->GetLayerByName(w.shown.layer.c_str()) : nullptr;
    if (layer) {
      w.shown.geometry = geometry_name(layer->GetGeomType());
      w.shown.features = layer->GetFeatureCount();
    }
    if (!layer || w.shown.geometry.empty()) {
      report_warning("project.qgs: '" + w.shown.name + "' (" + w.input->path +
                     ") is left out of the project: " +
                     (why.empty() ? "its features have no point, line or polygon geometry" : why));
      continue;
    }
    copied.push_back(w.shown);
  }
  out.reset();
  if (copied.empty()) std::filesystem::remove(gpkg_path);
  return copied;
}

}  // namespace prospect
