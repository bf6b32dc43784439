#pragma once
// `prospect anomalies`: robust anomaly thresholds for geochemical samples, per
// element, expression or rare-earth index (geochem/thresholds), written to an
// output folder: anomalies.gpkg with one point layer per value (every sample,
// its attributes, the value, the threshold, whether it is anomalous and why),
// thresholds.csv (one row per value) and manifest.json. The layers load in
// QGIS with anomalous samples drawn large and red, and serve as point evidence:
// a model's distance or density input with `where: anomalous = 1`.

#include <string>
#include <vector>

#include "prospect/evidence/sample_values.hpp"
#include "prospect/geochem/thresholds.hpp"
#include "prospect/run/run_model.hpp"
#include "prospect/spec/inputs.hpp"

namespace prospect {

struct AnomalySpec {
  VectorInput samples;               // the sample layer (crs: for a CSV)
  std::vector<std::string> fields;   // attributes or expressions ("Dy_ppm", "clr(Dy_ppm, ...)")
  std::vector<std::string> indices;  // rare-earth indices by name ("(Dy/Yb)N")
  PcaSpec pca;                       // with components > 0: PC1..PCn of these parts' clr
  int components = 0;
  ThresholdRule rule;  // (PC scores are log-ratios already: never logged again)
};

struct AnomalyResult {
  std::string label;  // the field or index as given
  std::string layer;  // its layer in anomalies.gpkg
  Threshold threshold;
  SampleReport report;
};

struct AnomalyRecord {
  std::vector<AnomalyResult> values;
  std::vector<std::string> outputs;  // files written, relative to the output folder
};

// Throws Error(bad_input) for a layer that is not points, lacks a field or a
// column an index needs, or has too few usable values for a threshold;
// Error(bad_model) for an output folder that is or holds the samples.
AnomalyRecord find_anomalies(const AnomalySpec& spec, const RunOptions& options);

// The layer name for a value: letters, digits and '_' only, unique among `taken`
// ("(Dy/Yb)N" -> "Dy_Yb_N", "Eu/Eu*" -> "Eu_Eu").
std::string anomaly_layer_name(const std::string& label, const std::vector<std::string>& taken);

}  // namespace prospect
