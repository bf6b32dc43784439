#include "prospect/output/targets.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "prospect/core/diagnostics.hpp"
#include "prospect/core/interrupt.hpp"
#include "prospect/core/vector_clones.hpp"
#include "prospect/output/geojson_writer.hpp"
#include "prospect/output/zone_outlines.hpp"
#include "prospect/output/zones.hpp"

namespace prospect {
namespace {

ErrorContext context(const std::string& file, const std::string& step) {
  ErrorContext c;
  c.file = file;
  c.step = step;
  return c;
}

// The zone numbers of one row of tiles, gathered tile by tile and handed to
// the outliner a whole grid row at a time (the outliner follows rows).
class ZoneRows {
 public:
  ZoneRows(int width, ZoneOutliner& outliner) : m_width(width), m_outliner(outliner) {}

  void put(const Window& w, const std::int32_t* zones) {
    if (w.row != m_row || m_height == 0) {
      flush();
      m_row = w.row;
      m_height = w.height;
      m_zones.assign(std::size_t(m_width) * std::size_t(w.height), 0);
    }
    for (int r = 0; r < w.height; ++r)
      std::copy_n(zones + std::size_t(r) * std::size_t(w.width), w.width,
                  &m_zones[std::size_t(r) * std::size_t(m_width) + std::size_t(w.col)]);
  }
  // Hands over the rows gathered (a new row of tiles and the end call it).
  void flush() {
    for (int r = 0; r < m_height; ++r)
      m_outliner.add_row(&m_zones[std::size_t(r) * std::size_t(m_width)]);
    m_height = 0;
  }

 private:
  int m_width;
  ZoneOutliner& m_outliner;
  int m_row = -1, m_height = 0;
  std::vector<std::int32_t> m_zones;
};

// A zone's rings of cell corners as a polygon in the grid's coordinates, by the
// same arithmetic as GDAL's polygonize (so the vertices are the ones it wrote).
GeometryPtr polygon_of(const std::vector<CornerRing>& rings, const std::array<double, 6>& gt) {
  GeometryPtr polygon(new OGRPolygon);
  for (const CornerRing& corners : rings) {
    auto* ring = new OGRLinearRing;
    ring->setNumPoints(int(corners.size()) + 1, FALSE);
    for (std::size_t i = 0; i <= corners.size(); ++i) {
      const CellCorner& c = corners[i % corners.size()];
      ring->setPoint(int(i), gt[0] + c.x * gt[1] + c.y * gt[2], gt[3] + c.x * gt[4] + c.y * gt[5]);
    }
    polygon->toPolygon()->addRingDirectly(ring);
  }
  return polygon;
}

// The zones' outlines: their cell corners while they are the exact cell edges
// (the default; a fifth of the memory of GEOS polygons, which a noisy map's
// 150,000 zones would spend), GEOS polygons once filled or simplified.
struct ZoneShapes {
  std::array<double, 6> gt{};
  std::vector<std::vector<CornerRing>> corners;  // per zone, while exact
  std::vector<GeometryPtr> geometry;             // per zone, once changed (else empty)

  // Zone z's outline as a new polygon in the grid's coordinates.
  GeometryPtr polygon(std::size_t z) const {
    return geometry.empty() ? polygon_of(corners[z], gt) : GeometryPtr(geometry[z]->clone());
  }
};

struct FieldsRelease {
  void operator()(OGRFeatureDefn* d) const { d->Release(); }
};
// Features hold a reference each and delete the definition with the last one: ours is the first.
using FieldsPtr = std::unique_ptr<OGRFeatureDefn, FieldsRelease>;

// The attributes of a target zone, in the order every file lists them.
FieldsPtr zone_fields(const std::vector<std::string>& band_names, bool with_drivers) {
  FieldsPtr defn(new OGRFeatureDefn("targets"));
  defn->Reference();
  auto add_field = [&](const std::string& name, OGRFieldType type) {
    OGRFieldDefn d(name.c_str(), type);
    defn->AddFieldDefn(&d);
  };
  add_field("rank", OFTInteger);
  add_field("cells", OFTInteger64);
  add_field("area_m2", OFTReal);
  add_field("area_ha", OFTReal);
  for (const auto& b : band_names) {
    add_field("mean_" + b, OFTReal);
    add_field("max_" + b, OFTReal);
  }
  if (with_drivers) add_field("drivers", OFTString);
  add_field("centroid_x", OFTReal);
  add_field("centroid_y", OFTReal);
  add_field("top_percent_asked", OFTReal);
  add_field("top_percent_delivered", OFTReal);
  return defn;
}

// The zone of rank r (0-based) as a feature of `defn` (zone_fields' order).
FeaturePtr zone_feature(OGRFeatureDefn* defn, std::size_t r, const TargetResult& result,
                        const std::vector<std::size_t>& order, const ZoneShapes& shapes,
                        bool with_drivers, const TargetRequest& req) {
  auto round6 = [](double v) { return std::round(v * 1e6) / 1e6; };
  const double delivered =
      req.population > 0 ? round6(100.0 * double(result.zone_cells) / double(req.population)) : 0.0;
  const TargetZone& z = result.zones[order[r]];
  FeaturePtr f(OGRFeature::CreateFeature(defn));
  int i = 0;
  f->SetField(i++, int(r) + 1);
  f->SetField(i++, GIntBig(z.cells));
  f->SetField(i++, z.area_m2);
  f->SetField(i++, z.area_m2 / 10000.0);
  for (std::size_t b = 0; b < z.mean.size(); ++b) {
    f->SetField(i++, round6(z.mean[b]));
    f->SetField(i++, round6(z.max[b]));
  }
  if (with_drivers) f->SetField(i++, z.drivers.c_str());
  f->SetField(i++, std::round(z.centroid_x * 100) / 100);
  f->SetField(i++, std::round(z.centroid_y * 100) / 100);
  f->SetField(i++, req.top_percent_asked);
  f->SetField(i++, delivered);
  f->SetGeometryDirectly(shapes.polygon(order[r]).release());
  return f;
}

// Writes the ranked zones as layer "targets" of a new file through GDAL;
// GeoJSON reprojects to WGS84 itself (RFC7946=YES). With a style, a GeoPackage
// also gets QGIS's layer_styles table, so the layer opens styled.
void write_zone_layer(const char* driver_name, const std::string& path, const char* const* options,
                      const OGRSpatialReference& srs, const std::vector<std::string>& band_names,
                      const TargetResult& result, const std::vector<std::size_t>& order,
                      const ZoneShapes& shapes, bool with_drivers, const TargetRequest& req,
                      const std::string& style_qml = {}) {
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name);
  DatasetPtr out(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!out)
    throw_gdal(ErrorKind::run_failed, "could not be created", context(path, "writing targets"));
  OGRLayer* layer = out->CreateLayer("targets", const_cast<OGRSpatialReference*>(&srs), wkbPolygon,
                                     const_cast<char**>(options));
  if (!layer)
    throw_gdal(ErrorKind::run_failed, "could not be created", context(path, "writing targets"));
  {
    const FieldsPtr fields = zone_fields(band_names, with_drivers);
    for (int i = 0; i < fields->GetFieldCount(); ++i) layer->CreateField(fields->GetFieldDefn(i));
  }
  out->StartTransaction();
  for (std::size_t r = 0; r < order.size(); ++r) {
    // Ctrl-C ends a long write here (the GeoJSON's, on its own thread, too:
    // the run then unwinds at once instead of waiting for the whole file).
    if (r % 64 == 0) throw_if_interrupted();
    FeaturePtr f = zone_feature(layer->GetLayerDefn(), r, result, order, shapes, with_drivers, req);
    if (layer->CreateFeature(f.get()) != OGRERR_NONE)
      throw_gdal(ErrorKind::run_failed, "could not write a target",
                 context(path, "writing targets"));
  }
  out->CommitTransaction();
  if (!style_qml.empty()) {
    // QGIS looks for a default style of a GeoPackage layer in this table.
    const char* table_options[] = {"ASPATIAL_VARIANT=GPKG_ATTRIBUTES", nullptr};
    OGRLayer* styles =
        out->CreateLayer("layer_styles", nullptr, wkbNone, const_cast<char**>(table_options));
    if (!styles)
      throw_gdal(ErrorKind::run_failed, "could not store the style",
                 context(path, "writing targets"));
    for (const char* name :
         {"f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column", "styleName",
          "styleQML", "styleSLD", "description", "owner", "ui"}) {
      OGRFieldDefn d(name, OFTString);
      styles->CreateField(&d);
    }
    OGRFieldDefn use("useAsDefault", OFTInteger);
    use.SetSubType(OFSTBoolean);
    styles->CreateField(&use);
    // QGIS orders the styles by update_time when it picks the default: without
    // the column its query fails and the layer opens unstyled.
    OGRFieldDefn updated("update_time", OFTDateTime);
    styles->CreateField(&updated);
    FeaturePtr f(OGRFeature::CreateFeature(styles->GetLayerDefn()));
    f->SetField("f_table_catalog", "");
    f->SetField("f_table_schema", "");
    f->SetField("f_table_name", "targets");
    f->SetField("f_geometry_column", "geom");
    f->SetField("styleName", "targets");
    f->SetField("styleQML", style_qml.c_str());
    f->SetField("styleSLD", "");
    f->SetField("description", "prospect target zones, labelled by rank");
    f->SetField("owner", "");
    f->SetField("ui", "");
    f->SetField("useAsDefault", 1);
    f->SetField("update_time", 2000, 1, 1, 0, 0, 0.0f, 100);  // fixed, so the bytes repeat (UTC)
    if (styles->CreateFeature(f.get()) != OGRERR_NONE)
      throw_gdal(ErrorKind::run_failed, "could not store the style",
                 context(path, "writing targets"));
  }
  out.reset();
}

// targets.geojson through the fast writer; through GDAL's driver when a zone
// needs what only GDAL does (a ring across the antimeridian).
void write_zone_geojson(const std::string& path, const OGRSpatialReference& srs,
                        const std::vector<std::string>& band_names, const TargetResult& result,
                        const std::vector<std::size_t>& order, const ZoneShapes& shapes,
                        bool with_drivers, const TargetRequest& req) {
  {
    GeoJsonPolygonWriter writer(path, srs);
    const FieldsPtr fields = zone_fields(band_names, with_drivers);
    bool whole = true;
    for (std::size_t r = 0; whole && r < order.size(); ++r) {
      if (r % 64 == 0) throw_if_interrupted();  // as write_zone_layer
      whole = writer.add(*zone_feature(fields.get(), r, result, order, shapes, with_drivers, req));
    }
    if (whole) {
      writer.finish();
      return;
    }
  }
  VSIUnlink(path.c_str());
  const char* options[] = {"RFC7946=YES", "WRITE_NAME=NO", nullptr};
  write_zone_layer("GeoJSON", path, options, srs, band_names, result, order, shapes, with_drivers,
                   req);
}

// Fills the interior rings smaller than `max_area` (grid units²), unless another
// zone lies inside the hole (filling it would cover that zone). Returns how many.
std::int64_t fill_small_holes(std::vector<GeometryPtr>& zones, double max_area) {
  std::vector<OGREnvelope> envelopes(zones.size());
  for (std::size_t z = 0; z < zones.size(); ++z) zones[z]->getEnvelope(&envelopes[z]);
  std::int64_t filled = 0;
  for (std::size_t z = 0; z < zones.size(); ++z) {
    OGRPolygon* polygon = zones[z]->toPolygon();
    if (polygon->getNumInteriorRings() == 0) continue;
    GeometryPtr kept(new OGRPolygon);
    kept->toPolygon()->addRing(polygon->getExteriorRing());
    for (int h = 0; h < polygon->getNumInteriorRings(); ++h) {
      OGRLinearRing* ring = polygon->getInteriorRing(h);  // addRing copies it
      bool fill = ring->get_Area() < max_area;
      if (fill) {
        OGREnvelope hole;
        ring->getEnvelope(&hole);
        OGRPolygon hole_polygon;
        hole_polygon.addRing(ring);
        for (std::size_t o = 0; fill && o < zones.size(); ++o)
          if (o != z && hole.Contains(envelopes[o]) && hole_polygon.Contains(zones[o].get()))
            fill = false;
      }
      if (fill)
        ++filled;
      else
        kept->toPolygon()->addRing(ring);
    }
    zones[z] = std::move(kept);
  }
  return filled;
}

// mask[i] = 1 where v[i] is a score at or above the threshold; returns how
// many. Branch-free (& not &&): on a noisy map the branch was a coin toss.
PROSPECT_VECTOR_CLONES
std::int64_t cut_cells(const float* v, std::size_t n, float threshold, unsigned char* mask) {
  std::int64_t cells = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mask[i] = (unsigned char)((v[i] != k_output_nodata) & (v[i] >= threshold));
    cells += mask[i];
  }
  return cells;
}

}  // namespace

TargetResult write_targets(StagedRaster& scores, const AnalysisGrid& grid,
                           const std::vector<Tile>& tiles,
                           const std::vector<std::string>& band_names, const TargetRequest& req,
                           const std::string& geojson_path, const std::string& gpkg_path,
                           const std::string& style_qml, ZoneAnnotator* annotator) {
  TargetResult result;
  const int bands = int(band_names.size());
  OGRSpatialReference grid_srs = srs_from(grid.crs_wkt());

  // 1. Label connected target cells tile by tile; only the union-find of the
  //    provisional labels is kept, no raster of them.
  auto cut = [&](const Tile& t, std::vector<float>& values, std::vector<unsigned char>& mask) {
    const std::size_t n = t.window.cell_count();
    values.resize(n);
    mask.resize(n);
    scores.read(req.band, t.window, values.data());
    return cut_cells(values.data(), n, req.threshold, mask.data());
  };
  ZoneLabeller labeller(grid.width());
  std::vector<float> values;
  std::vector<unsigned char> mask;
  std::vector<std::int32_t> labels;
  if (!req.none) {
    for (const Tile& t : tiles) {
      result.cut_cells += cut(t, values, mask);
      labels.resize(t.window.cell_count());
      labeller.label_tile(t.window, mask.data(), labels.data());
    }
  }
  labeller.finish();
  // 2. Final zone numbers, without the zones below the minimum size.
  std::vector<std::int32_t> kept(std::size_t(labeller.zone_count()) + 1, 0);
  std::int32_t zone_count = 0;
  for (std::int32_t z = 1; z <= labeller.zone_count(); ++z)
    if (labeller.zone_cells(z) >= std::max<std::int64_t>(1, req.min_cells))
      kept[std::size_t(z)] = ++zone_count;
  result.dropped_small = labeller.zone_count() - zone_count;
  result.zones.resize(std::size_t(zone_count));
  for (auto& z : result.zones) {
    z.mean.assign(std::size_t(bands), 0.0);
    z.max.assign(std::size_t(bands), -1e300);
  }

  // 3. One more pass: the same cut labelled again (the same provisional
  //    labels, as labelling is deterministic) and numbered as zones, the
  //    statistics gathered, and the zones outlined as their rows go by.
  ZoneShapes shapes;
  shapes.gt = grid.geotransform();
  shapes.corners.resize(result.zones.size());
  if (zone_count > 0) {
    ZoneOutliner outliner(grid.width(), zone_count,
                          [&](std::int32_t zone, std::vector<CornerRing>&& rings) {
                            shapes.corners[std::size_t(zone - 1)] = std::move(rings);
                          });
    ZoneRows rows(grid.width(), outliner);
    ZoneLabeller again = ZoneLabeller::numbering_only(grid.width());
    std::vector<float> other;  // a band other than the target band
    std::size_t done = 0;
    for (const Tile& t : tiles) {
      if (done++ % 64 == 0) {
        throw_if_interrupted();
        if (req.on_progress) req.on_progress(double(done) / double(tiles.size()));
      }
      const std::size_t n = t.window.cell_count();
      cut(t, values, mask);
      labels.resize(n);
      again.label_tile(t.window, mask.data(), labels.data());
      bool any = false;
      for (auto& l : labels) {
        l = kept[std::size_t(labeller.zone_of(l))];
        any = any || l != 0;
      }
      rows.put(t.window, labels.data());
      if (!any) continue;
      if (annotator) annotator->add_tile(t.window, labels.data(), zone_count);
      for (std::size_t i = 0; i < n; ++i)
        if (labels[i] > 0) ++result.zones[std::size_t(labels[i] - 1)].cells;
      for (int b = 0; b < bands; ++b) {
        const float* v = values.data();  // the target band, read for the cut
        if (b + 1 != req.band) {
          other.resize(n);
          scores.read(b + 1, t.window, other.data());
          v = other.data();
        }
        for (std::size_t i = 0; i < n; ++i) {
          if (labels[i] <= 0 || v[i] == k_output_nodata) continue;
          TargetZone& z = result.zones[std::size_t(labels[i] - 1)];
          z.mean[std::size_t(b)] += v[i];
          z.max[std::size_t(b)] = std::max(z.max[std::size_t(b)], double(v[i]));
        }
      }
    }
    rows.flush();
    outliner.finish();
    if (req.on_progress) req.on_progress(1.0);
    for (std::size_t z = 0; z < shapes.corners.size(); ++z)
      if (shapes.corners[z].empty())
        throw Error(ErrorKind::run_failed,
                    "target zone " + std::to_string(z + 1) + " was not outlined",
                    context(geojson_path, "outlining targets"));
    // Filled or simplified outlines are no longer cell corners: GEOS polygons from here on.
    if (req.fill_holes_area > 0 || req.simplify_tolerance > 0) {
      std::vector<GeometryPtr> geometry;
      for (std::size_t z = 0; z < shapes.corners.size(); ++z) {
        geometry.push_back(polygon_of(shapes.corners[z], shapes.gt));
        shapes.corners[z] = {};
      }
      shapes.geometry = std::move(geometry);
    }
    if (req.fill_holes_area > 0)
      result.holes_filled = fill_small_holes(shapes.geometry, req.fill_holes_area);
    const double m2_per_unit2 = grid.metres_per_unit() * grid.metres_per_unit();
    for (std::size_t z = 0; z < result.zones.size(); ++z) {
      TargetZone& zone = result.zones[z];
      if (req.simplify_tolerance > 0) {
        GeometryPtr simpler(shapes.geometry[z]->SimplifyPreserveTopology(req.simplify_tolerance));
        if (!simpler || simpler->IsEmpty() || wkbFlatten(simpler->getGeometryType()) != wkbPolygon)
          throw Error(ErrorKind::run_failed,
                      "target zone " + std::to_string(z + 1) + " could not be simplified",
                      context(geojson_path, "simplifying targets"));
        shapes.geometry[z] = std::move(simpler);
      }
      const GeometryPtr outline = shapes.polygon(z);
      OGRPoint c;
      outline->Centroid(&c);
      zone.centroid_x = c.getX();
      zone.centroid_y = c.getY();
      zone.area_m2 = outline->toPolygon()->get_Area() * m2_per_unit2;
      for (auto& m : zone.mean) m = zone.cells ? m / double(zone.cells) : 0.0;
      if (annotator) zone.drivers = annotator->drivers(std::int32_t(z) + 1);
    }
  }
  // Rank: highest mean score on the target band first; ties by area, then position.
  std::vector<std::size_t> order(result.zones.size());
  std::iota(order.begin(), order.end(), 0);
  const std::size_t tb = std::size_t(req.band - 1);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const TargetZone &za = result.zones[a], &zb = result.zones[b];
    if (za.mean[tb] != zb.mean[tb]) return za.mean[tb] > zb.mean[tb];
    if (za.cells != zb.cells) return za.cells > zb.cells;
    if (za.centroid_y != zb.centroid_y) return za.centroid_y > zb.centroid_y;
    return za.centroid_x < zb.centroid_x;
  });

  for (const TargetZone& z : result.zones) result.zone_cells += z.cells;
  if (!gpkg_path.empty()) {
    // GeoPackages record a modification time; a fixed one keeps the bytes reproducible.
    CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z");
    const char* gpkg_options[] = {"SPATIAL_INDEX=YES", nullptr};
    write_zone_layer("GPKG", gpkg_path, gpkg_options, grid_srs, band_names, result, order, shapes,
                     annotator != nullptr, req, style_qml);
    CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", nullptr);
  }
  // The GeoJSON last: it may take the geometry to a thread of its own.
  auto write_geojson = [grid_srs, band_names, zones = result.zones, zone_cells = result.zone_cells,
                        order, geojson_path, shapes = std::move(shapes),
                        with_drivers = annotator != nullptr, req,
                        diagnostics = current_diagnostics()]() {
    const DiagnosticsScope reporting(diagnostics);
    TargetResult unranked;
    unranked.zones = zones;
    unranked.zone_cells = zone_cells;
    write_zone_geojson(geojson_path, grid_srs, band_names, unranked, order, shapes, with_drivers,
                       req);
  };
  if (req.geojson_in_background)
    result.geojson_written = std::async(std::launch::async, std::move(write_geojson));
  else
    write_geojson();
  std::vector<TargetZone> ranked;
  ranked.reserve(order.size());
  for (std::size_t i : order) ranked.push_back(std::move(result.zones[i]));
  result.zones = std::move(ranked);
  return result;
}

}  // namespace prospect
