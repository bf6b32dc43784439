#include "prospect/run/evidence_export.hpp"

#include <cmath>
#include <filesystem>

#include "prospect/output/qml.hpp"

namespace prospect {

struct EvidenceExport::Layer {
  std::string name;  // evidence/NAME.tif
  std::vector<CategoryClass> classes;
  StagedRaster staged;
  StatisticsAccumulator stats;
};

EvidenceExport::~EvidenceExport() = default;

EvidenceExport::EvidenceExport(const ModelSpec& model, const InputSet& inputs,
                               const std::vector<char>& input_used, const AnalysisGrid& grid,
                               OutputFolder& folder)
    : m_model(model), m_folder(folder) {
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
    m_layers.push_back(std::unique_ptr<Layer>(new Layer{
        "evidence/" + name + ".tif", inputs.classes(i),
        StagedRaster(folder.staged_path("evidence/" + name + ".staged.tif"), grid, {name},
                     GDT_Float32, model.outputs.tile_size),
        {}}));
  }
}

void EvidenceExport::prepare(const float* values, const unsigned char* inside, std::size_t n,
                             std::vector<float>& out) {
  out.resize(n);
  for (std::size_t i = 0; i < n; ++i)
    out[i] = inside[i] && !std::isnan(values[i]) ? values[i] : k_output_nodata;
}

void EvidenceExport::write(std::size_t k, const Window& window, const std::vector<float>& prepared) {
  Layer& layer = *m_layers[k];
  layer.staged.write_prepared(1, window, prepared.data());
  // Statistics skip NaN only, so count the nodata cells out here.
  std::vector<float> values(prepared);
  for (float& v : values)
    if (v == k_output_nodata) v = std::nanf("");
  layer.stats.add(values.data(), values.size());
}

std::vector<std::string> EvidenceExport::finish(const CogOptions& cog) {
  std::vector<std::string> written;
  if (m_layers.empty()) return written;
  std::filesystem::create_directories(m_folder.final_path("evidence"));
  for (std::size_t k = 0; k < m_layers.size(); ++k) {
    Layer& layer = *m_layers[k];
    const InputSpec& input = m_model.inputs[m_inputs[k]];
    const BandStatistics st = layer.stats.result();
    layer.staged.set_statistics(1, st);
    std::map<std::string, std::string> metadata = {{"PROSPECT_INPUT", input.name},
                                                   {"PROSPECT_SOURCE", std::filesystem::path(input.path()).filename().string()}};
    std::string classes;
    for (const auto& c : layer.classes) {
      if (!classes.empty()) classes += ";";
      classes.append(std::to_string(c.code)).append("=").append(c.name);
    }
    if (!classes.empty()) metadata["PROSPECT_CLASSES"] = classes;
    layer.staged.set_metadata(metadata);
    layer.staged.dataset()->FlushCache();
    write_cog(layer.staged.dataset(), m_folder.staged_path(layer.name),
              m_folder.final_path(layer.name), cog);
    layer.staged.close();
    std::filesystem::remove(m_folder.staged_path("evidence/" + input.name + ".staged.tif"));
    written.push_back(layer.name);

    std::vector<QmlClass> qml_classes;
    for (const auto& c : layer.classes) qml_classes.push_back({c.code, c.name});
    const std::string qml_name = "evidence/" + input.name + ".qml";
    write_file_atomically(m_folder.final_path(qml_name),
                          qml_classes.empty() ? score_raster_qml(1, st.min, st.max)
                                              : category_raster_qml(1, qml_classes));
    written.push_back(qml_name);
  }
  return written;
}

}  // namespace prospect
