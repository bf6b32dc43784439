#pragma once
// manifest.json: what a run read (with hashes), how, what it wrote (every
// other output with its hash), and what it found.

#include <string>

#include "prospect/output/run_record.hpp"
#include "prospect/spec/model.hpp"

namespace prospect {

// The manifest's text; timestamps and timings are the only parts that vary between runs.
std::string manifest_json(const ModelSpec& model, const RunRecord& record);

}  // namespace prospect
