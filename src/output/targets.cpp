#include "prospect/output/targets.hpp"

#include "prospect/output/zones.hpp"

#include <gdal_alg.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace prospect {
namespace {

ErrorContext context(const std::string& file, const std::string& step) {
  ErrorContext c;
  c.file = file;
  c.step = step;
  return c;
}

void write_ids(StagedRaster& ids, const Window& w, std::int32_t* labels) {
  CPLErrorReset();
  if (ids.dataset()->GetRasterBand(1)->RasterIO(GF_Write, w.col, w.row, w.width, w.height, labels,
                                                w.width, w.height, GDT_Int32, 0, 0, nullptr) != CE_None)
    throw_gdal(ErrorKind::run_failed, "could not be written (disk full?)",
               context(ids.path(), "labelling target zones"));
}

}  // namespace

TargetResult write_targets(StagedRaster& scores, const AnalysisGrid& grid,
                           const std::vector<Tile>& tiles,
                           const std::vector<std::string>& band_names, const TargetRequest& req,
                           const std::string& staging_dir, const std::string& geojson_path) {
  TargetResult result;
  const int bands = int(band_names.size());
  OGRSpatialReference grid_srs = srs_from(grid.crs_wkt());

  // 1. Label connected target cells tile by tile (provisional labels on disk).
  StagedRaster ids(staging_dir + "/targets_id.tif", grid, {"zone"}, GDT_Int32);
  ZoneLabeller labeller(grid.width());
  std::vector<float> values;
  std::vector<unsigned char> mask;
  std::vector<std::int32_t> labels;
  if (!req.none) {
    for (const Tile& t : tiles) {
      const std::size_t n = t.window.cell_count();
      values.resize(n);
      mask.resize(n);
      labels.resize(n);
      scores.read(req.band, t.window, values.data());
      for (std::size_t i = 0; i < n; ++i)
        mask[i] = values[i] != k_output_nodata && values[i] >= req.threshold ? 1 : 0;
      labeller.label_tile(t.window, mask.data(), labels.data());
      write_ids(ids, t.window, labels.data());
    }
  }
  labeller.finish();

  // 2. Final zone numbers, without the zones below the minimum size.
  std::vector<std::int32_t> kept(std::size_t(labeller.zone_count()) + 1, 0);
  std::int32_t zone_count = 0;
  for (std::int32_t z = 1; z <= labeller.zone_count(); ++z)
    if (labeller.zone_cells(z) >= std::max<std::int64_t>(1, req.min_cells)) kept[std::size_t(z)] = ++zone_count;
  result.dropped_small = labeller.zone_count() - zone_count;
  result.zones.resize(std::size_t(zone_count));
  for (auto& z : result.zones) {
    z.mean.assign(std::size_t(bands), 0.0);
    z.max.assign(std::size_t(bands), -1e300);
  }

  // 3. One pass: rewrite the labels as zone numbers and gather the statistics.
  if (zone_count > 0 || labeller.zone_count() > 0) {
    for (const Tile& t : tiles) {
      const std::size_t n = t.window.cell_count();
      labels.resize(n);
      ids.read_raw(1, t.window, labels.data(), GDT_Int32);
      bool any = false;
      for (auto& l : labels) {
        l = kept[std::size_t(labeller.zone_of(l))];
        any = any || l != 0;
      }
      write_ids(ids, t.window, labels.data());
      if (!any) continue;
      for (std::size_t i = 0; i < n; ++i)
        if (labels[i] > 0) ++result.zones[std::size_t(labels[i] - 1)].cells;
      values.resize(n);
      for (int b = 0; b < bands; ++b) {
        scores.read(b + 1, t.window, values.data());
        for (std::size_t i = 0; i < n; ++i) {
          if (labels[i] <= 0 || values[i] == k_output_nodata) continue;
          TargetZone& z = result.zones[std::size_t(labels[i] - 1)];
          z.mean[std::size_t(b)] += values[i];
          z.max[std::size_t(b)] = std::max(z.max[std::size_t(b)], double(values[i]));
        }
      }
    }
  }

  // 4. Outlines: each zone is one 4-connected patch, so it becomes one polygon
  //    (GDAL's polygonize also joins 4-connected cells).
  GDALDriver* memory = GetGDALDriverManager()->GetDriverByName("Memory");
  DatasetPtr polys(memory->Create("targets", 0, 0, 0, GDT_Unknown, nullptr));
  OGRLayer* layer = polys->CreateLayer("targets", &grid_srs, wkbPolygon, nullptr);
  OGRFieldDefn zone_field("zone", OFTInteger);
  layer->CreateField(&zone_field);
  std::vector<GeometryPtr> geometry(result.zones.size());
  if (zone_count > 0) {
    GDALRasterBand* id_band = ids.dataset()->GetRasterBand(1);
    CPLErrorReset();
    if (GDALPolygonize(id_band, id_band, layer, 0, nullptr, nullptr, nullptr) != CE_None)
      throw_gdal(ErrorKind::run_failed, "could not outline the target zones",
                 context(geojson_path, "polygonizing targets"));
    layer->ResetReading();
    for (FeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
      const int zone = f->GetFieldAsInteger(0);
      if (zone < 1 || zone > zone_count || geometry[std::size_t(zone - 1)])
        throw Error(ErrorKind::run_failed, "target zone " + std::to_string(zone) +
                                               " did not outline as one polygon",
                    context(geojson_path, "polygonizing targets"));
      geometry[std::size_t(zone - 1)].reset(f->StealGeometry());
    }
    for (std::size_t z = 0; z < result.zones.size(); ++z) {
      TargetZone& zone = result.zones[z];
      OGRPoint c;
      geometry[z]->Centroid(&c);
      zone.centroid_x = c.getX();
      zone.centroid_y = c.getY();
      zone.area_m2 = double(zone.cells) * grid.cell_area() * grid.metres_per_unit() * grid.metres_per_unit();
      for (auto& m : zone.mean) m = zone.cells ? m / double(zone.cells) : 0.0;
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

  GDALDriver* geojson = GetGDALDriverManager()->GetDriverByName("GeoJSON");
  DatasetPtr out(geojson->Create(geojson_path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!out)
    throw_gdal(ErrorKind::run_failed, "could not be created", context(geojson_path, "writing targets"));
  const char* layer_options[] = {"RFC7946=YES", "WRITE_NAME=NO", nullptr};
  OGRLayer* target_layer = out->CreateLayer("targets", &grid_srs, wkbPolygon,
                                            const_cast<char**>(layer_options));
  if (!target_layer)
    throw_gdal(ErrorKind::run_failed, "could not be created", context(geojson_path, "writing targets"));
  auto add_field = [&](const std::string& name, OGRFieldType type) {
    OGRFieldDefn d(name.c_str(), type);
    target_layer->CreateField(&d);
  };
  add_field("rank", OFTInteger);
  add_field("cells", OFTInteger64);
  add_field("area_m2", OFTReal);
  add_field("area_ha", OFTReal);
  for (const auto& b : band_names) {
    add_field("mean_" + b, OFTReal);
    add_field("max_" + b, OFTReal);
  }
  add_field("centroid_x", OFTReal);
  add_field("centroid_y", OFTReal);

  std::vector<int> rank_of(result.zones.size());
  for (std::size_t r = 0; r < order.size(); ++r) rank_of[order[r]] = int(r) + 1;
  auto round6 = [](double v) { return std::round(v * 1e6) / 1e6; };
  for (std::size_t r = 0; r < order.size(); ++r) {
    const TargetZone& z = result.zones[order[r]];
    FeaturePtr f(OGRFeature::CreateFeature(target_layer->GetLayerDefn()));
    f->SetField("rank", int(r) + 1);
    f->SetField("cells", GIntBig(z.cells));
    f->SetField("area_m2", z.area_m2);
    f->SetField("area_ha", z.area_m2 / 10000.0);
    for (std::size_t b = 0; b < band_names.size(); ++b) {
      f->SetField(("mean_" + band_names[b]).c_str(), round6(z.mean[b]));
      f->SetField(("max_" + band_names[b]).c_str(), round6(z.max[b]));
    }
    f->SetField("centroid_x", std::round(z.centroid_x * 100) / 100);
    f->SetField("centroid_y", std::round(z.centroid_y * 100) / 100);
    f->SetGeometryDirectly(geometry[order[r]].release());
    if (target_layer->CreateFeature(f.get()) != OGRERR_NONE)
      throw_gdal(ErrorKind::run_failed, "could not write a target", context(geojson_path, "writing targets"));
  }
  out.reset();
  std::vector<TargetZone> ranked;
  for (std::size_t i : order) ranked.push_back(result.zones[i]);
  result.zones = std::move(ranked);
  return result;
}

}  // namespace prospect
