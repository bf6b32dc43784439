#pragma once
// Checked access to yaml-cpp nodes: every error carries file:line:column and
// says what was expected. Private to the config module.

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "prospect/core/error.hpp"

namespace prospect::config {

// Reads YAML text that must hold one mapping document and checks what yaml-cpp
// lets through: a key given twice (yaml-cpp keeps the first), a second
// document, a key that is a list or a map, an alias inside the node it names
// (a cycle), nesting deeper than 64 levels, and more than a million values once
// aliases are expanded (a "billion laughs" file). Each is an Error(bad_model)
// at file:line:column. Returns the loaded root node.
YAML::Node load_checked_yaml(const std::string& text, const std::string& file);

// Throws Error(bad_model) at the line and column of the first byte that is not UTF-8.
void check_utf8(const std::string& text, const std::string& file);

// Names that become band names and parts of file names (inputs, evidence,
// scores): 1 to 64 characters of A-Z a-z 0-9 _ -, not starting with '-'.
bool is_identifier(const std::string& name);

// Text from a file for a message: control bytes shown as \xNN, cut at ~80 characters.
std::string printable(const std::string& text);

class YamlReader {
 public:
  explicit YamlReader(std::string file) : m_file(std::move(file)) {}

  [[noreturn]] void fail(const YAML::Node& at, const std::string& problem,
                         const std::string& hint = {}) const;

  // Unknown keys are errors, with the closest allowed key as a suggestion.
  void check_keys(const YAML::Node& map, const std::string& section,
                  const std::vector<std::string>& allowed) const;
  void require_map(const YAML::Node& node, const std::string& what) const;
  void require_sequence(const YAML::Node& node, const std::string& what) const;

  std::string text(const YAML::Node& node, const std::string& what) const;
  // A key that names something (see is_identifier); fails with the rule.
  std::string identifier(const YAML::Node& key, const std::string& what) const;
  double number(const YAML::Node& node, const std::string& what) const;
  // A whole number from `min` to `max` (checked before any conversion, so
  // 4294967297 is never read as 1).
  long long integer(const YAML::Node& node, const std::string& what, long long min,
                    long long max) const;
  std::vector<double> numbers(const YAML::Node& node, const std::string& what,
                              std::size_t count) const;

  const std::string& file() const { return m_file; }

 private:
  std::string m_file;
};

}  // namespace prospect::config
