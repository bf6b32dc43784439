#include "prospect/evidence/sample_values.hpp"

#include <cmath>
#include <cstdio>
#include <map>

#include "prospect/core/diagnostics.hpp"
#include "prospect/core/error.hpp"
#include "prospect/core/sample_value.hpp"
#include "prospect/evidence/field_expression.hpp"
#include "prospect/geochem/elements.hpp"
#include "prospect/geochem/indices.hpp"
#include "prospect/geochem/pca.hpp"
#include "prospect/vector/vector_layer.hpp"

namespace prospect {

namespace {

// Feature g as a sample at the end of `out`, counted as read; false (and
// counted) when it has no finite coordinates. Throws for a feature that is not a point.
bool add_sample(const FeatureSet& points, std::size_t g, const ErrorContext& c,
                SampleReport& report, std::vector<SampleValue>& out) {
  const OGRGeometry* p = points.geometries[g].get();
  ++report.read;
  if (wkbFlatten(p->getGeometryType()) != wkbPoint)
    throw Error(ErrorKind::bad_input,
                "samples must be points; feature " + std::to_string(points.fids[g]) + " is not", c);
  const SampleValue s{points.fids[g], p->toPoint()->getX(), p->toPoint()->getY()};
  if (!std::isfinite(s.x) || !std::isfinite(s.y)) {
    ++report.without_coordinates;
    return false;
  }
  out.push_back(s);
  return true;
}

}  // namespace

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
    if (!add_sample(points, g, c, report, out)) continue;
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
          report.first_not_positive = "feature " + std::to_string(out.back().fid) + ": " +
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

namespace {

// The columns of a PCA: as given, or every rare-earth column in table order.
std::vector<std::string> pca_columns(const VectorInput& in, const PcaSpec& pca,
                                     const ErrorContext& c) {
  if (!pca.rare_earths) return pca.parts;
  std::map<std::string, std::vector<std::string>> by_element;
  for (const std::string& column : field_names(in))
    if (const auto e = element_column(column)) by_element[e->element->symbol].push_back(column);
  std::vector<std::string> columns;
  for (const ReferenceElement& e : rare_earth_elements()) {
    const auto it = by_element.find(e.symbol);
    if (it == by_element.end()) continue;
    if (it->second.size() > 1)
      throw Error(
          ErrorKind::bad_input,
          std::string(e.symbol) + " is in two columns, " + it->second[0] + " and " + it->second[1],
          c, "list the parts you mean: pca: {parts: [La_ppm, Ce_ppm, ...]}");
    columns.push_back(it->second[0]);
  }
  return columns;
}

}  // namespace

std::vector<SampleValue> read_pca_values(const VectorInput& in, const PcaSpec& pca,
                                         const std::string& crs_wkt, SampleReport& report) {
  ErrorContext c{in.path, in.layer, "pca", "reading samples", 0, 0};
  const std::vector<std::string> columns = pca_columns(in, pca, c);
  if (columns.size() < 2)
    throw Error(ErrorKind::bad_input,
                "principal components need at least 2 parts; " +
                    std::string(pca.rare_earths ? "the layer has rare-earth columns for " : "") +
                    std::to_string(columns.size()) + (pca.rare_earths ? " element(s)" : " given"),
                c);
  if (pca.component < 1 || std::size_t(pca.component) >= columns.size())
    throw Error(ErrorKind::bad_input,
                "component " + std::to_string(pca.component) + " of " +
                    std::to_string(columns.size()) + " parts: clr data have " +
                    std::to_string(columns.size() - 1) + " components",
                c);
  std::string list;
  for (const std::string& column : columns) list += (list.empty() ? "" : ", ") + column;
  report.expression = "PC" + std::to_string(pca.component) + " of clr(" + list + ")";
  const FeatureSet points = read_vector(in, crs_wkt, columns);
  c.layer = points.layer_name;
  std::vector<SampleValue> out;
  std::vector<std::vector<double>> compositions;
  std::vector<std::size_t> rows;  // out index of each composition
  report.read = report.without_coordinates = points.dropped_empty;
  for (std::size_t g = 0; g < points.geometries.size(); ++g) {
    if (!add_sample(points, g, c, report, out)) continue;
    std::vector<double> parts(columns.size());
    bool numeric = true, any_below = false;
    for (std::size_t k = 0; k < columns.size() && numeric; ++k) {
      bool below = false;
      numeric = parse_sample_value(points.values[g][k], parts[k], below);
      any_below = any_below || below;
    }
    if (!numeric) {
      ++report.not_numeric;
      continue;
    }
    const auto bad = std::find_if(parts.begin(), parts.end(), [](double v) { return !(v > 0); });
    if (bad != parts.end()) {
      ++report.not_positive;
      if (report.first_not_positive.empty())
        report.first_not_positive = "feature " + std::to_string(out.back().fid) + ": " +
                                    columns[std::size_t(bad - parts.begin())] + " = " +
                                    points.values[g][std::size_t(bad - parts.begin())];
      continue;
    }
    report.below_detection += any_below;
    compositions.push_back(std::move(parts));
    rows.push_back(out.size() - 1);
  }
  CompositionalPca result;
  try {
    result = compositional_pca(compositions);
  } catch (const Error& e) {
    throw Error(e.kind(), e.problem(), c, e.hint());
  }
  const std::size_t k = std::size_t(pca.component - 1);
  for (std::size_t i = 0; i < compositions.size(); ++i)
    out[rows[i]].value = result.score(compositions[i], k);
  char share[120];
  std::snprintf(share, sizeof share,
                "%s: %s holds %.1f %% of the clr variance (%zu samples); loadings", in.name.c_str(),
                ("PC" + std::to_string(pca.component)).c_str(),
                100 * result.variance[k] / result.total_variance, compositions.size());
  std::string loadings = share;
  for (std::size_t j = 0; j < columns.size(); ++j) {
    char l[80];
    std::snprintf(l, sizeof l, "%s %s %+.3f", j ? "," : "", columns[j].c_str(),
                  result.loadings[k][j]);
    loadings += l;
  }
  report_note(loadings);
  return out;
}

std::vector<SampleValue> read_values(const VectorInput& in, const std::string& field,
                                     const std::string& index, const PcaSpec& pca,
                                     const std::string& crs_wkt, SampleReport& report) {
  if (pca.component > 0) return read_pca_values(in, pca, crs_wkt, report);
  return read_sample_values(in, field, index, crs_wkt, report);
}

}  // namespace prospect
