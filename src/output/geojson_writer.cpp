#include "prospect/output/geojson_writer.hpp"

#include <cpl_vsi.h>
#include <ogr_geometry.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

namespace prospect {
namespace {

constexpr int k_coordinate_decimals = 7;         // as GDAL's RFC 7946 writer
constexpr std::size_t k_flush_bytes = 1u << 20;  // written in pieces of about 1 MB

ErrorContext writing(const std::string& path) {
  ErrorContext c;
  c.file = path;
  c.step = "writing targets";
  return c;
}

// A coordinate with 7 decimals, trailing zeros dropped ("14.205971", "-21.0").
void append_coordinate(std::string& out, double value) {
  char text[64];
  auto [end, ec] = std::to_chars(text, text + sizeof text, value, std::chars_format::fixed,
                                 k_coordinate_decimals);
  (void)ec;  // 64 characters hold any longitude or latitude with 7 decimals
  char* point = std::find(text, end, '.');
  if (point != end) {
    while (end > point + 2 && end[-1] == '0') --end;
  }
  if (end - text == 4 && std::string_view(text, 4) == "-0.0") {
    out += "0.0";
    return;
  }
  out.append(text, end);
}

// A JSON string; bytes that are not UTF-8 become U+FFFD instead of throwing.
std::string json_string(const char* text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

void append_json_real(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  // Plain decimals ("100000.0", "0.000125") where they stay short, as people
  // and GDAL write them; exponents only for the very large and very small.
  const double size = std::abs(value);
  const bool plain = size == 0 || (size >= 1e-5 && size < 1e15);
  char text[64];
  const auto [end, ec] =
      plain ? std::to_chars(text, text + sizeof text, value, std::chars_format::fixed)
            : std::to_chars(text, text + sizeof text, value);
  (void)ec;  // at most 17 significant digits and 5 leading zeros: 64 characters hold it
  out.append(text, end);
  if (std::find_if(text, end, [](char c) { return c == '.' || c == 'e'; }) == end) out += ".0";
}

GeoJsonPolygonWriter::GeoJsonPolygonWriter(const std::string& path, const OGRSpatialReference& srs)
    : m_path(path) {
  OGRSpatialReference wgs84;
  wgs84.SetWellKnownGeogCS("WGS84");
  wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  OGRSpatialReference from(srs);
  from.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  m_to_wgs84.reset(OGRCreateCoordinateTransformation(&from, &wgs84));
  if (!m_to_wgs84)
    throw_gdal(ErrorKind::run_failed, "could not be written: no transformation to WGS84",
               writing(path));
  m_file = VSIFOpenL(path.c_str(), "wb");
  if (!m_file) throw_gdal(ErrorKind::run_failed, "could not be created", writing(path));
  m_buffer = "{\n\"type\": \"FeatureCollection\",\n\"features\": [\n";
}

GeoJsonPolygonWriter::~GeoJsonPolygonWriter() {
  if (m_file) VSIFCloseL(m_file);
}

bool GeoJsonPolygonWriter::append_ring(const OGRLinearRing& ring, bool exterior, std::string& out) {
  const int n = ring.getNumPoints();
  m_x.resize(std::size_t(n));
  m_y.resize(std::size_t(n));
  m_ok.assign(std::size_t(n), 0);
  ring.getPoints(m_x.data(), sizeof(double), m_y.data(), sizeof(double));
  if (n > 0 && !m_to_wgs84->Transform(n, m_x.data(), m_y.data(), nullptr, m_ok.data()))
    return false;
  double west = 180, east = -180, twice_area = 0;
  for (int i = 0; i < n; ++i) {
    if (!m_ok[std::size_t(i)] || !std::isfinite(m_x[std::size_t(i)]) ||
        !std::isfinite(m_y[std::size_t(i)]) || std::abs(m_x[std::size_t(i)]) > 180)
      return false;
    west = std::min(west, m_x[std::size_t(i)]);
    east = std::max(east, m_x[std::size_t(i)]);
    if (i + 1 < n)
      twice_area += m_x[std::size_t(i)] * m_y[std::size_t(i) + 1] -
                    m_x[std::size_t(i) + 1] * m_y[std::size_t(i)];
  }
  if (n > 0 && east - west > 180) return false;  // across the antimeridian: GDAL splits it
  // The right-hand rule: exterior rings counterclockwise (positive area), holes clockwise.
  const bool reverse = exterior ? twice_area < 0 : twice_area > 0;
  out += "[ ";
  for (int k = 0; k < n; ++k) {
    const std::size_t i = std::size_t(reverse ? n - 1 - k : k);
    out += k ? ", [ " : "[ ";
    append_coordinate(out, m_x[i]);
    out += ", ";
    append_coordinate(out, m_y[i]);
    out += " ]";
  }
  out += " ]";
  return true;
}

bool GeoJsonPolygonWriter::add(const OGRFeature& feature) {
  std::string out = m_features ? ",\n" : "";
  out += "{ \"type\": \"Feature\", \"properties\": { ";
  const OGRFeatureDefn* defn = feature.GetDefnRef();
  for (int i = 0; i < defn->GetFieldCount(); ++i) {
    const OGRFieldDefn* field = defn->GetFieldDefn(i);
    if (i) out += ", ";
    out += json_string(field->GetNameRef()) + ": ";
    if (!feature.IsFieldSetAndNotNull(i)) {
      out += "null";
      continue;
    }
    switch (field->GetType()) {
      case OFTInteger:
        out += std::to_string(feature.GetFieldAsInteger(i));
        break;
      case OFTInteger64:
        out += std::to_string(feature.GetFieldAsInteger64(i));
        break;
      case OFTReal:
        append_json_real(out, feature.GetFieldAsDouble(i));
        break;
      case OFTString:
        out += json_string(feature.GetFieldAsString(i));
        break;
      default:
        return false;
    }
  }
  out += " }, \"geometry\": ";
  const OGRGeometry* geometry = feature.GetGeometryRef();
  if (!geometry || geometry->IsEmpty()) {
    out += "null";
  } else {
    if (wkbFlatten(geometry->getGeometryType()) != wkbPolygon) return false;
    const OGRPolygon* polygon = geometry->toPolygon();
    out += "{ \"type\": \"Polygon\", \"coordinates\": [ ";
    if (!append_ring(*polygon->getExteriorRing(), true, out)) return false;
    for (int h = 0; h < polygon->getNumInteriorRings(); ++h) {
      out += ", ";
      if (!append_ring(*polygon->getInteriorRing(h), false, out)) return false;
    }
    out += " ] }";
  }
  out += " }";
  m_buffer += out;
  ++m_features;
  flush(false);
  return true;
}

void GeoJsonPolygonWriter::flush(bool all) {
  if (m_buffer.empty() || (!all && m_buffer.size() < k_flush_bytes)) return;
  if (!m_failed && VSIFWriteL(m_buffer.data(), 1, m_buffer.size(), m_file) != m_buffer.size())
    m_failed = true;
  m_buffer.clear();
}

void GeoJsonPolygonWriter::finish() {
  m_buffer += m_features ? "\n]\n}\n" : "]\n}\n";
  flush(true);
  const bool closed = VSIFCloseL(m_file) == 0;
  m_file = nullptr;
  if (m_failed || !closed)
    throw Error(ErrorKind::run_failed, "could not be written (disk full?)", writing(m_path));
}

}  // namespace prospect
