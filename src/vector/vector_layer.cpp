#include "prospect/vector/vector_layer.hpp"

#include <cpl_error.h>

#include <algorithm>
#include <cmath>

#include "prospect/core/diagnostics.hpp"

namespace prospect {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

ErrorContext context_for(const VectorInput& in, const std::string& layer, const std::string& step) {
  ErrorContext c;
  c.file = in.path;
  c.layer = layer;
  c.step = step;
  return c;
}

OGRLayer& pick_layer(GDALDataset& ds, const VectorInput& in) {
  if (in.layer.empty()) return *ds.GetLayer(0);
  if (OGRLayer* l = ds.GetLayerByName(in.layer.c_str())) return *l;
  std::vector<std::string> names;
  for (int i = 0; i < ds.GetLayerCount(); ++i) names.push_back(ds.GetLayer(i)->GetName());
  throw Error(ErrorKind::bad_input, "has no layer '" + in.layer + "'",
              context_for(in, "", "opening the vector file"),
              "layers in this file: " + join(names));
}

// GeoJSON without a crs member is WGS84 lon/lat by definition (RFC 7946); files
// exported in metres still say nothing, and would land in the wrong hemisphere.
void check_lon_lat(GDALDataset& ds, OGRLayer& layer, const VectorInput& in,
                   const OGRSpatialReference& srs) {
  if (!in.crs.empty() || !srs.IsGeographic()) return;
  const std::string driver = ds.GetDriver() ? ds.GetDriver()->GetDescription() : "";
  if (driver != "GeoJSON" && driver != "GeoJSONSeq") return;
  OGREnvelope e;
  if (layer.GetExtent(&e, TRUE) != OGRERR_NONE) return;
  if (e.MinX >= -180.0001 && e.MaxX <= 180.0001 && e.MinY >= -90.0001 && e.MaxY <= 90.0001) return;
  char msg[300];
  std::snprintf(msg, sizeof msg,
                "coordinates cannot be longitude/latitude (x %.1f..%.1f, y %.1f..%.1f), yet "
                "GeoJSON is lon/lat unless it says otherwise",
                e.MinX, e.MaxX, e.MinY, e.MaxY);
  throw Error(ErrorKind::bad_input, msg, context_for(in, layer.GetName(), "reading coordinates"),
              "if these are projected coordinates (metres), add 'crs: EPSG:<code>' to this "
              "input in the model file, or save the layer as GeoPackage with its CRS");
}

}  // namespace

std::vector<std::string> field_names(OGRLayer& layer) {
  std::vector<std::string> names;
  OGRFeatureDefn* defn = layer.GetLayerDefn();
  for (int i = 0; i < defn->GetFieldCount(); ++i)
    names.push_back(defn->GetFieldDefn(i)->GetNameRef());
  return names;
}

std::vector<std::string> field_names(const VectorInput& in) {
  DatasetPtr ds = open_vector(in.path, {in.x_column, in.y_column, in.wkt_column});
  return field_names(pick_layer(*ds, in));
}

std::string both_filters(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return "(" + a + ") AND (" + b + ")";
}

FeatureSet read_vector(const VectorInput& in, const std::string& target_crs_wkt,
                       const std::vector<std::string>& fields, bool check_validity) {
  DatasetPtr ds = open_vector(in.path, {in.x_column, in.y_column, in.wkt_column});
  OGRLayer& layer = pick_layer(*ds, in);
  FeatureSet out;
  out.layer_name = layer.GetName();
  if (EQUAL(ds->GetDriverName(), "CSV") && layer.GetGeomType() == wkbNone) {
    // Without coordinate columns every row would be dropped as having no
    // geometry, and the error would come later with the wrong cause.
    const std::string asked =
        !in.wkt_column.empty() ? "no geometry column '" + in.wkt_column + "'"
        : !in.x_column.empty()
            ? "no coordinate columns '" + in.x_column + "' and '" + in.y_column + "'"
            : "no coordinate columns under the usual names (x/lon/easting, y/lat/northing)";
    throw Error(ErrorKind::bad_input, "has " + asked,
                context_for(in, out.layer_name, "reading CSV points"),
                "its columns: " + join(field_names(layer)) +
                    "; name them with columns: {x: X_UTM, y: Y_UTM} (or {wkt: geometry})");
  }
  std::vector<int> field_index;
  for (const auto& name : fields) {
    field_index.push_back(layer.GetLayerDefn()->GetFieldIndex(name.c_str()));
    if (field_index.back() < 0) {
      ErrorContext c = context_for(in, out.layer_name, "reading attributes");
      c.field = name;
      throw Error(ErrorKind::bad_input, "has no field '" + name + "'", c,
                  "fields in this layer: " + join(field_names(layer)));
    }
  }

  if (!in.where.empty()) {
    CPLErrorReset();
    CPLPushErrorHandler(CPLQuietErrorHandler);
    const OGRErr err = layer.SetAttributeFilter(in.where.c_str());
    CPLPopErrorHandler();
    if (err != OGRERR_NONE)
      throw_gdal(ErrorKind::bad_input, "the filter '" + in.where + "' is not valid for this layer",
                 context_for(in, out.layer_name, "applying the attribute filter"),
                 "fields in this layer: " + join(field_names(layer)));
  }

  OGRSpatialReference src;
  if (!in.crs.empty()) {
    src = srs_from(crs_to_wkt(in.crs, in.path));
  } else if (const OGRSpatialReference* s = layer.GetSpatialRef()) {
    src = *s;
    src.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  } else {
    throw Error(ErrorKind::bad_input, "has no coordinate reference system",
                context_for(in, out.layer_name, "reading coordinates"),
                "add 'crs: EPSG:<code>' to this input in the model file if you know it");
  }
  check_lon_lat(*ds, layer, in, src);

  OGRSpatialReference dst = srs_from(target_crs_wkt);
  TransformPtr ct;
  if (!src.IsSame(&dst)) {
    ct.reset(OGRCreateCoordinateTransformation(&src, &dst));
    if (!ct)
      throw_gdal(ErrorKind::bad_input, "cannot be transformed into the grid CRS",
                 context_for(in, out.layer_name, "reprojecting"));
  }

  bool first = true;
  layer.ResetReading();
  for (FeaturePtr f(layer.GetNextFeature()); f; f.reset(layer.GetNextFeature())) {
    GeometryPtr g(f->StealGeometry());
    if (!g || g->IsEmpty()) {
      ++out.dropped_empty;
      continue;
    }
    g->assignSpatialReference(nullptr);
    if (ct && g->transform(ct.get()) != OGRERR_NONE)
      throw_gdal(
          ErrorKind::bad_input,
          "feature " + std::to_string(f->GetFID()) + " cannot be transformed into the grid CRS",
          context_for(in, out.layer_name, "reprojecting"),
          "check that the layer's CRS is right for its coordinates");
    const OGRwkbGeometryType type = wkbFlatten(g->getGeometryType());
    if (check_validity && (type == wkbPolygon || type == wkbMultiPolygon)) {
      CPLPushErrorHandler(CPLQuietErrorHandler);  // GEOS explains invalidity as a warning
      const bool valid = g->IsValid();
      CPLPopErrorHandler();
      if (!valid) {
        if (OGRGeometry* fixed = g->MakeValid()) {
          g.reset(fixed);
          ++out.repaired;
        }
      }
    }
    OGREnvelope e;
    g->getEnvelope(&e);
    if (first) {
      out.extent = {e.MinX, e.MinY, e.MaxX, e.MaxY};
      first = false;
    } else {
      out.extent.min_x = std::min(out.extent.min_x, e.MinX);
      out.extent.min_y = std::min(out.extent.min_y, e.MinY);
      out.extent.max_x = std::max(out.extent.max_x, e.MaxX);
      out.extent.max_y = std::max(out.extent.max_y, e.MaxY);
    }
    out.envelopes.push_back(e);
    out.geometries.push_back(std::move(g));
    out.fids.push_back(f->GetFID());
    if (!field_index.empty()) {
      std::vector<std::string> row;
      for (int k : field_index)
        row.emplace_back(f->IsFieldSetAndNotNull(k) ? f->GetFieldAsString(k) : "");
      out.values.push_back(std::move(row));
    }
  }
  if (out.repaired > 0)
    report_note(in.path + ": layer '" + out.layer_name + "': repaired " +
                std::to_string(out.repaired) + " invalid polygon(s) with GEOS make-valid");
  return out;
}

}  // namespace prospect
