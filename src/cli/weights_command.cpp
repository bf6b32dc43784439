// prospect weights EVIDENCE.tif --deposits POINTS: one weights-of-evidence table.

#include <filesystem>
#include <ostream>

#include "command.hpp"
#include "prospect/core/interrupt.hpp"
#include "prospect/output/output_folder.hpp"
#include "prospect/run/weights.hpp"

namespace prospect::cli {
namespace {

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

class WeightsCommand : public Command {
 public:
  void declare(CLI::App& app) override {
    m_command = app.add_subcommand("weights", "Weights-of-evidence table for one evidence raster");
    m_command->add_option("evidence", m_evidence_path, "Evidence raster (classes or values)")
        ->required();
    m_command->add_option("--deposits,-d", m_deposits_path, "Training deposits (points)")
        ->required();
    m_command->add_option("--deposits-layer", m_deposits_layer, "Layer of the deposits file");
    m_command->add_option("--deposits-where", m_deposits_where,
                          "Attribute filter, e.g. \"Dy_ppm > 1000\"");
    m_command->add_option("--deposits-crs", m_deposits_crs,
                          "CRS of the deposits when the file has none");
    m_command->add_option("--evidence-crs", m_evidence_crs,
                          "CRS of the evidence when the file has none");
    m_command->add_option("--band,-b", m_band, "Evidence band (default 1)")
        ->check(CLI::PositiveNumber);
    m_command->add_option("--study-area,-s", m_study_area_path,
                          "Study-area polygons (default: every cell with evidence)");
    m_command->add_option("--type,-t", m_type, "categorical, ascending or descending")
        ->check(CLI::IsMember({"categorical", "unique", "ascending", "descending"}));
    m_command
        ->add_option("--unit-cell-km2,-u", m_unit_cell_km2, "Unit cell area in km2 (default 1)")
        ->check(k_finite & CLI::PositiveNumber);
    m_command
        ->add_option(
            "--min-studentized", m_min_studentized,
            "Generalization: smallest studentized contrast a threshold must reach (default 2)")
        ->check(k_finite);
    m_command->add_option("--out,-o", m_csv_path, "Also write the table as CSV here");
    m_command->footer(k_weights_footer);
  }

  int run(std::ostream& out, std::ostream& err) override {
    WeightsRequest req;
    req.evidence.name = "evidence";
    req.evidence.path = m_evidence_path;
    req.evidence.band = m_band;
    req.evidence.crs = m_evidence_crs;
    req.deposits.name = "deposits";
    req.deposits.path = m_deposits_path;
    req.deposits.layer = m_deposits_layer;
    req.deposits.where = m_deposits_where;
    req.deposits.crs = m_deposits_crs;
    if (!m_study_area_path.empty()) {
      VectorInput area;
      area.name = "study_area";
      area.path = m_study_area_path;
      req.study_area = area;
    }
    parse_weights_type(m_type, req.options.type);
    req.options.unit_cell_km2 = m_unit_cell_km2;
    req.options.min_studentized = m_min_studentized;
    InterruptGuard interrupt_guard;
    const WeightsResult result = compute_weights(req);
    out << weights_text(result.table);
    for (const auto& w : result.warnings) err << "prospect: warning: " << w << "\n";
    if (m_csv_path.empty()) return 0;
    std::vector<std::string> inputs = {m_evidence_path, m_deposits_path};
    if (!m_study_area_path.empty()) inputs.push_back(m_study_area_path);
    for (const auto& in : inputs)
      if (std::filesystem::exists(m_csv_path) && std::filesystem::equivalent(in, m_csv_path))
        throw Error(ErrorKind::bad_model, "--out would overwrite an input (" + in + ")");
    write_file_atomically(m_csv_path, weights_csv(result.table));
    out << "  wrote " << m_csv_path << "\n";
    return 0;
  }

 private:
  std::string m_evidence_path, m_deposits_path, m_deposits_layer, m_deposits_where, m_deposits_crs,
      m_study_area_path, m_evidence_crs, m_type = "categorical", m_csv_path;
  int m_band = 1;
  double m_unit_cell_km2 = 1.0, m_min_studentized = 2.0;
};

}  // namespace

std::unique_ptr<Command> weights_command() { return std::make_unique<WeightsCommand>(); }

}  // namespace prospect::cli
