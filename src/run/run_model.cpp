#include "prospect/run/run_model.hpp"

#include <chrono>
#include <future>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>

#include "prospect/core/hash.hpp"
#include "prospect/core/interrupt.hpp"
#include "prospect/core/parallel.hpp"
#include "prospect/core/progress.hpp"
#include "prospect/core/tiles.hpp"
#include "prospect/core/vector_clones.hpp"
#include "prospect/models/score_tree.hpp"
#include "prospect/kinds/model_kind.hpp"
#include "prospect/output/output_folder.hpp"
#include "prospect/output/qml.hpp"
#include "prospect/output/quantile.hpp"
#include "prospect/output/targets.hpp"
#include "prospect/pipeline/tile_pass.hpp"
#include "prospect/raster/overviews.hpp"
#include "prospect/raster/raster_source.hpp"
#include "prospect/raster/tiff_layout.hpp"
#include "prospect/run/derived_breaks.hpp"
#include "prospect/run/evidence_export.hpp"
#include "prospect/run/project_file.hpp"
#include "prospect/run/report.hpp"
#include "prospect/run/response_curves.hpp"
#include "prospect/run/scoring_pass.hpp"
#include "prospect/run/target_drivers.hpp"
#include "prospect/run/validation.hpp"
#include "prospect/run/weights.hpp"
#include "prospect/vector/study_area.hpp"

#ifndef PROSPECT_VERSION
#define PROSPECT_VERSION "unknown"
#endif

namespace prospect {

namespace {

constexpr float k_nan = std::numeric_limits<float>::quiet_NaN();

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

namespace {

RunRecord run_model_into(OutputFolder& folder, const ModelSpec& model_as_written, const RunOptions& options,
                         const Diagnostics& diagnostics);

}  // namespace

RunRecord run_model(const ModelSpec& model, const RunOptions& options) {
  init_gdal();
  Diagnostics diagnostics(options.on_message);
  const DiagnosticsScope reporting(&diagnostics);  // this thread's reports; the engine passes it to workers
  OutputFolder folder(options.out_dir, model.input_files());
  try {
    return run_model_into(folder, model, options, diagnostics);
  } catch (const Error& e) {
    throw folder.in_own_words(e);  // the output's name, not its staging path
  }
}

namespace {

RunRecord run_model_into(OutputFolder& folder, const ModelSpec& model_as_written, const RunOptions& options,
                         const Diagnostics& diagnostics) {
  // A copy: class names become codes and data-derived breaks are filled in once the inputs are read.
  ModelSpec model = model_as_written;
  using clock = std::chrono::steady_clock;
  const auto t_start = clock::now();
  RunRecord record;
  record.threads = resolve_thread_count(options.threads);

  record.grid = build_grid(model);
  const AnalysisGrid& grid = record.grid;
  if (grid.is_geographic())
    report_note("the grid CRS is geographic; cells are in degrees and areas are not in square metres");
  std::optional<StudyArea> area = load_study_area(model, grid);
  if (!area) area.emplace(grid);
  const StudyArea& study_area = *area;

  // Input hashes for the manifest, on a thread of their own while the tiles are
  // scored: the files are being read anyway, so this costs little wall time.
  auto hashes = std::async(std::launch::async, [files = model.input_files()] {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& f : files) out.emplace_back(f, hash_file(f));
    return out;
  });

  const std::vector<std::string> band_names = model.band_names();
  const std::size_t band_count = band_names.size();
  const std::size_t score_count = model.scores.size();
  int target_band = 1;
  for (std::size_t b = 0; b < band_count; ++b)
    if (band_names[b] == model.targets.score) target_band = int(b) + 1;

  // Which inputs and evidence layers the scores use.
  std::vector<char> evidence_used(model.evidence.size(), 0), input_used(model.inputs.size(), 0);
  for (const auto& s : model.scores)
    for (int e : model.score_evidence(s)) {
      evidence_used[std::size_t(e)] = 1;
      input_used[std::size_t(model.evidence[std::size_t(e)].input)] = 1;
    }

  // Open every input once up front, so a bad input fails before any work.
  const InputSet input_set(model.inputs, grid, input_used);
  resolve_class_names(model, input_set);
  for (std::size_t i = 0; i < model.inputs.size(); ++i)
    if (input_used[i] && model.inputs[i].derived()) report_note(input_set.describe(i));

  // Overviews from the tiles as they are scored (when the tiles line up with
  // every level), so the COG step need not read the whole raster again.
  const int pyramid_levels = model.outputs.overviews
                                 ? tile_pyramid_levels(grid.width(), grid.height(), model.outputs.tile_size)
                                 : 0;
  // Without overviews, the tiled GeoTIFF GDAL writes block by block in row order
  // already has the COG layout (IFD first, then the blocks): the scores go
  // straight into prospectivity.tif and the copy into a COG is skipped. It is
  // half of the writing on a large grid (BENCHMARKS.md).
  const bool cog_in_place =
      model.outputs.tile_size == k_cog_block_size &&
      (!model.outputs.overviews || overview_levels(grid.width(), grid.height(), k_cog_block_size) == 0);
  StagedRaster staged(cog_in_place ? folder.staged_path("prospectivity.tif") : folder.scratch_path("scores.tif"),
                      grid, band_names,
                      GDT_Float32, model.outputs.tile_size,
                      cog_in_place && model.outputs.compress != "NONE" ? model.outputs.compress : "");
  if (cog_in_place) staged.reserve_metadata_room(2048 + 512 * band_names.size());
  if (pyramid_levels > 0) staged.create_overviews(pyramid_levels);
  EvidenceExport evidence_export(model, input_set, input_used, grid, folder,
                                 pyramid_levels);
  const std::vector<Tile> tiles = make_tiles(grid.width(), grid.height(), model.outputs.tile_size);
  // The report's maps, gathered while scoring: without overviews, drawing them
  // from the file would read every cell again.
  const QuicklookGrid quicklook_grid(grid.width(), grid.height(), k_report_map_pixels);

  // Breaks taken from the data (quantiles, natural breaks), before any fit or score.
  for (const auto& note : resolve_derived_breaks(model, input_set, study_area, grid, tiles, record.threads))
    report_note(note);

  // The model kind fits (trained kinds: passes over the training deposits' tiles).
  const bool validating = !options.no_validation;
  const KindContext kind_context{model, grid, study_area, tiles, input_set, record.threads, validating, &folder};
  const auto t_fit = clock::now();
  const std::shared_ptr<FittedModel> fitted = model_kind(model.type).fit(kind_context);
  record.fitted = fitted;
  record.timings.emplace_back("fit", seconds_since(t_fit));

  std::optional<ResponseCurveCollector> responses;
  if (validating && grid.metres_per_unit() > 0)
    responses.emplace(model, input_used, grid, tiles, record.threads);

  // What each target zone's drivers are measured against: the study area's mean terms.
  std::optional<EvidenceTerms> driver_terms;
  if (model.targets.enabled)
    driver_terms.emplace(model, std::size_t(target_band - 1), *fitted);

  const auto t_score = clock::now();
  ScoringSetup scoring{model, grid, tiles, study_area, input_set, input_used, *fitted, staged, evidence_export};
  scoring.pyramid_levels = pyramid_levels;
  scoring.target_band = std::size_t(target_band - 1);
  scoring.driver_terms = driver_terms ? &*driver_terms : nullptr;
  scoring.responses = responses ? &*responses : nullptr;
  scoring.quicklook_grid = options.no_report ? nullptr : &quicklook_grid;
  scoring.threads = record.threads;
  scoring.show_progress = options.progress;
  if (options.on_progress) scoring.on_progress = [&](double share) { options.on_progress("scoring", share); };
  ScoringTotals totals = score_tiles(scoring);
  record.cells = totals.cells;
  TopValueSelector& selector = totals.target_values;
  const TermSums& study_terms = totals.study_terms;
  record.timings.emplace_back("score", seconds_since(t_score));

  record.quicklook_grid = quicklook_grid;
  record.quicklooks = std::move(totals.quicklooks);
  record.band_stats = totals.band_stats;
  for (std::size_t b = 0; b < band_count; ++b) staged.set_statistics(int(b) + 1, record.band_stats[b]);
  std::map<std::string, std::string> metadata = {
      {"PROSPECT_VERSION", PROSPECT_VERSION},
      {"PROSPECT_MODEL", model.name},
      {"PROSPECT_MODEL_HASH", model.text_hash},
      {"PROSPECT_MODEL_TYPE", model_type_name(model.type)},
      {"PROSPECT_UNITS", fitted->units()}};
  staged.set_metadata(metadata);
  staged.dataset()->FlushCache();

  // Validation against deposits, when the model has any.
  auto step = [&](const char* name) {
    if (options.on_progress) options.on_progress(name, 0.0);
  };
  step("validating");
  const auto t_validate = clock::now();
  if (validating) {
    record.validation = validate(model, grid, staged, tiles, record.threads);
    for (BandValidation& v : record.validation)
      for (std::size_t b = 0; b < band_count; ++b)
        if (band_names[b] == v.band) v.constant_score = record.band_stats[b].min == record.band_stats[b].max;
    const double mpu = grid.metres_per_unit();
    const double cell_km2 = grid.cell_area() * mpu * mpu / 1e6;
    const auto t_cv = clock::now();
    record.cross_validation = fitted->cross_validate(kind_context);
    if (!record.cross_validation.empty()) record.timings.emplace_back("cross_validate", seconds_since(t_cv));
    if (responses) record.response_curves = responses->finish(model, cell_km2);
    if (!record.validation.empty() || !record.cross_validation.empty() || !record.response_curves.empty()) {
      write_file_atomically(folder.staged_path("validation.json"),
                            validation_json(model, record.validation, record.cross_validation,
                                            record.response_curves));
      record.wrote_validation = true;
      record.timings.emplace_back("validate", seconds_since(t_validate));
    }
  }

  // Targets: the top N % of valid study-area cells on the target band; the
  // style's class breaks (top 50, 25, 10, 5, 1 % of the area) in the same pass.
  step("targets");
  const auto t_targets = clock::now();
  TargetRequest request;
  request.band = target_band;
  {
    const double metres = grid.metres_per_unit();  // > 0 when sizes are given (build_grid)
    if (model.targets.min_area_ha > 0)
      request.min_cells = std::int64_t(
          std::ceil(model.targets.min_area_ha * 1e4 / (grid.cell_area() * metres * metres) - 1e-9));
    if (model.targets.fill_holes_ha > 0)
      request.fill_holes_area = model.targets.fill_holes_ha * 1e4 / (metres * metres);
    if (model.targets.simplify_m > 0) request.simplify_tolerance = model.targets.simplify_m / metres;
  }
  std::vector<AreaBreak> style_breaks;
  if (selector.population() == 0) {
    request.none = true;
    report_warning("no cell inside the study area has every evidence layer; the score bands are empty and there "
                   "are no targets");
  } else {
    std::vector<std::uint64_t> ranks;
    for (double p : score_style_percents())
      ranks.push_back(TopValueSelector::rank_for_top_percent(selector.population(), p));
    ranks.push_back(TopValueSelector::rank_for_top_percent(selector.population(), model.targets.top_percent));
    selector.start_pass2(ranks);
    TilePassOptions pass;
    pass.threads = record.threads;
    pass.sources = PassSources::single([&staged, target_band] { return staged.band_reader(target_band); });
    const auto counts = run_tile_reduction<TopValueSelector>(
        tiles, pass, selector.pass2_copy(),
        [](TileView& tile, TopValueSelector& counter) { counter.count_pass2(tile.layer(0).data(), tile.cells); });
    for (const auto& c : counts) selector.merge_pass2(c);
    for (std::size_t k = 0; k < score_style_percents().size(); ++k)
      style_breaks.push_back({score_style_percents()[k], selector.value(k)});
    if (model.targets.enabled) {
      request.threshold = selector.value(ranks.size() - 1);
      record.target_threshold = request.threshold;
    }
  }
  if (model.targets.enabled) {
    DriverAnnotator drivers(*driver_terms, input_set, study_terms, &evidence_export);
    const TargetResult targets =
        write_targets(staged, grid, tiles, band_names, request, folder.scratch(),
                      folder.staged_path("targets.geojson"), folder.staged_path("targets.gpkg"),
                      target_polygons_qml(), &drivers);
    record.target_count = (long long)targets.zones.size();
    record.targets_dropped_small = targets.dropped_small;
    record.target_holes_filled = targets.holes_filled;
  }
  record.timings.emplace_back("targets", seconds_since(t_targets));

  const auto t_hash = clock::now();
  record.input_hashes = hashes.get();
  record.timings.emplace_back("wait_for_input_hashes", seconds_since(t_hash));

  // Publish: the raster, the targets, and last the manifest that vouches for both.
  throw_if_interrupted();
  step("writing");
  const auto t_write = clock::now();
  CogOptions cog;
  cog.compress = model.outputs.compress;
  cog.threads = record.threads;
  cog.overviews = model.outputs.overviews;
  cog.overviews_prebuilt = pyramid_levels > 0;
  for (const auto& name : evidence_export.finish()) record.outputs.push_back(name);
  if (cog_in_place) {
    staged.close();
    // The statistics and metadata set after the blocks made libtiff write the IFD
    // again at the end; it goes back to the front. Should that not work (another
    // GDAL or libtiff), the copy makes the COG after all.
    if (!(move_last_ifd_to_front(staged.path()) && has_cog_layout(staged.path()))) {
      DatasetPtr written(GDALDataset::Open(staged.path().c_str(), GDAL_OF_RASTER, nullptr, nullptr, nullptr));
      if (!written) throw Error(ErrorKind::run_failed, "could not be read back", {staged.path(), "", "", "writing"});
      write_cog(written.get(), folder.scratch_path("prospectivity.cog.tif"), folder.staged_path("prospectivity.tif"),
                cog);
    }
  } else {
    write_cog(staged.dataset(), folder.scratch_path("prospectivity.cog.tif"), folder.staged_path("prospectivity.tif"),
              cog);
    staged.close();
  }
  record.outputs.push_back("prospectivity.tif");
  {
    // The style shows the targets' band, classed by shares of the study area.
    const BandStatistics& st = record.band_stats[std::size_t(target_band - 1)];
    write_file_atomically(folder.staged_path("prospectivity.qml"),
                          score_raster_qml(target_band, st.min, st.max, style_breaks));
    record.outputs.push_back("prospectivity.qml");
  }
  if (model.targets.enabled) {
    write_file_atomically(folder.staged_path("targets.qml"), target_polygons_qml());  // QGIS's sidecar style
    for (const char* f : {"targets.geojson", "targets.qml", "targets.gpkg"}) record.outputs.push_back(f);
  }
  if (record.wrote_validation) record.outputs.push_back("validation.json");
  for (const auto& f : fitted->files()) record.outputs.push_back(f);
  // Last before the manifest: the project opens everything written above.
  write_file_atomically(folder.staged_path("project.qgs"),
                        run_project(model, grid, folder.folder(), folder.staging(), record.outputs));
  record.outputs.push_back("project.qgs");
  if (!options.no_report) record.outputs.push_back("report.html");
  record.outputs.push_back("manifest.json");
  record.warnings = diagnostics.texts(Severity::warning);  // all of them, for the report and manifest
  record.notes = diagnostics.texts(Severity::note);
  if (!options.no_report) {
    step("report");
    const auto t_report = clock::now();
    ReportContext context{&model, &record, folder.staging(), target_band, style_breaks, options.no_validation};
    write_file_atomically(folder.staged_path("report.html"), report_html(context));
    record.timings.emplace_back("report", seconds_since(t_report));
  }
  record.timings.emplace_back("write_outputs", seconds_since(t_write));
  // The manifest vouches for every file beside it by its hash; batch resume checks them.
  const auto t_output_hashes = clock::now();
  for (const auto& name : record.outputs)
    if (name != "manifest.json") record.output_hashes.emplace_back(name, hash_file(folder.staged_path(name)));
  record.timings.emplace_back("hash_outputs", seconds_since(t_output_hashes));
  record.timings.emplace_back("total", seconds_since(t_start));
  record.warnings = diagnostics.texts(Severity::warning);
  record.notes = diagnostics.texts(Severity::note);
  write_file_atomically(folder.staged_path("manifest.json"), manifest_json(model, record));
  throw_if_interrupted();
  folder.commit();
  return record;
}

}  // namespace

}  // namespace prospect
