#include "prospect/output/targets.hpp"

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

}  // namespace

TargetResult write_targets(StagedRaster& scores, const AnalysisGrid& grid,
                           const std::vector<Tile>& tiles,
                           const std::vector<std::string>& band_names, const TargetRequest& req,
                           const std::string& staging_dir, const std::string& geojson_path) {
  TargetResult result;
  const int bands = int(band_names.size());
  OGRSpatialReference grid_srs = srs_from(grid.crs_wkt());

  // Polygons in the grid CRS, in memory: one per connected patch of target cells.
  GDALDriver* memory = GetGDALDriverManager()->GetDriverByName("Memory");
  DatasetPtr polys(memory->Create("targets", 0, 0, 0, GDT_Unknown, nullptr));
  OGRLayer* layer = polys->CreateLayer("targets", &grid_srs, wkbPolygon, nullptr);
  OGRFieldDefn dn("dn", OFTInteger);
  layer->CreateField(&dn);
  OGRFieldDefn pid("pid", OFTInteger);
  layer->CreateField(&pid);

  long long zone_count = 0;
  if (!req.none) {
    StagedRaster mask(staging_dir + "/targets_mask.tif", grid, {"target"}, GDT_Byte);
    std::vector<float> values;
    std::vector<unsigned char> bytes;
    for (const Tile& t : tiles) {
      values.resize(t.window.cell_count());
      bytes.resize(t.window.cell_count());
      scores.read(req.band, t.window, values.data());
      for (std::size_t i = 0; i < values.size(); ++i)
        bytes[i] = values[i] != k_output_nodata && values[i] >= req.threshold ? 1 : 0;
      mask.write_bytes(1, t.window, bytes.data());
    }
    GDALRasterBand* mask_band = mask.dataset()->GetRasterBand(1);
    CPLErrorReset();
    if (GDALPolygonize(mask_band, mask_band, layer, 0, nullptr, nullptr, nullptr) != CE_None)
      throw_gdal(ErrorKind::run_failed, "could not outline the target zones",
                 context(geojson_path, "polygonizing targets"));
    layer->ResetReading();
    for (FeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
      f->SetField("pid", int(++zone_count));
      if (layer->SetFeature(f.get()) != OGRERR_NONE)
        throw_gdal(ErrorKind::run_failed, "could not number the target zones", context(geojson_path, "polygonizing targets"));
    }
  }

  result.zones.resize(std::size_t(zone_count));
  if (zone_count > 0) {
    // Label cells with their zone, then one pass over the tiles for the statistics.
    StagedRaster ids(staging_dir + "/targets_id.tif", grid, {"zone"}, GDT_Int32);
    int band_list = 1;
    const char* options[] = {"ATTRIBUTE=pid", nullptr};
    OGRLayerH layers[] = {OGRLayer::ToHandle(layer)};
    CPLErrorReset();
    if (GDALRasterizeLayers(GDALDataset::ToHandle(ids.dataset()), 1, &band_list, 1, layers,
                            nullptr, nullptr, nullptr, const_cast<char**>(options), nullptr,
                            nullptr) != CE_None)
      throw_gdal(ErrorKind::run_failed, "could not label the target zones",
                 context(geojson_path, "measuring targets"));
    for (auto& z : result.zones) {
      z.mean.assign(std::size_t(bands), 0.0);
      z.max.assign(std::size_t(bands), -1e300);
    }
    std::vector<std::int32_t> id_values;
    std::vector<float> values;
    for (const Tile& t : tiles) {
      const std::size_t n = t.window.cell_count();
      id_values.resize(n);
      ids.read_raw(1, t.window, id_values.data(), GDT_Int32);
      if (std::all_of(id_values.begin(), id_values.end(), [](std::int32_t v) { return v == 0; }))
        continue;
      for (std::size_t i = 0; i < n; ++i)
        if (id_values[i] > 0) ++result.zones[std::size_t(id_values[i] - 1)].cells;
      values.resize(n);
      for (int b = 0; b < bands; ++b) {
        scores.read(b + 1, t.window, values.data());
        for (std::size_t i = 0; i < n; ++i) {
          if (id_values[i] <= 0 || values[i] == k_output_nodata) continue;
          TargetZone& z = result.zones[std::size_t(id_values[i] - 1)];
          z.mean[std::size_t(b)] += values[i];
          z.max[std::size_t(b)] = std::max(z.max[std::size_t(b)], double(values[i]));
        }
      }
    }
    layer->ResetReading();
    for (FeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
      TargetZone& z = result.zones[std::size_t(f->GetFieldAsInteger("pid") - 1)];
      OGRPoint c;
      f->GetGeometryRef()->Centroid(&c);
      z.centroid_x = c.getX();
      z.centroid_y = c.getY();
      z.area_m2 = double(z.cells) * grid.cell_area() * grid.metres_per_unit() * grid.metres_per_unit();
      for (auto& m : z.mean) m = z.cells ? m / double(z.cells) : 0.0;
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
  // Features in rank order: fetch each zone's polygon by its pid.
  std::vector<GeometryPtr> geometry(result.zones.size());
  layer->ResetReading();
  for (FeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature()))
    geometry[std::size_t(f->GetFieldAsInteger("pid") - 1)].reset(f->StealGeometry());
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
