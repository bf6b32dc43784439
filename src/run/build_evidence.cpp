#include "prospect/run/build_evidence.hpp"

#include <nlohmann/json.hpp>

#include "prospect/core/hash.hpp"

#include "prospect/core/interrupt.hpp"
#include "prospect/core/parallel.hpp"
#include "prospect/core/progress.hpp"
#include "prospect/output/output_folder.hpp"
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
std::string evidence_manifest(const ModelSpec& model, const AnalysisGrid& grid, const OutputFolder& folder,
                              const std::vector<std::string>& outputs) {
  using json = nlohmann::ordered_json;
  json files = json::array();
  for (const auto& name : outputs) files.push_back({{"path", name}, {"hash", hash_file(folder.staged_path(name))}});
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
  EvidenceRecord record{build_grid(model), {}, {}};
  const AnalysisGrid& grid = record.grid;
  std::optional<StudyArea> area = load_study_area(model, grid);
  if (!area) area.emplace(grid);

  const std::vector<char> every(model.inputs.size(), 1);
  const InputSet inputs(model.inputs, grid, every);
  for (std::size_t i = 0; i < model.inputs.size(); ++i) record.lines.push_back(inputs.describe(i));
  const int tile_size = model.outputs.tile_size;
  const int levels = model.outputs.overviews ? tile_pyramid_levels(grid.width(), grid.height(), tile_size) : 0;
  EvidenceExport exporter(model, inputs, every, grid, folder, levels);
  const std::vector<std::size_t>& exported = exporter.inputs();
  if (exported.empty()) return record;

  const std::vector<Tile> tiles = make_tiles(grid.width(), grid.height(), tile_size);
  const int threads = resolve_thread_count(options.threads);
  const std::size_t window = std::size_t(threads) * 2;
  struct Slot {
    std::vector<unsigned char> inside;
    std::vector<EvidenceExport::Tile> layers;
  };
  struct Worker {
    std::vector<std::unique_ptr<GridSource>> sources;
    std::vector<float> values;
  };
  std::vector<Slot> slots(window);
  std::vector<Worker> workers(static_cast<std::size_t>(threads));
  Progress progress("building evidence", tiles.size(), options.progress);
  auto compute = [&](std::size_t item, int worker_index) {
    throw_if_interrupted();
    const Window& w = tiles[item].window;
    Slot& slot = slots[item % window];
    Worker& worker = workers[std::size_t(worker_index)];
    slot.inside.resize(w.cell_count());
    area->mask(w, slot.inside.data());
    bool any = false;
    for (unsigned char c : slot.inside) any = any || c;
    if (worker.sources.empty()) worker.sources.resize(exported.size());
    slot.layers.resize(exported.size());
    worker.values.resize(w.cell_count());
    for (std::size_t k = 0; k < exported.size(); ++k) {
      if (any) {
        if (!worker.sources[k]) worker.sources[k] = inputs.open(exported[k]);
        worker.sources[k]->read(w, worker.values.data());
      }  // else every cell is outside: the values are not looked at
      exporter.prepare(k, w, worker.values.data(), slot.inside.data(), slot.layers[k]);
    }
  };
  auto consume = [&](std::size_t item) {
    Slot& slot = slots[item % window];
    for (std::size_t k = 0; k < exported.size(); ++k) exporter.write(k, tiles[item].window, slot.layers[k]);
    progress.advance();
  };
  run_ordered(tiles.size(), threads, window, compute, consume);
  workers.clear();
  throw_if_interrupted();
  record.outputs = exporter.finish();
  write_file_atomically(folder.staged_path("manifest.json"), evidence_manifest(model, grid, folder, record.outputs));
  record.outputs.push_back("manifest.json");
  throw_if_interrupted();
  folder.commit();
  return record;
}

}  // namespace

}  // namespace prospect
