#include "prospect/output/run_record.hpp"

#include <cstdio>

namespace prospect {

std::string min_target_size_text(const TargetSpec& targets, long long min_cells) {
  const std::string cells = std::to_string(min_cells) + (min_cells == 1 ? " cell" : " cells");
  if (!targets.min_area_given) return cells + " (the default; targets.min_area_ha sets it)";
  char area[64];
  std::snprintf(area, sizeof area, "%g", targets.min_area_ha);
  return "min_area_ha " + std::string(area) + " ha (" + cells + ")";
}

}  // namespace prospect
