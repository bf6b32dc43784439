// prospect weights EVIDENCE.tif --deposits POINTS: one weights-of-evidence table.

#include <filesystem>
#include <ostream>

#include "command.hpp"
#include "prospect/core/interrupt.hpp"
#include "prospect/core/progress.hpp"
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

Each distinct value is a class, named from the raster's category names or
attribute table when it has them. A continuous layer (distances, grades,
geophysics) needs classes: --breaks gives their upper bounds (x <= 100,
100 < x <= 300, ..., as `breaks:` in a model file), --quantiles N makes N
equal-count classes from the values in the study area. A layer with more than
--max-classes distinct values (default 256) and neither is refused, since its
table would have a row per value.

Examples:
  prospect weights rasters/lithology.tif --deposits vectors/occurrences.gpkg
  prospect weights dist_faults.tif --deposits occ.shp --type ascending \
      --breaks 100,300,600,1000 --study-area licence.gpkg --unit-cell-km2 0.01 \
      --out weights/faults.csv
  prospect weights magnetics.tif --deposits occ.gpkg --type descending --quantiles 10)";

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
    auto* breaks =
        m_command
            ->add_option("--breaks", m_breaks,
                         "Class upper bounds for a continuous layer, ascending: 100,300,600")
            ->delimiter(',')
            ->check(k_finite);
    m_command
        ->add_option("--quantiles", m_quantiles,
                     "N equal-count classes from the values in the study area (2 to 100)")
        ->check(CLI::Range(2, 100))
        ->excludes(breaks);
    m_command
        ->add_option("--max-classes", m_max_classes,
                     "Most distinct values taken as classes without --breaks (default 256)")
        ->check(CLI::Range(1, 1000000));
    m_command->add_flag("--quiet,-q", m_quiet, "No progress or warnings, only the table");
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
    for (std::size_t i = 1; i < m_breaks.size(); ++i)
      if (!(m_breaks[i] > m_breaks[i - 1]))
        throw Error(ErrorKind::bad_model, "--breaks must be increasing", {},
                    "give the classes' upper bounds from low to high, e.g. 100,300,600");
    req.breaks = m_breaks;
    req.quantiles = m_quantiles;
    req.max_classes = m_max_classes;
    req.show_progress = !m_quiet && Progress::stderr_is_terminal();
    InterruptGuard interrupt_guard;
    const WeightsResult result = compute_weights(req);
    if (!result.breaks_note.empty() && !m_quiet)
      err << "prospect: note: classes: " << result.breaks_note << "\n";
    out << weights_text(result.table, result.class_names);
    if (!m_quiet)
      for (const auto& w : result.warnings) err << "prospect: warning: " << w << "\n";
    if (m_csv_path.empty()) return 0;
    std::vector<std::string> inputs = {m_evidence_path, m_deposits_path};
    if (!m_study_area_path.empty()) inputs.push_back(m_study_area_path);
    for (const auto& in : inputs)
      if (std::filesystem::exists(m_csv_path) && std::filesystem::equivalent(in, m_csv_path))
        throw Error(ErrorKind::bad_model, "--out would overwrite an input (" + in + ")");
    write_file_atomically(m_csv_path, weights_csv(result.table, result.class_names));
    out << "  wrote " << m_csv_path << "\n";
    return 0;
  }

 private:
  std::string m_evidence_path, m_deposits_path, m_deposits_layer, m_deposits_where, m_deposits_crs,
      m_study_area_path, m_evidence_crs, m_type = "categorical", m_csv_path;
  int m_band = 1, m_quantiles = 0;
  std::size_t m_max_classes = 256;
  std::vector<double> m_breaks;
  bool m_quiet = false;
  double m_unit_cell_km2 = 1.0, m_min_studentized = 2.0;
};

}  // namespace

std::unique_ptr<Command> weights_command() { return std::make_unique<WeightsCommand>(); }

}  // namespace prospect::cli
