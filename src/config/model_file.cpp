#include "prospect/config/model_file.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include "prospect/config/suggest.hpp"
#include "prospect/core/hash.hpp"
#include "prospect/evidence/field_expression.hpp"
#include "prospect/geochem/indices.hpp"
#include "prospect/geochem/variogram.hpp"
#include "prospect/raster/gdal_handles.hpp"
#include "prospect/raster/raster_source.hpp"
#include "yaml_reader.hpp"

namespace prospect {

namespace fs = std::filesystem;
using config::YamlReader;

const std::vector<ElementValue>& default_element_values() {
  // Average prices 2019, US$ per kg of oxide: Dy2O3 99.5 %, Tb4O7 99.99 %
  // (USGS Mineral Commodity Summaries 2021, Rare Earths); Y2O3 99.999 %
  // (USGS Mineral Commodity Summaries 2020, Yttrium, 2019 estimate).
  static const std::vector<ElementValue> values = {{"Dy", 239.0}, {"Tb", 507.0}, {"Y", 3.0}};
  return values;
}

const char* default_element_values_source() {
  return "US$/kg oxide, 2019 averages: Dy2O3 239, Tb4O7 507 (USGS Mineral Commodity Summaries "
         "2021, Rare Earths); Y2O3 3 (USGS Mineral Commodity Summaries 2020, Yttrium)";
}

namespace {

// Two names that one file system may take for the same file name.
bool same_file_name(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

class ModelParser {
 public:
  ModelParser(const std::string& path) : r(path) {
    spec.path = path;
    spec.folder = fs::path(path).parent_path().string();
  }

  ModelSpec parse(const std::string& text) {
    const YAML::Node root = config::load_checked_yaml(text, spec.path);
    if (!root.IsMap())
      r.fail(root, "a model file must be a mapping with grid, inputs, evidence and scores",
             "start from the annotated example in docs/model-file.md");
    r.check_keys(root, "the model file",
                 {"name", "model", "grid", "study_area", "training", "inputs", "evidence", "scores",
                  "composite", "targets", "validation", "outputs", "learner", "saved_model"});
    spec.name = root["name"] ? r.text(root["name"], "name") : fs::path(spec.path).stem().string();
    if (root["model"]) {
      const std::string type = r.text(root["model"], "model");
      if (type == "wofe" || type == "weights_of_evidence")
        spec.type = ModelType::wofe;
      else if (type == "logistic")
        spec.type = ModelType::logistic;
      else if (type == "gradient_boosting")
        spec.type = ModelType::gradient_boosting;
      else if (type == "random_forest")
        spec.type = ModelType::random_forest;
      else if (type != "fuzzy")
        r.fail(root["model"], "unknown model type '" + type + "'",
               "model types: fuzzy, wofe (weights of evidence), logistic (logistic regression), "
               "gradient_boosting, random_forest");
    }
    if (root["saved_model"]) parse_saved_model(root);
    if (!spec.saved_model.empty()) {
      // Applying a fitted learner: nothing is fitted, so nothing to fit with.
    } else if (spec.trained()) {
      if (!root["training"])
        r.fail(root, std::string("a ") + model_type_name(spec.type) +
                         " model needs a 'training' section with the deposits");
      parse_training(root["training"]);
    } else if (root["training"]) {
      r.fail(root["training"],
             "'training' belongs to the trained models (wofe, logistic, "
             "gradient_boosting, random_forest)");
    }
    if (root["learner"]) {
      if (!spec.machine_learning())
        r.fail(root["learner"], "'learner' belongs to model: gradient_boosting or random_forest");
      parse_learner(root["learner"]);
    }
    for (const char* key : {"grid", "inputs", "evidence", "scores"})
      if (!root[key])
        r.fail(root, std::string("the model file has no '") + key + "' section",
               "see docs/model-file.md for a complete example");
    parse_grid(root["grid"]);
    if (root["study_area"]) spec.study_area = parse_vector(root["study_area"], "study_area");
    parse_inputs(root["inputs"]);
    parse_evidence(root["evidence"]);
    parse_scores(root["scores"]);
    if (root["composite"]) parse_composite(root["composite"]);
    check_output_names(root["scores"]);
    parse_targets(root["targets"]);
    if (root["outputs"]) parse_outputs(root["outputs"]);
    if (root["validation"]) {
      const YAML::Node& v = root["validation"];
      r.require_map(v, "validation");
      r.check_keys(v, "validation", {"deposits", "where", "bootstrap", "seed", "cross_validation"});
      if (v["bootstrap"]) {
        const long long b = r.integer(v["bootstrap"], "validation.bootstrap", 0, 100000);
        if (b != 0 && b < 100)
          r.fail(v["bootstrap"],
                 "validation.bootstrap must be 0 (none) or 100 to 100000 resamples");
        spec.bootstrap_replicates = int(b);
      }
      if (v["seed"]) {
        const long long seed =
            r.integer(v["seed"], "validation.seed", 0, std::numeric_limits<long long>::max());
        spec.bootstrap_seed = static_cast<unsigned long long>(seed);
        spec.cross_validation.seed = spec.bootstrap_seed;
      }
      if (v["cross_validation"] && !spec.saved_model.empty())
        r.fail(v["cross_validation"],
               "validation.cross_validation refits the model; a saved_model is applied as it is",
               "validate the applied model with held-out validation.deposits");
      if (v["cross_validation"]) parse_cross_validation(v["cross_validation"]);
      if (!v["deposits"] && (!spec.trained() || !spec.saved_model.empty()))
        r.fail(v, "validation needs deposits: {path: ...} (points)",
               "a " + std::string(model_type_name(spec.type)) +
                   " model has no training deposits to cross-validate; give held-out deposits");
      if (v["deposits"])
        spec.validation_deposits = parse_vector(v["deposits"], "validation.deposits");
      if (v["where"] && !v["deposits"])
        r.fail(v["where"], "validation.where filters validation.deposits, which are not given");
      if (v["where"]) {  // per band: which validation deposits count for it
        r.require_map(v["where"], "validation.where");
        const std::vector<std::string> bands = spec.band_names();
        for (const auto& item : v["where"]) {
          const std::string band = r.text(item.first, "a key");
          if (std::find(bands.begin(), bands.end(), band) == bands.end()) {
            const std::string guess = closest_match(band, bands);
            r.fail(item.first,
                   "validation.where names band '" + band + "', which the model does not write" +
                       (guess.empty() ? "" : "; did you mean '" + guess + "'?"),
                   "bands: " + list(bands));
          }
          spec.validation_where[band] = r.text(item.second, "validation.where." + band);
        }
      }
    }
    if (!spec.grid.like.empty() || spec.grid.extent || spec.study_area) return spec;
    r.fail(root["grid"], "the grid has no extent",
           "give grid: extent: [min_x, min_y, max_x, max_y], grid: like: <raster>, or a "
           "study_area whose extent the grid then covers");
  }

  ModelSpec spec;

 private:
  YamlReader r;

  // Band names and the weights/<score>_<evidence>.csv names must each be unique
  // (also in case: a folder copied to another file system may not tell them apart).
  void check_output_names(const YAML::Node& scores) {
    const std::vector<std::string> bands = spec.band_names();
    for (std::size_t i = 0; i < bands.size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (same_file_name(bands[i], bands[j]))
          r.fail(scores,
                 "two output bands would be named '" + bands[j] + "' and '" + bands[i] + "'",
                 "rename a score (weights of evidence adds a <score>_std band per score, an "
                 "ensemble a <score>_spread band; the "
                 "composite is " +
                     std::string(spec.composite ? spec.composite->name : "not written") + ")");
    if (spec.type != ModelType::wofe) return;
    std::vector<std::string> files;
    for (const auto& sc : spec.scores)
      for (int e : sc.evidence) {
        const std::string file = sc.name + "_" + spec.evidence[std::size_t(e)].name;
        for (const auto& other : files)
          if (same_file_name(other, file))
            r.fail(scores, "two weights tables would both be written as weights/" + file + ".csv",
                   "rename a score or an evidence layer so that <score>_<evidence> differs");
        files.push_back(file);
      }
  }

  // validation.cross_validation: false, or {folds: N | leave_one_out, block_m, seed}.
  void parse_cross_validation(const YAML::Node& n) {
    CrossValidationSpec& cv = spec.cross_validation;
    if (n.IsScalar() && (n.as<std::string>() == "false" || n.as<std::string>() == "true")) {
      cv.enabled = n.as<std::string>() == "true";
      return;
    }
    r.require_map(n, "validation.cross_validation");
    r.check_keys(n, "validation.cross_validation", {"folds", "block_m", "seed"});
    if (n["folds"]) {
      if (n["folds"].IsScalar() && n["folds"].as<std::string>() == "leave_one_out") {
        cv.folds = 0;
      } else {
        cv.folds = int(
            r.integer(n["folds"], "validation.cross_validation.folds (or leave_one_out)", 2, 1000));
      }
    }
    if (n["block_m"]) {
      cv.block_m = r.number(n["block_m"], "validation.cross_validation.block_m");
      if (!(cv.block_m >= 0))
        r.fail(n["block_m"],
               "validation.cross_validation.block_m must be 0 (no blocks) or a distance in metres");
    }
    if (n["seed"]) {
      const long long seed = r.integer(n["seed"], "validation.cross_validation.seed", 0,
                                       std::numeric_limits<long long>::max());
      cv.seed = static_cast<unsigned long long>(seed);
    }
  }

  std::string resolve(const std::string& p) const {
    if (p.rfind("/vsi", 0) == 0 || fs::path(p).is_absolute() || spec.folder.empty()) return p;
    return (fs::path(spec.folder) / p).lexically_normal().string();
  }

  void parse_grid(const YAML::Node& g) {
    r.require_map(g, "grid");
    r.check_keys(g, "grid", {"crs", "cell_size", "extent", "snap", "like", "max_cells"});
    if (g["max_cells"]) {
      spec.grid.max_cells = r.number(g["max_cells"], "grid.max_cells");
      if (!(spec.grid.max_cells >= 1)) r.fail(g["max_cells"], "grid.max_cells must be at least 1");
    }
    if (g["like"]) spec.grid.like = resolve(r.text(g["like"], "grid.like"));
    if (g["crs"]) {
      spec.grid.crs = r.text(g["crs"], "grid.crs");
      try {
        crs_to_wkt(spec.grid.crs);
      } catch (const Error& e) {
        r.fail(g["crs"], e.problem(), e.hint());
      }
    } else if (spec.grid.like.empty()) {
      r.fail(g, "grid needs a crs (for example crs: EPSG:32733)");
    }
    if (g["cell_size"]) {
      const double cs = r.number(g["cell_size"], "grid.cell_size");
      if (!(cs > 0)) r.fail(g["cell_size"], "grid.cell_size must be greater than 0");
      spec.grid.cell_size = cs;
    } else if (spec.grid.like.empty()) {
      r.fail(g, "grid needs a cell_size (in the CRS's units, e.g. metres)");
    }
    if (g["extent"]) {
      auto v = r.numbers(g["extent"], "grid.extent [min_x, min_y, max_x, max_y]", 4);
      if (!(v[2] > v[0] && v[3] > v[1]))
        r.fail(g["extent"], "grid.extent must be [min_x, min_y, max_x, max_y] with max > min");
      spec.grid.extent = std::array<double, 4>{v[0], v[1], v[2], v[3]};
    }
    if (g["snap"]) {
      auto v = r.numbers(g["snap"], "grid.snap [x, y]", 2);
      spec.grid.snap = {v[0], v[1]};
    }
    // The size, where the model alone fixes it: an error here can name the line.
    if (spec.grid.extent && spec.grid.cell_size) {
      const auto& e = *spec.grid.extent;
      try {
        check_grid_size(std::ceil((e[2] - e[0]) / *spec.grid.cell_size - 1e-9),
                        std::ceil((e[3] - e[1]) / *spec.grid.cell_size - 1e-9),
                        spec.grid.max_cells);
      } catch (const Error& error) {
        r.fail(g["extent"], error.problem(), error.hint());
      }
    }
  }

  VectorInput parse_vector(const YAML::Node& n, const std::string& name) {
    r.require_map(n, name);
    r.check_keys(n, name, {"path", "layer", "where", "crs", "columns"});
    return vector_keys(n, name, name, "a vector file");
  }

  // The keys every vector source shares: path, layer, where, crs (keys checked by the caller).
  VectorInput vector_keys(const YAML::Node& n, const std::string& name, const std::string& where,
                          const std::string& what) {
    if (!n["path"]) r.fail(n, where + " needs a path (" + what + ")");
    VectorInput v;
    v.name = name;
    v.path = resolve(r.text(n["path"], where + ".path"));
    if (n["layer"]) v.layer = r.text(n["layer"], where + ".layer");
    if (n["where"]) v.where = r.text(n["where"], where + ".where");
    if (n["crs"]) v.crs = checked_crs(n["crs"], where + ".crs");
    if (n["columns"]) {
      const YAML::Node c = n["columns"];
      const std::string w = where + ".columns";
      r.require_map(c, w);
      r.check_keys(c, w, {"x", "y", "wkt"});
      if (c["x"]) v.x_column = r.text(c["x"], w + ".x");
      if (c["y"]) v.y_column = r.text(c["y"], w + ".y");
      if (c["wkt"]) v.wkt_column = r.text(c["wkt"], w + ".wkt");
      if (v.x_column.empty() != v.y_column.empty() || (v.x_column.empty() && v.wkt_column.empty()))
        r.fail(c, w + " needs both x and y (coordinate columns), or wkt (a geometry column)",
               "e.g. columns: {x: X_UTM, y: Y_UTM}");
      if (!v.x_column.empty() && !v.wkt_column.empty())
        r.fail(c, w + " takes x and y, or wkt, not both");
      if (lower_extension(v.path) != ".csv")
        r.fail(c, w + " is for CSV files; " + v.path + " has its geometry in the file");
    }
    return v;
  }

  static std::string lower_extension(const std::string& path) {
    std::string e = fs::path(path).extension().string();
    for (char& ch : e) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    return e;
  }

  std::string checked_crs(const YAML::Node& n, const std::string& what) {
    const std::string crs = r.text(n, what);
    try {
      crs_to_wkt(crs);
    } catch (const Error& e) {
      r.fail(n, e.problem(), e.hint());
    }
    return crs;
  }

  void parse_inputs(const YAML::Node& inputs) {
    r.require_map(inputs, "inputs");
    for (const auto& item : inputs) {
      const std::string name = r.identifier(item.first, "the input name");
      for (const auto& other : spec.inputs)
        if (same_file_name(other.name, name))
          r.fail(item.first,
                 "the input names '" + other.name + "' and '" + name +
                     "' differ only in case; they name files in evidence/",
                 "give them names that differ in more than case");
      const YAML::Node& n = item.second;
      const std::string where = "inputs." + name;
      r.require_map(n, where);
      InputSpec in;
      in.name = name;
      if (n["idw"]) {
        vector_input(n, in, InputKind::idw, "idw", "an IDW input",
                     "point samples: CSV, GeoPackage, ...");
        in.idw = parse_idw(n["idw"], where + ".idw");
        spec.inputs.push_back(in);
        continue;
      }
      if (n["krige"]) {
        vector_input(n, in, InputKind::krige, "krige", "a kriged input",
                     "point samples: CSV, GeoPackage, ...");
        in.krige = parse_krige(n["krige"], where + ".krige");
        spec.inputs.push_back(in);
        continue;
      }
      if (n["distance"]) {
        vector_input(n, in, InputKind::distance, "distance", "a distance input", "a vector file");
        in.distance = parse_distance(n["distance"], where + ".distance");
        spec.inputs.push_back(in);
        continue;
      }
      if (n["rasterize"]) {
        vector_input(n, in, InputKind::rasterize, "rasterize", "a rasterized input",
                     "a vector file");
        in.rasterize = parse_rasterize(n["rasterize"], where + ".rasterize");
        spec.inputs.push_back(in);
        continue;
      }
      if (n["density"]) {
        vector_input(n, in, InputKind::density, "density", "a density input", "lines or points");
        in.density = parse_density(n["density"], where + ".density");
        spec.inputs.push_back(in);
        continue;
      }
      r.check_keys(n, where,
                   {"path", "band", "resampling", "crs", "distance", "idw", "krige", "rasterize",
                    "density"});
      if (!n["path"]) r.fail(n, where + " needs a path");
      RasterInput& raster = in.raster;
      raster.name = name;
      raster.path = resolve(r.text(n["path"], where + ".path"));
      if (n["band"]) {
        raster.band =
            int(r.integer(n["band"], where + ".band (band numbers start at 1)", 1, 65535));
      }
      if (n["resampling"]) {
        raster.resampling = r.text(n["resampling"], where + ".resampling");
        const auto& names = resampling_names();
        if (std::find(names.begin(), names.end(), raster.resampling) == names.end()) {
          const std::string guess = closest_match(raster.resampling, names);
          r.fail(n["resampling"],
                 "unknown resampling '" + raster.resampling + "'" +
                     (guess.empty() ? "" : "; did you mean '" + guess + "'?"),
                 "nearest or mode for categories, bilinear or cubic for continuous data");
        }
      }
      if (n["crs"]) raster.crs = checked_crs(n["crs"], where + ".crs");
      spec.inputs.push_back(in);
    }
    if (spec.inputs.empty()) r.fail(inputs, "inputs is empty");
  }

  // An input built from a vector layer: the shared vector keys plus one builder key.
  void vector_input(const YAML::Node& n, InputSpec& in, InputKind kind, const std::string& key,
                    const std::string& what, const std::string& file_kind) {
    const std::string where = "inputs." + in.name;
    r.check_keys(n, where + " (" + what + ")", {"path", "layer", "where", "crs", "columns", key});
    in.kind = kind;
    in.vector = vector_keys(n, in.name, where, file_kind);
  }

  // What each sample's value is: field (an attribute or expression), index (a
  // rare-earth index by name) or pca (a principal component of clr parts); one of them.
  void sample_value(const YAML::Node& o, const std::string& w, std::string& field,
                    std::string& index, PcaSpec& pca) {
    if (int(bool(o["field"])) + int(bool(o["index"])) + int(bool(o["pca"])) != 1)
      r.fail(o, w + " needs one of field: the attribute to interpolate (e.g. Dy_ppm), index: a "
                    "rare-earth index (e.g. (Dy/Yb)N), or pca: a principal component of "
                    "clr-transformed parts");
    try {
      if (o["field"]) {
        field = r.text(o["field"], w + ".field");
        FieldExpression::parse(field);
      } else if (o["index"]) {
        index = r.text(o["index"], w + ".index");
        index_template(index);
      }
    } catch (const Error& e) {
      r.fail(o["field"] ? o["field"] : o["index"], e.problem(), e.hint());
    }
    if (!o["pca"]) return;
    const YAML::Node p = o["pca"];
    const std::string pw = w + ".pca";
    r.require_map(p, pw);
    r.check_keys(p, pw, {"parts", "component"});
    if (!p["parts"])
      r.fail(p, pw + " needs parts: a list of columns, or rare_earths (every rare-earth column)");
    if (p["parts"].IsScalar()) {
      if (p["parts"].Scalar() != "rare_earths")
        r.fail(p["parts"], pw + ".parts must be a list of columns or rare_earths");
      pca.rare_earths = true;
    } else {
      if (!p["parts"].IsSequence() || p["parts"].size() < 2)
        r.fail(p["parts"], pw + ".parts must list at least 2 columns");
      for (const auto& part : p["parts"]) pca.parts.push_back(r.text(part, pw + ".parts"));
    }
    pca.component = p["component"] ? int(r.integer(p["component"], pw + ".component", 1, 100)) : 1;
    if (!pca.rare_earths && std::size_t(pca.component) >= pca.parts.size())
      r.fail(p["component"] ? p["component"] : p,
             pw + ".component must be below the number of parts (" +
                 std::to_string(pca.parts.size()) + ")");
  }

  IdwSpec parse_idw(const YAML::Node& o, const std::string& w) {
    IdwSpec d;
    r.require_map(o, w);
    r.check_keys(o, w,
                 {"field", "index", "pca", "power", "radius", "max_points", "min_points", "log"});
    sample_value(o, w, d.field, d.index, d.pca);
    if (o["power"]) d.power = r.number(o["power"], w + ".power");
    neighbourhood(o, w, d.max_points, d.min_points, d.radius);
    if (o["log"]) d.log = r.text(o["log"], w + ".log") == "true";
    if (!(d.power > 0)) r.fail(o["power"], "power must be greater than 0");
    return d;
  }

  // The samples an interpolated cell uses: max_points (or all), min_points, radius.
  void neighbourhood(const YAML::Node& o, const std::string& w, int& max_points, int& min_points,
                     double& radius) {
    if (o["max_points"] && o["max_points"].IsScalar() && o["max_points"].Scalar() == "all")
      max_points = k_all_idw_points;
    else if (o["max_points"])
      max_points = int(r.integer(o["max_points"], w + ".max_points (or all)", 1, k_max_idw_points));
    if (o["min_points"])
      min_points = int(r.integer(o["min_points"], w + ".min_points", 1, k_max_idw_points));
    if (min_points < 1 || (max_points != k_all_idw_points && max_points < min_points))
      r.fail(o, w + " needs 1 <= min_points <= max_points");
    if (o["radius"]) radius = r.number(o["radius"], w + ".radius");
    if (radius < 0) r.fail(o["radius"], "radius must not be negative");
  }

  KrigingSpec parse_krige(const YAML::Node& o, const std::string& w) {
    KrigingSpec d;
    r.require_map(o, w);
    r.check_keys(o, w,
                 {"field", "index", "pca", "log", "variogram", "max_points", "min_points", "radius",
                  "output"});
    sample_value(o, w, d.field, d.index, d.pca);
    if (o["log"]) d.log = r.text(o["log"], w + ".log") == "true";
    neighbourhood(o, w, d.max_points, d.min_points, d.radius);
    if (o["output"]) {
      const std::string out = r.text(o["output"], w + ".output");
      if (out != "estimate" && out != "variance")
        r.fail(o["output"], w + ".output must be estimate or variance");
      d.variance = out == "variance";
    }
    if (o["variogram"]) {
      const YAML::Node v = o["variogram"];
      const std::string vw = w + ".variogram";
      r.require_map(v, vw);
      r.check_keys(v, vw, {"model", "nugget", "partial_sill", "range", "cutoff", "lag_width"});
      if (v["model"]) d.model = r.text(v["model"], vw + ".model");
      if (!variogram_model(d.model))
        r.fail(v["model"], "unknown variogram model '" + d.model + "'",
               "spherical, exponential or gaussian");
      const bool given = v["nugget"] || v["partial_sill"] || v["range"];
      if (given && !(v["partial_sill"] && v["range"]))
        r.fail(v, vw + " gives the variogram with partial_sill and range (and nugget, default "
                       "0), or leaves all three out to fit them");
      if (v["nugget"]) d.nugget = r.number(v["nugget"], vw + ".nugget");
      if (v["partial_sill"]) d.partial_sill = r.number(v["partial_sill"], vw + ".partial_sill");
      if (v["range"]) d.range = r.number(v["range"], vw + ".range");
      if (given && (d.nugget < 0 || d.partial_sill < 0 || !(d.range > 0) ||
                    !(d.nugget + d.partial_sill > 0)))
        r.fail(v, vw + " needs nugget >= 0, partial_sill >= 0 (not both 0) and range > 0");
      if (v["cutoff"]) d.cutoff = r.number(v["cutoff"], vw + ".cutoff");
      if (v["lag_width"]) d.lag_width = r.number(v["lag_width"], vw + ".lag_width");
      if (d.cutoff < 0 || d.lag_width < 0 || (d.cutoff > 0 && d.lag_width > d.cutoff))
        r.fail(v, vw + " needs 0 < lag_width <= cutoff");
    }
    return d;
  }

  RasterizeSpec parse_rasterize(const YAML::Node& n, const std::string& where) {
    RasterizeSpec d;
    if (n.IsScalar() && n.Scalar() == "presence") return d;
    if (n.IsScalar())
      r.fail(
          n, where + " must be 'presence' or a map such as {field: unit}",
          "presence: 1 where a feature falls, 0 elsewhere; field: class codes from an attribute");
    r.require_map(n, where);
    r.check_keys(n, where, {"field", "classes", "all_touched", "background"});
    if (n["field"]) d.field = r.text(n["field"], where + ".field");
    if (n["classes"]) {
      if (d.field.empty())
        r.fail(n["classes"], where + ".classes needs field: the attribute they name");
      r.require_map(n["classes"], where + ".classes");
      for (const auto& item : n["classes"]) {
        const long long code = r.integer(
            item.second, where + ".classes." + r.text(item.first, where + ".classes"), 0, 65535);
        d.classes[r.text(item.first, "a key")] = int(code);
      }
      if (d.classes.empty()) r.fail(n["classes"], where + ".classes is empty");
    }
    if (n["all_touched"])
      d.all_touched = r.text(n["all_touched"], where + ".all_touched") == "true";
    if (n["background"]) {
      if (n["background"].IsScalar() && n["background"].Scalar() == "nodata")
        d.background = std::numeric_limits<double>::quiet_NaN();
      else
        d.background = r.number(n["background"], where + ".background (a number or nodata)");
    }
    return d;
  }

  DensitySpec parse_density(const YAML::Node& n, const std::string& where) {
    DensitySpec d;
    r.require_map(n, where);
    r.check_keys(n, where, {"radius"});
    if (!n["radius"])
      r.fail(n, where + " needs radius: the kernel radius in grid units (e.g. 1000)");
    d.radius = r.number(n["radius"], where + ".radius");
    if (!(d.radius > 0)) r.fail(n["radius"], where + ".radius must be greater than 0");
    return d;
  }

  DistanceSpec parse_distance(const YAML::Node& n, const std::string& where) {
    DistanceSpec d;
    if (n.IsScalar() && n.Scalar() == "true") return d;
    r.require_map(n, where);
    r.check_keys(n, where, {"max", "inside", "strike"});
    if (n["max"]) {
      d.max = r.number(n["max"], where + ".max");
      if (!(d.max > 0)) r.fail(n["max"], where + ".max must be greater than 0");
    }
    if (n["inside"]) {
      const std::string v = r.text(n["inside"], where + ".inside");
      if (v != "zero" && v != "signed")
        r.fail(n["inside"], where + ".inside must be zero or signed",
               "zero: 0 inside polygons; signed: minus the distance to the boundary");
      d.signed_inside = v == "signed";
    }
    if (n["strike"]) {
      const auto v = r.numbers(n["strike"], where + ".strike [from, to] in degrees", 2);
      for (double a : v)
        if (a < 0 || a > 360) r.fail(n["strike"], "strike angles are degrees from 0 to 360");
      d.strike = std::make_pair(v[0], v[1]);
    }
    return d;
  }

  void parse_evidence(const YAML::Node& evidence) {
    r.require_map(evidence, "evidence");
    std::vector<std::string> input_names;
    for (const auto& in : spec.inputs) input_names.push_back(in.name);
    for (const auto& item : evidence) {
      EvidenceSpec e;
      e.name = r.identifier(item.first, "the evidence name");
      const std::string where = "evidence." + e.name;
      const YAML::Node& n = item.second;
      r.require_map(n, where);
      if (spec.type == ModelType::wofe)
        r.check_keys(n, where, {"input", "weights", "breaks"});
      else if (spec.machine_learning())
        r.check_keys(n, where, {"input"});  // the learner takes the input's values as they are
      else
        r.check_keys(n, where, {"input", "membership", "missing"});
      const bool membership_optional = spec.type == ModelType::logistic;
      if (!n["input"]) r.fail(n, where + " needs an input (one of the names under inputs:)");
      const std::string input = r.text(n["input"], where + ".input");
      const auto it = std::find(input_names.begin(), input_names.end(), input);
      if (it == input_names.end()) {
        const std::string guess = closest_match(input, input_names);
        r.fail(n["input"], "there is no input named '" + input + "'" +
                               (guess.empty() ? "" : "; did you mean '" + guess + "'?"));
      }
      e.input = int(it - input_names.begin());
      if (spec.type == ModelType::wofe) {
        if (n["weights"]) {
          const std::string w = r.text(n["weights"], where + ".weights");
          if (!parse_weights_type(w, e.weights))
            r.fail(
                n["weights"], "unknown weights type '" + w + "'",
                "categorical (each class), ascending (classes <= k) or descending (classes >= k)");
        }
        if (n["breaks"]) parse_breaks(n["breaks"], where + ".breaks", e.breaks, e.derived_breaks);
      } else if (spec.machine_learning() || (membership_optional && !n["membership"])) {
        // logistic: the value itself is the predictor
      } else {
        if (!n["membership"]) r.fail(n, where + " needs a membership (how values become 0..1)");
        e.membership = parse_membership(n["membership"], where + ".membership", e.derived_breaks);
        e.has_membership = true;
      }
      if (n["missing"]) {
        if (spec.type != ModelType::fuzzy)
          r.fail(n["missing"], where + ".missing is for fuzzy models",
                 "weights of evidence and logistic regression treat missing evidence themselves");
        const double v = r.number(n["missing"], where + ".missing");
        if (v < 0 || v > 1) r.fail(n["missing"], where + ".missing must lie between 0 and 1");
        e.missing = v;
      }
      spec.evidence.push_back(e);
    }
  }

  // breaks: [b1, b2, ...] (increasing) or {quantiles: N} / {natural_breaks: N} (N classes from the
  // data).
  void parse_breaks(const YAML::Node& n, const std::string& where, std::vector<double>& breaks,
                    BreakRule& rule) {
    if (n.IsMap()) {
      r.check_keys(n, where, {"quantiles", "natural_breaks"});
      if (n.size() != 1) r.fail(n, where + " takes one of quantiles: N or natural_breaks: N");
      rule.method = n["quantiles"] ? BreakMethod::quantiles : BreakMethod::natural;
      const YAML::Node& count = n["quantiles"] ? n["quantiles"] : n["natural_breaks"];
      rule.classes = int(r.integer(count, where + " (number of classes)", 2, 64));
      return;
    }
    r.require_sequence(
        n, where + " (a list of increasing values, or {quantiles: N} / {natural_breaks: N})");
    for (const auto& b : n) breaks.push_back(r.number(b, where));
    if (breaks.empty()) r.fail(n, where + " is empty");
    for (std::size_t i = 1; i < breaks.size(); ++i)
      if (!(breaks[i] > breaks[i - 1]))
        r.fail(n, where + " must increase, e.g. [250, 500, 1000, 2000]");
  }

  Membership parse_membership(const YAML::Node& n, const std::string& where, BreakRule& derived) {
    r.require_map(n, where);
    r.check_keys(
        n, where,
        {"function", "low", "high", "midpoint", "spread", "classes", "other", "breaks", "values"});
    if (!n["function"]) r.fail(n, where + " needs a function: " + list(membership_names()));
    Membership m;
    const std::string fn = r.text(n["function"], where + ".function");
    if (!parse_membership_type(fn, m.type)) {
      const std::string guess = closest_match(fn, membership_names());
      r.fail(n["function"],
             "unknown membership function '" + fn + "'" +
                 (guess.empty() ? "" : "; did you mean '" + guess + "'?"),
             "functions: " + list(membership_names()));
    }
    if (m.type != MembershipType::classes && (n["breaks"] || n["values"]))
      r.fail(n["breaks"] ? n["breaks"] : n["values"],
             "breaks and values belong to function: classes, not " + fn);
    auto need = [&](const char* key) {
      if (!n[key]) r.fail(n, where + " (" + fn + ") needs " + key);
      return r.number(n[key], where + "." + key);
    };
    switch (m.type) {
      case MembershipType::linear:
        m.low = need("low");
        m.high = need("high");
        break;
      case MembershipType::small:
      case MembershipType::large:
        m.midpoint = need("midpoint");
        m.spread = need("spread");
        if (!(m.midpoint > 0)) r.fail(n["midpoint"], fn + " needs midpoint > 0");
        if (!(m.spread > 0)) r.fail(n["spread"], fn + " needs spread > 0");
        break;
      case MembershipType::gaussian:
      case MembershipType::near:
        m.midpoint = need("midpoint");
        m.spread = need("spread");
        if (!(m.spread > 0)) r.fail(n["spread"], fn + " needs spread > 0");
        break;
      case MembershipType::classes: {
        if (!n["breaks"] || !n["values"])
          r.fail(n, where +
                        " (classes) needs breaks: [...] (or {quantiles: N}) and values: [...], one "
                        "per class");
        parse_breaks(n["breaks"], where + ".breaks", m.breaks, derived);
        r.require_sequence(n["values"], where + ".values");
        for (const auto& v : n["values"]) {
          m.values.push_back(r.number(v, where + ".values"));
          if (m.values.back() < 0 || m.values.back() > 1)
            r.fail(v, "a membership must lie between 0 and 1");
        }
        const std::size_t classes = derived.method == BreakMethod::none
                                        ? m.breaks.size() + 1
                                        : std::size_t(derived.classes);
        if (m.values.size() != classes)
          r.fail(n["values"], where + ".values needs " + std::to_string(classes) +
                                  " memberships, one per class (" +
                                  std::to_string(m.values.size()) + " given)");
        break;
      }
      case MembershipType::categorical: {
        if (!n["classes"]) r.fail(n, where + " (categorical) needs classes: {code: membership}");
        r.require_map(n["classes"], where + ".classes");
        for (const auto& c : n["classes"]) {
          const double v = r.number(c.second, where + ".classes value");
          if (v < 0 || v > 1) r.fail(c.second, "a membership must lie between 0 and 1");
          // A class is a code (12) or, for rasterized inputs, a class name (Carbonatite).
          const std::string key = r.text(c.first, "a key");
          char* end = nullptr;
          const long long code = std::strtoll(key.c_str(), &end, 10);
          if (!key.empty() && *end == '\0')
            m.table[code] = v;
          else
            m.named[key] = v;
        }
        if (n["other"]) {
          m.other = r.number(n["other"], where + ".other");
          if (m.other < 0 || m.other > 1)
            r.fail(n["other"], "a membership must lie between 0 and 1");
        }
        break;
      }
    }
    return m;
  }

  static std::string list(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
    return out;
  }

  ScoreNode parse_node(const YAML::Node& n, const std::string& where) {
    ScoreNode node;
    if (n.IsScalar()) {
      std::vector<std::string> names;
      for (const auto& e : spec.evidence) names.push_back(e.name);
      const auto it = std::find(names.begin(), names.end(), n.Scalar());
      if (it == names.end()) {
        const std::string guess = closest_match(n.Scalar(), names);
        r.fail(n,
               "there is no evidence named '" + n.Scalar() + "'" +
                   (guess.empty() ? "" : "; did you mean '" + guess + "'?"),
               "evidence names: " + list(names));
      }
      node.evidence = int(it - names.begin());
      return node;
    }
    r.require_map(n, where);
    r.check_keys(n, where, {"op", "of", "gamma", "weights"});
    if (!n["op"]) r.fail(n, where + " needs an op: " + list(operator_names()));
    const std::string op = r.text(n["op"], where + ".op");
    if (!parse_operator(op, node.op.op)) {
      const std::string guess = closest_match(op, operator_names());
      r.fail(n["op"],
             "unknown operator '" + op + "'" +
                 (guess.empty() ? "" : "; did you mean '" + guess + "'?"),
             "operators: " + list(operator_names()));
    }
    if (!n["of"]) r.fail(n, where + " needs 'of': the evidence or operators it combines");
    r.require_sequence(n["of"], where + ".of");
    for (const auto& child : n["of"]) node.children.push_back(parse_node(child, where + ".of"));
    if (node.children.empty()) r.fail(n["of"], where + ".of is empty");
    if (node.op.op == FuzzyOperator::gamma) {
      if (!n["gamma"]) r.fail(n, "op: gamma needs gamma: a value from 0 to 1 (often 0.7 to 0.9)");
      node.op.gamma = r.number(n["gamma"], where + ".gamma");
      if (node.op.gamma < 0 || node.op.gamma > 1) r.fail(n["gamma"], "gamma must be from 0 to 1");
    } else if (n["gamma"]) {
      r.fail(n["gamma"], "gamma belongs to op: gamma only");
    }
    if (node.op.op == FuzzyOperator::weighted_sum) {
      if (!n["weights"]) r.fail(n, "op: weighted_sum needs weights, one per item of 'of'");
      node.op.weights = r.numbers(n["weights"], where + ".weights", node.children.size());
      double total = 0;
      for (double w : node.op.weights) {
        if (w < 0) r.fail(n["weights"], "weights must not be negative");
        total += w;
      }
      if (!(total > 0)) r.fail(n["weights"], "weights must not all be 0");
      if (!std::isfinite(total))
        r.fail(n["weights"], "the weights are too large to add up",
               "only their ratios count: scale them down");
    } else if (n["weights"]) {
      r.fail(n["weights"], "weights belong to op: weighted_sum only");
    }
    return node;
  }

  void parse_scores(const YAML::Node& scores) {
    r.require_map(scores, "scores");
    for (const auto& item : scores) {
      ScoreSpec s;
      s.name = r.identifier(item.first, "the score name");
      if (spec.trained())
        parse_wofe_score(item.second, s);
      else
        s.root = parse_node(item.second, "scores." + s.name);
      spec.scores.push_back(std::move(s));
    }
    if (spec.scores.empty()) r.fail(scores, "scores is empty; name at least one band");
  }

  void parse_training(const YAML::Node& n) {
    r.require_map(n, "training");
    r.check_keys(n, "training",
                 {"deposits", "unit_cell_km2", "min_studentized", "deposit_weight", "background"});
    if (!n["deposits"]) r.fail(n, "training needs deposits: {path: ...} (points)");
    TrainingSpec t;
    t.deposits = parse_vector(n["deposits"], "training.deposits");
    if (n["unit_cell_km2"]) {
      t.unit_cell_km2 = r.number(n["unit_cell_km2"], "training.unit_cell_km2");
      if (!(t.unit_cell_km2 > 0))
        r.fail(n["unit_cell_km2"], "unit_cell_km2 must be greater than 0");
    }
    if (n["min_studentized"])
      t.min_studentized = r.number(n["min_studentized"], "training.min_studentized");
    if (n["deposit_weight"]) {
      if (spec.type != ModelType::logistic && !spec.machine_learning())
        r.fail(n["deposit_weight"],
               "training.deposit_weight is for model: logistic, gradient_boosting or random_forest",
               "weights of evidence counts deposits as points; it has no case weights");
      const YAML::Node& w = n["deposit_weight"];
      if (w.IsScalar() && w.Scalar() == "balanced") {
        t.balanced_weight = true;
      } else {
        t.deposit_weight = r.number(w, "training.deposit_weight (a number or balanced)");
        if (!(t.deposit_weight > 0)) r.fail(w, "training.deposit_weight must be greater than 0");
      }
    }
    if (n["background"]) {
      if (!spec.machine_learning())
        r.fail(n["background"],
               "training.background is for model: gradient_boosting or random_forest",
               "the other trained models take every study-area cell");
      const YAML::Node& b = n["background"];
      r.require_map(b, "training.background");
      r.check_keys(b, "training.background", {"ratio", "buffer_m", "seed"});
      if (b["ratio"]) {
        t.background.ratio = r.number(b["ratio"], "training.background.ratio");
        if (!(t.background.ratio > 0))
          r.fail(b["ratio"], "training.background.ratio must be greater than 0");
      }
      if (b["buffer_m"]) {
        t.background.buffer_m = r.number(b["buffer_m"], "training.background.buffer_m");
        if (!(t.background.buffer_m >= 0))
          r.fail(b["buffer_m"], "training.background.buffer_m must not be negative");
      }
      if (b["seed"])
        t.background.seed =
            (unsigned long long)r.integer(b["seed"], "training.background.seed", 0, 2147483647);
    }
    spec.training = t;
  }

  // saved_model: the output folder of a run that fitted the learners; they are
  // applied as they are, so neither training nor learner settings belong here.
  void parse_saved_model(const YAML::Node& root) {
    const YAML::Node& n = root["saved_model"];
    if (!spec.machine_learning())
      r.fail(n, "'saved_model' belongs to model: gradient_boosting or random_forest",
             "set model: to the kind the saved model was fitted as");
    spec.saved_model = resolve(r.text(n, "saved_model"));
    spec.cross_validation.enabled = false;  // nothing is fitted, so nothing is refitted
    for (const char* key : {"training", "learner"})
      if (root[key])
        r.fail(root[key],
               std::string("'") + key +
                   "' fits a new model, and saved_model applies a fitted one: the model file "
                   "takes one of them",
               "remove '" + std::string(key) + "' to apply " + spec.saved_model +
                   ", or remove saved_model to fit");
    if (root["scores"] && root["scores"].IsMap())
      for (const auto& item : root["scores"])
        if (item.second.IsMap() && item.second["where"])
          r.fail(item.second["where"],
                 "scores." + item.first.as<std::string>() +
                     ".where filters training deposits; a saved_model is applied, not fitted",
                 "remove the where, or use validation.where to filter validation deposits");
  }

  void parse_learner(const YAML::Node& n) {
    r.require_map(n, "learner");
    r.check_keys(n, "learner",
                 {"trees", "depth", "learning_rate", "subsample", "column_subsample",
                  "min_child_weight", "seed", "ensemble"});
    LearnerSpec& l = spec.learner;
    if (n["trees"]) l.trees = int(r.integer(n["trees"], "learner.trees", 1, 100000));
    if (n["depth"]) l.depth = int(r.integer(n["depth"], "learner.depth", 1, 30));
    auto share = [&](const char* key, double& value) {
      if (!n[key]) return;
      value = r.number(n[key], std::string("learner.") + key);
      if (!(value > 0 && value <= 1))
        r.fail(n[key], std::string("learner.") + key + " must lie in (0, 1]");
    };
    share("learning_rate", l.learning_rate);
    share("subsample", l.subsample);
    share("column_subsample", l.column_subsample);
    if (n["min_child_weight"]) {
      l.min_child_weight = r.number(n["min_child_weight"], "learner.min_child_weight");
      if (!(l.min_child_weight >= 0))
        r.fail(n["min_child_weight"], "learner.min_child_weight must not be negative");
    }
    if (n["seed"]) l.seed = (unsigned long long)r.integer(n["seed"], "learner.seed", 0, 2147483647);
    if (n["ensemble"]) l.ensemble = int(r.integer(n["ensemble"], "learner.ensemble", 2, 100));
  }

  void parse_wofe_score(const YAML::Node& n, ScoreSpec& s) {
    const std::string where = "scores." + s.name;
    r.require_map(n, where);
    r.check_keys(n, where, {"evidence", "where"});
    if (!n["evidence"]) r.fail(n, where + " needs evidence: [names of evidence layers]");
    r.require_sequence(n["evidence"], where + ".evidence");
    std::vector<std::string> names;
    for (const auto& e : spec.evidence) names.push_back(e.name);
    for (const auto& item : n["evidence"]) {
      const std::string name = r.text(item, where + ".evidence");
      const auto it = std::find(names.begin(), names.end(), name);
      if (it == names.end()) {
        const std::string guess = closest_match(name, names);
        r.fail(item, "there is no evidence named '" + name + "'" +
                         (guess.empty() ? "" : "; did you mean '" + guess + "'?"));
      }
      const int index = int(it - names.begin());
      if (std::find(s.evidence.begin(), s.evidence.end(), index) != s.evidence.end())
        r.fail(item, "evidence '" + name + "' is listed twice");
      s.evidence.push_back(index);
    }
    if (s.evidence.empty()) r.fail(n["evidence"], where + ".evidence is empty");
    if (n["where"]) s.deposits_where = r.text(n["where"], where + ".where");
  }

  void parse_composite(const YAML::Node& n) {
    CompositeSpec c;
    if (n.IsScalar() && n.Scalar() == "false") return;
    const bool defaults = n.IsScalar() && n.Scalar() == "true";
    if (!defaults) {
      r.require_map(n, "composite");
      r.check_keys(n, "composite", {"name", "weights"});
      if (n["name"]) c.name = r.identifier(n["name"], "composite.name");
    }
    for (const auto& s : spec.scores)
      if (s.name == c.name) r.fail(n, "the composite name '" + c.name + "' is also a score name");
    if (!defaults && n["weights"]) {
      const YAML::Node& w = n["weights"];
      r.require_map(w, "composite.weights");
      std::map<std::string, double> given;
      std::vector<std::string> names;
      for (const auto& s : spec.scores) names.push_back(s.name);
      for (const auto& item : w) {
        const std::string k = r.text(item.first, "a key");
        if (std::find(names.begin(), names.end(), k) == names.end())
          r.fail(item.first, "'" + k + "' is not a score band", "score bands: " + list(names));
        given[k] = r.number(item.second, "composite.weights." + k);
        if (given[k] < 0) r.fail(item.second, "weights must not be negative");
      }
      for (const auto& s : spec.scores)
        c.weights.push_back(given.count(s.name) ? given[s.name] : 0);
      c.weights_source = "model file";
    } else {
      for (const auto& s : spec.scores) {
        const auto& table = default_element_values();
        const auto it = std::find_if(table.begin(), table.end(),
                                     [&](const ElementValue& v) { return v.element == s.name; });
        if (it == table.end())
          r.fail(n, "there is no default value weight for score '" + s.name + "'",
                 "give composite: weights: {" + s.name + ": <value>, ...}");
        c.weights.push_back(it->usd_per_kg_oxide);
      }
      c.weights_source = default_element_values_source();
    }
    double total = 0;
    for (double v : c.weights) total += v;
    if (!(total > 0)) r.fail(n, "composite weights must not all be 0");
    if (!std::isfinite(total))
      r.fail(n, "the composite weights are too large to add up",
             "only their ratios count: scale them down");
    spec.composite = c;
  }

  void parse_targets(const YAML::Node& n) {
    spec.targets.score = spec.composite ? spec.composite->name : spec.scores.front().name;
    if (!n) return;
    if (n.IsScalar() && (n.Scalar() == "false" || n.Scalar() == "no")) {
      spec.targets.enabled = false;
      return;
    }
    r.require_map(n, "targets");
    r.check_keys(n, "targets",
                 {"score", "top_percent", "min_area_ha", "fill_holes_ha", "simplify_m"});
    auto not_negative = [&](const char* key, double& value) {
      if (!n[key]) return;
      value = r.number(n[key], std::string("targets.") + key);
      if (!(value >= 0)) r.fail(n[key], std::string("targets.") + key + " must not be negative");
    };
    not_negative("min_area_ha", spec.targets.min_area_ha);
    spec.targets.min_area_given = bool(n["min_area_ha"]);
    not_negative("fill_holes_ha", spec.targets.fill_holes_ha);
    not_negative("simplify_m", spec.targets.simplify_m);
    if (n["score"]) {
      spec.targets.score = r.text(n["score"], "targets.score");
      const auto names = spec.band_names();
      if (std::find(names.begin(), names.end(), spec.targets.score) == names.end())
        r.fail(n["score"], "'" + spec.targets.score + "' is not an output band",
               "bands: " + list(names));
    }
    if (n["top_percent"]) {
      spec.targets.top_percent = r.number(n["top_percent"], "targets.top_percent");
      if (!(spec.targets.top_percent > 0 && spec.targets.top_percent <= 100))
        r.fail(n["top_percent"], "targets.top_percent must be above 0 and at most 100");
    }
  }

  void parse_outputs(const YAML::Node& n) {
    r.require_map(n, "outputs");
    r.check_keys(n, "outputs", {"compress", "tile_size", "overviews", "evidence"});
    if (n["evidence"]) {
      const std::string v = r.text(n["evidence"], "outputs.evidence");
      if (v != "derived" && v != "all" && v != "none")
        r.fail(n["evidence"], "outputs.evidence must be derived, all or none",
               "derived: the layers built from vectors; all: also the rasters as warped onto the "
               "grid");
      spec.outputs.evidence = v;
    }
    if (n["overviews"]) {
      const std::string v = r.text(n["overviews"], "outputs.overviews");
      if (v != "true" && v != "false")
        r.fail(n["overviews"], "outputs.overviews must be true or false");
      spec.outputs.overviews = v == "true";
    }
    if (n["compress"]) {
      std::string c = r.text(n["compress"], "outputs.compress");
      std::transform(c.begin(), c.end(), c.begin(), ::toupper);
      if (c != "DEFLATE" && c != "ZSTD" && c != "LZW" && c != "NONE")
        r.fail(n["compress"], "outputs.compress must be deflate, zstd, lzw or none");
      spec.outputs.compress = c;
    }
    if (n["tile_size"]) {
      const long long t = r.integer(n["tile_size"], "outputs.tile_size", 64, 4096);
      if (t % 16 != 0)
        r.fail(n["tile_size"], "outputs.tile_size must be a multiple of 16 from 64 to 4096");
      spec.outputs.tile_size = int(t);
    }
  }
};

}  // namespace

ModelSpec parse_model(const std::string& text, const std::string& path) {
  init_gdal();  // PROJ checks the CRS strings; its errors go into our messages, not onto stderr
  ModelParser parser(path);
  ModelSpec spec = parser.parse(text);
  spec.text_hash = hash_bytes(text);
  return spec;
}

namespace {

// Maps merge key by key; anything else in `over` replaces what `base` has.
YAML::Node merged(const YAML::Node& base, const YAML::Node& over) {
  if (!base.IsMap() || !over.IsMap()) return YAML::Clone(over);
  YAML::Node out = YAML::Clone(base);
  for (const auto& item : over) {
    const std::string key = item.first.Scalar();  // keys are scalars (load_checked_yaml)
    out[key] = out[key] ? merged(out[key], item.second) : YAML::Clone(item.second);
  }
  return out;
}

}  // namespace

MergedModel merge_overrides(const std::string& model_text, const std::string& model_path,
                            const std::string& overrides_text, const std::string& overrides_path) {
  const YAML::Node over = config::load_checked_yaml(overrides_text, overrides_path);
  if (!over.IsMap())
    throw Error(ErrorKind::bad_model,
                "must be a mapping of the model file's keys this survey changes",
                ErrorContext{overrides_path, "", "", "reading overrides", 0, 0},
                "e.g. grid: {extent: [...]} or study_area: {path: licence.gpkg}");
  YAML::Node doc = merged(config::load_checked_yaml(model_text, model_path), over);
  YAML::Emitter emitter;
  emitter << doc;
  return {std::string(emitter.c_str()) + "\n", bool(over["name"])};
}

ModelSpec load_model(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ErrorContext c;
    c.file = path;
    throw Error(ErrorKind::bad_model, "the model file cannot be read (missing or no permission)", c,
                "check the path; 'prospect run --help' shows an example");
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_model(ss.str(), path);
}

}  // namespace prospect
