#include "prospect/evidence/grid_input.hpp"

#include <cstdio>

namespace prospect {
namespace {

class DistanceSource : public GridSource {
 public:
  explicit DistanceSource(std::shared_ptr<const DistanceField> field) : m_field(std::move(field)) {}
  void read(const Window& window, float* out) override { m_field->compute(window, out); }

 private:
  std::shared_ptr<const DistanceField> m_field;
};

class IdwSource : public GridSource {
 public:
  explicit IdwSource(std::shared_ptr<const IdwField> field) : m_field(std::move(field)) {}
  void read(const Window& window, float* out) override { m_field->compute(window, out); }

 private:
  std::shared_ptr<const IdwField> m_field;
};

}  // namespace

InputSet::InputSet(const std::vector<InputSpec>& inputs, const AnalysisGrid& grid,
                   const std::vector<char>& used)
    : m_inputs(inputs),
      m_grid(grid),
      m_fields(inputs.size()),
      m_aligned(inputs.size(), 0),
      m_idw(inputs.size()),
      m_sample_reports(inputs.size()) {
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!used.empty() && !used[i]) continue;
    const InputSpec& in = inputs[i];
    if (in.idw) {
      m_idw[i] = std::make_shared<const IdwField>(
          read_samples(in.idw->samples, in.idw->spec, grid, m_sample_reports[i]), grid, in.idw->spec);
    } else if (in.distance) {
      const FeatureSet features = read_vector(in.distance->vector, grid.crs_wkt());
      m_fields[i] = std::make_shared<const DistanceField>(features, grid, in.distance->spec,
                                                          in.distance->vector.path);
    } else {
      RasterSource check(in.raster, grid);
      m_aligned[i] = check.aligned();
    }
  }
}

std::unique_ptr<GridSource> InputSet::open(std::size_t i) const {
  if (m_inputs[i].idw) return std::make_unique<IdwSource>(m_idw[i]);
  if (m_inputs[i].distance) {
    if (!m_fields[i]) throw Error(ErrorKind::run_failed, "input '" + m_inputs[i].name + "' was not prepared");
    return std::make_unique<DistanceSource>(m_fields[i]);
  }
  return std::make_unique<RasterSource>(m_inputs[i].raster, m_grid);
}

std::string InputSet::describe(std::size_t i) const {
  const InputSpec& in = m_inputs[i];
  char line[600];
  if (in.idw) {
    const SampleReport& r = m_sample_reports[i];
    std::snprintf(line, sizeof line,
                  "input %s: IDW of '%s' from %s: %lld sample(s) used of %lld read (%lld below "
                  "detection taken as half the limit, %lld not numeric, %lld not positive for log, "
                  "%lld merged duplicates, %lld with a zero denominator)",
                  in.name.c_str(), in.idw->spec.field.c_str(), in.idw->samples.path.c_str(), r.used,
                  r.read, r.below_detection, r.not_numeric, r.not_positive, r.duplicates_merged, r.undefined);
  } else if (in.distance) {
    std::snprintf(line, sizeof line, "input %s: distance to %s: %zu segment(s), %zu point(s)%s",
                  in.name.c_str(), in.distance->vector.path.c_str(),
                  m_fields[i] ? m_fields[i]->segment_count() : 0,
                  m_fields[i] ? m_fields[i]->point_count() : 0,
                  in.distance->spec.strike ? " (strike filter)" : "");
  } else {
    std::snprintf(line, sizeof line, "input %s: %s band %d: %s", in.name.c_str(), in.raster.path.c_str(),
                  in.raster.band,
                  m_aligned[i] ? "on the grid (read directly)"
                               : ("warped onto the grid (" + in.raster.resampling + ")").c_str());
  }
  return line;
}

}  // namespace prospect
