#pragma once
// manifest.json: what a run read (with hashes), how, what it wrote (every
// other output with its hash), and what it found.

#include <string>
#include <vector>

#include "prospect/core/hash.hpp"
#include "prospect/output/run_record.hpp"
#include "prospect/spec/model.hpp"

namespace prospect {

// The manifest's text; timestamps, timings and the inputs' file identities
// (which change when a file is touched) are the only parts that vary between runs.
std::string manifest_json(const ModelSpec& model, const RunRecord& record);

// The inputs a manifest records with their hashes and identities; empty when
// the file is missing or unreadable (then every input is hashed again).
std::vector<FileHash> recorded_inputs(const std::string& manifest_path);

}  // namespace prospect
