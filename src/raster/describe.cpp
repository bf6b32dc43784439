#include "prospect/raster/describe.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "prospect/core/sample_value.hpp"
#include "prospect/raster/gdal_handles.hpp"

namespace prospect {
namespace {

constexpr std::size_t k_not_numeric_examples = 5;

// Coordinates in full (users copy them into grid.extent): 7738050, not 7.73805e+06.
std::string coordinate(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

// A statistic as people read it: 6 significant digits.
std::string statistic(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string format_extent(const Extent4& e) {
  return "x " + coordinate(e.min_x) + " .. " + coordinate(e.max_x) + ", y " + coordinate(e.min_y) +
         " .. " + coordinate(e.max_y) + "  (as grid.extent: [" + coordinate(e.min_x) + ", " +
         coordinate(e.min_y) + ", " + coordinate(e.max_x) + ", " + coordinate(e.max_y) + "])";
}

std::optional<CrsDescription> crs_of(const OGRSpatialReference* srs) {
  if (!srs) return std::nullopt;
  CrsDescription c;
  c.name = srs->GetName() ? srs->GetName() : "unnamed";
  const char* auth = srs->GetAuthorityName(nullptr);
  const char* code = srs->GetAuthorityCode(nullptr);
  if (auth && code) c.id = std::string(auth) + ":" + code;
  char* wkt = nullptr;
  const char* options[] = {"FORMAT=WKT2_2018", nullptr};
  if (srs->exportToWkt(&wkt, options) == OGRERR_NONE && wkt) c.wkt = wkt;
  CPLFree(wkt);
  return c;
}

std::string crs_text(const std::optional<CrsDescription>& crs) {
  if (!crs) return "none (add 'crs:' to this input in the model file)";
  return crs->name + (crs->id.empty() ? "" : " (" + crs->id + ")");
}

// Every cell of a band, a strip of rows at a time, in double (no value rounded).
RasterBandStatistics band_statistics(GDALRasterBand& band, const std::string& path, int index) {
  RasterBandStatistics s;
  int has_nodata = 0;
  const double nodata = band.GetNoDataValue(&has_nodata);
  const int width = band.GetXSize(), height = band.GetYSize();
  const int rows = std::max(1, int((std::size_t(1) << 21) / std::size_t(std::max(width, 1))));
  std::vector<double> strip;
  double mean = 0, m2 = 0;  // Welford: no cancellation on large, close values
  for (int row = 0; row < height; row += rows) {
    const int n_rows = std::min(rows, height - row);
    strip.resize(std::size_t(width) * std::size_t(n_rows));
    if (band.RasterIO(GF_Read, 0, row, width, n_rows, strip.data(), width, n_rows, GDT_Float64, 0,
                      0, nullptr) != CE_None)
      throw_bad_input(path, "band " + std::to_string(index) + " cannot be read");
    for (double v : strip) {
      if (std::isnan(v) || (has_nodata && v == nodata)) {
        ++s.nodata;
        continue;
      }
      if (s.valid == 0) s.min = s.max = v;
      s.min = std::min(s.min, v);
      s.max = std::max(s.max, v);
      ++s.valid;
      const double d = v - mean;
      mean += d / double(s.valid);
      m2 += d * (v - mean);
    }
  }
  s.mean = mean;
  s.stddev = s.valid > 0 ? std::sqrt(m2 / double(s.valid)) : 0;
  return s;
}

// Every feature's attributes, as IDW would read them.
void field_statistics(OGRLayer& layer, std::vector<FieldDescription>& fields) {
  std::vector<FieldStatistics> stats(fields.size());
  std::vector<double> means(fields.size(), 0);
  layer.ResetReading();
  for (FeaturePtr f(layer.GetNextFeature()); f; f.reset(layer.GetNextFeature())) {
    for (std::size_t k = 0; k < fields.size(); ++k) {
      if (!f->IsFieldSetAndNotNull(int(k))) continue;
      const std::string text = f->GetFieldAsString(int(k));
      if (text.find_first_not_of(" \t") == std::string::npos) continue;
      FieldStatistics& s = stats[k];
      ++s.values;
      double v = 0;
      bool below = false;
      if (!parse_sample_value(text, v, below)) {
        ++s.not_numeric;
        auto& examples = s.not_numeric_examples;
        if (examples.size() < k_not_numeric_examples &&
            std::find(examples.begin(), examples.end(), text) == examples.end())
          examples.push_back(text);
        continue;
      }
      if (below) ++s.below_detection;
      if (s.numeric == 0) s.min = s.max = v;
      s.min = std::min(s.min, v);
      s.max = std::max(s.max, v);
      ++s.numeric;
      means[k] += (v - means[k]) / double(s.numeric);
    }
  }
  for (std::size_t k = 0; k < fields.size(); ++k) {
    stats[k].mean = means[k];
    fields[k].statistics = stats[k];
  }
}

// A CSV file's points as a run reads them: which columns became the coordinates.
std::vector<std::string> csv_coordinate_columns(const std::string& path, OGRLayer& as_read) {
  std::vector<std::string> taken;
  DatasetPtr raw(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  if (!raw || raw->GetLayerCount() < 1 || as_read.GetGeomType() == wkbNone) return taken;
  OGRFeatureDefn* all = raw->GetLayer(0)->GetLayerDefn();
  for (int f = 0; f < all->GetFieldCount(); ++f)
    if (as_read.GetLayerDefn()->GetFieldIndex(all->GetFieldDefn(f)->GetNameRef()) < 0)
      taken.push_back(all->GetFieldDefn(f)->GetNameRef());
  return taken;
}

DatasetPtr open_any(const std::string& path, bool& csv) {
  if (!std::filesystem::exists(path) && path.rfind("/vsi", 0) != 0)
    throw_bad_input(path, "does not exist");
  std::string extension = std::filesystem::path(path).extension().string();
  for (char& c : extension) c = char(std::tolower(static_cast<unsigned char>(c)));
  csv = extension == ".csv";
  DatasetPtr ds;
  CPLErrorReset();
  CPLPushErrorHandler(CPLQuietErrorHandler);
  if (csv) {  // as a run opens it: points from the coordinate columns
    try {
      ds = open_vector(path);
    } catch (const Error&) {
    }
  } else {
    ds.reset(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_VECTOR | GDAL_OF_READONLY));
  }
  CPLPopErrorHandler();
  if (!ds) {
    ErrorContext c;
    c.file = path;
    c.step = "opening";
    throw_gdal(ErrorKind::bad_input, "is not a raster or vector file GDAL can read", c);
  }
  return ds;
}

}  // namespace

FileDescription describe_file(const std::string& path, bool statistics) {
  init_gdal();
  bool csv = false;
  DatasetPtr ds = open_any(path, csv);
  FileDescription d;
  d.path = path;
  d.format = ds->GetDriver()->GetDescription();
  const char* long_name = ds->GetDriver()->GetMetadataItem(GDAL_DMD_LONGNAME);
  d.format_name = long_name ? long_name : d.format;
  if (ds->GetRasterCount() > 0) {
    d.width = ds->GetRasterXSize();
    d.height = ds->GetRasterYSize();
    d.crs = crs_of(ds->GetSpatialRef());
    double gt[6];
    if (ds->GetGeoTransform(gt) == CE_None) {
      d.cell_width = gt[1];
      d.cell_height = -gt[5];
      d.extent = Extent4{gt[0], gt[3] + d.height * gt[5], gt[0] + d.width * gt[1], gt[3]};
    }
    for (int b = 1; b <= ds->GetRasterCount(); ++b) {
      GDALRasterBand* band = ds->GetRasterBand(b);
      BandDescription bd;
      bd.index = b;
      bd.type = GDALGetDataTypeName(band->GetRasterDataType());
      bd.description = band->GetDescription() ? band->GetDescription() : "";
      int has = 0;
      const double nodata = band->GetNoDataValue(&has);
      if (has) bd.nodata = nodata;
      if (statistics) bd.statistics = band_statistics(*band, path, b);
      d.bands.push_back(bd);
    }
  }
  for (int i = 0; i < ds->GetLayerCount(); ++i) {
    OGRLayer* layer = ds->GetLayer(i);
    LayerDescription l;
    l.name = layer->GetName();
    l.geometry = OGRGeometryTypeToName(layer->GetGeomType());
    l.features = layer->GetFeatureCount();
    l.crs = crs_of(layer->GetSpatialRef());
    l.csv = csv;
    if (csv) l.coordinate_columns = csv_coordinate_columns(path, *layer);
    OGREnvelope e;
    if (layer->GetExtent(&e, TRUE) == OGRERR_NONE)
      l.extent = Extent4{e.MinX, e.MinY, e.MaxX, e.MaxY};
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    for (int f = 0; f < defn->GetFieldCount(); ++f) {
      OGRFieldDefn* fd = defn->GetFieldDefn(f);
      l.fields.push_back({fd->GetNameRef(), OGRFieldDefn::GetFieldTypeName(fd->GetType()), {}});
    }
    if (statistics) field_statistics(*layer, l.fields);
    d.layers.push_back(std::move(l));
  }
  return d;
}

std::string description_text(const FileDescription& d) {
  std::ostringstream o;
  o << d.path << "\n  format: " << d.format << " (" << d.format_name << ")\n";
  if (!d.bands.empty()) {
    o << "  raster: " << d.width << " x " << d.height << " cells, " << d.bands.size()
      << " band(s)\n";
    o << "  CRS: " << crs_text(d.crs) << "\n";
    if (d.extent) {
      o << "  cell size: " << coordinate(*d.cell_width) << " x " << coordinate(*d.cell_height)
        << "\n";
      o << "  extent: " << format_extent(*d.extent) << "\n";
    } else {
      o << "  georeferencing: none\n";
    }
    for (const BandDescription& b : d.bands) {
      o << "  band " << b.index << ": " << b.type;
      if (!b.description.empty()) o << " '" << b.description << "'";
      if (b.nodata) o << ", nodata " << coordinate(*b.nodata);
      o << "\n";
      if (const auto& s = b.statistics) {
        o << "    statistics: ";
        if (s->valid > 0)
          o << "min " << statistic(s->min) << ", max " << statistic(s->max) << ", mean "
            << statistic(s->mean) << ", std dev " << statistic(s->stddev) << "; ";
        o << s->valid << " valid cell(s), " << s->nodata << " nodata\n";
      }
    }
  }
  for (const LayerDescription& l : d.layers) {
    o << "  layer '" << l.name << "': " << l.geometry << ", " << l.features << " feature(s)\n";
    o << "    CRS: " << crs_text(l.crs) << "\n";
    if (l.csv) {
      if (l.coordinate_columns.empty()) {
        o << "    coordinates: no column under the usual names (x/lon/easting, y/lat/northing); "
             "name them in the model: columns: {x: ..., y: ...}\n";
      } else {
        o << "    coordinates: columns";
        for (std::size_t k = 0; k < l.coordinate_columns.size(); ++k)
          o << (k ? ", " : " ") << l.coordinate_columns[k];
        o << " (the usual names; others: columns: {x, y})\n";
      }
    }
    if (l.extent) o << "    extent: " << format_extent(*l.extent) << "\n";
    for (const FieldDescription& f : l.fields) {
      o << "    field " << f.name << ": " << f.type;
      if (const auto& s = f.statistics) {
        o << "; " << s->values << " value(s)";
        if (s->numeric > 0)
          o << ", " << s->numeric << " numeric (min " << statistic(s->min) << ", max "
            << statistic(s->max) << ", mean " << statistic(s->mean) << ")";
        if (s->below_detection > 0)
          o << ", " << s->below_detection << " below detection (taken as half the limit)";
        if (s->not_numeric > 0 && s->numeric > 0) {
          o << ", " << s->not_numeric << " not numeric (";
          for (std::size_t k = 0; k < s->not_numeric_examples.size(); ++k)
            o << (k ? ", " : "") << "'" << s->not_numeric_examples[k] << "'";
          o << (std::size_t(s->not_numeric) > s->not_numeric_examples.size() ? ", ..." : "") << ")";
        }
      }
      o << "\n";
    }
  }
  return o.str();
}

namespace {

nlohmann::ordered_json crs_json(const std::optional<CrsDescription>& crs) {
  if (!crs) return nullptr;
  return {
      {"name", crs->name},
      {"id", crs->id.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(crs->id)},
      {"wkt", crs->wkt}};
}

nlohmann::ordered_json extent_json(const std::optional<Extent4>& e) {
  if (!e) return nullptr;
  return {e->min_x, e->min_y, e->max_x, e->max_y};
}

}  // namespace

std::string description_json(const FileDescription& d) {
  using json = nlohmann::ordered_json;
  json out = {{"path", d.path}, {"format", d.format}, {"format_name", d.format_name}};
  if (!d.bands.empty()) {
    json bands = json::array();
    for (const BandDescription& b : d.bands) {
      json band = {{"band", b.index},
                   {"type", b.type},
                   {"description", b.description},
                   {"nodata", b.nodata ? json(*b.nodata) : json(nullptr)}};
      if (const auto& s = b.statistics)
        band["statistics"] = {{"min", s->valid ? json(s->min) : json(nullptr)},
                              {"max", s->valid ? json(s->max) : json(nullptr)},
                              {"mean", s->valid ? json(s->mean) : json(nullptr)},
                              {"stddev", s->valid ? json(s->stddev) : json(nullptr)},
                              {"valid_cells", s->valid},
                              {"nodata_cells", s->nodata}};
      bands.push_back(band);
    }
    out["raster"] = {
        {"width", d.width},
        {"height", d.height},
        {"crs", crs_json(d.crs)},
        {"cell_size", d.cell_width ? json{*d.cell_width, *d.cell_height} : json(nullptr)},
        {"extent", extent_json(d.extent)},
        {"bands", bands}};
  }
  json layers = json::array();
  for (const LayerDescription& l : d.layers) {
    json fields = json::array();
    for (const FieldDescription& f : l.fields) {
      json field = {{"name", f.name}, {"type", f.type}};
      if (const auto& s = f.statistics)
        field["statistics"] = {{"values", s->values},
                               {"numeric", s->numeric},
                               {"below_detection", s->below_detection},
                               {"not_numeric", s->not_numeric},
                               {"not_numeric_examples", s->not_numeric_examples},
                               {"min", s->numeric ? json(s->min) : json(nullptr)},
                               {"max", s->numeric ? json(s->max) : json(nullptr)},
                               {"mean", s->numeric ? json(s->mean) : json(nullptr)}};
      fields.push_back(field);
    }
    json layer = {{"name", l.name},
                  {"geometry", l.geometry},
                  {"features", l.features},
                  {"crs", crs_json(l.crs)}};
    if (l.csv) layer["coordinate_columns"] = l.coordinate_columns;
    layer["extent"] = extent_json(l.extent);
    layer["fields"] = fields;
    layers.push_back(layer);
  }
  out["layers"] = layers;
  return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace prospect
