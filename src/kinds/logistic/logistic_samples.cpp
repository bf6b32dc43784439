#include "prospect/kinds/logistic_samples.hpp"

#include <algorithm>
#include <cmath>

#include "prospect/core/interrupt.hpp"
#include "prospect/core/parallel.hpp"
#include "prospect/core/splitmix.hpp"
#include "prospect/kinds/logistic_fit.hpp"

namespace prospect {
namespace {

// About this many samples are drawn for the subsample: enough that its fit
// starts the passes over all samples near their answer (every deposit cell,
// which carry most of the information, is in it; on the 64 M-cell benchmark
// three passes remain), few enough that fitting it in memory costs about a
// tenth of one pass over such a grid.
constexpr double k_subsample_cells = 1 << 20;
constexpr unsigned long long k_subsample_stream = 0x2545f4914f6cdd1dULL;

// The cells of a tile where every predictor is present (outside the study area
// the pass makes them NaN), ascending in `index`; returns their count. The
// loops are branch-free so that they vectorise.
std::size_t complete_cells(const std::vector<const float*>& x, std::size_t cells,
                           std::vector<unsigned char>& complete,
                           std::vector<std::uint32_t>& index) {
  complete.assign(cells, 1);
  for (const float* column : x)
    for (std::size_t i = 0; i < cells; ++i) complete[i] &= column[i] == column[i];
  index.resize(cells);
  std::size_t rows = 0;
  for (std::size_t i = 0; i < cells; ++i) {
    index[rows] = std::uint32_t(i);
    rows += complete[i];
  }
  index.resize(rows);
  return rows;
}

SampleTile tile_of(std::size_t item, int worker, std::vector<const float*> columns,
                   const std::uint32_t* index, std::size_t rows) {
  SampleTile tile;
  tile.item = item;
  tile.rows = rows;
  tile.worker = worker;
  tile.columns = std::move(columns);
  tile.index = index;
  return tile;
}

// One tile's share of the first pass.
struct FirstPassTile {
  std::vector<float> columns;
  std::size_t rows = 0;
  std::vector<DepositSample> deposits;
  Subsample drawn;
};

struct WorkerScratch {
  std::vector<unsigned char> complete, deposit;
  std::vector<std::uint32_t> index;
};

}  // namespace

LogisticSamples::LogisticSamples(const ModelSpec& model, const ScoreSpec& score,
                                 const StudyArea& area, const std::vector<Tile>& tiles,
                                 const InputSet& inputs, const TrainingCells& deposits, int threads,
                                 std::size_t memory_budget)
    : m_model(model),
      m_score(score),
      m_area(area),
      m_tiles(tiles),
      m_inputs(inputs),
      m_threads(threads < 1 ? 1 : threads),
      m_p(score.evidence.size()),
      m_offset(tiles.size(), 0),
      m_tile_rows(tiles.size(), 0),
      m_deposits(tiles.size()) {
  std::uint64_t grid_cells = 0;
  std::int64_t grid_width = 0;
  for (const Tile& t : tiles) {
    grid_cells += t.window.cell_count();
    grid_width = std::max<std::int64_t>(grid_width, t.window.col + t.window.width);
  }
  const double share =
      std::min(1.0, k_subsample_cells / double(std::max<std::uint64_t>(1, grid_cells)));
  // Kept when every cell of the grid could be a sample and still fit: decided
  // up front, so that memory never holds part of what is then dropped.
  m_kept = grid_cells * m_p * sizeof(float) <= memory_budget;
  if (m_kept) m_memory.reserve(grid_cells * m_p);
  m_subsample.background_share = share;

  PredictorPass predictors(model, score, area, inputs, m_threads);
  std::vector<WorkerScratch> scratch(static_cast<std::size_t>(m_threads));
  run_tile_pass<FirstPassTile>(
      tiles, predictors.options(),
      [&](TileView& tile, FirstPassTile& out) {
        const std::vector<std::size_t>& here = deposits.per_tile[tile.item];
        out.rows = 0;
        out.columns.clear();
        out.deposits.assign(here.size(), DepositSample{});
        out.drawn = Subsample{};
        if (tile.inside_count == 0) return;  // no sample, and every deposit outside
        const std::vector<const float*> x = predictors.predictors(tile);
        WorkerScratch& s = scratch[std::size_t(tile.worker)];
        out.rows = complete_cells(x, tile.cells, s.complete, s.index);
        const bool every_cell = out.rows == tile.cells;
        if (m_kept) {  // the rows, to keep
          out.columns.resize(m_p * out.rows);
          for (std::size_t j = 0; j < m_p; ++j)
            for (std::size_t r = 0; r < out.rows; ++r)
              out.columns[j * out.rows + r] = x[j][every_cell ? r : s.index[r]];
        }
        s.deposit.assign(tile.cells, 0);
        for (std::size_t k = 0; k < here.size(); ++k) {
          DepositSample& d = out.deposits[k];
          const std::size_t cell = here[k];
          d.inside = tile.inside[cell] != 0;
          if (s.complete[cell])
            d.row = every_cell
                        ? std::int64_t(cell)
                        : std::lower_bound(s.index.begin(), s.index.end(), cell) - s.index.begin();
          for (const float* column : x) d.values.push_back(column[cell]);
          s.deposit[cell] = 1;
        }
        const Window& w = tile.window;
        for (std::size_t r = 0; r < out.rows; ++r) {
          const std::size_t i = every_cell ? r : s.index[r];
          const std::uint64_t cell =
              std::uint64_t(w.row + std::int64_t(i) / w.width) * std::uint64_t(grid_width) +
              std::uint64_t(w.col + std::int64_t(i) % w.width);
          if (!s.deposit[i] && share < 1 && uniform_of_cell(k_subsample_stream, cell) >= share)
            continue;
          for (const float* column : x) out.drawn.columns.push_back(column[i]);
          out.drawn.y.push_back(s.deposit[i]);
          if (s.deposit[i])
            out.drawn.deposit_rows.push_back({out.drawn.rows, tile.item, std::int64_t(r)});
          ++out.drawn.rows;
        }
      },
      [&](std::size_t item, FirstPassTile& tile) {
        m_deposits[item] = std::move(tile.deposits);
        m_tile_rows[item] = std::uint32_t(tile.rows);
        m_offset[item] = m_memory.size();
        m_rows += tile.rows;
        if (m_kept) m_memory.insert(m_memory.end(), tile.columns.begin(), tile.columns.end());
        // The drawn rows arrive row by row (p values each): into columns at the end.
        Subsample& all = m_subsample;
        for (Subsample::DepositRow d : tile.drawn.deposit_rows) {
          d.row += all.rows;
          all.deposit_rows.push_back(d);
        }
        all.rows += tile.drawn.rows;
        all.y.insert(all.y.end(), tile.drawn.y.begin(), tile.drawn.y.end());
        all.columns.insert(all.columns.end(), tile.drawn.columns.begin(), tile.drawn.columns.end());
      });
  // Rows of p values to p columns.
  std::vector<float> columns(m_subsample.columns.size());
  for (std::size_t i = 0; i < m_subsample.rows; ++i)
    for (std::size_t j = 0; j < m_p; ++j)
      columns[j * m_subsample.rows + i] = m_subsample.columns[i * m_p + j];
  m_subsample.columns.swap(columns);
}

void LogisticSamples::pass_slots(
    std::size_t window, const std::function<void(const SampleTile&, std::size_t slot)>& compute,
    const std::function<void(std::size_t item, std::size_t slot)>& merge) const {
  if (m_kept) {
    run_ordered(
        m_tiles.size(), m_threads, window,
        [&](std::size_t item, int worker) {
          throw_if_interrupted();
          std::vector<const float*> columns;
          for (std::size_t j = 0; j < m_p; ++j)
            columns.push_back(m_memory.data() + m_offset[item] + j * m_tile_rows[item]);
          compute(tile_of(item, worker, std::move(columns), nullptr, m_tile_rows[item]),
                  item % window);
        },
        [&](std::size_t item) { merge(item, item % window); });
    return;
  }
  PredictorPass predictors(m_model, m_score, m_area, m_inputs, m_threads);
  std::vector<WorkerScratch> scratch(static_cast<std::size_t>(m_threads));
  run_tile_pass_slots(
      m_tiles, predictors.options(), window,
      [&](TileView& view, std::size_t slot) {
        WorkerScratch& s = scratch[std::size_t(view.worker)];
        if (view.inside_count == 0) {
          compute(tile_of(view.item, view.worker, std::vector<const float*>(m_p), nullptr, 0),
                  slot);
          return;
        }
        const std::vector<const float*> x = predictors.predictors(view);
        const std::size_t rows = complete_cells(x, view.cells, s.complete, s.index);
        compute(
            tile_of(view.item, view.worker, x, rows == view.cells ? nullptr : s.index.data(), rows),
            slot);
      },
      merge);
}

std::vector<const float*> contiguous(const SampleTile& tile, std::vector<float>& scratch) {
  if (!tile.index) return tile.columns;
  scratch.resize(tile.columns.size() * tile.rows);
  std::vector<const float*> out;
  for (std::size_t j = 0; j < tile.columns.size(); ++j) {
    float* column = scratch.data() + j * tile.rows;
    for (std::size_t r = 0; r < tile.rows; ++r) column[r] = tile.columns[j][tile.index[r]];
    out.push_back(column);
  }
  return out;
}

}  // namespace prospect
