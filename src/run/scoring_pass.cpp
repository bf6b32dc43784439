#include "prospect/run/scoring_pass.hpp"

#include <cmath>
#include <limits>
#include <memory>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "prospect/core/vector_clones.hpp"
#include "prospect/models/score_tree.hpp"
#include "prospect/pipeline/tile_pass.hpp"
#include "prospect/raster/overviews.hpp"

namespace prospect {
namespace {

constexpr float k_nan = std::numeric_limits<float>::quiet_NaN();

// Everything one tile needs while in flight: owned by a slot, reused.
struct TileSlot {
  std::vector<std::vector<float>> bands;  // one per output band; as written once prepared
  CellCounts cells;
  std::unique_ptr<KindTileState> kind;        // the model kind's statistics of this tile
  std::vector<StatisticsAccumulator> stats;   // per band, this tile's partial
  std::vector<TilePyramid> pyramids;          // per band, when overviews are built here
  std::vector<QuicklookSums> quicklooks;      // per band, for the report's maps
  std::vector<EvidenceExport::Tile> exports;  // per exported evidence layer
  TermSums driver_sums;                       // target band's evidence terms over valid cells
};

// The slot's bands turned into what is written (NaN replaced by the nodata
// value), in place, once nothing else reads them: on the worker, so the single
// writer thread only writes.
PROSPECT_VECTOR_CLONES
void prepare_for_writing(TileSlot& slot, std::size_t n) {
  for (auto& band : slot.bands) {
    float* v = band.data();
    for (std::size_t i = 0; i < n; ++i) v[i] = std::isnan(v[i]) ? k_output_nodata : v[i];
  }
}

// Keeps a cell's scores where it is inside and scored in every band, else sets
// NaN in every band; returns how many cells were kept. Cells from `first` on,
// one at a time.
std::size_t keep_complete_cells_from(const std::vector<float*>& bands, const unsigned char* inside,
                                     std::size_t first, std::size_t n) {
  std::size_t kept = 0;
  for (std::size_t i = first; i < n; ++i) {
    bool complete = inside[i] != 0;
    for (const float* v : bands) complete = complete && v[i] == v[i];
    kept += complete ? 1 : 0;
    if (!complete)
      for (float* v : bands) v[i] = k_nan;
  }
  return kept;
}

#if defined(__x86_64__)
// The same, 8 cells at a time: every band's 8 values are read once for the
// test and once for the select while in L1 (band by band over the tile, the
// loops went through memory 3 times per band). Sets `done` to the cells it did.
__attribute__((target("avx2"))) std::size_t keep_complete_cells_avx2(
    const std::vector<float*>& bands, const unsigned char* inside, std::size_t n,
    std::size_t& done) {
  const __m256 nan = _mm256_set1_ps(k_nan);
  const __m256i zero = _mm256_setzero_si256();
  std::size_t kept = 0, i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256i in = _mm256_cvtepu8_epi32(
        _mm_loadl_epi64(reinterpret_cast<const __m128i*>(inside + i)));  // 8 bytes
    __m256 complete = _mm256_castsi256_ps(_mm256_cmpgt_epi32(in, zero));
    for (const float* v : bands) {
      const __m256 x = _mm256_loadu_ps(v + i);
      complete = _mm256_and_ps(complete, _mm256_cmp_ps(x, x, _CMP_ORD_Q));
    }
    const int mask = _mm256_movemask_ps(complete);
    kept += std::size_t(__builtin_popcount(unsigned(mask)));
    if (mask != 0xff)
      for (float* v : bands)
        _mm256_storeu_ps(v + i, _mm256_blendv_ps(nan, _mm256_loadu_ps(v + i), complete));
  }
  done = i;
  return kept;
}
#endif

std::size_t keep_complete_cells(std::vector<std::vector<float>>& bands, const unsigned char* inside,
                                std::size_t n) {
  std::vector<float*> v;
  for (auto& band : bands) v.push_back(band.data());
  std::size_t done = 0, kept = 0;
#if defined(__x86_64__)
  if (cpu_has_avx2()) kept = keep_complete_cells_avx2(v, inside, n, done);
#endif
  return kept + keep_complete_cells_from(v, inside, done, n);
}

// What each worker thread owns besides its sources (the engine's): scratch buffers.
struct WorkerState {
  TopValueSelector target_values;     // the target band's values this worker scored
  std::unique_ptr<KindScratch> kind;  // the model kind's
  std::vector<float> term;            // one evidence layer's terms, for the target band
  std::vector<float> scratch;
};

}  // namespace

ScoringTotals score_tiles(const ScoringSetup& setup) {
  const ModelSpec& model = setup.model;
  const std::vector<Tile>& tiles = setup.tiles;
  const std::size_t band_count = model.band_names().size();
  const std::size_t score_count = model.scores.size();
  const int pyramid_levels = setup.pyramid_levels;
  const std::vector<std::size_t>& exported = setup.evidence.inputs();
  ScoringTotals totals;
  totals.study_terms = setup.driver_terms ? setup.driver_terms->empty_sums() : TermSums{};
  std::vector<StatisticsAccumulator> stats(band_count);
  std::vector<QuicklookSums> quicklooks;
  if (setup.quicklook_grid) quicklooks.assign(band_count, QuicklookSums(*setup.quicklook_grid));
  std::vector<WorkerState> workers(std::size_t(setup.threads));
  {
    TilePassOptions pass;
    pass.threads = setup.threads;
    pass.area = &setup.area;
    pass.sources = PassSources::of(setup.inputs, model.inputs.size(), setup.input_used);
    pass.on_tile_merged = setup.on_progress;
    auto compute = [&](TileView& tile, TileSlot& slot) {
      const Window& w = tile.window;
      const std::size_t n = tile.cells;
      WorkerState& worker = workers[std::size_t(tile.worker)];
      slot.bands.resize(band_count);
      for (auto& b : slot.bands) b.resize(n);
      slot.cells = {};
      slot.kind = setup.fitted.new_tile_state();
      const std::size_t inside_count = tile.inside_count;
      slot.cells.outside = (long long)(n - inside_count);
      slot.driver_sums = setup.driver_terms ? setup.driver_terms->empty_sums() : TermSums{};
      if (inside_count == 0) {  // nothing to read or score here
        for (auto& b : slot.bands) std::fill(b.begin(), b.end(), k_nan);
        slot.stats.clear();
        slot.quicklooks.clear();
        slot.pyramids.clear();
        for (std::size_t b = 0; pyramid_levels > 0 && b < band_count; ++b)
          slot.pyramids.push_back(build_pyramid(w, slot.bands[b].data(), pyramid_levels));
        slot.exports.resize(exported.size());
        for (std::size_t k = 0; k < exported.size(); ++k)  // all nodata, like the bands
          setup.evidence.prepare(k, w, slot.bands[0].data(), tile.inside, slot.exports[k]);
        prepare_for_writing(slot, n);
        return;
      }
      if (!worker.kind) worker.kind = setup.fitted.new_scratch();
      std::vector<std::vector<float>>& inputs =
          *tile.values;  // the used inputs, read for this tile
      if (setup.responses) setup.responses->add_tile(tile.worker, tile.item, inputs, tile.inside);
      slot.exports.resize(exported.size());
      for (std::size_t k = 0; k < exported.size(); ++k)
        setup.evidence.prepare(k, w, inputs[exported[k]].data(), tile.inside, slot.exports[k]);
      const bool sums_drivers = setup.driver_terms && !setup.driver_terms->centred();
      ScoringTile scoring{tile, inputs, slot.bands, sums_drivers};
      setup.fitted.score(scoring, *worker.kind, slot.kind.get());
      if (model.composite) {
        std::vector<const float*> scores;
        for (std::size_t s = 0; s < score_count; ++s) scores.push_back(slot.bands[s].data());
        weighted_composite(scores, model.composite->weights, slot.bands[score_count].data(), n);
      }
      // A cell is scored in every band or in none (NaN outside the study area).
      const std::size_t valid = keep_complete_cells(slot.bands, tile.inside, n);
      slot.cells.valid = (long long)valid;
      slot.cells.missing = (long long)(inside_count - valid);
      setup.fitted.scored(scoring, *worker.kind, slot.kind.get());
      if (sums_drivers) {
        // Memberships the kind computed for the scores (fuzzy) are reused for the terms.
        setup.driver_terms->add_study_sums(inputs, slot.bands[setup.target_band].data(), n,
                                           slot.driver_sums, worker.term, worker.scratch,
                                           setup.fitted.memberships(*worker.kind));
      }
      worker.target_values.count_pass1(slot.bands[setup.target_band].data(), n);
      // Per-tile statistics here, on the workers; the consumer only merges.
      slot.stats.assign(band_count, {});
      for (std::size_t b = 0; b < band_count; ++b) slot.stats[b].add(slot.bands[b].data(), n);
      slot.quicklooks.clear();
      for (std::size_t b = 0; setup.quicklook_grid && b < band_count; ++b)
        slot.quicklooks.emplace_back(*setup.quicklook_grid, w, slot.bands[b].data());
      slot.pyramids.clear();
      for (std::size_t b = 0; pyramid_levels > 0 && b < band_count; ++b)
        slot.pyramids.push_back(build_pyramid(w, slot.bands[b].data(), pyramid_levels));
      prepare_for_writing(slot, n);
    };
    auto merge = [&](std::size_t item, TileSlot& slot) {
      const Window& w = tiles[item].window;
      for (std::size_t b = 0; b < band_count; ++b) {
        if (b < slot.stats.size()) stats[b].merge(slot.stats[b]);
        if (b < slot.quicklooks.size()) quicklooks[b].merge(slot.quicklooks[b]);
        setup.scores.write_prepared(int(b) + 1, w, slot.bands[b].data());
        if (b < slot.pyramids.size())
          for (int k = 0; k < pyramid_levels; ++k)
            setup.scores.write_overview(k + 1, int(b) + 1, slot.pyramids[b].windows[std::size_t(k)],
                                        slot.pyramids[b].values[std::size_t(k)].data());
      }
      for (std::size_t k = 0; k < exported.size(); ++k) setup.evidence.write(k, w, slot.exports[k]);
      totals.study_terms.merge(slot.driver_sums);
      if (slot.kind) setup.fitted.merge(*slot.kind);
      totals.cells.outside += slot.cells.outside;
      totals.cells.missing += slot.cells.missing;
      totals.cells.valid += slot.cells.valid;
    };
    run_tile_pass<TileSlot>(tiles, pass, compute, merge);  // the inputs close with the pass
  }
  for (const WorkerState& worker : workers) totals.target_values.merge_pass1(worker.target_values);
  for (std::size_t b = 0; b < band_count; ++b) totals.band_stats.push_back(stats[b].result());
  for (auto& q : quicklooks) totals.quicklooks.push_back(q.means(*setup.quicklook_grid));
  return totals;
}

}  // namespace prospect
