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

// Everything one tile needs while in flight: owned by a slot, reused.
struct TileSlot {
  std::vector<std::vector<float>> bands;  // one per output band
  CellCounts cells;
  std::unique_ptr<KindTileState> kind;         // the model kind's statistics of this tile
  std::vector<StatisticsAccumulator> stats;    // per band, this tile's partial
  std::vector<std::vector<float>> prepared;    // the bands as written: nodata in place of NaN
  std::vector<TilePyramid> pyramids;           // per band, when overviews are built here
  std::vector<QuicklookSums> quicklooks;       // per band, for the report's maps
  std::vector<EvidenceExport::Tile> exports;   // per exported evidence layer
  TermSums driver_sums;                        // target band's evidence terms over valid cells
};

// The slot's bands as written (NaN replaced by the nodata value), prepared on
// the worker so the single writer thread only writes.
PROSPECT_VECTOR_CLONES
void prepare_for_writing(TileSlot& slot, std::size_t n) {
  slot.prepared.resize(slot.bands.size());
  for (std::size_t b = 0; b < slot.bands.size(); ++b) {
    slot.prepared[b].resize(n);
    const float* v = slot.bands[b].data();
    float* out = slot.prepared[b].data();
    for (std::size_t i = 0; i < n; ++i) out[i] = std::isnan(v[i]) ? k_output_nodata : v[i];
  }
}


// What each worker thread owns besides its sources (the engine's): scratch buffers.
struct WorkerState {
  std::unique_ptr<KindScratch> kind;      // the model kind's
  std::vector<std::vector<float>> terms;  // target band's evidence terms
  std::vector<float> scratch;
};

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
    for (int e : model.trained() ? s.evidence : used_evidence(s.root)) {
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
  const std::vector<std::size_t>& exported = evidence_export.inputs();
  const std::vector<Tile> tiles = make_tiles(grid.width(), grid.height(), model.outputs.tile_size);
  std::vector<WorkerState> workers(std::size_t(record.threads));
  std::vector<StatisticsAccumulator> stats(band_count);
  // The report's maps, gathered here: without overviews, drawing them from the
  // file would read every cell again.
  const QuicklookGrid quicklook_grid(grid.width(), grid.height(), k_report_map_pixels);
  std::vector<QuicklookSums> quicklooks(band_count, QuicklookSums(quicklook_grid));
  TopValueSelector selector;

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
  TermSums study_terms = driver_terms ? driver_terms->empty_sums() : TermSums{};

  const auto t_score = clock::now();
  {
    TilePassOptions pass;
    pass.threads = record.threads;
    pass.area = &study_area;
    pass.sources = PassSources::of(input_set, model.inputs.size(), input_used);
    pass.progress_step = "scoring";
    pass.show_progress = options.progress;
    if (options.on_progress) pass.on_tile_merged = [&](double share) { options.on_progress("scoring", share); };
    auto compute = [&](TileView& tile, TileSlot& slot) {
      const Window& w = tile.window;
      const std::size_t n = tile.cells;
      WorkerState& worker = workers[std::size_t(tile.worker)];
      slot.bands.resize(band_count);
      for (auto& b : slot.bands) b.resize(n);
      slot.cells = {};
      slot.kind = fitted->new_tile_state();
      const std::size_t inside_count = tile.inside_count;
      slot.cells.outside = (long long)(n - inside_count);
      slot.driver_sums = driver_terms ? driver_terms->empty_sums() : TermSums{};
      if (inside_count == 0) {  // nothing to read or score here
        for (auto& b : slot.bands) std::fill(b.begin(), b.end(), k_nan);
        slot.stats.clear();
        slot.quicklooks.clear();
        slot.pyramids.clear();
        for (std::size_t b = 0; pyramid_levels > 0 && b < band_count; ++b)
          slot.pyramids.push_back(build_pyramid(w, slot.bands[b].data(), pyramid_levels));
        slot.exports.resize(exported.size());
        for (std::size_t k = 0; k < exported.size(); ++k)  // all nodata, like the bands
          evidence_export.prepare(k, w, slot.bands[0].data(), tile.inside, slot.exports[k]);
        prepare_for_writing(slot, n);
        return;
      }
      if (!worker.kind) worker.kind = fitted->new_scratch();
      std::vector<std::vector<float>>& inputs = *tile.values;  // the used inputs, read for this tile
      if (responses) responses->add_tile(tile.worker, tile.item, inputs, tile.inside);
      slot.exports.resize(exported.size());
      for (std::size_t k = 0; k < exported.size(); ++k)
        evidence_export.prepare(k, w, inputs[exported[k]].data(), tile.inside, slot.exports[k]);
      ScoringTile scoring{tile, inputs, slot.bands};
      fitted->score(scoring, *worker.kind, slot.kind.get());
      if (model.composite) {
        std::vector<const float*> scores;
        for (std::size_t s = 0; s < score_count; ++s) scores.push_back(slot.bands[s].data());
        weighted_composite(scores, model.composite->weights, slot.bands[score_count].data(), n);
      }
      for (std::size_t i = 0; i < n; ++i) {
        if (!tile.inside[i]) {
          for (auto& b : slot.bands) b[i] = k_nan;
          continue;
        }
        bool complete = true;
        for (const auto& b : slot.bands) complete = complete && !std::isnan(b[i]);
        if (complete) {
          ++slot.cells.valid;
        } else {  // a cell is scored in every band or in none
          ++slot.cells.missing;
          for (auto& b : slot.bands) b[i] = k_nan;
        }
      }
      fitted->scored(scoring, *worker.kind, slot.kind.get());
      if (driver_terms) {
        // Memberships the kind computed for the scores (fuzzy) are reused for the terms.
        driver_terms->compute(inputs, n, worker.terms, worker.scratch, fitted->memberships(*worker.kind));
        const float* target = slot.bands[std::size_t(target_band - 1)].data();
        for (std::size_t k = 0; k < worker.terms.size(); ++k)
          for (std::size_t i = 0; i < n; ++i)
            if (!std::isnan(target[i]) && !std::isnan(worker.terms[k][i])) slot.driver_sums.add(k, worker.terms[k][i]);
      }
      // Per-tile statistics here, on the workers; the consumer only merges.
      slot.stats.assign(band_count, {});
      for (std::size_t b = 0; b < band_count; ++b) slot.stats[b].add(slot.bands[b].data(), n);
      slot.quicklooks.clear();
      for (std::size_t b = 0; !options.no_report && b < band_count; ++b)
        slot.quicklooks.emplace_back(quicklook_grid, w, slot.bands[b].data());
      slot.pyramids.clear();
      for (std::size_t b = 0; pyramid_levels > 0 && b < band_count; ++b)
        slot.pyramids.push_back(build_pyramid(w, slot.bands[b].data(), pyramid_levels));
      prepare_for_writing(slot, n);
    };
    auto merge = [&](std::size_t item, TileSlot& slot) {
      const Window& w = tiles[item].window;
      const std::size_t n = w.cell_count();
      for (std::size_t b = 0; b < band_count; ++b) {
        if (b < slot.stats.size()) stats[b].merge(slot.stats[b]);
        if (b < slot.quicklooks.size()) quicklooks[b].merge(slot.quicklooks[b]);
        if (int(b) + 1 == target_band) selector.count_pass1(slot.bands[b].data(), n);
        staged.write_prepared(int(b) + 1, w, slot.prepared[b].data());
        if (b < slot.pyramids.size())
          for (int k = 0; k < pyramid_levels; ++k)
            staged.write_overview(k + 1, int(b) + 1, slot.pyramids[b].windows[std::size_t(k)],
                                  slot.pyramids[b].values[std::size_t(k)].data());
      }
      for (std::size_t k = 0; k < exported.size(); ++k) evidence_export.write(k, w, slot.exports[k]);
      study_terms.merge(slot.driver_sums);
      if (slot.kind) fitted->merge(*slot.kind);
      record.cells.outside += slot.cells.outside;
      record.cells.missing += slot.cells.missing;
      record.cells.valid += slot.cells.valid;
    };
    run_tile_pass<TileSlot>(tiles, pass, compute, merge);  // the inputs close with the pass
  }
  workers.clear();
  record.timings.emplace_back("score", seconds_since(t_score));

  record.quicklook_grid = quicklook_grid;
  for (std::size_t b = 0; b < band_count && !options.no_report; ++b)
    record.quicklooks.push_back(quicklooks[b].means(quicklook_grid));
  quicklooks.clear();
  for (std::size_t b = 0; b < band_count; ++b) {
    record.band_stats.push_back(stats[b].result());
    staged.set_statistics(int(b) + 1, record.band_stats.back());
  }
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
