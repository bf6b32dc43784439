#pragma once
// The inputs of a model, as the model file names them: a raster (warped onto
// the grid when needed) or a distance field measured from a vector layer.
// InputSet checks every input once, builds what can be shared (distance
// indexes) and hands each worker thread sources of its own.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "prospect/core/grid_source.hpp"
#include "prospect/evidence/distance.hpp"
#include "prospect/evidence/idw.hpp"
#include "prospect/raster/raster_source.hpp"

namespace prospect {

struct DistanceInput {
  VectorInput vector;
  DistanceSpec spec;
};

struct IdwInput {
  VectorInput samples;
  IdwSpec spec;
};

struct InputSpec {
  std::string name;
  RasterInput raster;                     // when neither distance nor idw is set
  std::optional<DistanceInput> distance;  // distance to the features of a vector layer
  std::optional<IdwInput> idw;            // interpolated point samples
  const std::string& path() const {
    return distance ? distance->vector.path : idw ? idw->samples.path : raster.path;
  }
};

class InputSet {
 public:
  // Opens and checks every input (throws Error naming the file); `used` (same
  // size as inputs, or empty for all) skips inputs no score needs.
  InputSet(const std::vector<InputSpec>& inputs, const AnalysisGrid& grid,
           const std::vector<char>& used = {});

  // A source for one worker thread.
  std::unique_ptr<GridSource> open(std::size_t index) const;
  // One line on how the input reaches the grid, for `prospect check`.
  std::string describe(std::size_t index) const;

 private:
  const std::vector<InputSpec>& m_inputs;
  AnalysisGrid m_grid;
  std::vector<std::shared_ptr<const DistanceField>> m_fields;
  std::vector<char> m_aligned;
  std::vector<std::shared_ptr<const IdwField>> m_idw;
  std::vector<SampleReport> m_sample_reports;
};

}  // namespace prospect
