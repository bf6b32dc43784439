#pragma once
// The model file (YAML) read into a ModelSpec (spec/model.hpp). Parsing checks
// everything that can be checked without opening data: types, ranges, names
// that must refer to each other. Each error names file:line:column; unknown
// keys come with a "did you mean".

#include <string>
#include <vector>

#include "prospect/core/error.hpp"
#include "prospect/spec/model.hpp"

namespace prospect {

// Reads and checks a model file. Throws Error(bad_model) with file:line:column.
ModelSpec load_model(const std::string& path);
// The same from text (tests; `path` names it in messages and anchors relative paths).
ModelSpec parse_model(const std::string& text, const std::string& path);

// A model text with a survey's overrides (its survey.yaml) merged in, as YAML
// text: maps merge key by key, anything else is replaced. Both texts are
// checked as load_model checks one.
struct MergedModel {
  std::string text;
  bool overrides_name = false;  // the overrides give the model a name
};
MergedModel merge_overrides(const std::string& model_text, const std::string& model_path,
                            const std::string& overrides_text, const std::string& overrides_path);

// Default HREE value weights: relative value per kg of oxide (see docs/science/composite.md).
struct ElementValue {
  const char* element;
  double usd_per_kg_oxide;
};
const std::vector<ElementValue>& default_element_values();
const char* default_element_values_source();

}  // namespace prospect
