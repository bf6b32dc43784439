#pragma once
// evidence/NAME.tif: the inputs as the model used them, on the analysis grid
// (nodata outside the study area), each a tiled, compressed GeoTIFF with
// internal overviews and a QGIS style beside it: a colour and name per class
// for rasterized categories, a perceptual ramp for continuous layers. Written
// in their final form tile by tile with the scores (no copy into COG layout:
// on an 8000 x 8000 grid that copy cost more than building the layer).

#include <memory>
#include <string>
#include <vector>

#include "prospect/config/model_file.hpp"
#include "prospect/evidence/grid_input.hpp"
#include "prospect/output/output_folder.hpp"
#include "prospect/output/qml.hpp"
#include "prospect/raster/overviews.hpp"
#include "prospect/raster/tiff_writer.hpp"

namespace prospect {

class EvidenceExport {
 public:
  // Chooses the inputs to export (outputs.evidence, among the used ones) and
  // opens a staged raster for each.
  // `overview_levels` as for the scores (0: none); tiles must start on multiples of 2^levels.
  EvidenceExport(const ModelSpec& model, const InputSet& inputs,
                 const std::vector<char>& input_used, const AnalysisGrid& grid,
                 OutputFolder& folder, int overview_levels);
  ~EvidenceExport();

  // The exported inputs (indexes into model.inputs), in file order.
  const std::vector<std::size_t>& inputs() const { return m_inputs; }

  // One exported layer's tile, ready to write: values (NaN outside the study
  // area), their statistics and overview pyramid.
  struct Tile {
    std::vector<float> values;
    StatisticsAccumulator stats;
    TilePyramid pyramid;
  };
  // Worker side: the k-th exported input's tile from its values on the grid.
  void prepare(std::size_t k, const Window& window, const float* values,
               const unsigned char* inside, Tile& out) const;
  // Consumer side, in tile order.
  void write(std::size_t k, const Window& window, Tile& tile);
  // Reads an exported input's tile back (nodata as NaN), once its tiles are
  // written and before finish(): cheaper than building a derived input again.
  // False when `input` (index into model.inputs) is not exported.
  bool read_back(std::size_t input, const Window& window, float* values);
  // Closes the files and moves them and their styles into the output folder;
  // returns their names.
  std::vector<std::string> finish();

 private:
  struct Layer;
  // A continuous layer's style stops at percentiles of its cells (one more read of the layer).
  static std::vector<RampStop> style_stops(Layer& layer);
  const ModelSpec& m_model;
  OutputFolder& m_folder;
  std::vector<std::size_t> m_inputs;
  std::vector<std::unique_ptr<Layer>> m_layers;
  int m_levels = 0;
};

}  // namespace prospect
