#include "prospect/run/anomalies.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "prospect/core/diagnostics.hpp"
#include "prospect/core/hash.hpp"
#include "prospect/core/interrupt.hpp"
#include "prospect/core/text.hpp"
#include "prospect/output/output_folder.hpp"
#include "prospect/raster/gdal_handles.hpp"

#ifndef PROSPECT_VERSION
#define PROSPECT_VERSION "unknown"
#endif

namespace prospect {

std::string anomaly_layer_name(const std::string& label, const std::vector<std::string>& taken) {
  std::string name;
  for (char c : label) {
    const bool word = std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    if (word)
      name += c;
    else if (!name.empty() && name.back() != '_')
      name += '_';
  }
  while (!name.empty() && name.back() == '_') name.pop_back();
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) name = "value_" + name;
  std::string unique = name;
  for (int n = 2; std::find(taken.begin(), taken.end(), unique) != taken.end(); ++n)
    unique = name + "_" + std::to_string(n);
  return unique;
}

namespace {

std::string number(double v) {
  char text[40];
  std::snprintf(text, sizeof text, "%.6g", v);
  return text;
}

// A QGIS style stored in the GeoPackage (its layer_styles table, which QGIS
// reads as the layer's default): anomalous samples large and red, the others
// small and grey, samples without a value hollow.
std::string point_style_qml() {
  auto symbol = [](int n, const char* fill, const char* outline, const char* size) {
    return std::string("<symbol type=\"marker\" name=\"") + std::to_string(n) +
           "\" alpha=\"1\"><layer class=\"SimpleMarker\"><Option type=\"Map\">"
           "<Option type=\"QString\" name=\"name\" value=\"circle\"/>"
           "<Option type=\"QString\" name=\"color\" value=\"" +
           fill + "\"/><Option type=\"QString\" name=\"outline_color\" value=\"" + outline +
           "\"/><Option type=\"QString\" name=\"size\" value=\"" + size +
           "\"/></Option></layer></symbol>";
  };
  return std::string(
             "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
             "<qgis version=\"3.22\" styleCategories=\"Symbology\">"
             "<renderer-v2 type=\"categorizedSymbol\" attr=\"anomalous\" "
             "enableorderby=\"0\" forceraster=\"0\" symbollevels=\"0\"><categories>"
             "<category value=\"0\" symbol=\"0\" label=\"background\" render=\"true\"/>"
             "<category value=\"1\" symbol=\"1\" label=\"anomalous\" render=\"true\"/>"
             "<category value=\"\" symbol=\"2\" label=\"no value\" render=\"true\"/>"
             "</categories><symbols>") +
         symbol(0, "190,190,190,255", "120,120,120,255", "1.2") +
         symbol(1, "215,25,28,255", "80,0,0,255", "2.6") +
         symbol(2, "255,255,255,0", "120,120,120,255", "1.2") + "</symbols></renderer-v2></qgis>\n";
}

struct Flag {
  double value;
  bool anomalous;
};

void write_layer(GDALDataset& out, OGRLayer& source, OGRSpatialReference* srs,
                 const AnomalyResult& result, const std::map<long long, Flag>& flags) {
  OGRLayer* layer = out.CreateLayer(result.layer.c_str(), srs, wkbPoint, nullptr);
  ErrorContext c;
  c.file = "anomalies.gpkg";
  c.layer = result.layer;
  c.step = "writing the anomalies";
  if (!layer) throw_gdal(ErrorKind::run_failed, "the layer cannot be created", c);
  OGRFeatureDefn* defn = source.GetLayerDefn();
  for (int i = 0; i < defn->GetFieldCount(); ++i) layer->CreateField(defn->GetFieldDefn(i));
  const char* added[] = {"value", "threshold", "anomalous", "reason"};
  for (const char* name : added)
    if (defn->GetFieldIndex(name) >= 0)
      throw Error(ErrorKind::bad_input,
                  std::string("the samples already have a field '") + name +
                      "', which the anomaly layer adds",
                  c, "rename that field in a copy of the samples");
  OGRFieldDefn value("value", OFTReal), threshold("threshold", OFTReal),
      anomalous("anomalous", OFTInteger), reason("reason", OFTString);
  anomalous.SetSubType(OFSTBoolean);
  for (OGRFieldDefn* f : {&value, &threshold, &anomalous, &reason}) layer->CreateField(f);
  const int n = defn->GetFieldCount();
  const double t = result.threshold.value;
  const std::string because = " > " + number(t) + " (" + result.threshold.rule + ")";
  if (layer->StartTransaction() != OGRERR_NONE)
    throw_gdal(ErrorKind::run_failed, "cannot start writing", c);
  source.ResetReading();
  for (FeaturePtr f(source.GetNextFeature()); f; f.reset(source.GetNextFeature())) {
    const auto it = flags.find(f->GetFID());
    if (it == flags.end()) continue;  // no coordinates
    FeaturePtr copy(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    copy->SetFrom(f.get(), TRUE);
    copy->SetFID(f->GetFID());
    if (std::isfinite(it->second.value)) {
      copy->SetField(n, it->second.value);
      copy->SetField(n + 1, t);
      copy->SetField(n + 2, it->second.anomalous ? 1 : 0);
      if (it->second.anomalous)
        copy->SetField(n + 3, (result.label + " " + number(it->second.value) + because).c_str());
    }
    if (layer->CreateFeature(copy.get()) != OGRERR_NONE)
      throw_gdal(ErrorKind::run_failed,
                 "feature " + std::to_string(f->GetFID()) + " cannot be written", c);
  }
  if (layer->CommitTransaction() != OGRERR_NONE)
    throw_gdal(ErrorKind::run_failed, "cannot finish writing", c);
}

void write_styles(GDALDataset& out, const std::vector<AnomalyResult>& results) {
  OGRLayer* styles = out.CreateLayer("layer_styles", nullptr, wkbNone, nullptr);
  if (!styles) return;  // the layers still open, unstyled
  for (const char* name : {"f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column",
                           "styleName", "styleQML", "styleSLD", "description", "owner", "ui"}) {
    OGRFieldDefn f(name, OFTString);
    styles->CreateField(&f);
  }
  OGRFieldDefn default_style("useAsDefault", OFTInteger);
  default_style.SetSubType(OFSTBoolean);
  styles->CreateField(&default_style);
  const std::string qml = point_style_qml();
  for (const AnomalyResult& r : results) {
    FeaturePtr f(OGRFeature::CreateFeature(styles->GetLayerDefn()));
    f->SetField("f_table_catalog", "");
    f->SetField("f_table_schema", "");
    f->SetField("f_table_name", r.layer.c_str());
    f->SetField("f_geometry_column", "geom");
    f->SetField("styleName", r.layer.c_str());
    f->SetField("styleQML", qml.c_str());
    f->SetField("styleSLD", "");
    f->SetField("description", "prospect anomalies");
    f->SetField("useAsDefault", 1);
    if (styles->CreateFeature(f.get()) != OGRERR_NONE) return;  // unstyled, still readable
  }
}

std::string thresholds_csv(const AnomalySpec& spec, const std::vector<AnomalyResult>& results) {
  std::ostringstream o;
  o << "value,layer,expression,method,k,log10,threshold,anomalous,used,read,not_numeric,"
       "not_positive,zero_denominator,below_detection\n";
  const double k = spec.rule.k > 0 ? spec.rule.k : default_k(spec.rule.method);
  for (const AnomalyResult& r : results)
    o << csv_field(r.label) << ',' << csv_field(r.layer) << ',' << csv_field(r.report.expression)
      << ',' << threshold_method_name(spec.rule.method) << ','
      << (spec.rule.method == ThresholdMethod::cn ? "" : number(k)) << ','
      << (spec.rule.log ? "true" : "false") << ',' << number(r.threshold.value) << ','
      << r.threshold.anomalous << ',' << r.report.used << ',' << r.report.read << ','
      << r.report.not_numeric << ',' << r.report.not_positive << ',' << r.report.undefined << ','
      << r.report.below_detection << '\n';
  return o.str();
}

std::string anomalies_manifest(const AnomalySpec& spec, const std::vector<AnomalyResult>& results,
                               const OutputFolder& folder,
                               const std::vector<std::string>& outputs) {
  using json = nlohmann::ordered_json;
  json files = json::array();
  for (const auto& name : outputs)
    files.push_back({{"path", name}, {"hash", hash_file(folder.staged_path(name))}});
  json values = json::array();
  for (const AnomalyResult& r : results)
    values.push_back({{"value", r.label},
                      {"expression", r.report.expression},
                      {"layer", r.layer},
                      {"threshold", r.threshold.value},
                      {"rule", r.threshold.rule},
                      {"anomalous", r.threshold.anomalous},
                      {"used", r.report.used},
                      {"read", r.report.read}});
  json m = {{"tool", "prospect"},
            {"version", PROSPECT_VERSION},
            {"command", "anomalies"},
            {"samples",
             {{"file", spec.samples.path},
              {"layer", spec.samples.layer},
              {"where", spec.samples.where},
              {"hash", hash_file(spec.samples.path)}}},
            {"method", threshold_method_name(spec.rule.method)},
            {"k", spec.rule.k > 0 ? spec.rule.k : default_k(spec.rule.method)},
            {"log10", spec.rule.log},
            {"values", values},
            {"outputs", files}};
  return m.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

AnomalyRecord find_into(OutputFolder& folder, const AnomalySpec& spec, const RunOptions& options) {
  if (spec.fields.empty() && spec.indices.empty() && spec.components == 0)
    throw Error(ErrorKind::bad_model, "no value to look for anomalies in", {},
                "give --field (an attribute or expression), --index (e.g. \"(Dy/Yb)N\") or "
                "--pca (parts for principal components)");
  if (options.on_progress) options.on_progress("reading samples", -1);
  DatasetPtr source_ds = open_vector(
      spec.samples.path, {spec.samples.x_column, spec.samples.y_column, spec.samples.wkt_column});
  OGRLayer* source = spec.samples.layer.empty()
                         ? source_ds->GetLayer(0)
                         : source_ds->GetLayerByName(spec.samples.layer.c_str());
  if (!source) throw_bad_input(spec.samples.path, "has no layer '" + spec.samples.layer + "'");
  if (!spec.samples.where.empty()) source->SetAttributeFilter(spec.samples.where.c_str());
  OGRSpatialReference srs;
  if (!spec.samples.crs.empty())
    srs = srs_from(crs_to_wkt(spec.samples.crs, spec.samples.path));
  else if (const OGRSpatialReference* s = source->GetSpatialRef())
    srs = *s;
  else
    throw Error(ErrorKind::bad_input, "has no coordinate reference system",
                {spec.samples.path, source->GetName(), "", "reading samples", 0, 0},
                "give it with --crs, e.g. --crs EPSG:32733");
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  char* wkt = nullptr;
  srs.exportToWkt(&wkt);
  const std::string crs_wkt = wkt ? wkt : "";
  CPLFree(wkt);

  AnomalyRecord record;
  std::vector<std::string> taken = {"layer_styles"};  // QGIS's style table
  std::vector<std::map<long long, Flag>> flags;
  auto add = [&](const std::string& field, const std::string& index, const PcaSpec& pca) {
    AnomalyResult r;
    r.label = pca.component > 0 ? "PC" + std::to_string(pca.component)
              : index.empty()   ? field
                                : index;
    std::vector<SampleValue> samples =
        read_values(spec.samples, field, index, pca, crs_wkt, r.report);
    std::vector<double> values;
    for (const SampleValue& s : samples) values.push_back(s.value);
    ThresholdRule rule = spec.rule;
    if (pca.component > 0) rule.log = false;
    r.threshold = robust_threshold(values, rule, r.label + " in " + spec.samples.path);
    r.report.used = 0;
    std::map<long long, Flag> f;
    for (const SampleValue& s : samples) {
      f[s.fid] = {s.value, s.value > r.threshold.value};
      r.report.used += std::isfinite(s.value);
    }
    r.layer = anomaly_layer_name(r.label, taken);
    taken.push_back(r.layer);
    record.values.push_back(std::move(r));
    flags.push_back(std::move(f));
    throw_if_interrupted();
  };
  for (const std::string& f : spec.fields) add(f, "", {});
  for (const std::string& i : spec.indices) add("", i, {});
  for (int k = 1; k <= spec.components; ++k) {
    PcaSpec pca = spec.pca;
    pca.component = k;
    add("", "", pca);
  }

  if (options.on_progress) options.on_progress("writing anomalies.gpkg", -1);
  {
    CPLConfigOptionSetter fixed_date("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z", false);
    const std::string path = folder.staged_path("anomalies.gpkg");
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    DatasetPtr out(driver ? driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr) : nullptr);
    if (!out) throw_gdal(ErrorKind::run_failed, "cannot be created", {path, "", "", "", 0, 0});
    for (std::size_t k = 0; k < record.values.size(); ++k)
      write_layer(*out, *source, &srs, record.values[k], flags[k]);
    write_styles(*out, record.values);
  }
  record.outputs = {"anomalies.gpkg", "thresholds.csv"};
  write_file_atomically(folder.staged_path("thresholds.csv"), thresholds_csv(spec, record.values));
  write_file_atomically(folder.staged_path("manifest.json"),
                        anomalies_manifest(spec, record.values, folder, record.outputs));
  record.outputs.push_back("manifest.json");
  throw_if_interrupted();
  folder.commit();
  return record;
}

}  // namespace

AnomalyRecord find_anomalies(const AnomalySpec& spec, const RunOptions& options) {
  init_gdal();
  Diagnostics diagnostics(options.on_message);
  const DiagnosticsScope reporting(&diagnostics);
  OutputFolder folder(options.out_dir, {spec.samples.path});
  try {
    return find_into(folder, spec, options);
  } catch (const Error& e) {
    throw folder.in_own_words(e);
  }
}

}  // namespace prospect
