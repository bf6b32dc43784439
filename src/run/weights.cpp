#include "prospect/run/weights.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <memory>

#include "prospect/core/parallel.hpp"
#include "prospect/core/text.hpp"
#include "prospect/core/tiles.hpp"
#include "prospect/models/classify.hpp"
#include "prospect/pipeline/tile_pass.hpp"
#include "prospect/raster/class_names.hpp"
#include "prospect/run/derived_breaks.hpp"
#include "prospect/vector/study_area.hpp"

namespace prospect {
namespace {

AnalysisGrid grid_of_raster(const RasterInput& in) {
  DatasetPtr ds = open_raster(in.path);
  ErrorContext c;
  c.file = in.path;
  c.step = "taking the analysis grid from the evidence raster";
  double gt[6];
  if (ds->GetGeoTransform(gt) != CE_None || gt[2] != 0 || gt[4] != 0 || gt[5] >= 0)
    throw Error(ErrorKind::bad_input, "is not a north-up georeferenced raster", c);
  if (std::abs(gt[1] + gt[5]) > 1e-9 * gt[1])
    throw Error(ErrorKind::bad_input, "has rectangular cells; weights need square cells", c,
                "resample it to square cells first (gdalwarp -tr)");
  std::string crs = in.crs;
  if (crs.empty()) {
    const OGRSpatialReference* srs = ds->GetSpatialRef();
    if (!srs)
      throw Error(ErrorKind::bad_input, "has no coordinate reference system", c,
                  "give its CRS with --evidence-crs EPSG:<code>");
    char* wkt = nullptr;
    srs->exportToWkt(&wkt);
    crs = wkt ? wkt : "";
    CPLFree(wkt);
  }
  return AnalysisGrid(crs, gt[0], gt[3], gt[1], ds->GetRasterXSize(), ds->GetRasterYSize());
}

struct GridPoint {
  int col, row;
};

}  // namespace

WeightsResult compute_weights(const WeightsRequest& req) {
  init_gdal();
  WeightsResult result;
  const AnalysisGrid grid = grid_of_raster(req.evidence);
  if (grid.is_geographic())
    throw Error(ErrorKind::bad_input,
                "is in a geographic CRS (degrees): unit-cell areas would be wrong",
                ErrorContext{req.evidence.path, "", "", "computing weights", 0, 0},
                "reproject the evidence to a projected CRS (metres) first");
  const double mpu = grid.metres_per_unit();
  WeightsOptions options = req.options;
  options.cell_km2 = grid.cell_area() * mpu * mpu / 1e6;

  std::optional<StudyArea> area;
  if (req.study_area)
    area.emplace(grid, read_vector(*req.study_area, grid.crs_wkt()), req.study_area->path);
  else
    area.emplace(grid);

  // Deposits, as points in grid cells, grouped by the tile they fall in.
  const FeatureSet deposits = read_vector(req.deposits, grid.crs_wkt());
  const int tile_size = 512;
  const std::vector<Tile> tiles = make_tiles(grid.width(), grid.height(), tile_size);
  const int tiles_across = (grid.width() + tile_size - 1) / tile_size;
  std::vector<std::vector<GridPoint>> deposits_in_tile(tiles.size());
  std::map<std::pair<std::int64_t, std::int64_t>, int> per_cell, per_unit_cell;
  const double unit_side = std::sqrt(options.unit_cell_km2) * 1000.0 / mpu;  // in CRS units
  for (const auto& g : deposits.geometries) {
    std::vector<const OGRPoint*> points;
    const auto type = wkbFlatten(g->getGeometryType());
    if (type == wkbPoint) {
      points.push_back(g->toPoint());
    } else if (type == wkbMultiPoint) {
      for (const auto* p : *g->toMultiPoint()) points.push_back(p);
    } else {
      throw Error(
          ErrorKind::bad_input,
          std::string("holds ") + OGRGeometryTypeToName(g->getGeometryType()) +
              " geometries; deposits must be points",
          ErrorContext{req.deposits.path, deposits.layer_name, "", "reading deposits", 0, 0},
          "use the deposits' locations as points (e.g. centroids of the outlines)");
    }
    for (const OGRPoint* p : points) {
      ++result.deposits.total;
      const std::int64_t col = grid.col_of(p->getX()), row = grid.row_of(p->getY());
      if (!grid.contains_cell(col, row)) {
        ++result.deposits.outside_grid;
        continue;
      }
      if (++per_cell[{col, row}] == 2) ++result.deposits.cells_with_several;
      const auto ux = std::int64_t(std::floor((p->getX() - grid.origin_x()) / unit_side));
      const auto uy = std::int64_t(std::floor((grid.origin_y() - p->getY()) / unit_side));
      if (++per_unit_cell[{ux, uy}] == 2) ++result.deposits.unit_cells_with_several;
      const std::size_t tile =
          std::size_t(row / tile_size) * std::size_t(tiles_across) + std::size_t(col / tile_size);
      deposits_in_tile[tile].push_back({int(col), int(row)});
    }
  }

  TilePassOptions pass;
  pass.threads = resolve_thread_count(req.threads);
  pass.area = &*area;
  pass.sources =
      PassSources::single([&] { return std::make_unique<RasterSource>(req.evidence, grid); });
  pass.show_progress = req.show_progress;

  // Classes from the data: quantiles of the values inside the study area.
  std::vector<double> breaks = req.breaks;
  if (req.quantiles > 0) {
    pass.progress_step = "choosing quantile breaks";
    const std::size_t stride = std::max<std::size_t>(1, grid.cell_count() / 2'000'000);
    const std::vector<double> values = sample_values(pass, grid, tiles, stride);
    if (values.empty())
      throw Error(ErrorKind::bad_input, "has no value inside the study area",
                  ErrorContext{req.evidence.path, "", "", "choosing quantile breaks", 0, 0});
    breaks = quantile_breaks(values, req.quantiles);
    result.breaks_note = std::to_string(req.quantiles) + " quantile classes of " +
                         std::to_string(values.size()) + " cells sampled";
  }
  result.breaks = breaks;

  // One pass over the evidence: class histogram and deposit classes per tile.
  // Without breaks each value is a class, up to max_classes of them.
  const std::size_t class_limit = breaks.empty() ? req.max_classes + 1 : std::size_t(-1);
  struct Slot {
    ClassCounter counter;
    std::int64_t outside = 0, missing = 0;
    std::vector<float> classes;
  };
  pass.progress_step = "counting classes";
  auto refuse_continuous = [&] {
    throw Error(ErrorKind::bad_input,
                "has more than " + std::to_string(req.max_classes) +
                    " distinct values inside the study area: it looks continuous, and its table "
                    "would have a row per value",
                ErrorContext{req.evidence.path, "", "", "computing weights", 0, 0},
                "give classes: --quantiles 10 (equal-count classes), or --breaks 100,300,600 "
                "(upper bounds, as in the model file), or --max-classes N to take every value as "
                "a class");
  };
  ClassCounter total(class_limit);
  run_tile_pass<Slot>(
      tiles, pass,
      [&](TileView& tile, Slot& slot) {
        slot.counter = ClassCounter(class_limit);
        slot.outside = slot.missing = 0;
        if (tile.inside_count == 0) {  // nothing to count; any deposit here is outside
          slot.outside = std::int64_t(deposits_in_tile[tile.item].size());
          return;
        }
        const Window& w = tile.window;
        const std::vector<float>* raw = &tile.layer(0);
        if (!breaks.empty()) {
          slot.classes.resize(raw->size());
          classify_by_breaks(breaks, raw->data(), slot.classes.data(), raw->size());
          raw = &slot.classes;
        }
        const std::vector<float>& v = *raw;
        slot.counter.add_cells(v.data(), tile.inside, v.size());
        for (const GridPoint& p : deposits_in_tile[tile.item]) {
          const std::size_t i =
              std::size_t(p.row - w.row) * std::size_t(w.width) + std::size_t(p.col - w.col);
          if (!tile.inside[i])
            ++slot.outside;
          else if (std::isnan(v[i]))
            ++slot.missing;
          else
            slot.counter.add_deposit(v[i]);
        }
      },
      [&](std::size_t, Slot& slot) {
        total.merge(slot.counter);
        if (total.overflowed()) refuse_continuous();  // stops the pass: no need to read on
        result.deposits.outside_study_area += slot.outside;
        result.deposits.on_missing_evidence += slot.missing;
      });

  const std::vector<ClassCount> counts = total.counts();
  for (const auto& c : counts) result.deposits.counted += c.deposits;
  // Names belong to the raster's own codes, not to classes made by breaks.
  if (breaks.empty()) result.class_names = raster_class_names(req.evidence.path, req.evidence.band);
  ErrorContext ctx{req.deposits.path, deposits.layer_name, "", "computing weights", 0, 0};
  if (result.deposits.counted == 0)
    throw Error(ErrorKind::bad_input,
                "no training deposit lies on a valid evidence cell (" +
                    std::to_string(result.deposits.total) +
                    " deposit(s) read: " + std::to_string(result.deposits.outside_grid) +
                    " outside the raster, " + std::to_string(result.deposits.outside_study_area) +
                    " outside the study area, " +
                    std::to_string(result.deposits.on_missing_evidence) + " on nodata)",
                ctx, "check that deposits and evidence share an area and a CRS");
  std::int64_t cells = 0;
  for (const auto& c : counts) cells += c.cells;
  if (double(cells) * options.cell_km2 <= options.unit_cell_km2)
    throw Error(ErrorKind::bad_model,
                "the unit cell (" + std::to_string(options.unit_cell_km2) +
                    " km2) is not smaller than the study area (" +
                    std::to_string(double(cells) * options.cell_km2) + " km2)",
                ctx,
                "choose a unit cell about the size of a deposit's footprint, e.g. 0.01 to 1 km2");

  result.table = weights_table(counts, options);
  auto warn = [&](std::int64_t n, const std::string& what) {
    if (n > 0) result.warnings.push_back(std::to_string(n) + " " + what);
  };
  warn(result.deposits.outside_grid,
       "deposit(s) lie outside the evidence raster and are not counted");
  warn(result.deposits.outside_study_area,
       "deposit(s) lie outside the study area and are not counted");
  warn(result.deposits.on_missing_evidence,
       "deposit(s) lie on cells without evidence (nodata) and are not counted");
  warn(result.deposits.unit_cells_with_several,
       "unit cell(s) hold more than one deposit: the unit-cell method assumes at most one; "
       "consider a smaller unit cell");
  if (counts.size() > 1) {
    for (const auto& c : counts)
      if (c.deposits == result.deposits.counted)
        result.warnings.push_back("all counted deposits lie in class " + std::to_string(c.value) +
                                  ": its W- is undefined and the other classes have no deposits");
  }
  return result;
}

}  // namespace prospect
