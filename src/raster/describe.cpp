#include "prospect/raster/describe.hpp"

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "prospect/raster/gdal_handles.hpp"

namespace prospect {
namespace {

// Coordinates in full (users copy them into grid.extent): 7738050, not 7.73805e+06.
std::string coordinate(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

std::string format_extent(double x0, double y0, double x1, double y1) {
  return "x " + coordinate(x0) + " .. " + coordinate(x1) + ", y " + coordinate(y0) + " .. " +
         coordinate(y1) + "  (as grid.extent: [" + coordinate(x0) + ", " + coordinate(y0) + ", " +
         coordinate(x1) + ", " + coordinate(y1) + "])";
}

// A CSV file's points as a run reads them: which columns became the coordinates.
std::string csv_coordinates(const std::string& path, OGRLayer& as_read) {
  DatasetPtr raw(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  if (!raw || raw->GetLayerCount() < 1) return "";
  OGRFeatureDefn* all = raw->GetLayer(0)->GetLayerDefn();
  std::string taken;
  for (int f = 0; f < all->GetFieldCount(); ++f)
    if (as_read.GetLayerDefn()->GetFieldIndex(all->GetFieldDefn(f)->GetNameRef()) < 0)
      taken += (taken.empty() ? "" : ", ") + std::string(all->GetFieldDefn(f)->GetNameRef());
  if (as_read.GetGeomType() == wkbNone || taken.empty())
    return "    coordinates: no column under the usual names (x/lon/easting, y/lat/northing); "
           "name them in the model: columns: {x: ..., y: ...}\n";
  return "    coordinates: columns " + taken + " (the usual names; others: columns: {x, y})\n";
}

std::string srs_summary(const OGRSpatialReference* srs) {
  if (!srs) return "none (add 'crs:' to this input in the model file)";
  std::string name = srs->GetName() ? srs->GetName() : "unnamed";
  const char* auth = srs->GetAuthorityName(nullptr);
  const char* code = srs->GetAuthorityCode(nullptr);
  if (auth && code) name += std::string(" (") + auth + ":" + code + ")";
  return name;
}

}  // namespace

std::string describe_file(const std::string& path) {
  init_gdal();
  std::ostringstream o;
  if (!std::filesystem::exists(path) && path.rfind("/vsi", 0) != 0)
    throw_bad_input(path, "does not exist");
  CPLErrorReset();
  CPLPushErrorHandler(CPLQuietErrorHandler);
  std::string extension = std::filesystem::path(path).extension().string();
  for (char& c : extension) c = char(std::tolower(static_cast<unsigned char>(c)));
  const bool csv = extension == ".csv";
  DatasetPtr ds;
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
  o << path << "\n  format: " << ds->GetDriver()->GetDescription() << " ("
    << ds->GetDriver()->GetMetadataItem(GDAL_DMD_LONGNAME) << ")\n";
  if (ds->GetRasterCount() > 0) {
    o << "  raster: " << ds->GetRasterXSize() << " x " << ds->GetRasterYSize() << " cells, "
      << ds->GetRasterCount() << " band(s)\n";
    o << "  CRS: " << srs_summary(ds->GetSpatialRef()) << "\n";
    double gt[6];
    if (ds->GetGeoTransform(gt) == CE_None) {
      o << "  cell size: " << coordinate(gt[1]) << " x " << coordinate(-gt[5]) << "\n";
      o << "  extent: "
        << format_extent(gt[0], gt[3] + ds->GetRasterYSize() * gt[5],
                         gt[0] + ds->GetRasterXSize() * gt[1], gt[3])
        << "\n";
    } else {
      o << "  georeferencing: none\n";
    }
    for (int b = 1; b <= ds->GetRasterCount(); ++b) {
      GDALRasterBand* band = ds->GetRasterBand(b);
      int has = 0;
      const double nodata = band->GetNoDataValue(&has);
      o << "  band " << b << ": " << GDALGetDataTypeName(band->GetRasterDataType());
      if (band->GetDescription() && *band->GetDescription())
        o << " '" << band->GetDescription() << "'";
      if (has) o << ", nodata " << nodata;
      o << "\n";
    }
  }
  for (int i = 0; i < ds->GetLayerCount(); ++i) {
    OGRLayer* layer = ds->GetLayer(i);
    o << "  layer '" << layer->GetName() << "': " << OGRGeometryTypeToName(layer->GetGeomType())
      << ", " << layer->GetFeatureCount() << " feature(s)\n";
    o << "    CRS: " << srs_summary(layer->GetSpatialRef()) << "\n";
    if (csv) o << csv_coordinates(path, *layer);
    OGREnvelope e;
    if (layer->GetExtent(&e, TRUE) == OGRERR_NONE)
      o << "    extent: " << format_extent(e.MinX, e.MinY, e.MaxX, e.MaxY) << "\n";
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    for (int f = 0; f < defn->GetFieldCount(); ++f) {
      OGRFieldDefn* fd = defn->GetFieldDefn(f);
      o << "    field " << fd->GetNameRef() << ": " << OGRFieldDefn::GetFieldTypeName(fd->GetType())
        << "\n";
    }
  }
  return o.str();
}

}  // namespace prospect
