#include "prospect/cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>

#include "batch_status.hpp"
#include "prospect/config/model_file.hpp"
#include "prospect/core/interrupt.hpp"
#include "prospect/core/parallel.hpp"
#include "prospect/core/progress.hpp"
#include "prospect/output/output_folder.hpp"
#include "prospect/raster/gdal_handles.hpp"
#include "prospect/run/batch.hpp"
#include "prospect/run/batch_ranks.hpp"
#include "prospect/run/batch_summary.hpp"
#include "prospect/run/build_evidence.hpp"
#include "prospect/run/run_model.hpp"
#include "prospect/run/weights.hpp"
#include "prospect/vector/vector_layer.hpp"

#ifndef PROSPECT_VERSION
#define PROSPECT_VERSION "unknown"
#endif

namespace prospect {

namespace {

const char* k_run_footer = R"(
What it writes into DIR (default: ./<model name>-out):
  prospectivity.tif  Cloud Optimized GeoTIFF, one Float32 band per score and the
                     composite, nodata -9999 outside the study area or where
                     evidence is missing (+ .qml style for QGIS)
  targets.geojson    the top N % of study-area cells as ranked polygons (WGS84)
  targets.gpkg       the same in the grid CRS, styled for QGIS
  evidence/NAME.tif  each layer built from vectors, on the grid (+ .qml)
  validation.json    AUC with a 95 % interval, success/prediction-rate curves,
                     capture, P-A point, cross-validation (wofe, logistic),
                     response curves
  report.html        one self-contained page: maps, curves, tables, warnings in
                     plain words, provenance (open in any browser; prints on A4)
  weights/*.csv      weights-of-evidence tables (model: wofe)
  project.qgs        a QGIS project that opens all of the above, styled
  manifest.json      version, model and input hashes, grid, counts, timings

Examples:
  prospect run lofdal.yaml
  prospect run lofdal.yaml --out results/lofdal --threads 2
  prospect run survey.yaml --quiet          # for batch scripts and logs
  prospect run survey.yaml --no-validation  # map only: no validation.json, a shorter report

Exit codes: 0 done, 1 run failed, 2 bad command line or model file, 3 bad input data.
The model file format: docs/model-file.md)";

const char* k_batch_footer = R"(
Runs one model template over many surveys, unattended. SURVEYS is a folder
whose subfolders are the surveys (each a folder of layers), or a text file
listing survey folders, one per line. The template's relative paths resolve
in each survey's folder; a survey.yaml there overrides keys of the template
(e.g. its grid extent or study area). Each survey is written to OUT/<survey>/
with the full output set; OUT also gets:
  summary.csv        one row per survey: status, target zones, AUC, problem
  targets.geojson    every survey's target zones ranked together (+ targets.csv)
  index.html         the batch report, linking each survey's report.html
  batch.log          what happened, for people; batch.jsonl the same as JSON lines

A survey whose manifest records the same model and the same input bytes is
kept as it is (up to date), so running the same command again resumes an
interrupted batch; --force runs them all. A survey that fails is logged with
the file and the problem, and the others go on.

Examples:
  prospect batch lofdal.yaml surveys/ --out results --jobs 2
  prospect batch lofdal.yaml surveys.txt --out results --quiet

Exit codes: 0 every survey done or up to date, 1 some survey failed or the
batch was interrupted, 2 bad command line, template or survey list.)";

const char* k_evidence_footer = R"(
Builds every input of the model on its analysis grid and writes it, scoring
nothing: distances, IDW surfaces, rasterized classes and densities (with
--all also the rasters as warped onto the grid). Each layer is written as
DIR/evidence/NAME.tif (tiled, compressed, with overviews; nodata outside the
study area) with a QGIS style NAME.qml: named colours for classes, a ramp
otherwise. Look at them before choosing memberships, weights or thresholds.

Examples:
  prospect evidence lofdal.yaml --out lofdal-evidence
  prospect evidence lofdal.yaml --out lofdal-evidence --all)";

const char* k_check_footer = R"(
Reads the model file, builds the analysis grid and opens every input (CRS,
overlap with the grid, bands), but scores nothing and writes nothing. Use it
before a long run, or in a batch script to reject bad surveys early.

Example:
  prospect check lofdal.yaml)";

const char* k_info_footer = R"(
Prints what a raster or vector file holds: format, CRS, extent, size and
bands (rasters), layers, geometry types, feature counts and fields (vectors).

Examples:
  prospect info rasters/lofdal_eth.tif
  prospect info vectors/lofdal_study_area.geojson)";

const char* k_weights_footer = R"(
Weights of evidence for one evidence raster (Bonham-Carter 1994): for each class
(categorical) or each cumulative threshold (ascending: classes <= value;
descending: classes >= value), the unit cells and deposits on the pattern, W+,
W-, their standard deviations, the contrast C and the studentized contrast
C/s(C). Areas are counted in unit cells, deposits as points. Rows whose weight is
undefined (no deposit on the pattern, all deposits on it) say so instead of
showing a made-up number. Cumulative tables are generalized at the threshold of
largest contrast whose studentized contrast reaches --min-studentized.
The analysis grid is the evidence raster's own; nodata cells are missing
evidence and count nowhere.

Examples:
  prospect weights rasters/lithology.tif --deposits vectors/occurrences.gpkg
  prospect weights dist_faults.tif --deposits occ.shp --type ascending \
      --study-area licence.gpkg --unit-cell-km2 0.01 --out weights/faults.csv)";

// CLI11's number checks let nan and inf through (every comparison with nan is false).
const CLI::Validator k_finite(
    [](std::string& text) {
      try {
        std::size_t used = 0;
        const double v = std::stod(text, &used);
        if (used == text.size() && std::isfinite(v)) return std::string();
      } catch (const std::exception&) {
      }
      return "'" + text + "' is not a finite number";
    },
    "NUMBER");

std::string format_extent(double x0, double y0, double x1, double y1) {
  char buf[200];
  std::snprintf(buf, sizeof buf, "x %.6g .. %.6g, y %.6g .. %.6g", x0, x1, y0, y1);
  return buf;
}

std::string srs_summary(const OGRSpatialReference* srs) {
  if (!srs) return "none (add 'crs:' to this input in the model file)";
  std::string name = srs->GetName() ? srs->GetName() : "unnamed";
  const char* auth = srs->GetAuthorityName(nullptr);
  const char* code = srs->GetAuthorityCode(nullptr);
  if (auth && code) name += std::string(" (") + auth + ":" + code + ")";
  return name;
}

}  // namespace

std::string describe_file(const std::string& path) {
  init_gdal();
  std::ostringstream o;
  if (!std::filesystem::exists(path) && path.rfind("/vsi", 0) != 0)
    throw_bad_input(path, "does not exist");
  CPLErrorReset();
  CPLPushErrorHandler(CPLQuietErrorHandler);
  DatasetPtr ds(
      GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_VECTOR | GDAL_OF_READONLY));
  CPLPopErrorHandler();
  if (!ds) {
    ErrorContext c;
    c.file = path;
    c.step = "opening";
    throw_gdal(ErrorKind::bad_input, "is not a raster or vector file GDAL can read", c);
  }
  o << path << "\n  format: " << ds->GetDriver()->GetDescription() << " ("
    << ds->GetDriver()->GetMetadataItem(GDAL_DMD_LONGNAME) << ")\n";
  if (ds->GetRasterCount() > 0) {
    o << "  raster: " << ds->GetRasterXSize() << " x " << ds->GetRasterYSize() << " cells, "
      << ds->GetRasterCount() << " band(s)\n";
    o << "  CRS: " << srs_summary(ds->GetSpatialRef()) << "\n";
    double gt[6];
    if (ds->GetGeoTransform(gt) == CE_None) {
      o << "  cell size: " << gt[1] << " x " << -gt[5] << "\n";
      o << "  extent: "
        << format_extent(gt[0], gt[3] + ds->GetRasterYSize() * gt[5],
                         gt[0] + ds->GetRasterXSize() * gt[1], gt[3])
        << "\n";
    } else {
      o << "  georeferencing: none\n";
    }
    for (int b = 1; b <= ds->GetRasterCount(); ++b) {
      GDALRasterBand* band = ds->GetRasterBand(b);
      int has = 0;
      const double nodata = band->GetNoDataValue(&has);
      o << "  band " << b << ": " << GDALGetDataTypeName(band->GetRasterDataType());
      if (band->GetDescription() && *band->GetDescription())
        o << " '" << band->GetDescription() << "'";
      if (has) o << ", nodata " << nodata;
      o << "\n";
    }
  }
  for (int i = 0; i < ds->GetLayerCount(); ++i) {
    OGRLayer* layer = ds->GetLayer(i);
    o << "  layer '" << layer->GetName() << "': " << OGRGeometryTypeToName(layer->GetGeomType())
      << ", " << layer->GetFeatureCount() << " feature(s)\n";
    o << "    CRS: " << srs_summary(layer->GetSpatialRef()) << "\n";
    OGREnvelope e;
    if (layer->GetExtent(&e, TRUE) == OGRERR_NONE)
      o << "    extent: " << format_extent(e.MinX, e.MinY, e.MaxX, e.MaxY) << "\n";
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    for (int f = 0; f < defn->GetFieldCount(); ++f) {
      OGRFieldDefn* fd = defn->GetFieldDefn(f);
      o << "    field " << fd->GetNameRef() << ": " << OGRFieldDefn::GetFieldTypeName(fd->GetType())
        << "\n";
    }
  }
  return o.str();
}

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"prospect " PROSPECT_VERSION
               " - scores map cells for mineral prospectivity (heavy rare earths: Dy, Tb, Y)\n"
               "from geological layers, and writes GeoTIFF and GeoJSON for QGIS.",
               "prospect"};
  app.require_subcommand(1);
  app.set_version_flag("--version", PROSPECT_VERSION);
  app.footer("\nStart with:  prospect run --help\nDocs: README.md and docs/ in the source tree.");

  std::string model_path, out_dir, info_path;
  int threads = 0;
  bool quiet = false, no_validation = false, no_report = false;

  CLI::App* run = app.add_subcommand("run", "Run a model: score every cell, write the maps");
  run->add_option("model", model_path, "Model file (YAML)")->required();
  run->add_option("--out,-o", out_dir, "Output folder (created if missing)");
  run->add_option("--threads,-t", threads, "Worker threads (default: one per core)")
      ->check(CLI::Range(0, 1024));
  run->add_flag(
      "--quiet,-q", quiet,
      "Print nothing unless there is an error (notes and warnings still go into manifest.json)");
  run->add_flag("--no-validation", no_validation,
                "Skip validation, cross-validation and response curves (no validation.json)");
  run->add_flag("--no-report", no_report, "Skip report.html");
  run->footer(k_run_footer);

  bool all_inputs = false;
  CLI::App* evidence =
      app.add_subcommand("evidence", "Build a model's evidence layers, score nothing");
  evidence->add_option("model", model_path, "Model file (YAML)")->required();
  evidence->add_option("--out,-o", out_dir, "Output folder (created if missing)");
  evidence->add_flag("--all,-a", all_inputs, "Also the raster inputs, as warped onto the grid");
  evidence->add_option("--threads,-t", threads, "Worker threads (default: one per core)")
      ->check(CLI::Range(0, 1024));
  evidence->add_flag("--quiet,-q", quiet,
                     "Print nothing unless there is an error (notes still go into manifest.json)");
  evidence->footer(k_evidence_footer);

  std::string surveys_path;
  int jobs = 1;
  bool force = false;
  CLI::App* batch = app.add_subcommand("batch", "Run a model template over many surveys");
  batch
      ->add_option("template", model_path,
                   "Model template (YAML); relative paths resolve in each survey")
      ->required();
  batch->add_option("surveys", surveys_path, "Folder of survey folders, or a file listing them")
      ->required();
  batch->add_option("--out,-o", out_dir, "Output folder (default: ./batch-out)");
  batch->add_option("--jobs,-j", jobs, "Surveys run at the same time (default 1)")
      ->check(CLI::Range(1, 256));
  batch
      ->add_option("--threads,-t", threads,
                   "Worker threads shared by the jobs (default: one per core)")
      ->check(CLI::Range(0, 1024));
  batch->add_flag("--force", force, "Run every survey, also those up to date");
  long long memory_mb = 0;
  batch
      ->add_option("--memory", memory_mb,
                   "Memory budget in MB: fewer jobs when --jobs would not fit")
      ->check(CLI::PositiveNumber);
  batch->add_flag("--no-validation", no_validation, "Skip validation in every survey");
  batch->add_flag("--no-report", no_report, "Skip each survey's report.html");
  batch->add_flag("--quiet,-q", quiet, "No lines on stderr (batch.log still has them)");
  batch->footer(k_batch_footer);

  CLI::App* check = app.add_subcommand("check", "Check a model and its inputs, run nothing");
  check->add_option("model", model_path, "Model file (YAML)")->required();
  check->footer(k_check_footer);

  CLI::App* info = app.add_subcommand("info", "Describe a raster or vector file");
  info->add_option("file", info_path, "Any raster or vector file GDAL reads")->required();
  info->footer(k_info_footer);

  CLI::App* weights =
      app.add_subcommand("weights", "Weights-of-evidence table for one evidence raster");
  std::string evidence_path, deposits_path, deposits_layer, deposits_where, deposits_crs,
      study_area_path, evidence_crs, weights_type = "categorical", csv_path;
  int band = 1;
  double unit_cell_km2 = 1.0, min_studentized = 2.0;
  weights->add_option("evidence", evidence_path, "Evidence raster (classes or values)")->required();
  weights->add_option("--deposits,-d", deposits_path, "Training deposits (points)")->required();
  weights->add_option("--deposits-layer", deposits_layer, "Layer of the deposits file");
  weights->add_option("--deposits-where", deposits_where,
                      "Attribute filter, e.g. \"Dy_ppm > 1000\"");
  weights->add_option("--deposits-crs", deposits_crs, "CRS of the deposits when the file has none");
  weights->add_option("--evidence-crs", evidence_crs, "CRS of the evidence when the file has none");
  weights->add_option("--band,-b", band, "Evidence band (default 1)")->check(CLI::PositiveNumber);
  weights->add_option("--study-area,-s", study_area_path,
                      "Study-area polygons (default: every cell with evidence)");
  weights->add_option("--type,-t", weights_type, "categorical, ascending or descending")
      ->check(CLI::IsMember({"categorical", "unique", "ascending", "descending"}));
  weights->add_option("--unit-cell-km2,-u", unit_cell_km2, "Unit cell area in km2 (default 1)")
      ->check(k_finite & CLI::PositiveNumber);
  weights
      ->add_option(
          "--min-studentized", min_studentized,
          "Generalization: smallest studentized contrast a threshold must reach (default 2)")
      ->check(k_finite);
  weights->add_option("--out,-o", csv_path, "Also write the table as CSV here");
  weights->footer(k_weights_footer);

  std::vector<std::string> reversed(args.rbegin(), args.rend() - 1);
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {  // --help or --version: CLI11 prints the right page
      app.exit(e, out, err);
      return 0;
    }
    err << "prospect: " << e.what() << "\n";
    err << "Run 'prospect --help' or 'prospect COMMAND --help' for usage.\n";
    return 2;
  }

  if (threads > max_thread_count() && !quiet)
    err << "prospect: note: --threads " << threads << " is capped at " << max_thread_count()
        << " (twice the " << core_count() << " core(s), at least 8)\n";

  try {
    if (info->parsed()) {
      out << describe_file(info_path);
      return 0;
    }
    if (batch->parsed()) {
      init_gdal();
      BatchOptions options;
      options.out_dir = out_dir.empty() ? "batch-out" : out_dir;
      options.jobs = jobs;
      options.threads = threads;
      options.force = force;
      options.memory_mb = memory_mb;
      options.no_report = no_report;
      options.no_validation = no_validation;
      const std::vector<Survey> surveys = find_surveys(surveys_path, options.out_dir);
      if (surveys.empty())
        throw Error(ErrorKind::bad_model, "holds no survey folders",
                    ErrorContext{surveys_path, "", "", "finding surveys", 0, 0},
                    "give a folder whose subfolders are surveys, or a file listing them");
      // On a terminal a live status line; in a log, the event lines alone.
      std::optional<BatchStatus> status;
      if (!quiet && Progress::stderr_is_terminal() && &err == &std::cerr) {
        status.emplace(err, surveys.size());
        options.say = [&status](const std::string& line) { status->line(line); };
        options.on_progress = [&status](const std::string& survey, const char* step,
                                        double fraction) {
          status->progress(survey, step, fraction);
        };
      } else if (!quiet) {
        options.say = [&err](const std::string& line) {
          err << "prospect: " << line << "\n" << std::flush;
        };
      }
      const BatchRanks ranks;  // one, unless started by mpirun in an MPI build
      options.ranks = &ranks;
      InterruptGuard interrupt_guard;
      const BatchResult result = run_batch(model_path, surveys, options);
      status.reset();  // clear the status line before the verdict
      if (ranks.rank() == 0)
        out << "prospect: batch: " << batch_counts(result) << "; see "
            << (std::filesystem::path(options.out_dir) / "index.html").string() << "\n";
      return result.failed() > 0 || result.failed_elsewhere || result.interrupted ? 1 : 0;
    }
    if (weights->parsed()) {
      init_gdal();
      WeightsRequest req;
      req.evidence.name = "evidence";
      req.evidence.path = evidence_path;
      req.evidence.band = band;
      req.evidence.crs = evidence_crs;
      req.deposits.name = "deposits";
      req.deposits.path = deposits_path;
      req.deposits.layer = deposits_layer;
      req.deposits.where = deposits_where;
      req.deposits.crs = deposits_crs;
      if (!study_area_path.empty()) {
        VectorInput area;
        area.name = "study_area";
        area.path = study_area_path;
        req.study_area = area;
      }
      parse_weights_type(weights_type, req.options.type);
      req.options.unit_cell_km2 = unit_cell_km2;
      req.options.min_studentized = min_studentized;
      InterruptGuard interrupt_guard;
      const WeightsResult result = compute_weights(req);
      out << weights_text(result.table);
      for (const auto& w : result.warnings) err << "prospect: warning: " << w << "\n";
      if (!csv_path.empty()) {
        std::vector<std::string> inputs = {evidence_path, deposits_path};
        if (!study_area_path.empty()) inputs.push_back(study_area_path);
        for (const auto& in : inputs)
          if (std::filesystem::exists(csv_path) && std::filesystem::equivalent(in, csv_path))
            throw Error(ErrorKind::bad_model, "--out would overwrite an input (" + in + ")");
        write_file_atomically(csv_path, weights_csv(result.table));
        out << "  wrote " << csv_path << "\n";
      }
      return 0;
    }
    init_gdal();
    const ModelSpec model = load_model(model_path);
    if (check->parsed()) {
      const CheckReport report = check_model(model);
      out << "model " << model_path << " ('" << model.name << "'): OK\n";
      for (const auto& line : report.lines) out << "  " << line << "\n";
      return 0;
    }
    RunOptions options;
    options.out_dir = out_dir.empty() ? std::filesystem::path(model_path).stem().string() +
                                            (evidence->parsed() ? "-evidence" : "-out")
                                      : out_dir;
    options.threads = threads;
    options.progress = !quiet && Progress::stderr_is_terminal();
    // Notes and warnings as they come, from any thread; a progress line is cleared first.
    std::mutex print_mutex;
    if (!quiet)
      options.on_message = [&, clear = options.progress](const Diagnostic& d) {
        std::lock_guard lock(print_mutex);
        err << (clear ? "\r\x1b[K" : "")
            << "prospect: " << (d.severity == Severity::warning ? "warning: " : "") << d.text
            << "\n"
            << std::flush;
      };
    options.no_validation = no_validation;
    options.no_report = no_report;
    InterruptGuard interrupt_guard;
    if (evidence->parsed()) {
      const EvidenceRecord record = build_evidence(model, options, all_inputs);
      if (record.outputs.empty())
        err << "prospect: no input is built from vectors; use --all to write the rasters as "
               "warped onto the grid\n";
      if (!quiet)
        for (const auto& f : record.outputs)
          out << "  wrote " << (std::filesystem::path(options.out_dir) / f).string() << "\n";
      return 0;
    }
    const RunRecord record = run_model(model, options);
    if (quiet) return 0;  // success says nothing: the files and the exit code speak
    const auto& g = record.grid;
    out << "prospect: scored " << record.cells.valid << " of " << g.cell_count() << " cells ("
        << record.cells.outside << " outside the study area, " << record.cells.missing
        << " with missing evidence) on a " << g.width() << " x " << g.height() << " grid\n";
    for (const Finding& f : record.fitted->findings()) out << "prospect: " << f.text << "\n";
    for (const auto& v : record.validation)
      if (v.deposits > 0) {
        char line[200];
        char interval[64] = "";
        if (v.auc_high > 0)
          std::snprintf(interval, sizeof interval, " (95 %% %.3f-%.3f)", v.auc_low, v.auc_high);
        std::snprintf(line, sizeof line,
                      "prospect: %s: AUC %.3f%s on %zu deposit(s); top 10 %% of the area holds "
                      "%.0f %% of them\n",
                      v.band.c_str(), v.auc, interval, v.deposits, 100.0 * v.capture[2].second);
        out << line;
      }
    if (model.targets.enabled)
      out << "prospect: " << record.target_count << " target zone(s) above "
          << record.target_threshold << " on " << model.targets.score << "\n";
    for (const auto& f : record.outputs)
      out << "  wrote " << (std::filesystem::path(options.out_dir) / f).string() << "\n";
    return 0;
  } catch (const Error& e) {
    err << "prospect: error: " << e.what() << "\n";
    return e.exit_code();
  } catch (const std::exception& e) {
    err << "prospect: error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace prospect
