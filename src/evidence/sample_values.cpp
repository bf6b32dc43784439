#include "prospect/evidence/sample_values.hpp"

#include <cmath>

#include "prospect/core/diagnostics.hpp"
#include "prospect/core/error.hpp"
#include "prospect/core/sample_value.hpp"
#include "prospect/evidence/field_expression.hpp"
#include "prospect/geochem/indices.hpp"
#include "prospect/vector/vector_layer.hpp"

namespace prospect {

std::vector<SampleValue> read_sample_values(const VectorInput& in, const std::string& field,
                                            const std::string& index, const std::string& crs_wkt,
                                            SampleReport& report) {
  ErrorContext c{in.path, in.layer, index.empty() ? field : index, "reading samples", 0, 0};
  std::string text = field;
  if (!index.empty()) {
    try {
      text = index_expression(index, field_names(in));
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::bad_input || !e.context().file.empty()) throw;
      throw Error(e.kind(), e.problem(), c, e.hint());
    }
  }
  const FieldExpression value = FieldExpression::parse(text);
  report.expression = text;
  const FeatureSet points = read_vector(in, crs_wkt, value.fields());
  c.layer = points.layer_name;
  std::vector<long long> below_by_field(value.fields().size());
  std::vector<double> fields(value.fields().size());
  std::vector<char> below(fields.size());
  long long measured = 0;
  std::vector<SampleValue> out;
  report.read = points.dropped_empty;
  report.without_coordinates = points.dropped_empty;
  for (std::size_t g = 0; g < points.geometries.size(); ++g) {
    const OGRGeometry* p = points.geometries[g].get();
    ++report.read;
    if (wkbFlatten(p->getGeometryType()) != wkbPoint)
      throw Error(ErrorKind::bad_input,
                  "samples must be points; feature " + std::to_string(points.fids[g]) + " is not",
                  c);
    SampleValue s{points.fids[g], p->toPoint()->getX(), p->toPoint()->getY()};
    if (!std::isfinite(s.x) || !std::isfinite(s.y)) {
      ++report.without_coordinates;
      continue;
    }
    out.push_back(s);
    bool numeric = true, any_below = false;
    for (std::size_t k = 0; k < fields.size() && numeric; ++k) {
      bool b = false;
      numeric = parse_sample_value(points.values[g][k], fields[k], b);
      below[k] = b;
      any_below = any_below || b;
    }
    if (!numeric) {
      ++report.not_numeric;
      continue;
    }
    const double v = value.evaluate(fields);
    if (!std::isfinite(v)) {
      // A log-ratio of a part <= 0, or a ratio over zero.
      std::size_t bad = 0;
      while (bad < fields.size() && !(value.takes_logs() && !(fields[bad] > 0))) ++bad;
      if (bad < fields.size()) {
        ++report.not_positive;
        if (report.first_not_positive.empty())
          report.first_not_positive = "feature " + std::to_string(s.fid) + ": " +
                                      value.fields()[bad] + " = " + points.values[g][bad];
      } else {
        ++report.undefined;
      }
      continue;
    }
    out.back().value = v;
    ++measured;
    report.below_detection += any_below;
    for (std::size_t k = 0; k < fields.size(); ++k) below_by_field[k] += below[k];
  }
  if (Diagnostics* d = current_diagnostics())
    for (std::size_t k = 0; k < below_by_field.size(); ++k)
      if (measured > 0 && below_by_field[k] == measured)
        d->warning(in.name + ": every one of the " + std::to_string(measured) + " value(s) of " +
                   value.fields()[k] + " in " + in.path +
                   " is below detection; what is built from it shows half the detection limits, "
                   "not measurements");
  return out;
}

}  // namespace prospect
