#include "prospect/run/build_evidence.hpp"

#include <nlohmann/json.hpp>

#include "prospect/core/hash.hpp"
#include "prospect/core/interrupt.hpp"
#include "prospect/core/parallel.hpp"
#include "prospect/output/output_folder.hpp"
#include "prospect/pipeline/tile_pass.hpp"
#include "prospect/raster/overviews.hpp"
#include "prospect/run/evidence_export.hpp"
#include "prospect/vector/study_area.hpp"

#ifndef PROSPECT_VERSION
#define PROSPECT_VERSION "unknown"
#endif

namespace prospect {

namespace {

// The evidence folder's manifest: enough to tell it is prospect's (so a later
// run may replace the folder) and which bytes each layer should have.
std::string evidence_manifest(const ModelSpec& model, const AnalysisGrid& grid,
                              const OutputFolder& folder, const std::vector<std::string>& outputs) {
  using json = nlohmann::ordered_json;
  json files = json::array();
  for (const auto& name : outputs)
    files.push_back({{"path", name}, {"hash", hash_file(folder.staged_path(name))}});
  json m = {{"tool", "prospect"},
            {"version", PROSPECT_VERSION},
            {"command", "evidence"},
            {"model", {{"name", model.name}, {"file", model.path}, {"hash", model.text_hash}}},
            {"grid",
             {{"crs_name", grid.crs_name()},
              {"origin_x", grid.origin_x()},
              {"origin_y", grid.origin_y()},
              {"cell_size", grid.cell_size()},
              {"width", grid.width()},
              {"height", grid.height()}}},
            {"outputs", files}};
  return m.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace

namespace {

EvidenceRecord build_evidence_into(OutputFolder& folder, const ModelSpec& model_as_written,
                                   const RunOptions& options, bool all);

}  // namespace

EvidenceRecord build_evidence(const ModelSpec& model, const RunOptions& options, bool all) {
  init_gdal();
  Diagnostics diagnostics(options.on_message);
  const DiagnosticsScope reporting(&diagnostics);
  OutputFolder folder(options.out_dir, model.input_files());
  try {
    return build_evidence_into(folder, model, options, all);
  } catch (const Error& e) {
    throw folder.in_own_words(e);
  }
}

namespace {

EvidenceRecord build_evidence_into(OutputFolder& folder, const ModelSpec& model_as_written,
                                   const RunOptions& options, bool all) {
  ModelSpec model = model_as_written;
  model.outputs.evidence = all ? "all" : "derived";
  if (options.on_progress) options.on_progress("preparing", -1);
  EvidenceRecord record{build_grid(model), {}};
  const AnalysisGrid& grid = record.grid;
  std::optional<StudyArea> area = load_study_area(model, grid);
  if (!area) area.emplace(grid);

  const std::vector<char> every(model.inputs.size(), 1);
  const InputSet inputs(model.inputs, grid, every);
  for (std::size_t i = 0; i < model.inputs.size(); ++i) report_note(inputs.describe(i));
  const int tile_size = model.outputs.tile_size;
  const int levels =
      model.outputs.overviews ? tile_pyramid_levels(grid.width(), grid.height(), tile_size) : 0;
  EvidenceExport exporter(model, inputs, every, grid, folder, levels);
  const std::vector<std::size_t>& exported = exporter.inputs();
  if (exported.empty()) return record;

  const std::vector<Tile> tiles = make_tiles(grid.width(), grid.height(), tile_size);
  // The exported inputs are the pass's sources, in export order.
  TilePassOptions pass;
  pass.threads = resolve_thread_count(options.threads);
  pass.area = &*area;
  pass.sources.count = exported.size();
  pass.sources.open = [&](std::size_t k) { return inputs.open(exported[k]); };
  if (options.on_progress) {
    options.on_progress("building evidence", 0);
    pass.on_tile_merged = [&](double share) { options.on_progress("building evidence", share); };
  }
  run_tile_pass<std::vector<EvidenceExport::Tile>>(
      tiles, pass,
      [&](TileView& tile, std::vector<EvidenceExport::Tile>& layers) {
        layers.resize(exported.size());
        for (std::size_t k = 0; k < exported.size(); ++k) {
          // Outside every cell is nodata: prepare() does not look at the values.
          const float* values = tile.inside_count > 0 ? tile.layer(k).data() : nullptr;
          exporter.prepare(k, tile.window, values, tile.inside, layers[k]);
        }
      },
      [&](std::size_t item, std::vector<EvidenceExport::Tile>& layers) {
        for (std::size_t k = 0; k < exported.size(); ++k)
          exporter.write(k, tiles[item].window, layers[k]);
      });
  throw_if_interrupted();
  if (options.on_progress) options.on_progress("writing evidence layers", -1);
  record.outputs = exporter.finish();
  write_file_atomically(folder.staged_path("manifest.json"),
                        evidence_manifest(model, grid, folder, record.outputs));
  record.outputs.push_back("manifest.json");
  throw_if_interrupted();
  folder.commit();
  return record;
}

}  // namespace

}  // namespace prospect
