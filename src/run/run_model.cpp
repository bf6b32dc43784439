#include "prospect/run/run_model.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>

#include "prospect/core/hash.hpp"
#include "prospect/core/interrupt.hpp"
#include "prospect/core/parallel.hpp"
#include "prospect/geochem/thresholds.hpp"
#include "prospect/kinds/model_kind.hpp"
#include "prospect/output/manifest.hpp"
#include "prospect/output/output_folder.hpp"
#include "prospect/output/project_file.hpp"
#include "prospect/output/qml.hpp"
#include "prospect/output/quantile.hpp"
#include "prospect/output/report.hpp"
#include "prospect/output/targets.hpp"
#include "prospect/pipeline/tile_pass.hpp"
#include "prospect/raster/overviews.hpp"
#include "prospect/raster/zstd_cog.hpp"
#include "prospect/run/derived_breaks.hpp"
#include "prospect/run/evidence_export.hpp"
#include "prospect/run/input_hashes.hpp"
#include "prospect/run/response_curves.hpp"
#include "prospect/run/scoring_pass.hpp"
#include "prospect/run/target_drivers.hpp"
#include "prospect/run/validation.hpp"
#include "prospect/vector/study_area.hpp"

#ifndef PROSPECT_VERSION
#define PROSPECT_VERSION "unknown"
#endif

namespace prospect {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// What the steps of one run share.
struct Run {
  OutputFolder& folder;
  const RunOptions& options;
  const ResolvedModel& model;  // class names as codes, breaks from the data
  RunRecord record;
  std::vector<std::string> band_names;
  int target_band = 1;  // 1-based
  std::vector<char> input_used;
  std::vector<Tile> tiles;
  // Outputs hashed on the thread that wrote them, for the manifest.
  std::map<std::string, std::string> output_hashes_taken;

  // A phase begins (its share done not known, or 0).
  void step(const char* name) const {
    if (options.on_progress) options.on_progress(name, -1);
  }
  // How far the phase is: a callback for the passes and GDAL steps that can say.
  ShareDone share_of(const char* name) const {
    if (!options.on_progress) return {};
    return [this, name](double share) { options.on_progress(name, share); };
  }
  void time(const char* step, Clock::time_point t0) {
    record.timings.emplace_back(step, seconds_since(t0));
  }
};

void set_raster_metadata(Run& run, StagedRaster& staged, const FittedModel& fitted) {
  for (std::size_t b = 0; b < run.band_names.size(); ++b)
    staged.set_statistics(int(b) + 1, run.record.band_stats[b]);
  staged.set_metadata({{"PROSPECT_VERSION", PROSPECT_VERSION},
                       {"PROSPECT_MODEL", run.model.name},
                       {"PROSPECT_MODEL_HASH", run.model.text_hash},
                       {"PROSPECT_MODEL_TYPE", model_type_name(run.model.type)},
                       {"PROSPECT_UNITS", fitted.units()}});
  staged.finish_writing();
}

// Every band against its deposits, the kind's cross-validation, response curves: validation.json.
void validate_run(Run& run, StagedRaster& staged, const FittedModel& fitted,
                  const KindContext& context, std::optional<ResponseCurveCollector>& responses) {
  RunRecord& r = run.record;
  const auto t0 = Clock::now();
  run.step("validating");
  r.validation = validate(run.model, r.grid, context.area, staged, run.tiles, r.threads,
                          run.share_of("validating"));
  for (BandValidation& v : r.validation) {
    if (const std::string left_out = v.account.summary("deposits"); !left_out.empty())
      report_warning(v.band + ": " + left_out);
    for (std::size_t b = 0; b < run.band_names.size(); ++b)
      if (run.band_names[b] == v.band)
        v.constant_score = r.band_stats[b].min == r.band_stats[b].max;
    if (const std::string chance = chance_warning(v); !chance.empty()) report_warning(chance);
  }
  const auto t_cv = Clock::now();
  if (run.model.training && run.model.cross_validation.enabled) run.step("cross-validating");
  r.cross_validation = fitted.cross_validate(context);
  if (!r.cross_validation.empty()) run.time("cross_validate", t_cv);
  const double mpu = r.grid.metres_per_unit();
  if (responses)
    r.response_curves = responses->finish(run.model, r.grid.cell_area() * mpu * mpu / 1e6);
  if (r.validation.empty() && r.cross_validation.empty() && r.response_curves.empty()) return;
  write_file_atomically(
      run.folder.staged_path("validation.json"),
      validation_json(run.model, r.validation, r.cross_validation, r.response_curves));
  r.wrote_validation = true;
  run.time("validate", t0);
}

// The target band's values at ranks: the style's class breaks (top 50, 25, 10,
// 5, 1 % of the area) and the target cut, in one more pass over the band.
std::vector<AreaBreak> cut_by_area(Run& run, const StagedRaster& staged, TopValueSelector& selector,
                                   TargetRequest& request) {
  std::vector<AreaBreak> style_breaks;
  if (selector.population() == 0) {
    request.none = true;
    report_warning(
        "no cell inside the study area has every evidence layer; the score bands are empty and "
        "there "
        "are no targets");
    return style_breaks;
  }
  std::vector<std::uint64_t> ranks;
  for (double p : score_style_percents())
    ranks.push_back(TopValueSelector::rank_for_top_percent(selector.population(), p));
  ranks.push_back(
      TopValueSelector::rank_for_top_percent(selector.population(), run.model.targets.top_percent));
  selector.start_pass2(ranks);
  TilePassOptions pass;
  pass.threads = run.record.threads;
  pass.sources =
      PassSources::single([&staged, band = run.target_band] { return staged.band_reader(band); });
  const auto counts = run_tile_reduction<TopValueSelector>(
      run.tiles, pass, selector.pass2_copy(), [](TileView& tile, TopValueSelector& counter) {
        counter.count_pass2(tile.layer(0).data(), tile.cells);
      });
  for (const auto& c : counts) selector.merge_pass2(c);
  for (std::size_t k = 0; k < score_style_percents().size(); ++k)
    style_breaks.push_back(
        {score_style_percents()[k], selector.value(k),
         100.0 * double(selector.count_at_or_above(k)) / double(selector.population())});
  request.threshold = selector.value(ranks.size() - 1);
  if (run.model.targets.enabled) run.record.target_threshold = request.threshold;
  return style_breaks;
}

// Which area the statistics are over: AUC, weights and coefficients all depend
// on it, and a rectangle reaching beyond the rocks that can host deposits makes
// almost any evidence look good.
void say_which_study_area(const ModelSpec& model, const RunOptions& options) {
  if (model.study_area) {
    report_note("study area: " + model.study_area->path +
                (model.study_area->where.empty() ? "" : " where " + model.study_area->where));
    return;
  }
  const bool judged = model.trained() || (model.validation_deposits && !options.no_validation);
  const std::string text =
      "no study_area: the whole grid rectangle is the study area" +
      std::string(
          judged
              ? ", and the AUC" +
                    std::string(model.trained() ? ", the weights or coefficients" : "") +
                    " depend on that choice: a rectangle reaching beyond the rocks that can host "
                    "deposits makes almost any evidence look good; give study_area (the licence or "
                    "the host unit)"
              : "");
  if (judged)
    report_warning(text);
  else
    report_note(text);
}

// The share the targets really cover, next to the share asked, and a warning
// when they differ: cells tied at the cut value are all in (the documented
// rule), and zones under min_area_ha are dropped.
void account_for_targets(Run& run, const TargetResult& targets, const TargetRequest& request) {
  RunRecord& r = run.record;
  if (request.population <= 0) return;
  const double asked = run.model.targets.top_percent;
  r.target_cut_percent = 100.0 * double(targets.cut_cells) / double(request.population);
  r.target_delivered_percent = 100.0 * double(targets.zone_cells) / double(request.population);
  char line[400];
  if (r.target_cut_percent > asked * 1.1) {
    std::snprintf(
        line, sizeof line,
        "targets: every cell scoring %g or more is in, as ties at the cut are, so the cut takes "
        "%.3g %% "
        "of the valid study area, not the top %g %% asked (%s has few distinct values there)",
        double(request.threshold), r.target_cut_percent, asked, run.model.targets.score.c_str());
    report_warning(line);
  }
  if (r.target_delivered_percent < r.target_cut_percent * 0.9) {
    std::snprintf(line, sizeof line,
                  "targets: %lld zone(s) smaller than %s left out, so the targets cover %.3g %% of "
                  "the valid study area, not the %.3g %% the cut takes",
                  (long long)targets.dropped_small,
                  min_target_size_text(run.model.targets, r.target_min_cells).c_str(),
                  r.target_delivered_percent, r.target_cut_percent);
    report_warning(line);
  }
}

TargetRequest target_request(const Run& run) {
  const TargetSpec& t = run.model.targets;
  const AnalysisGrid& grid = run.record.grid;
  TargetRequest request;
  request.band = run.target_band;
  request.top_percent_asked = t.top_percent;
  const double metres = grid.metres_per_unit();  // > 0 when sizes are given (build_grid)
  if (!t.min_area_given)
    request.min_cells = k_default_min_target_cells;
  else if (t.min_area_ha > 0)
    request.min_cells =
        std::int64_t(std::ceil(t.min_area_ha * 1e4 / (grid.cell_area() * metres * metres) - 1e-9));
  if (t.fill_holes_ha > 0) request.fill_holes_area = t.fill_holes_ha * 1e4 / (metres * metres);
  if (t.simplify_m > 0) request.simplify_tolerance = t.simplify_m / metres;
  return request;
}

// prospectivity.tif written: how long that took, and the file's hash for the
// manifest, taken on the writing thread while the targets and the report are
// made (reading 512 MB back at the end cost 0.1 s of a 2 s run).
struct CogWritten {
  double seconds = 0;
  std::string hash;
};

// prospectivity.tif as a Cloud Optimized GeoTIFF, from the staged scores.
// Starts writing the scores as prospectivity.tif on a thread of its own, from
// its own read-only handle on the staged file: the copy compresses on
// `threads` workers while the caller outlines the targets on one core. Written
// straight during scoring, the file is only hashed.
std::future<CogWritten> start_scores_cog(Run& run, StagedRaster& staged, int pyramid_levels) {
  if (staged.is_final_cog())  // already prospectivity.tif (moved into place once the targets
                              // no longer read it): only hashed
    return std::async(std::launch::async, [source_path = staged.path()] {
      return CogWritten{0.0, hash_file(source_path)};
    });
  CogOptions cog;
  cog.compress = run.model.outputs.compress;
  cog.threads = run.record.threads;
  cog.overviews = run.model.outputs.overviews;
  cog.overviews_prebuilt = pyramid_levels > 0;
  // No progress from this thread: the caller reports the targets meanwhile.
  staged.reopen_read_only();
  // ZSTD with the overviews (if any) already staged: copied by prospect itself
  // (raster/zstd_cog), else by GDAL's COG driver.
  const AnalysisGrid& grid = run.record.grid;
  const bool own_copy = cog.compress == "ZSTD" &&
                        (!cog.overviews || pyramid_levels > 0 ||
                         overview_levels(grid.width(), grid.height(), k_cog_block_size) == 0) &&
                        zstd_cog_can_copy(staged.path());
  return std::async(std::launch::async, [own_copy, cog, source_path = staged.path(),
                                         tmp = run.folder.scratch_path("prospectivity.cog.tif"),
                                         final_path = run.folder.staged_path("prospectivity.tif"),
                                         diagnostics = current_diagnostics()]() {
    const DiagnosticsScope reporting(diagnostics);
    const auto t0 = Clock::now();
    if (own_copy) {
      write_zstd_cog(source_path, tmp, final_path, cog.threads);
    } else {
      DatasetPtr source = open_raster(source_path);
      write_cog(source.get(), tmp, final_path, cog);
    }
    const double seconds = seconds_since(t0);
    return CogWritten{seconds, hash_file(final_path)};
  });
}

// The final COG written during scoring, moved from the scratch folder into place.
void move_final_cog_into_place(const std::string& source_path, const std::string& final_path) {
  std::error_code ec;
  std::filesystem::rename(source_path, final_path, ec);
  if (ec)
    throw Error(ErrorKind::run_failed, "could not be moved into place: " + ec.message(),
                ErrorContext{final_path, "", "", "writing prospectivity.tif", 0, 0});
}

// Styles, project, report, then the manifest that vouches for every file by
// its hash; then the folder is published whole. `finish_writers` waits for the
// files written in the background (prospectivity.tif, targets.geojson): the
// styles, project and report need neither, so they are written meanwhile.
void publish(Run& run, const FittedModel& fitted, const std::vector<AreaBreak>& style_breaks,
             const Diagnostics& diagnostics, Clock::time_point t_start,
             const std::function<void()>& finish_writers) {
  RunRecord& r = run.record;
  OutputFolder& folder = run.folder;
  const auto t0 = Clock::now();
  const BandStatistics& st = r.band_stats[std::size_t(run.target_band - 1)];
  write_file_atomically(folder.staged_path("prospectivity.qml"),
                        score_raster_qml(run.target_band, st.min, st.max, style_breaks));
  r.outputs.push_back("prospectivity.qml");
  if (run.model.targets.enabled) {
    write_file_atomically(folder.staged_path("targets.qml"),
                          target_polygons_qml());  // QGIS's sidecar style
    for (const char* f : {"targets.geojson", "targets.qml", "targets.gpkg"}) r.outputs.push_back(f);
  }
  if (r.wrote_validation) r.outputs.push_back("validation.json");
  fitted.write_files(folder, r.input_hashes);
  for (const auto& f : fitted.files()) r.outputs.push_back(f);
  // Last before the report: the project opens everything written above, and
  // the vectors it shows, copied so the folder travels whole.
  run.step("writing the QGIS project");
  const std::vector<SharedVector> vectors =
      copy_shared_vectors(run.model, r.grid, folder.staged_path(k_shared_vectors_file));
  if (!vectors.empty()) r.outputs.push_back(k_shared_vectors_file);
  write_file_atomically(folder.staged_path("project.qgs"),
                        run_project(run.model, r.grid, folder.staging(), r.outputs, vectors));
  r.outputs.push_back("project.qgs");
  if (!run.options.no_report) r.outputs.push_back("report.html");
  r.outputs.push_back("manifest.json");
  r.warnings = diagnostics.texts(Severity::warning);  // all of them, for the report and manifest
  r.notes = diagnostics.texts(Severity::note);
  // The report maps the means gathered while scoring; without them it reads prospectivity.tif.
  const bool report_reads_scores = r.quicklooks.size() < r.band_stats.size();
  if (!run.options.no_report && report_reads_scores) finish_writers();
  if (!run.options.no_report) {
    run.step("writing report.html");
    const auto t_report = Clock::now();
    const ReportContext context{&run.model,      &r,           folder.staging(),
                                run.target_band, style_breaks, run.options.no_validation};
    write_file_atomically(folder.staged_path("report.html"), report_html(context));
    run.time("report", t_report);
  }
  run.time("write_outputs", t0);
  if (run.options.no_report || !report_reads_scores) finish_writers();
  // The manifest vouches for every file beside it by its hash; batch resume checks them.
  run.step("hashing the outputs");
  const auto t_hash = Clock::now();
  for (const auto& name : r.outputs) {
    if (name == "manifest.json") continue;
    const auto taken = run.output_hashes_taken.find(name);
    r.output_hashes.emplace_back(name, taken != run.output_hashes_taken.end()
                                           ? taken->second
                                           : hash_file(folder.staged_path(name)));
  }
  run.time("hash_outputs", t_hash);
  run.time("total", t_start);
  r.warnings = diagnostics.texts(Severity::warning);
  r.notes = diagnostics.texts(Severity::note);
  write_file_atomically(folder.staged_path("manifest.json"), manifest_json(run.model, r));
  throw_if_interrupted();
  folder.commit();
}

namespace {

// The input's samples against median + 2 MAD (of log10 values when all are
// positive): the report's map of anomalous samples. Too few or too uniform
// samples for a threshold: no map (the run does not depend on it).
void record_sample_anomalies(const InputSpec& in, const std::vector<Sample>& samples,
                             RunRecord& record) {
  if (samples.empty()) return;
  const bool krige = in.kind == InputKind::krige;
  const std::string& field = krige ? in.krige.field : in.idw.field;
  const std::string& index = krige ? in.krige.index : in.idw.index;
  const PcaSpec& pca = krige ? in.krige.pca : in.idw.pca;
  std::vector<double> values;
  bool positive = true;
  for (const Sample& s : samples) {
    values.push_back(s.value);
    positive = positive && s.value > 0;
  }
  SampleAnomalies a;
  a.input = in.name;
  a.value = pca.component > 0 ? "PC" + std::to_string(pca.component) + " of clr parts"
            : index.empty()   ? field
                              : "the index " + index;
  try {
    const Threshold t = robust_threshold(values, {ThresholdMethod::mad, 2, positive}, a.value);
    a.threshold = t.value;
    a.rule = t.rule;
  } catch (const Error&) {
    return;
  }
  a.samples = (long long)samples.size();
  for (const Sample& s : samples)
    if (s.value > a.threshold) a.anomalous.emplace_back(s.x, s.y);
  record.sample_anomalies.push_back(std::move(a));
}

}  // namespace

// The pipeline: set up -> fit -> score -> validate -> targets -> publish.
RunRecord run_model_into(OutputFolder& folder, const ModelSpec& model_as_written,
                         const RunOptions& options, const Diagnostics& diagnostics) {
  const auto t_start = Clock::now();
  const int threads = resolve_thread_count(options.threads);
  if (options.on_progress) options.on_progress("preparing", -1);

  // Set up: the grid, the study area, the inputs (each opened once up front, so
  // a bad input fails before any work), the model resolved against them.
  const AnalysisGrid grid = build_grid(model_as_written);
  // What the model leaves to its kind (a saved learner's class tables), before any input is read.
  ModelSpec written = model_as_written;
  model_kind(written.type).prepare(written, grid);
  if (grid.is_geographic())
    report_note(
        "the grid CRS is geographic; cells are in degrees and areas are not in square metres");
  std::optional<StudyArea> area = load_study_area(written, grid);
  if (!area) area.emplace(grid);
  say_which_study_area(written, options);
  // Input hashes for the manifest: raster inputs that prospect reads itself
  // are hashed as the run reads them, other files on a thread of their own
  // beside the run. A rerun into the same folder takes the hash of an input
  // whose identity is unchanged from the manifest there.
  std::vector<std::string> raster_paths;
  for (const InputSpec& in : written.inputs)
    if (in.kind == InputKind::raster) raster_paths.push_back(in.path());
  InputHashes hashes(written.input_files(), recorded_inputs(folder.final_path("manifest.json")),
                     raster_paths);
  std::vector<char> input_used(written.inputs.size(), 0);
  for (const auto& s : written.scores)
    for (int e : written.score_evidence(s))
      input_used[std::size_t(written.evidence[std::size_t(e)].input)] = 1;
  InputSet inputs(written.inputs, grid, input_used);
  hashes.share_reads(inputs, written.inputs);  // before anything reads them
  for (std::size_t i = 0; i < written.inputs.size(); ++i)
    if (input_used[i] && written.inputs[i].derived()) report_note(inputs.describe(i));
  std::vector<Tile> tiles = make_tiles(grid.width(), grid.height(), written.outputs.tile_size);
  const ResolvedModel model = resolve_model(written, inputs, *area, grid, tiles, threads);

  Run run{folder,           options, model, {}, model.band_names(), 1, std::move(input_used),
          std::move(tiles), {}};
  RunRecord& record = run.record;
  record.threads = threads;
  record.grid = grid;
  for (std::size_t i = 0; i < written.inputs.size(); ++i)  // empty for inputs not prepared
    record_sample_anomalies(written.inputs[i], inputs.samples(i), record);
  for (std::size_t i = 0; i < written.inputs.size(); ++i)
    if (const KrigingField* k = inputs.kriging(i)) {
      const KrigingSpec& spec = written.inputs[i].krige;
      const std::string what = spec.pca.component > 0
                                   ? "PC" + std::to_string(spec.pca.component) + " of clr parts"
                               : spec.index.empty() ? spec.field
                                                    : "the index " + spec.index;
      record.variograms.push_back({written.inputs[i].name, (spec.log ? "ln " : "") + what,
                                   k->experimental(), k->variogram(), k->fitted()});
    }
  for (std::size_t b = 0; b < run.band_names.size(); ++b)
    if (run.band_names[b] == model.targets.score) run.target_band = int(b) + 1;

  // Fit: the model kind (trained kinds read their deposits' tiles).
  const bool validating = !options.no_validation;
  const KindContext context{model,  grid,           *area,      run.tiles,
                            inputs, record.threads, validating, &folder};
  run.time("prepare", t_start);  // grid, study area, inputs opened, model resolved
  auto t0 = Clock::now();
  if (model.training) run.step("fitting");
  const std::shared_ptr<FittedModel> fitted = model_kind(model.type).fit(context);
  record.fitted = fitted;
  run.time("fit", t0);

  // Score: every tile into the staged raster (overviews from the tiles where
  // they line up with every level), the evidence layers beside it.
  const int pyramid_levels =
      model.outputs.overviews
          ? tile_pyramid_levels(grid.width(), grid.height(), model.outputs.tile_size)
          : 0;
  // Uncompressed without overviews, the scores go straight into prospectivity.tif.
  const bool final_cog = model.outputs.compress == "NONE" &&
                         model.outputs.tile_size == k_cog_block_size &&
                         (!model.outputs.overviews ||
                          (grid.width() <= k_cog_block_size && grid.height() <= k_cog_block_size));
  StagedRaster staged =
      final_cog ? StagedRaster::final_cog(folder.scratch_path("scores.tif"), grid, run.band_names)
                : StagedRaster(folder.scratch_path("scores.tif"), grid, run.band_names, GDT_Float32,
                               model.outputs.tile_size, "");
  if (pyramid_levels > 0) staged.create_overviews(pyramid_levels);
  EvidenceExport evidence(model, inputs, run.input_used, grid, folder, pyramid_levels);
  std::optional<ResponseCurveCollector> responses;
  if (validating && grid.metres_per_unit() > 0)
    responses.emplace(model, run.input_used, grid, run.tiles, record.threads);
  std::optional<EvidenceTerms>
      driver_terms;  // target drivers: measured against the study area's mean terms
  if (model.targets.enabled) driver_terms.emplace(model, std::size_t(run.target_band - 1), *fitted);
  const QuicklookGrid quicklook_grid(grid.width(), grid.height(), k_report_map_pixels);
  ScoringSetup scoring{model,          grid,    run.tiles, *area,   inputs,
                       run.input_used, *fitted, staged,    evidence};
  scoring.pyramid_levels = pyramid_levels;
  scoring.target_band = std::size_t(run.target_band - 1);
  scoring.driver_terms = driver_terms ? &*driver_terms : nullptr;
  scoring.responses = responses ? &*responses : nullptr;
  scoring.quicklook_grid = options.no_report ? nullptr : &quicklook_grid;
  scoring.threads = record.threads;
  run.step("scoring");
  scoring.on_progress = run.share_of("scoring");
  t0 = Clock::now();
  ScoringTotals totals = score_tiles(scoring);
  hashes.start_finishing();  // the pass read what it needs: the rest of each file is read now
  record.cells = totals.cells;
  record.band_stats = totals.band_stats;
  record.quicklook_grid = quicklook_grid;
  record.quicklooks = std::move(totals.quicklooks);
  run.time("score", t0);
  set_raster_metadata(run, staged, *fitted);

  // Validate.
  if (validating) validate_run(run, staged, *fitted, context, responses);

  // Targets: the top N % of valid study-area cells on the target band.
  run.step("ranking cells");
  t0 = Clock::now();
  TargetRequest request = target_request(run);
  record.target_min_cells = request.min_cells;
  request.population = std::int64_t(totals.target_values.population());
  const std::vector<AreaBreak> style_breaks =
      cut_by_area(run, staged, totals.target_values, request);
  run.time("rank_cells", t0);
  throw_if_interrupted();
  // From here on the staged scores are only read: the COG is written beside the
  // targets. (Started before the validation and the ranking instead, it showed
  // no gain here; the ranking's two threads would share the cores with it.)
  std::future<CogWritten> cog_written = start_scores_cog(run, staged, pyramid_levels);
  t0 = Clock::now();
  std::future<void> geojson_written;  // targets.geojson, written while the COG is
  if (model.targets.enabled) {
    run.step("outlining targets");
    request.on_progress = run.share_of("outlining targets");
    request.geojson_in_background = true;
    DriverAnnotator drivers(*driver_terms, inputs, totals.study_terms, &evidence);
    TargetResult targets = write_targets(
        staged, grid, run.tiles, run.band_names, request, folder.staged_path("targets.geojson"),
        folder.staged_path("targets.gpkg"), target_polygons_qml(), &drivers);
    record.target_count = (long long)targets.zones.size();
    record.target_zones = std::move(targets.zones);  // moved: a noisy map has 100,000s
    record.targets_dropped_small = targets.dropped_small;
    record.target_holes_filled = targets.holes_filled;
    account_for_targets(run, targets, request);
    geojson_written = std::move(targets.geojson_written);
    run.time("targets", t0);
  }
  t0 = Clock::now();
  for (FileHash& h : hashes.get()) {
    record.input_hashes.emplace_back(h.path, h.hash);
    record.input_identities.push_back(std::move(h.identity));
  }
  run.time("wait_for_input_hashes", t0);

  // Publish: the evidence layers, styles, project and report while the COG and
  // the GeoJSON are written, then the manifest; then the folder whole.
  throw_if_interrupted();
  if (!evidence.inputs().empty()) {
    run.step("writing evidence layers");
    t0 = Clock::now();
    for (const auto& name : evidence.finish()) record.outputs.push_back(name);
    run.time("write_evidence_layers", t0);
  }
  record.outputs.push_back("prospectivity.tif");
  auto finish_writers = [&] {
    if (cog_written.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
      run.step("writing prospectivity.tif");
    auto t = Clock::now();
    const CogWritten written = cog_written.get();
    if (staged.is_final_cog())
      move_final_cog_into_place(staged.path(), folder.staged_path("prospectivity.tif"));
    record.timings.emplace_back("write_cog", written.seconds);
    run.output_hashes_taken["prospectivity.tif"] = written.hash;
    run.time("wait_for_cog", t);
    staged.close();
    if (geojson_written.valid()) {
      if (geojson_written.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
        run.step("writing targets.geojson");
      t = Clock::now();
      geojson_written.get();
      run.time("wait_for_geojson", t);
    }
  };
  publish(run, *fitted, style_breaks, diagnostics, t_start, finish_writers);
  return std::move(run.record);
}

}  // namespace

RunRecord run_model(const ModelSpec& model, const RunOptions& options) {
  init_gdal();
  Diagnostics diagnostics(options.on_message);
  const DiagnosticsScope reporting(
      &diagnostics);  // this thread's reports; the engine passes it to workers
  OutputFolder folder(options.out_dir, model.input_files());
  try {
    return run_model_into(folder, model, options, diagnostics);
  } catch (const Error& e) {
    throw folder.in_own_words(e);  // the output's name, not its staging path
  }
}

}  // namespace prospect
