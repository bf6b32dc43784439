// prospect anomalies SAMPLES --field Dy_ppm --index "(Dy/Yb)N": robust anomaly thresholds.

#include <filesystem>
#include <ostream>

#include "command.hpp"
#include "prospect/core/interrupt.hpp"
#include "prospect/core/progress.hpp"
#include "prospect/geochem/indices.hpp"
#include "prospect/run/anomalies.hpp"

namespace prospect::cli {
namespace {

const char* k_anomalies_footer = R"footer(
Finds the anomalous samples of a geochemical survey, per element, expression
or rare-earth index, with a robust threshold taken from the data (so the
anomalies themselves do not raise it):
  mad    median + k x MAD (scaled by 1.4826), k = 2 unless --k
  tukey  upper fence Q3 + k x IQR, k = 1.5 unless --k
  cn     concentration-number: the break between two straight lines fitted
         to log10(number of samples >= v) against log10(v)
computed on log10 values unless --no-log (for values that can be negative,
such as clr or balance). A sample is anomalous when its value is above the
threshold. Values are read as in a model file: "<x" is x / 2, other text
is skipped and counted.

Writes DIR/anomalies.gpkg (one point layer per value: every sample with its
attributes and value, threshold, anomalous 0/1 and the reason; it opens in
QGIS with the anomalous samples drawn large and red), DIR/thresholds.csv
and DIR/manifest.json. As point evidence in a model file: a distance or
density input on anomalies.gpkg, layer Dy_ppm, where: anomalous = 1.

Fields may be expressions ("N(Dy_ppm) / N(Yb_ppm)", "clr(Dy_ppm, La_ppm,
Ce_ppm)"); indices are named as in a model file's index: key ((Dy/Yb)N,
Eu/Eu*, HREE/LREE, ...; docs/science/geochemistry.md). --pca gives the
multi-element signal: each sample's scores on the first --components
principal components of its clr-transformed parts (layers PC1, PC2, ...;
thresholds on the scores themselves, which are log-ratios already); the
loadings are printed.

Examples:
  prospect anomalies vectors/lofdal_soils.csv --crs EPSG:32733 \
      --field Dy_ppm --field Tb_ppm --index "(Dy/Yb)N" --index HREE/LREE
  prospect anomalies soils.gpkg --layer soils --where "medium = 'soil'" \
      --field "clr(Dy_ppm, La_ppm, Ce_ppm, Nd_ppm)" --no-log --method tukey
  prospect anomalies vectors/lofdal_soils.csv --crs EPSG:32733 --pca rare_earths)footer";

class AnomaliesCommand : public Command {
 public:
  void declare(CLI::App& app) override {
    m_command = app.add_subcommand("anomalies", "Robust anomaly thresholds for geochemistry");
    m_command->add_option("samples", m_spec.samples.path, "Sample points (CSV, GPKG, ...)")
        ->required();
    m_command->add_option("--field,-f", m_spec.fields,
                          "An attribute or expression to threshold (repeatable)");
    m_command->add_option("--index,-i", m_spec.indices,
                          "A rare-earth index to threshold, e.g. \"(Dy/Yb)N\" (repeatable)");
    m_command
        ->add_option("--pca", m_pca_parts,
                     "Principal components of the clr of these parts: columns A,B,C or "
                     "rare_earths (every rare-earth column)")
        ->delimiter(',');
    m_command
        ->add_option("--components", m_spec.components,
                     "How many principal components (default 2 with --pca)")
        ->check(CLI::Range(1, 20));
    m_command->add_option("--method,-m", m_method, "mad (default), tukey or cn")
        ->check(CLI::IsMember({"mad", "tukey", "cn"}));
    m_command->add_option("--k", m_spec.rule.k, "Multiplier: mad 2, tukey 1.5 by default")
        ->check(k_finite & CLI::PositiveNumber);
    m_command->add_flag("--no-log", m_no_log, "Statistics of the values, not of their log10");
    m_command->add_option("--layer", m_spec.samples.layer, "Layer of the samples file");
    m_command->add_option("--where", m_spec.samples.where,
                          "Attribute filter, e.g. \"medium = 'soil'\"");
    m_command->add_option("--crs", m_spec.samples.crs, "CRS of the samples (a CSV has none)");
    m_command
        ->add_option("--columns", m_columns,
                     "CSV coordinate columns: X,Y (e.g. easting,northing) or one WKT column")
        ->delimiter(',');
    m_command->add_option("--out,-o", m_out_dir,
                          "Output folder (default: SAMPLES name + -anomalies)");
    m_command->add_flag("--quiet,-q", m_quiet, "Print nothing unless there is an error");
    m_command->footer(k_anomalies_footer);
  }

  int run(std::ostream& out, std::ostream& err) override {
    if (m_columns.size() == 2) {
      m_spec.samples.x_column = m_columns[0];
      m_spec.samples.y_column = m_columns[1];
    } else if (m_columns.size() == 1) {
      m_spec.samples.wkt_column = m_columns[0];
    } else if (!m_columns.empty()) {
      throw Error(ErrorKind::bad_model, "--columns takes X,Y or one WKT column");
    }
    for (const std::string& index : m_spec.indices) index_template(index);  // a clear error early
    if (!m_pca_parts.empty()) {
      if (m_pca_parts.size() == 1 && m_pca_parts[0] == "rare_earths")
        m_spec.pca.rare_earths = true;
      else if (m_pca_parts.size() >= 2)
        m_spec.pca.parts = m_pca_parts;
      else
        throw Error(ErrorKind::bad_model, "--pca takes at least 2 columns, or rare_earths");
      if (m_spec.components == 0) m_spec.components = 2;
    } else if (m_spec.components > 0) {
      throw Error(ErrorKind::bad_model, "--components goes with --pca");
    }
    m_spec.rule.method = *threshold_method(m_method);
    m_spec.rule.log = !m_no_log;
    m_spec.samples.name = std::filesystem::path(m_spec.samples.path).stem().string();
    RunOptions options;
    options.out_dir = m_out_dir.empty() ? m_spec.samples.name + "-anomalies" : m_out_dir;
    CommandProgress progress(err, m_quiet, options);
    InterruptGuard interrupt_guard;
    const AnomalyRecord record = find_anomalies(m_spec, options);
    progress.finish();
    if (!m_quiet) {
      for (const AnomalyResult& r : record.values)
        out << "  " << r.label << ": " << r.threshold.anomalous << " of " << r.report.used
            << " samples above " << r.threshold.value << " (" << r.threshold.rule << "), layer "
            << r.layer << "\n";
      for (const auto& f : record.outputs)
        out << "  wrote " << (std::filesystem::path(options.out_dir) / f).string() << "\n";
    }
    return 0;
  }

 private:
  AnomalySpec m_spec;
  std::string m_method = "mad", m_out_dir;
  std::vector<std::string> m_columns, m_pca_parts;
  bool m_no_log = false, m_quiet = false;
};

}  // namespace

std::unique_ptr<Command> anomalies_command() { return std::make_unique<AnomaliesCommand>(); }

}  // namespace prospect::cli
