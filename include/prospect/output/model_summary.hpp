#pragma once
// What a fitted model says about itself in the outputs: the units of its
// bands, the files it wrote, its section of manifest.json, its part of the
// report and its findings. Every model kind's FittedModel is one
// (kinds/model_kind.hpp); the writers read a run's model through this alone,
// so they need nothing of the kinds, the pipeline or the run.

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace prospect {

// Something a kind found that the user should read: printed after a run, and
// listed under "What to watch" in the report when `watch` is set.
struct Finding {
  std::string text;
  bool watch = false;
};

class ModelSummary {
 public:
  virtual ~ModelSummary() = default;
  // What the score bands hold, in words (PROSPECT_UNITS in the GeoTIFF).
  virtual std::string units() const = 0;
  // Files the fit wrote into the output folder, relative to it.
  virtual std::vector<std::string> files() const { return {}; }
  // Its section of manifest.json (added to `manifest`).
  virtual void add_to_manifest(nlohmann::ordered_json& manifest) const = 0;
  // Its part of the report's Model section (HTML).
  virtual std::string report_html() const = 0;
  virtual std::vector<Finding> findings() const { return {}; }
};

}  // namespace prospect
