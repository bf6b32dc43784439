#include "prospect/run/evidence_export.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

#include "prospect/output/qml.hpp"
#include "prospect/output/quantile.hpp"

namespace prospect {

struct EvidenceExport::Layer {
  std::string name;  // evidence/NAME.tif
  std::vector<CategoryClass> classes;
  StagedRaster raster;
  StatisticsAccumulator stats;
  std::string unit;                            // of continuous values, "" when the data's
  std::unique_ptr<TopValueSelector> selector;  // continuous: the style's percentiles
};

namespace {

// The percentiles a continuous evidence layer's style stops at.
constexpr double k_style_percentiles[] = {2, 25, 50, 75, 98};

// The nearest-rank percentile: the value at ascending position ceil(p/100 N),
// as a rank from the top (1 = largest), which TopValueSelector takes.
std::uint64_t rank_from_top(std::uint64_t population, double percent) {
  const auto position = std::uint64_t(std::ceil(percent / 100.0 * double(population) - 1e-9));
  return population - std::max<std::uint64_t>(position, 1) + 1;
}

}  // namespace

EvidenceExport::~EvidenceExport() = default;

EvidenceExport::EvidenceExport(const ModelSpec& model, const InputSet& inputs,
                               const std::vector<char>& input_used, const AnalysisGrid& grid,
                               OutputFolder& folder, int overview_levels)
    : m_model(model), m_folder(folder), m_levels(overview_levels) {
  const std::string& which = model.outputs.evidence;
  if (which == "none") return;
  for (std::size_t i = 0; i < model.inputs.size(); ++i) {
    if (!input_used[i] || (which == "derived" && !model.inputs[i].derived())) continue;
    m_inputs.push_back(i);
  }
  if (m_inputs.empty()) return;
  std::filesystem::create_directories(folder.staged_path("evidence"));
  for (std::size_t i : m_inputs) {
    const std::string& name = model.inputs[i].name;
    const std::string file = "evidence/" + name + ".tif";
    m_layers.push_back(std::unique_ptr<Layer>(
        new Layer{file,
                  inputs.classes(i),
                  StagedRaster(folder.staged_path(file), grid, {name}, GDT_Float32,
                               model.outputs.tile_size, model.outputs.compress),
                  {},
                  inputs.unit(i),
                  nullptr}));
    if (m_layers.back()->classes.empty())
      m_layers.back()->selector = std::make_unique<TopValueSelector>();
    if (m_levels > 0) m_layers.back()->raster.create_overviews(m_levels);
  }
}

void EvidenceExport::prepare(std::size_t k, const Window& w, const float* values,
                             const unsigned char* inside, Tile& out) const {
  const std::size_t n = w.cell_count();
  out.values.resize(n);
  for (std::size_t i = 0; i < n; ++i)
    out.values[i] = inside[i] ? values[i] : std::numeric_limits<float>::quiet_NaN();
  out.stats = {};
  out.stats.add(out.values.data(), n);
  out.pyramid = {};
  if (m_levels > 0)
    out.pyramid =
        build_pyramid(w, out.values.data(), m_levels,
                      m_layers[k]->classes.empty() ? PyramidRule::average : PyramidRule::mode);
}

void EvidenceExport::write(std::size_t k, const Window& w, Tile& tile) {
  Layer& layer = *m_layers[k];
  // Before the write, which turns NaN into the nodata value in place.
  if (layer.selector) layer.selector->count_pass1(tile.values.data(), tile.values.size());
  layer.raster.write(1, w, tile.values.data());
  for (std::size_t level = 0; level < tile.pyramid.windows.size(); ++level)
    layer.raster.write_overview(int(level) + 1, 1, tile.pyramid.windows[level],
                                tile.pyramid.values[level].data());
  layer.stats.merge(tile.stats);
}

bool EvidenceExport::read_back(std::size_t input, const Window& w, float* values) {
  for (std::size_t k = 0; k < m_inputs.size(); ++k) {
    if (m_inputs[k] != input) continue;
    m_layers[k]->raster.read(1, w, values);
    for (std::size_t i = 0, n = w.cell_count(); i < n; ++i)
      if (values[i] == k_output_nodata) values[i] = std::numeric_limits<float>::quiet_NaN();
    return true;
  }
  return false;
}

std::vector<RampStop> EvidenceExport::style_stops(Layer& layer) {
  TopValueSelector* selector = layer.selector.get();
  if (!selector || selector->population() == 0) return {};
  const std::uint64_t n = selector->population();
  std::vector<std::uint64_t> ranks;
  for (double p : k_style_percentiles) ranks.push_back(rank_from_top(n, p));
  selector->start_pass2(ranks);
  // Pass two reads the layer back from its file, a strip of rows at a time.
  const int width = layer.raster.dataset()->GetRasterXSize();
  const int height = layer.raster.dataset()->GetRasterYSize();
  const int rows = std::max(1, int((std::size_t(1) << 22) / std::size_t(width)));
  std::vector<float> strip;
  for (int row = 0; row < height; row += rows) {
    const Window w{0, row, width, std::min(rows, height - row)};
    strip.resize(w.cell_count());
    layer.raster.read(1, w, strip.data());
    for (float& v : strip)
      if (v == k_output_nodata) v = std::numeric_limits<float>::quiet_NaN();
    selector->count_pass2(strip.data(), strip.size());
    throw_if_interrupted();
  }
  std::vector<Percentile> percentiles;
  for (std::size_t i = 0; i < ranks.size(); ++i)
    percentiles.push_back({k_style_percentiles[i], double(selector->value(i))});
  return percentile_stops(percentiles, layer.unit);
}

std::vector<std::string> EvidenceExport::finish() {
  std::vector<std::string> written;
  if (m_layers.empty()) return written;
  for (std::size_t k = 0; k < m_layers.size(); ++k) {
    Layer& layer = *m_layers[k];
    const InputSpec& input = m_model.inputs[m_inputs[k]];
    const BandStatistics st = layer.stats.result();
    layer.raster.set_statistics(1, st);
    std::map<std::string, std::string> metadata = {
        {"PROSPECT_INPUT", input.name},
        {"PROSPECT_SOURCE", std::filesystem::path(input.path()).filename().string()}};
    std::string classes;
    for (const auto& c : layer.classes) {
      if (!classes.empty()) classes += ";";
      classes.append(std::to_string(c.code)).append("=").append(c.name);
    }
    if (!classes.empty()) metadata["PROSPECT_CLASSES"] = classes;
    layer.raster.set_metadata(metadata);
    const std::vector<RampStop> stops = style_stops(layer);
    layer.raster.close();
    written.push_back(layer.name);

    std::vector<QmlClass> qml_classes;
    for (const auto& c : layer.classes) qml_classes.push_back({c.code, c.name});
    const std::string qml_name = "evidence/" + input.name + ".qml";
    write_file_atomically(m_folder.staged_path(qml_name),
                          qml_classes.empty() ? stretched_raster_qml(1, st.min, st.max, stops)
                                              : category_raster_qml(1, qml_classes));
    written.push_back(qml_name);
  }
  return written;
}

}  // namespace prospect
