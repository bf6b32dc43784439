#pragma once
// The inputs of a model, as the model file names them: a raster (warped onto
// the grid when needed) or a layer built from vectors (distance, IDW of
// samples, rasterized classes or presence, density). InputSet checks every
// input once, builds what can be shared (indexes, features) and hands each
// worker thread sources of its own.

#include <memory>
#include <string>
#include <vector>

#include "prospect/core/grid_source.hpp"
#include "prospect/evidence/density.hpp"
#include "prospect/evidence/distance.hpp"
#include "prospect/evidence/idw.hpp"
#include "prospect/evidence/kriging.hpp"
#include "prospect/evidence/rasterize.hpp"
#include "prospect/raster/raster_source.hpp"
#include "prospect/spec/inputs.hpp"

namespace prospect {

class InputSet {
 public:
  // Opens and checks every input (throws Error naming the file); `used` (same
  // size as inputs, or empty for all) skips inputs no score needs.
  InputSet(const std::vector<InputSpec>& inputs, const AnalysisGrid& grid,
           const std::vector<char>& used = {});
  ~InputSet();

  // A source for one worker thread.
  std::unique_ptr<GridSource> open(std::size_t index) const;
  // Whether a raster input's file is read by prospect itself (see RasterSource).
  bool reads_file_directly(std::size_t index) const;
  // Sources opened from now on pass the bytes they read of the input's file to
  // `hasher` (raster inputs read directly; others ignore it).
  void hash_reads(std::size_t index, std::shared_ptr<FileHasher> hasher);
  // Whether the input was opened (inputs no score uses are skipped).
  bool prepared(std::size_t index) const { return m_prepared[index] != nullptr; }
  // One line on how the input reaches the grid, for `prospect check` and the log.
  std::string describe(std::size_t index) const;
  // The class table of a rasterized input (empty for continuous inputs).
  std::vector<CategoryClass> classes(std::size_t index) const;
  // The unit of the input's values where the tool makes them: "m" (or the
  // grid's unit) for distances, "km per km²" or "per km²" for densities; ""
  // for rasters, IDW and classes (their units are the data's).
  std::string unit(std::size_t index) const;
  // A kriged input's field (its variogram, for the report); null for other kinds.
  const KrigingField* kriging(std::size_t index) const;
  // An IDW or kriged input's samples in data units (exp of ln values with log);
  // empty for other kinds.
  std::vector<Sample> samples(std::size_t index) const;

 private:
  struct Prepared;
  const std::vector<InputSpec>& m_inputs;
  AnalysisGrid m_grid;
  std::vector<std::shared_ptr<const Prepared>> m_prepared;
  std::vector<std::shared_ptr<FileHasher>> m_hashers;  // per input, or null
};

}  // namespace prospect
