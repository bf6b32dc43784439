#include "prospect/pipeline/tile_pass.hpp"

#include <algorithm>
#include <limits>
#include <optional>

#include "prospect/core/diagnostics.hpp"
#include "prospect/core/interrupt.hpp"
#include "prospect/core/parallel.hpp"
#include "prospect/core/progress.hpp"
#include "prospect/core/vector_clones.hpp"
#include "prospect/evidence/grid_input.hpp"
#include "prospect/vector/study_area.hpp"

namespace prospect {
namespace {

// The cells of a tile's mask that are inside (1), summed in a local so that
// it vectorises (a sum into the view's member went through memory per cell).
PROSPECT_VECTOR_CLONES
std::size_t count_inside(const std::vector<unsigned char>& inside) {
  std::size_t count = 0;
  for (unsigned char c : inside) count += c;
  return count;
}

}  // namespace

PassSources PassSources::of(const InputSet& inputs, std::size_t input_count,
                            std::vector<char> read) {
  PassSources s;
  s.count = input_count;
  s.open = [&inputs](std::size_t i) { return inputs.open(i); };
  s.read = std::move(read);
  return s;
}

PassSources PassSources::single(std::function<std::unique_ptr<GridSource>()> open) {
  PassSources s;
  s.count = 1;
  s.open = [open = std::move(open)](std::size_t) { return open(); };
  return s;
}

void run_tile_pass_slots(const std::vector<Tile>& tiles, const TilePassOptions& options,
                         std::size_t window,
                         const std::function<void(TileView&, std::size_t slot)>& compute,
                         const std::function<void(std::size_t item, std::size_t slot)>& merge) {
  const int threads = std::max(1, options.threads);
  const PassSources& sources = options.sources;
  struct Worker {
    std::vector<std::unique_ptr<GridSource>> sources;
    std::vector<std::vector<float>> values;
    std::vector<unsigned char> inside;
  };
  std::vector<Worker> workers(static_cast<std::size_t>(threads));
  std::optional<Progress> progress;
  if (!options.progress_step.empty())
    progress.emplace(options.progress_step, tiles.size(), options.show_progress);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Diagnostics* const diagnostics = current_diagnostics();  // the workers report to the caller's run

  run_ordered(
      tiles.size(), threads, window,
      [&](std::size_t item, int worker_index) {
        const DiagnosticsScope reporting(diagnostics);
        throw_if_interrupted();
        Worker& worker = workers[std::size_t(worker_index)];
        TileView view;
        view.item = item;
        view.window = tiles[item].window;
        view.cells = view.window.cell_count();
        view.worker = worker_index;
        worker.inside.resize(view.cells);
        if (options.area)
          options.area->mask(view.window, worker.inside.data());
        else
          std::fill(worker.inside.begin(), worker.inside.end(), 1);
        view.inside_count = count_inside(worker.inside);
        view.inside = worker.inside.data();
        if (worker.sources.empty()) {
          worker.sources.resize(sources.count);
          worker.values.resize(sources.count);
        }
        for (std::size_t k = 0; k < sources.count; ++k) {
          std::vector<float>& values = worker.values[k];
          if (view.inside_count == 0 || (!sources.read.empty() && !sources.read[k])) {
            values.clear();
            continue;
          }
          if (!worker.sources[k]) worker.sources[k] = sources.open(k);
          values.resize(view.cells);
          worker.sources[k]->read(view.window, values.data());
          if (options.outside_as_missing && view.inside_count < view.cells)
            for (std::size_t c = 0; c < view.cells; ++c)
              values[c] = worker.inside[c] ? values[c] : nan;
        }
        view.values = &worker.values;
        compute(view, item % window);
      },
      [&](std::size_t item) {
        merge(item, item % window);
        if (progress) progress->advance();
        if (options.on_tile_merged) options.on_tile_merged(double(item + 1) / double(tiles.size()));
      });
}

}  // namespace prospect
