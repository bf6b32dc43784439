#include "prospect/evidence/rasterize.hpp"

#include <gdal_alg.h>

#include <algorithm>
#include <boost/function_output_iterator.hpp>
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cmath>
#include <set>

#include "prospect/core/text.hpp"

namespace prospect {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using BBox = bg::model::box<BPoint>;

struct RasterizedLayer::Index {
  bgi::rtree<std::pair<BBox, std::size_t>, bgi::quadratic<16>> tree;
};

RasterizedLayer::~RasterizedLayer() = default;

namespace {

bool parse_integer(const std::string& text, long long& out) {
  try {
    std::size_t used = 0;
    out = std::stoll(text, &used);
    return used == text.size();
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

RasterizedLayer::RasterizedLayer(const VectorInput& in, const RasterizeSpec& spec,
                                 const AnalysisGrid& grid)
    : m_index(std::make_unique<Index>()), m_grid(grid), m_spec(spec) {
  std::vector<std::string> fields;
  if (!spec.field.empty()) fields.push_back(spec.field);
  FeatureSet all = read_vector(in, grid.crs_wkt(), fields);
  ErrorContext c{in.path, all.layer_name, spec.field, "rasterizing", 0, 0};
  if (all.geometries.empty())
    throw Error(ErrorKind::bad_input,
                in.where.empty()
                    ? "has no features to rasterize"
                    : "has no features to rasterize after the filter '" + in.where + "'",
                c, "check the file, its layer and its where: filter");

  // The code of each feature, and the class table.
  std::vector<std::pair<bool, double>> burn(all.geometries.size(), {true, 1.0});
  if (spec.field.empty()) {
    m_classes = {{0, "absent"}, {1, "present"}};
  } else if (!spec.classes.empty()) {
    std::set<std::string> unknown;
    for (std::size_t i = 0; i < burn.size(); ++i) {
      const std::string& name = all.values[i][0];
      const auto it = spec.classes.find(name);
      if (name.empty())
        burn[i].first = false;
      else if (it == spec.classes.end())
        unknown.insert(name);
      else
        burn[i].second = it->second;
    }
    if (!unknown.empty()) {
      std::string list;
      for (const auto& u : unknown) list += (list.empty() ? "'" : ", '") + u + "'";
      throw Error(
          ErrorKind::bad_input, "has classes the model's class table does not list: " + list, c,
          spec.classes_source.empty() ? "add them under classes: in the model file (name: code)"
                                      : spec.classes_source);
    }
    for (const auto& [name, code] : spec.classes) m_classes.push_back({code, name});
  } else {
    bool integers = true;
    for (std::size_t i = 0; i < burn.size() && integers; ++i) {
      long long v = 0;
      integers = all.values[i][0].empty() || parse_integer(all.values[i][0], v);
    }
    std::map<std::string, int> codes;
    if (integers) {
      for (std::size_t i = 0; i < burn.size(); ++i) {
        long long v = 0;
        if (!parse_integer(all.values[i][0], v)) {
          burn[i].first = false;
          continue;
        }
        if (v < 0 || v > 65535)
          throw Error(ErrorKind::bad_input,
                      "feature " + std::to_string(all.fids[i]) + " has class " + std::to_string(v) +
                          "; integer classes must be 0..65535",
                      c, "give a class table (classes: {name: code}) in the model file");
        burn[i].second = double(v);
        codes[std::to_string(v)] = int(v);
      }
    } else {
      // Class names from the data go into XML, JSON and HTML: bytes those cannot
      // hold become U+FFFD (counted, and said in the input's description).
      for (std::size_t i = 0; i < burn.size(); ++i) {
        bool changed = false;
        all.values[i][0] = clean_text(all.values[i][0], &changed);
        if (changed) m_cleaned_names.insert(all.values[i][0]);
        if (!all.values[i][0].empty()) codes[all.values[i][0]] = 0;
      }
      int next = 1;  // names in sorted order: the same data always gives the same codes
      for (auto& [name, code] : codes) code = next++;
      for (std::size_t i = 0; i < burn.size(); ++i) {
        if (all.values[i][0].empty())
          burn[i].first = false;
        else
          burn[i].second = codes[all.values[i][0]];
      }
    }
    for (const auto& [name, code] : codes) m_classes.push_back({code, name});
  }
  std::sort(m_classes.begin(), m_classes.end(),
            [](const CategoryClass& a, const CategoryClass& b) { return a.code < b.code; });

  // Keep only the features that burn; their order is the layer's (later wins).
  m_features.layer_name = all.layer_name;
  m_features.extent = all.extent;
  for (std::size_t i = 0; i < burn.size(); ++i) {
    if (!burn[i].first) {
      ++m_skipped;
      continue;
    }
    m_features.geometries.push_back(std::move(all.geometries[i]));
    m_features.envelopes.push_back(all.envelopes[i]);
    m_burn.push_back(burn[i].second);
  }
  // An R-tree of the envelopes: each tile looks only at the features it may touch.
  std::vector<std::pair<BBox, std::size_t>> boxes;
  for (std::size_t i = 0; i < m_features.envelopes.size(); ++i) {
    const OGREnvelope& e = m_features.envelopes[i];
    boxes.emplace_back(BBox(BPoint(e.MinX, e.MinY), BPoint(e.MaxX, e.MaxY)), i);
  }
  m_index->tree = decltype(m_index->tree)(boxes.begin(), boxes.end());
}

void RasterizedLayer::compute(const Window& w, float* out) const {
  std::fill(out, out + w.cell_count(), float(m_spec.background));
  const auto gt = m_grid.geotransform(w.col, w.row);
  const double min_x = gt[0], max_x = gt[0] + w.width * gt[1];
  const double max_y = gt[3], min_y = gt[3] + w.height * gt[5];
  std::vector<std::size_t> found;
  m_index->tree.query(
      bgi::intersects(BBox(BPoint(min_x, min_y), BPoint(max_x, max_y))),
      boost::make_function_output_iterator([&](const auto& v) { found.push_back(v.second); }));
  std::sort(found.begin(), found.end());  // layer order: where features overlap, the later wins
  std::vector<OGRGeometryH> hits;
  std::vector<double> values;
  for (std::size_t i : found) {
    hits.push_back(OGRGeometry::ToHandle(m_features.geometries[i].get()));
    values.push_back(m_burn[i]);
  }
  if (hits.empty()) return;

  // A MEM dataset over the caller's buffer: GDAL burns straight into it.
  GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
  DatasetPtr ds(mem->Create("", w.width, w.height, 0, GDT_Float32, nullptr));
  char pointer[64];
  std::snprintf(pointer, sizeof pointer, "DATAPOINTER=%p", static_cast<void*>(out));
  const char* band_options[] = {pointer, nullptr};
  if (ds->AddBand(GDT_Float32, const_cast<char**>(band_options)) != CE_None)
    throw_gdal(ErrorKind::run_failed, "could not prepare a rasterization buffer", {});
  ds->SetGeoTransform(const_cast<double*>(gt.data()));
  int band = 1;
  const char* options[] = {m_spec.all_touched ? "ALL_TOUCHED=TRUE" : nullptr, nullptr};
  CPLErrorReset();
  if (GDALRasterizeGeometries(GDALDataset::ToHandle(ds.get()), 1, &band, int(hits.size()),
                              hits.data(), nullptr, nullptr, values.data(),
                              const_cast<char**>(options), nullptr, nullptr) != CE_None)
    throw_gdal(ErrorKind::run_failed, "could not rasterize features onto the grid", {});
}

}  // namespace prospect
