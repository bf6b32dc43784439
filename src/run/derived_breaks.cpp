#include "prospect/run/derived_breaks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "prospect/pipeline/tile_pass.hpp"

namespace prospect {
namespace {

std::string format_breaks(const std::vector<double>& b) {
  std::string s;
  char buf[40];
  for (double v : b) {
    std::snprintf(buf, sizeof buf, "%s%.6g", s.empty() ? "" : ", ", v);
    s += buf;
  }
  return "[" + s + "]";
}

}  // namespace

std::vector<double> sample_values(const TilePassOptions& pass, const AnalysisGrid& grid,
                                  const std::vector<Tile>& tiles, std::size_t stride) {
  std::vector<double> out;
  run_tile_pass<std::vector<double>>(
      tiles, pass,
      [&](TileView& tile, std::vector<double>& sample) {
        sample.clear();
        if (tile.inside_count == 0) return;
        const Window& w = tile.window;
        const std::vector<float>& values = tile.layer(0);
        for (int r = 0; r < w.height; ++r)
          for (int c = 0; c < w.width; ++c) {
            const std::size_t i = std::size_t(r) * std::size_t(w.width) + std::size_t(c);
            const std::size_t cell =
                std::size_t(w.row + r) * std::size_t(grid.width()) + std::size_t(w.col + c);
            if (cell % stride == 0 && tile.inside[i] && !std::isnan(values[i]))
              sample.push_back(values[i]);
          }
      },
      [&](std::size_t, std::vector<double>& sample) {
        out.insert(out.end(), sample.begin(), sample.end());
      });
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> resolve_derived_breaks(ModelSpec& model, const InputSet& inputs,
                                                const StudyArea& area, const AnalysisGrid& grid,
                                                const std::vector<Tile>& tiles, int threads) {
  std::vector<std::string> notes;
  const std::size_t stride = std::max<std::size_t>(1, grid.cell_count() / 2'000'000);
  for (EvidenceSpec& e : model.evidence) {
    const BreakRule rule = e.derived_breaks;
    if (rule.method == BreakMethod::none || !inputs.prepared(std::size_t(e.input)))
      continue;  // unused
    const InputSpec& input = model.inputs[std::size_t(e.input)];
    TilePassOptions pass;
    pass.threads = threads;
    pass.area = &area;
    pass.sources =
        PassSources::single([&inputs, input = e.input] { return inputs.open(std::size_t(input)); });
    const std::vector<double> values = sample_values(pass, grid, tiles, stride);
    ErrorContext c{model.path, "", "", "choosing class breaks for evidence '" + e.name + "'", 0, 0};
    if (values.empty())
      throw Error(ErrorKind::bad_input,
                  "input '" + input.name + "' has no value inside the study area", c);
    // Natural breaks search all splits: quadratic, so on at most 4,000 values spread over the data.
    const std::vector<double> breaks =
        rule.method == BreakMethod::quantiles
            ? quantile_breaks(values, rule.classes)
            : natural_breaks(even_subsample(values, 4000), rule.classes);
    const bool fuzzy_table = e.has_membership && e.membership.type == MembershipType::classes;
    if (fuzzy_table && int(breaks.size()) + 1 != rule.classes)
      throw Error(ErrorKind::bad_input,
                  "input '" + input.name + "' has too few distinct values for " +
                      std::to_string(rule.classes) + " " + break_method_name(rule.method) +
                      " classes (breaks " + format_breaks(breaks) + ")",
                  c, "give fewer classes, or explicit breaks: [...]");
    if (fuzzy_table)
      e.membership.breaks = breaks;
    else
      e.breaks = breaks;
    e.derived_breaks = {};
    char line[200];
    std::snprintf(line, sizeof line, "evidence %s: %s of %s (%zu cells sampled): breaks ",
                  e.name.c_str(), break_method_name(rule.method), input.name.c_str(),
                  values.size());
    notes.push_back(line + format_breaks(breaks));
  }
  return notes;
}

}  // namespace prospect
