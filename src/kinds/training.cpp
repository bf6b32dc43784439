#include "prospect/kinds/training.hpp"

namespace prospect {

TrainingCells point_cells(const VectorInput& in, const AnalysisGrid& grid,
                          const std::vector<Tile>& tiles, int tile_size) {
  TrainingCells out;
  out.per_tile.resize(tiles.size());
  const FeatureSet points = read_vector(in, grid.crs_wkt());
  const int tiles_across = (grid.width() + tile_size - 1) / tile_size;
  for (const auto& g : points.geometries) {
    if (wkbFlatten(g->getGeometryType()) != wkbPoint) {
      ++out.not_points;
      continue;
    }
    ++out.read;
    const OGRPoint* p = g->toPoint();
    const std::int64_t col = grid.col_of(p->getX()), row = grid.row_of(p->getY());
    if (!grid.contains_cell(col, row)) {
      ++out.outside_grid;
      continue;
    }
    const std::size_t tile =
        std::size_t(row / tile_size) * std::size_t(tiles_across) + std::size_t(col / tile_size);
    const Window& w = tiles[tile].window;
    out.per_tile[tile].push_back(std::size_t(row - w.row) * std::size_t(w.width) +
                                 std::size_t(col - w.col));
  }
  return out;
}

TrainingCells training_cells(const ModelSpec& model, const ScoreSpec& score,
                             const AnalysisGrid& grid, const std::vector<Tile>& tiles) {
  VectorInput in = model.training->deposits;
  in.where = both_filters(in.where, score.deposits_where);
  TrainingCells out =
      point_cells(in, grid, tiles, model.outputs.tile_size);  // the tiles were made with it
  if (out.not_points > 0)
    throw Error(ErrorKind::bad_input, "training deposits must be points",
                ErrorContext{in.path, in.layer, "", "reading training deposits", 0, 0},
                "use the deposits' locations as points (e.g. centroids of the outlines)");
  return out;
}

}  // namespace prospect
