#include "prospect/run/response_curves.hpp"

namespace prospect {

ResponseCurveCollector::ResponseCurveCollector(const ModelSpec& model,
                                               const std::vector<char>& input_used,
                                               const AnalysisGrid& grid,
                                               const std::vector<Tile>& tiles, int workers) {
  const VectorInput* deposits = nullptr;
  if (model.training) {
    deposits = &model.training->deposits;
    m_source = "training deposits (" + deposits->path + ")";
  } else if (model.validation_deposits) {
    deposits = &*model.validation_deposits;
    m_source = "validation deposits (" + deposits->path + ")";
  }
  if (!deposits) return;
  if (!deposits->where.empty()) m_source += " where " + deposits->where;
  for (std::size_t i = 0; i < model.inputs.size(); ++i)
    if (input_used[i] && model.inputs[i].kind != InputKind::rasterize) m_inputs.push_back(i);
  if (m_inputs.empty()) return;
  m_deposits = point_cells(*deposits, grid, tiles, model.outputs.tile_size);
  m_histograms.assign(std::size_t(workers), std::vector<ValueHistogram>(m_inputs.size()));
  m_deposit_values.assign(tiles.size(), {});
}

void ResponseCurveCollector::add_tile(int worker, std::size_t tile,
                                      const std::vector<std::vector<float>>& input_values,
                                      const unsigned char* inside) {
  if (!active()) return;
  auto& histograms = m_histograms[std::size_t(worker)];
  auto& deposit_values = m_deposit_values[tile];
  deposit_values.assign(m_inputs.size(), {});
  for (std::size_t k = 0; k < m_inputs.size(); ++k) {
    const std::vector<float>& v = input_values[m_inputs[k]];
    histograms[k].add(v.data(), inside, v.size());
    for (std::size_t index : m_deposits.per_tile[tile])
      if (inside[index]) deposit_values[k].push_back(v[index]);
  }
}

std::vector<ResponseCurve> ResponseCurveCollector::finish(const ModelSpec& model,
                                                          double cell_km2) const {
  std::vector<ResponseCurve> out;
  for (std::size_t k = 0; k < m_inputs.size(); ++k) {
    ValueHistogram cells;
    for (const auto& worker : m_histograms) cells.merge(worker[k]);
    std::vector<float> values;
    for (const auto& tile : m_deposit_values)
      if (!tile.empty()) values.insert(values.end(), tile[k].begin(), tile[k].end());
    ResponseCurve curve = response_curve(cells, values, cell_km2);
    curve.layer = model.inputs[m_inputs[k]].name;
    curve.deposits_source = m_source;
    out.push_back(std::move(curve));
  }
  return out;
}

}  // namespace prospect
