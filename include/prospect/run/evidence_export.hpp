#pragma once
// evidence/NAME.tif: the inputs as the model used them, on the analysis grid
// (nodata outside the study area), each a Cloud Optimized GeoTIFF with a QGIS
// style beside it: a colour and name per class for rasterized categories, a
// perceptual ramp for continuous layers. Written tile by tile with the scores.

#include <memory>
#include <string>
#include <vector>

#include "prospect/config/model_file.hpp"
#include "prospect/output/output_folder.hpp"
#include "prospect/raster/tiff_writer.hpp"

namespace prospect {

class EvidenceExport {
 public:
  // Chooses the inputs to export (outputs.evidence, among the used ones) and
  // opens a staged raster for each.
  EvidenceExport(const ModelSpec& model, const InputSet& inputs, const std::vector<char>& input_used,
                 const AnalysisGrid& grid, OutputFolder& folder);
  ~EvidenceExport();

  // The exported inputs (indexes into model.inputs), in file order.
  const std::vector<std::size_t>& inputs() const { return m_inputs; }

  // Worker side: an input's tile as written (NaN and cells outside the study area become nodata).
  static void prepare(const float* values, const unsigned char* inside, std::size_t count,
                      std::vector<float>& out);
  // Consumer side, in tile order: the k-th exported input's prepared tile.
  void write(std::size_t k, const Window& window, const std::vector<float>& prepared);
  // Writes the COGs and styles into the output folder; returns their names.
  std::vector<std::string> finish(const CogOptions& cog);

 private:
  struct Layer;
  const ModelSpec& m_model;
  OutputFolder& m_folder;
  std::vector<std::size_t> m_inputs;
  std::vector<std::unique_ptr<Layer>> m_layers;
};

}  // namespace prospect
