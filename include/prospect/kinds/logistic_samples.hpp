#pragma once
// A score's samples for the logistic regression. A sample is a cell inside the
// study area with every predictor present; a pass over the samples gives each
// tile's samples as p columns of float32 (the values the scoring pass sees),
// in tile order, with the tile's deposit cells as rows.
//
// The first pass reads them from the inputs. When they fit in the memory budget
// they are kept, and every later pass (each IRLS iteration, each
// cross-validation refit) is arithmetic alone; otherwise each later pass reads
// the inputs again. Kept on disk instead, they would have to be written: on the
// reference machine writing 2 GB of samples cost 5-8 s, more than reading the
// inputs three times (BENCHMARKS.md). Either way the rows are the same, so the
// fits are the same bits.
//
// The first pass also draws a subsample (every deposit cell, other cells with
// a chance set by the grid size) that a fit can converge on first, so that the
// passes over all samples start next to the answer.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "prospect/config/model_file.hpp"
#include "prospect/core/tiles.hpp"
#include "prospect/evidence/grid_input.hpp"
#include "prospect/kinds/training.hpp"
#include "prospect/vector/study_area.hpp"

namespace prospect {

// One tile's samples as a pass sees them.
struct SampleTile {
  std::size_t item = 0;  // the tile
  std::size_t rows = 0;
  std::vector<const float*> columns;     // one per predictor
  const std::uint32_t* index = nullptr;  // row r is columns[j][index[r]]; null: columns[j][r]
  int worker = 0;
};

// The tile's rows as `rows` values a column: the columns themselves, or copies
// in `scratch`.
std::vector<const float*> contiguous(const SampleTile& tile, std::vector<float>& scratch);

// A training deposit's entry in deposits.per_tile: where it is among the samples.
struct DepositSample {
  bool inside = false;        // in the study area
  std::int64_t row = -1;      // its row among the tile's samples; -1: not a sample
  std::vector<float> values;  // its predictors (NaN where missing)
};

// Samples drawn at random: their predictors (p columns), deposit flags, and
// the chance a sample without a deposit had to be drawn (1: all were).
struct Subsample {
  std::vector<float> columns;
  std::vector<unsigned char> y;
  std::size_t rows = 0;
  double background_share = 1;
  // Each deposit row (y = 1): which tile's sample row it is, so that a fold
  // can tell its own deposits from the held-out ones.
  struct DepositRow {
    std::size_t row, tile;
    std::int64_t sample_row;
  };
  std::vector<DepositRow> deposit_rows;
};

class LogisticSamples {
 public:
  // Reads the samples in one pass. The model, score, area, tiles and inputs
  // must outlive every later pass.
  LogisticSamples(const ModelSpec& model, const ScoreSpec& score, const StudyArea& area,
                  const std::vector<Tile>& tiles, const InputSet& inputs,
                  const TrainingCells& deposits, int threads, std::size_t memory_budget);

  std::size_t predictors() const { return m_p; }
  std::uint64_t rows() const { return m_rows; }
  bool kept_in_memory() const { return m_kept; }
  std::size_t tile_count() const { return m_tiles.size(); }
  int threads() const { return m_threads; }
  const Subsample& subsample() const { return m_subsample; }
  // Per tile, one per entry of deposits.per_tile.
  const std::vector<DepositSample>& deposits_of(std::size_t tile) const { return m_deposits[tile]; }

  // compute(tile, partial) on `threads` workers, merge(item, partial) in tile
  // order (as run_tile_pass, so sums are the same for any thread count).
  template <class Partial>
  void pass(const std::function<void(const SampleTile&, Partial&)>& compute,
            const std::function<void(std::size_t item, Partial&)>& merge) const {
    const std::size_t window = 2 * std::size_t(m_threads);
    std::vector<Partial> slots(window);
    pass_slots(
        window, [&](const SampleTile& t, std::size_t slot) { compute(t, slots[slot]); },
        [&](std::size_t item, std::size_t slot) { merge(item, slots[slot]); });
  }

 private:
  void pass_slots(std::size_t window,
                  const std::function<void(const SampleTile&, std::size_t slot)>& compute,
                  const std::function<void(std::size_t item, std::size_t slot)>& merge) const;

  const ModelSpec& m_model;
  const ScoreSpec& m_score;
  const StudyArea& m_area;
  const std::vector<Tile>& m_tiles;
  const InputSet& m_inputs;
  int m_threads;
  std::size_t m_p;
  std::uint64_t m_rows = 0;
  bool m_kept = true;
  std::vector<std::uint64_t> m_offset;  // per tile, in floats into m_memory
  std::vector<std::uint32_t> m_tile_rows;
  std::vector<float> m_memory;  // every tile's columns, while kept
  std::vector<std::vector<DepositSample>> m_deposits;
  Subsample m_subsample;
};

}  // namespace prospect
