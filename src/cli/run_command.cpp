// prospect run MODEL.yaml: score every cell, write the maps.

#include <cstdio>
#include <filesystem>
#include <ostream>

#include "command.hpp"
#include "prospect/config/model_file.hpp"
#include "prospect/core/interrupt.hpp"
#include "prospect/core/progress.hpp"
#include "prospect/output/validation_json.hpp"

namespace prospect::cli {
namespace {

const char* k_run_footer = R"(
What it writes into DIR (default: ./<model file name>-out, e.g. lofdal-out for lofdal.yaml):
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
  models/*.json      each score's fitted XGBoost model (gradient_boosting,
                     random_forest)
  project.qgs        a QGIS project that opens all of the above, styled; it
                     opens whole when the folder is moved or sent alone
  layers.gpkg        the vectors the project shows (deposits, study area,
                     vector inputs), copied in the grid CRS
  manifest.json      version, model and input hashes, grid, counts, timings

Progress goes to stderr phase by phase (scoring, validating, outlining targets,
writing prospectivity.tif, ...), each finished phase on a line with the time it
took: rewriting itself with an estimate on a terminal, GDAL-style
"0...10...20" lines in a pipe or log.

Examples:
  prospect run lofdal.yaml
  prospect run lofdal.yaml --out results/lofdal --threads 2
  prospect run survey.yaml --quiet          # for batch scripts and logs
  prospect run survey.yaml --no-validation  # map only: no validation.json, a shorter report

Exit codes: 0 done, 1 run failed, 2 bad command line or model file, 3 bad input data,
130 interrupted by Ctrl-C, 143 by SIGTERM (the output folder is left as it was).
The model file format: docs/model-file.md)";

class RunCommand : public Command {
 public:
  void declare(CLI::App& app) override {
    m_command = app.add_subcommand("run", "Run a model: score every cell, write the maps");
    m_command->add_option("model", m_model_path, "Model file (YAML)")->required();
    m_command->add_option("--out,-o", m_out_dir,
                          "Output folder (created if missing; default ./<model file name>-out)");
    add_threads_option(*m_command, m_threads, "Worker threads (default: one per core)");
    m_command->add_flag(
        "--quiet,-q", m_quiet,
        "Print nothing unless there is an error (notes and warnings still go into manifest.json)");
    m_command->add_flag(
        "--no-validation", m_no_validation,
        "Skip validation, cross-validation and response curves (no validation.json)");
    m_command->add_flag("--no-report", m_no_report, "Skip report.html");
    m_command->footer(k_run_footer);
  }

  int run(std::ostream& out, std::ostream& err) override {
    note_thread_cap(m_threads, m_quiet, err);
    const ModelSpec model = load_model(m_model_path);
    RunOptions options;
    options.out_dir = m_out_dir.empty()
                          ? std::filesystem::path(m_model_path).stem().string() + "-out"
                          : m_out_dir;
    options.threads = m_threads;
    CommandProgress progress(err, m_quiet, options);
    options.no_validation = m_no_validation;
    options.no_report = m_no_report;
    InterruptGuard interrupt_guard;
    const RunRecord record = run_model(model, options);
    progress.finish();
    if (m_quiet) return 0;  // success says nothing: the files and the exit code speak
    summarise(model, record, options.out_dir, out);
    return 0;
  }

 private:
  static void summarise(const ModelSpec& model, const RunRecord& record, const std::string& out_dir,
                        std::ostream& out) {
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
                      "%.0f %% of them",
                      v.band.c_str(), v.auc, interval, v.deposits, 100.0 * v.capture[2].second);
        out << line;
        const Chance chance = chance_of(v);
        if (chance == Chance::no_better || chance == Chance::worse)
          out << "; " << chance_name(chance);
        out << "\n";
      }
    if (model.targets.enabled) {
      char share[160];
      std::snprintf(share, sizeof share,
                    ", covering %.3g %% of the valid study area (top %g %% asked)",
                    record.target_delivered_percent, model.targets.top_percent);
      out << "prospect: " << record.target_count << " target zone(s) at or above "
          << record.target_threshold << " on " << model.targets.score << share << "\n";
    }
    for (const auto& f : record.outputs)
      out << "  wrote " << (std::filesystem::path(out_dir) / f).string() << "\n";
  }

  std::string m_model_path, m_out_dir;
  int m_threads = 0;
  bool m_quiet = false, m_no_validation = false, m_no_report = false;
};

}  // namespace

std::unique_ptr<Command> run_command() { return std::make_unique<RunCommand>(); }

}  // namespace prospect::cli
