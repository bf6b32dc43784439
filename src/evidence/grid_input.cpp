#include "prospect/evidence/grid_input.hpp"

#include <cmath>
#include <cstdio>

namespace prospect {

// What an input needs built once and shared by the workers.
struct InputSet::Prepared {
  std::shared_ptr<const DistanceField> distance;
  std::shared_ptr<const IdwField> idw;
  std::shared_ptr<const KrigingField> krige;
  std::shared_ptr<const RasterizedLayer> rasterized;
  std::shared_ptr<const DensityField> density;
  SampleReport samples;
  bool aligned = false;  // raster already on the grid
  bool direct = false;   // its blocks read by prospect itself
};

namespace {

// A shared, thread-safe field as a per-worker source.
template <class Field>
class FieldSource : public GridSource {
 public:
  explicit FieldSource(std::shared_ptr<const Field> field) : m_field(std::move(field)) {}
  void read(const Window& window, float* out) override { m_field->compute(window, out); }

 private:
  std::shared_ptr<const Field> m_field;
};

template <class Field>
std::unique_ptr<GridSource> source_of(const std::shared_ptr<const Field>& field) {
  return std::make_unique<FieldSource<Field>>(field);
}

}  // namespace

InputSet::~InputSet() = default;

InputSet::InputSet(const std::vector<InputSpec>& inputs, const AnalysisGrid& grid,
                   const std::vector<char>& used)
    : m_inputs(inputs), m_grid(grid), m_prepared(inputs.size()), m_hashers(inputs.size()) {
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!used.empty() && !used[i]) continue;
    const InputSpec& in = inputs[i];
    auto p = std::make_shared<Prepared>();
    switch (in.kind) {
      case InputKind::raster: {
        const RasterSource source(in.raster, grid);
        p->aligned = source.aligned();
        p->direct = source.reads_file_directly();
        break;
      }
      case InputKind::distance:
        p->distance = std::make_shared<const DistanceField>(read_vector(in.vector, grid.crs_wkt()),
                                                            grid, in.distance, in.vector.path);
        break;
      case InputKind::idw:
        p->idw = std::make_shared<const IdwField>(read_samples(in.vector, in.idw, grid, p->samples),
                                                  grid, in.idw);
        break;
      case InputKind::krige: {
        IdwSpec values;  // how the samples are read: the same rule as IDW
        values.field = in.krige.field;
        values.index = in.krige.index;
        values.pca = in.krige.pca;
        values.log = in.krige.log;
        p->krige = std::make_shared<const KrigingField>(
            read_samples(in.vector, values, grid, p->samples), grid, in.krige);
        break;
      }
      case InputKind::rasterize:
        p->rasterized = std::make_shared<const RasterizedLayer>(in.vector, in.rasterize, grid);
        break;
      case InputKind::density:
        p->density = std::make_shared<const DensityField>(read_vector(in.vector, grid.crs_wkt()),
                                                          grid, in.density, in.vector.path);
        break;
    }
    m_prepared[i] = std::move(p);
  }
}

std::unique_ptr<GridSource> InputSet::open(std::size_t i) const {
  const Prepared* p = m_prepared[i].get();
  if (!p) throw Error(ErrorKind::run_failed, "input '" + m_inputs[i].name + "' was not prepared");
  switch (m_inputs[i].kind) {
    case InputKind::distance:
      return source_of(p->distance);
    case InputKind::idw:
      return source_of(p->idw);
    case InputKind::krige:
      return source_of(p->krige);
    case InputKind::rasterize:
      return source_of(p->rasterized);
    case InputKind::density:
      return source_of(p->density);
    case InputKind::raster:
      break;
  }
  auto source = std::make_unique<RasterSource>(m_inputs[i].raster, m_grid);
  if (m_hashers[i]) source->hash_reads(m_hashers[i]);
  return source;
}

bool InputSet::reads_file_directly(std::size_t i) const {
  return m_prepared[i] && m_inputs[i].kind == InputKind::raster && m_prepared[i]->direct;
}

void InputSet::hash_reads(std::size_t i, std::shared_ptr<FileHasher> hasher) {
  m_hashers[i] = std::move(hasher);
}

std::vector<CategoryClass> InputSet::classes(std::size_t i) const {
  if (m_inputs[i].kind != InputKind::rasterize || !m_prepared[i]) return {};
  return m_prepared[i]->rasterized->classes();
}

const KrigingField* InputSet::kriging(std::size_t i) const {
  const Prepared* p = m_prepared[i].get();
  return p ? p->krige.get() : nullptr;
}

std::vector<Sample> InputSet::samples(std::size_t i) const {
  const Prepared* p = m_prepared[i].get();
  if (!p || (!p->idw && !p->krige)) return {};
  std::vector<Sample> out = p->idw ? p->idw->samples() : p->krige->samples();
  const bool log = p->idw ? m_inputs[i].idw.log : m_inputs[i].krige.log;
  if (log)
    for (Sample& s : out) s.value = std::exp(s.value);
  return out;
}

std::string InputSet::unit(std::size_t i) const {
  const Prepared* p = m_prepared[i].get();
  if (!p) return "";
  switch (m_inputs[i].kind) {
    case InputKind::distance:
      if (m_grid.metres_per_unit() == 1.0) return "m";
      return m_grid.is_geographic() ? "°" : m_grid.linear_unit();
    case InputKind::density:
      return p->density->counts_points() ? "per km²" : "km per km²";
    default:
      return "";
  }
}

std::string InputSet::describe(std::size_t i) const {
  const InputSpec& in = m_inputs[i];
  const Prepared* p = m_prepared[i].get();
  if (!p) return "input " + in.name + ": not used by any score";
  const char* name = in.name.c_str();
  const char* path = in.path().c_str();
  char line[700];
  switch (in.kind) {
    case InputKind::idw: {
      const SampleReport& r = p->samples;
      const std::string what = in.idw.pca.component > 0 ? r.expression
                               : in.idw.index.empty()
                                   ? "'" + in.idw.field + "'"
                                   : "the index " + in.idw.index + " = " + r.expression;
      std::snprintf(
          line, sizeof line,
          ": %lld sample(s) used of %lld read (%lld below detection taken as half the limit, "
          "%lld without coordinates, %lld not numeric, %lld not positive for a log%s%s, %lld "
          "merged duplicates, %lld with a zero denominator, %lld outside the grid)",
          r.used, r.read, r.below_detection, r.without_coordinates, r.not_numeric, r.not_positive,
          r.first_not_positive.empty() ? "" : ", e.g. ", r.first_not_positive.c_str(),
          r.duplicates_merged, r.undefined, r.outside_grid);
      return "input " + in.name + ": IDW of " + what + " from " + in.path() + line;
    }
    case InputKind::krige: {
      const SampleReport& r = p->samples;
      const KrigingSpec& k = in.krige;
      const Variogram& v = p->krige->variogram();
      const std::string of = (k.log ? "ln " : "") +
                             (k.pca.component > 0 ? r.expression
                              : k.index.empty()   ? "'" + k.field + "'"
                                                  : "the index " + k.index + " = " + r.expression);
      std::snprintf(line, sizeof line,
                    ": %lld sample(s) used of %lld read; %s variogram%s: nugget %.6g, partial "
                    "sill %.6g, range %.6g",
                    r.used, r.read, variogram_model_name(v.model),
                    p->krige->fitted() ? " fitted (weights N/h², as gstat)" : "", v.nugget,
                    v.partial_sill, v.range);
      std::string text = "input " + in.name + ": ordinary kriging " +
                         (k.variance ? "variance of " : "of ") + of + " from " + in.path() + line;
      if (p->krige->fitted()) {
        const ExperimentalVariogram& e = p->krige->experimental();
        char fit[200];
        std::snprintf(fit, sizeof fit, " (%zu distance classes of %.6g up to %.6g)", e.gamma.size(),
                      e.width, e.cutoff);
        text += fit;
      }
      return text;
    }
    case InputKind::distance:
      std::snprintf(line, sizeof line, "input %s: distance to %s: %zu segment(s), %zu point(s)%s",
                    name, path, p->distance->segment_count(), p->distance->point_count(),
                    in.distance.strike ? " (strike filter)" : "");
      break;
    case InputKind::rasterize: {
      const auto& r = *p->rasterized;
      std::string classes;
      for (const auto& c : r.classes()) {
        if (!classes.empty()) classes += ", ";
        classes += std::to_string(c.code) + " " + c.name;
      }
      std::snprintf(line, sizeof line, "input %s: %s rasterized: %zu feature(s)%s; classes: %s",
                    name, path, r.feature_count(),
                    r.skipped_without_class() ? (", " + std::to_string(r.skipped_without_class()) +
                                                 " without a class skipped")
                                                    .c_str()
                                              : "",
                    classes.c_str());
      if (r.cleaned_class_names() > 0)
        return line + std::string("; ") + std::to_string(r.cleaned_class_names()) +
               " class name(s) held bytes that are not UTF-8 text or control characters, shown as "
               "U+FFFD (\xef\xbf\xbd)";
      break;
    }
    case InputKind::density:
      std::snprintf(
          line, sizeof line, "input %s: %s density of %s within %g: %zu %s", name,
          p->density->counts_points() ? "point" : "line", path, in.density.radius,
          p->density->counts_points() ? p->density->point_count() : p->density->segment_count(),
          p->density->counts_points() ? "point(s), per km²" : "segment(s), km per km²");
      break;
    case InputKind::raster:
      std::snprintf(line, sizeof line, "input %s: %s band %d: %s", name, path, in.raster.band,
                    p->aligned ? "on the grid (read directly)"
                               : ("warped onto the grid (" + in.raster.resampling + ")").c_str());
      break;
  }
  return line;
}

}  // namespace prospect
