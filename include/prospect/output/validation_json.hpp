#pragma once
// validation.json, and the verdicts on a validated band that the terminal,
// the manifest and the report share.

#include <string>
#include <vector>

#include "prospect/output/run_record.hpp"
#include "prospect/spec/model.hpp"

namespace prospect {

// Whether a band ranks its deposits above the background, judged by the 95 %
// AUC interval: above 0.5 (better than chance), containing 0.5 (no better
// than chance), below 0.5 (worse than chance: the map ranks deposits below the
// background). Without an interval (no bootstrap, or under 2 deposits) or
// deposits: not assessed.
enum class Chance { not_assessed, better, no_better, worse };
Chance chance_of(const BandValidation& v);
const char* chance_name(Chance c);  // "better than chance", ...
// The warning for a band that is no better or worse than chance, in plain words ("" otherwise).
std::string chance_warning(const BandValidation& v);

// validation.json: every band's AUC, curves, capture and deposits not counted;
// cross-validation; response curves.
std::string validation_json(const ModelSpec& model, const std::vector<BandValidation>& bands,
                            const std::vector<CrossValidation>& cross_validation,
                            const std::vector<ResponseCurve>& response_curves);

}  // namespace prospect
