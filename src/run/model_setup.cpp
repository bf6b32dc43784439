#include "prospect/run/model_setup.hpp"

#include <algorithm>
#include <cstdio>

#include "prospect/config/suggest.hpp"
#include "prospect/core/diagnostics.hpp"
#include "prospect/kinds/model_kind.hpp"
#include "prospect/run/derived_breaks.hpp"

namespace prospect {

namespace {

AnalysisGrid grid_like(const ModelSpec& model) {
  DatasetPtr ds = open_raster(model.grid.like);
  ErrorContext c;
  c.file = model.grid.like;
  c.step = "taking the grid from this raster (grid.like)";
  double gt[6];
  if (ds->GetGeoTransform(gt) != CE_None || gt[2] != 0 || gt[4] != 0 || gt[5] >= 0)
    throw Error(ErrorKind::bad_input, "is not a north-up georeferenced raster", c);
  std::string crs = model.grid.crs;
  if (crs.empty()) {
    const OGRSpatialReference* srs = ds->GetSpatialRef();
    if (!srs)
      throw Error(ErrorKind::bad_input, "has no CRS", c, "give grid: crs: EPSG:<code> as well");
    char* wkt = nullptr;
    srs->exportToWkt(&wkt);
    crs = wkt ? wkt : "";
    CPLFree(wkt);
  }
  const int w = ds->GetRasterXSize(), h = ds->GetRasterYSize();
  if (!model.grid.cell_size && std::abs(gt[1] + gt[5]) > 1e-9 * gt[1])
    throw Error(ErrorKind::bad_input, "has rectangular cells; the grid needs square cells", c,
                "give grid: cell_size as well");
  const double cell_size = model.grid.cell_size ? *model.grid.cell_size : gt[1];
  // An extent given as well cuts the grid to it, on the raster's lattice.
  if (model.grid.extent) {
    const auto& e = *model.grid.extent;
    return AnalysisGrid::covering(crs, {e[0], e[1], e[2], e[3]}, cell_size, {gt[0], gt[3]},
                                  model.grid.max_cells);
  }
  if (model.grid.cell_size) {
    const Extent e{gt[0], gt[3] + h * gt[5], gt[0] + w * gt[1], gt[3]};
    return AnalysisGrid::covering(crs, e, cell_size, {gt[0], gt[3]}, model.grid.max_cells);
  }
  check_grid_size(w, h, model.grid.max_cells);
  return AnalysisGrid(crs, gt[0], gt[3], gt[1], w, h);
}

}  // namespace

std::optional<StudyArea> load_study_area(const ModelSpec& model, const AnalysisGrid& grid) {
  if (!model.study_area) return std::nullopt;
  return StudyArea(grid, read_vector(*model.study_area, grid.crs_wkt()), model.study_area->path);
}

// Categorical memberships may name classes ("Carbonatite: 1"); the names become
// codes through the rasterized input's class table.
void resolve_class_names(ModelSpec& model, const InputSet& inputs) {
  for (auto& e : model.evidence) {
    if (e.membership.named.empty() || !inputs.prepared(std::size_t(e.input))) continue;  // unused
    const auto classes = inputs.classes(std::size_t(e.input));
    const std::string& input = model.inputs[std::size_t(e.input)].name;
    std::vector<std::string> names;
    for (const auto& c : classes) names.push_back(c.name);
    for (const auto& [class_name, value] : e.membership.named) {
      const std::string& name =
          class_name;  // a structured binding cannot be captured before C++20 in clang 14
      const auto it = std::find_if(classes.begin(), classes.end(),
                                   [&](const CategoryClass& c) { return c.name == name; });
      if (it == classes.end()) {
        std::string known;
        for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
        const std::string guess = closest_match(name, names);
        throw Error(
            ErrorKind::bad_model,
            "evidence '" + e.name + "' names class '" + name + "', which input '" + input +
                "' does not have" + (guess.empty() ? "" : "; did you mean '" + guess + "'?"),
            {model.path, "", "", "resolving class names", 0, 0},
            names.empty() ? "only rasterized inputs (rasterize: {field: ...}) have class names"
                          : "its classes: " + known);
      }
      e.membership.table[it->code] = value;
    }
    e.membership.named.clear();
  }
}

namespace {

AnalysisGrid grid_of(const ModelSpec& model) {
  if (!model.grid.like.empty()) return grid_like(model);
  if (model.grid.extent) {
    const auto& e = *model.grid.extent;
    return AnalysisGrid::covering(model.grid.crs, {e[0], e[1], e[2], e[3]}, *model.grid.cell_size,
                                  model.grid.snap, model.grid.max_cells);
  }
  // No extent: cover the study area.
  const FeatureSet area = read_vector(*model.study_area, crs_to_wkt(model.grid.crs));
  if (area.geometries.empty())
    throw_bad_input(model.study_area->path,
                    "the study area holds no features, so the grid has no extent");
  return AnalysisGrid::covering(model.grid.crs, area.extent, *model.grid.cell_size, model.grid.snap,
                                model.grid.max_cells);
}

// Target sizes are in metres; a grid in degrees has no fixed metre.
void check_target_sizes(const ModelSpec& model, const AnalysisGrid& grid) {
  if (grid.metres_per_unit() > 0) return;
  for (const auto& [key, value] :
       {std::pair{"targets.min_area_ha", model.targets.min_area_ha},
        std::pair{"targets.fill_holes_ha", model.targets.fill_holes_ha},
        std::pair{"targets.simplify_m", model.targets.simplify_m},
        std::pair{"validation.cross_validation.block_m", model.cross_validation.block_m}})
    if (value > 0) {
      ErrorContext c;
      c.file = model.path;
      c.field = key;
      throw Error(ErrorKind::bad_model, "is in metres, but the grid CRS is geographic (degrees)", c,
                  "use a projected grid CRS (e.g. the survey's UTM zone) or leave it out");
    }
}

}  // namespace

AnalysisGrid build_grid(const ModelSpec& model) {
  AnalysisGrid grid;
  try {
    grid = grid_of(model);
  } catch (const Error& e) {
    if (!e.context().file.empty()) throw;
    ErrorContext c;  // a grid error without a file: it comes from the model's grid section
    c.file = model.path;
    c.field = "grid";
    c.step = "building the analysis grid";
    throw Error(e.kind(), e.problem(), c, e.hint());
  }
  check_target_sizes(model, grid);
  return grid;
}

ResolvedModel resolve_model(const ModelSpec& model, const InputSet& inputs, const StudyArea& area,
                            const AnalysisGrid& grid, const std::vector<Tile>& tiles, int threads) {
  ModelSpec resolving = model;
  resolve_class_names(resolving, inputs);
  for (const auto& note : resolve_derived_breaks(resolving, inputs, area, grid, tiles, threads))
    report_note(note);
  return ResolvedModel(std::move(resolving));
}

namespace {

// Reads a deposit layer as a run would; its line for check. Training deposits
// none of which is on the grid fail here as they would fail the fit.
std::string deposits_line(const std::string& what, const VectorInput& in, const AnalysisGrid& g,
                          bool training) {
  const FeatureSet points = read_vector(in, g.crs_wkt());
  std::size_t on_grid = 0;
  for (const auto& geometry : points.geometries) {
    if (wkbFlatten(geometry->getGeometryType()) != wkbPoint)
      throw Error(ErrorKind::bad_input, what + " must be points",
                  ErrorContext{in.path, points.layer_name, "", "checking " + what, 0, 0},
                  "use the deposits' locations as points (e.g. centroids of the outlines)");
    const OGRPoint* p = geometry->toPoint();
    on_grid += g.contains_cell(g.col_of(p->getX()), g.row_of(p->getY()));
  }
  if (training && on_grid == 0)
    throw Error(ErrorKind::bad_input,
                "no " + what + " lies on the grid (" + std::to_string(points.geometries.size()) +
                    " read" + (in.where.empty() ? "" : " where " + in.where) + ")",
                ErrorContext{in.path, points.layer_name, "", "checking " + what, 0, 0},
                "check the filter and that deposits and grid share an area and a CRS");
  return what + ": " + in.path + (in.where.empty() ? "" : " where " + in.where) + ": " +
         std::to_string(points.geometries.size()) + " point(s), " + std::to_string(on_grid) +
         " on the grid";
}

}  // namespace

CheckReport check_model(const ModelSpec& model) {
  init_gdal();
  CheckReport report{build_grid(model), {}};
  const AnalysisGrid& g = report.grid;
  if (g.is_geographic())
    report.lines.push_back("note: the grid CRS is geographic; cells are in degrees");
  char line[512];
  std::snprintf(line, sizeof line, "grid: %d x %d cells of %g %s, %s, origin (%.3f, %.3f)",
                g.width(), g.height(), g.cell_size(), g.linear_unit().c_str(), g.crs_name().c_str(),
                g.origin_x(), g.origin_y());
  report.lines.push_back(line);
  if (auto area = load_study_area(model, g)) {
    std::snprintf(line, sizeof line, "study area: %s: %zu polygon(s)",
                  model.study_area->path.c_str(), area->polygons()->geometries.size());
    report.lines.push_back(line);
  } else {
    report.lines.push_back("study area: the whole grid");
  }
  ModelSpec resolved = model;
  for (const auto& line : model_kind(model.type).prepare(resolved, g)) report.lines.push_back(line);
  const InputSet inputs(resolved.inputs, g);
  for (std::size_t i = 0; i < model.inputs.size(); ++i) report.lines.push_back(inputs.describe(i));
  resolve_class_names(resolved, inputs);  // names a class the data lacks: the same error as run
  // The deposit files open, their filters work, and training deposits reach the
  // grid: what a run would otherwise find out only after its set-up.
  if (model.training) {
    report.lines.push_back(deposits_line("training deposits", model.training->deposits, g, true));
    for (const ScoreSpec& s : model.scores)
      if (!s.deposits_where.empty()) {
        VectorInput filtered = model.training->deposits;
        filtered.where = both_filters(filtered.where, s.deposits_where);
        report.lines.push_back(deposits_line("training deposits for " + s.name, filtered, g, true));
      }
  }
  if (model.validation_deposits) {
    report.lines.push_back(
        deposits_line("validation deposits", *model.validation_deposits, g, false));
    for (const auto& [band, where] : model.validation_where) {
      VectorInput filtered = *model.validation_deposits;
      filtered.where = both_filters(filtered.where, where);
      report.lines.push_back(deposits_line("validation deposits for " + band, filtered, g, false));
    }
  }
  return report;
}

}  // namespace prospect
