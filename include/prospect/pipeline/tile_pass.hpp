#pragma once
// The tile-pass engine. Every pass over the analysis grid -- scoring, fits,
// cross-validation, derived breaks, evidence export, weights tables,
// validation reads -- is a use of it, so the rules live here once:
//  - tiles are computed on `threads` workers, each with its own sources (GDAL
//    handles are not thread-safe), opened on first use;
//  - each tile's study-area mask is made for the worker, and the sources the
//    pass asks for are read into the worker's buffers (only for tiles with a
//    cell inside the study area);
//  - each tile's result is a Partial kept in a slot; slots are merged on the
//    calling thread strictly in tile order, so whatever the merge sums or
//    writes is the same for any thread count (same bytes);
//  - at most 2 x threads tiles are in flight, so memory does not grow with
//    the grid;
//  - Ctrl-C stops the pass at the next tile; progress is drawn as tiles merge.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "prospect/core/grid_source.hpp"
#include "prospect/core/tiles.hpp"

namespace prospect {

class InputSet;
class StudyArea;

// Where a pass's values come from: `count` layers, each opened once per worker.
struct PassSources {
  std::size_t count = 0;
  std::function<std::unique_ptr<GridSource>(std::size_t layer)> open;
  std::vector<char> read;  // per layer: read it on tiles with a cell inside (empty: every layer)

  // The model's inputs; `read` as above (typically the inputs the pass uses).
  static PassSources of(const InputSet& inputs, std::size_t input_count,
                        std::vector<char> read = {});
  // One layer from one opener (e.g. a band of a raster the run wrote).
  static PassSources single(std::function<std::unique_ptr<GridSource>()> open);
};

struct TilePassOptions {
  int threads = 1;                  // resolved (>= 1)
  const StudyArea* area = nullptr;  // null: every cell is inside
  PassSources sources;
  bool outside_as_missing = false;  // values read for cells outside the study area become NaN
  std::string progress_step;        // drawn on stderr as "STEP: N %" when show_progress
  bool show_progress = false;
  std::function<void(double share_done)> on_tile_merged;  // on the merging thread
};

// One tile as its worker sees it.
struct TileView {
  std::size_t item = 0;  // index into the tiles
  Window window;
  std::size_t cells = 0;
  int worker = 0;                         // 0 .. threads-1, for per-worker scratch of the caller
  const unsigned char* inside = nullptr;  // cells: 1 inside the study area
  std::size_t inside_count = 0;
  // Values of each source layer the pass reads (NaN: missing), filled when the
  // tile has a cell inside; empty otherwise. The worker's own buffers: a
  // compute may change them in place.
  std::vector<std::vector<float>>* values = nullptr;
  std::vector<float>& layer(std::size_t k) const { return (*values)[k]; }
};

// The engine without slot storage: compute(view, slot) on workers, merge(item,
// slot) in tile order; slot < window. Use run_tile_pass below.
void run_tile_pass_slots(const std::vector<Tile>& tiles, const TilePassOptions& options,
                         std::size_t window,
                         const std::function<void(TileView&, std::size_t slot)>& compute,
                         const std::function<void(std::size_t item, std::size_t slot)>& merge);

// Runs one pass. compute(view, partial) fills the tile's Partial (a reused
// slot: it holds an earlier tile's result, which compute overwrites or clears);
// merge(item, partial) folds it into the caller's totals, in tile order.
template <class Partial>
void run_tile_pass(const std::vector<Tile>& tiles, const TilePassOptions& options,
                   const std::function<void(TileView&, Partial&)>& compute,
                   const std::function<void(std::size_t item, Partial&)>& merge) {
  const std::size_t window = std::size_t(options.threads < 1 ? 1 : options.threads) * 2;
  std::vector<Partial> slots(window);
  run_tile_pass_slots(
      tiles, options, window, [&](TileView& view, std::size_t slot) { compute(view, slots[slot]); },
      [&](std::size_t item, std::size_t slot) { merge(item, slots[slot]); });
}

// A reduction whose merge is exact in any order (integer counts): each worker
// adds its tiles into an accumulator of its own (copied from `empty`), and the
// caller merges the returned accumulators. No per-tile slot, so a large
// accumulator (a histogram) is not copied for every tile.
template <class Accumulator>
std::vector<Accumulator> run_tile_reduction(
    const std::vector<Tile>& tiles, const TilePassOptions& options, const Accumulator& empty,
    const std::function<void(TileView&, Accumulator&)>& add) {
  const int threads = options.threads < 1 ? 1 : options.threads;
  std::vector<Accumulator> per_worker(static_cast<std::size_t>(threads), empty);
  run_tile_pass_slots(
      tiles, options, std::size_t(threads) * 2,
      [&](TileView& view, std::size_t) { add(view, per_worker[std::size_t(view.worker)]); },
      [](std::size_t, std::size_t) {});
  return per_worker;
}

}  // namespace prospect
