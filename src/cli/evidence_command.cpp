// prospect evidence MODEL.yaml: build a model's evidence layers, score nothing.

#include <filesystem>
#include <ostream>

#include "command.hpp"
#include "prospect/config/model_file.hpp"
#include "prospect/core/interrupt.hpp"
#include "prospect/core/progress.hpp"
#include "prospect/run/build_evidence.hpp"

namespace prospect::cli {
namespace {

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

class EvidenceCommand : public Command {
 public:
  void declare(CLI::App& app) override {
    m_command = app.add_subcommand("evidence", "Build a model's evidence layers, score nothing");
    m_command->add_option("model", m_model_path, "Model file (YAML)")->required();
    m_command->add_option("--out,-o", m_out_dir, "Output folder (created if missing)");
    m_command->add_flag("--all,-a", m_all, "Also the raster inputs, as warped onto the grid");
    add_threads_option(*m_command, m_threads, "Worker threads (default: one per core)");
    m_command->add_flag(
        "--quiet,-q", m_quiet,
        "Print nothing unless there is an error (notes still go into manifest.json)");
    m_command->footer(k_evidence_footer);
  }

  int run(std::ostream& out, std::ostream& err) override {
    note_thread_cap(m_threads, m_quiet, err);
    const ModelSpec model = load_model(m_model_path);
    RunOptions options;
    options.out_dir = m_out_dir.empty()
                          ? std::filesystem::path(m_model_path).stem().string() + "-evidence"
                          : m_out_dir;
    options.threads = m_threads;
    CommandProgress progress(err, m_quiet, options);
    InterruptGuard interrupt_guard;
    const EvidenceRecord record = build_evidence(model, options, m_all);
    progress.finish();
    if (record.outputs.empty())
      err << "prospect: no input is built from vectors; use --all to write the rasters as "
             "warped onto the grid\n";
    if (!m_quiet)
      for (const auto& f : record.outputs)
        out << "  wrote " << (std::filesystem::path(options.out_dir) / f).string() << "\n";
    return 0;
  }

 private:
  std::string m_model_path, m_out_dir;
  int m_threads = 0;
  bool m_all = false, m_quiet = false;
};

}  // namespace

std::unique_ptr<Command> evidence_command() { return std::make_unique<EvidenceCommand>(); }

}  // namespace prospect::cli
