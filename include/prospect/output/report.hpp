#pragma once
// report.html: the page a geologist reads after a run. Maps of each score band
// (rendered from the written prospectivity.tif, with target outlines and
// deposits), validation curves and tables, cross-validation, response curves,
// the fitted weights or coefficients, warnings in plain words and provenance.
// Deterministic: no dates or timings, so the same run gives the same bytes.

#include <string>
#include <vector>

#include "prospect/output/qml.hpp"
#include "prospect/output/run_record.hpp"
#include "prospect/output/score_classes.hpp"
#include "prospect/output/validation_json.hpp"
#include "prospect/spec/model.hpp"

namespace prospect {

// The report's maps are at most this many pixels across.
constexpr int k_report_map_pixels = 500;

struct ReportContext {
  const ModelSpec* model = nullptr;
  const RunRecord* record = nullptr;
  std::string files_dir;  // where prospectivity.tif and targets.gpkg are (the staging folder)
  int target_band = 1;    // 1-based
  std::vector<AreaBreak> style_breaks;  // of the target band, as prospectivity.qml has them
  bool validation_skipped = false;      // --no-validation
};

std::string report_html(const ReportContext& context);

// The warnings of a run in plain words (also the report's "What to watch").
std::vector<std::string> report_warnings(const ReportContext& context);

}  // namespace prospect
