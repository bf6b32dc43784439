#pragma once
// Checked access to yaml-cpp nodes: every error carries file:line:column and
// says what was expected. Private to the config module.

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "prospect/core/error.hpp"

namespace prospect::config {

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
  double number(const YAML::Node& node, const std::string& what) const;
  long long integer(const YAML::Node& node, const std::string& what) const;
  std::vector<double> numbers(const YAML::Node& node, const std::string& what,
                              std::size_t count) const;

  const std::string& file() const { return m_file; }

 private:
  std::string m_file;
};

}  // namespace prospect::config
