#include "prospect/raster/describe.hpp"

#include <cstdio>
#include <filesystem>
#include <sstream>

#include "prospect/raster/gdal_handles.hpp"

namespace prospect {
namespace {

std::string format_extent(double x0, double y0, double x1, double y1) {
  char buf[200];
  std::snprintf(buf, sizeof buf, "x %.6g .. %.6g, y %.6g .. %.6g", x0, x1, y0, y1);
  return buf;
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
  DatasetPtr ds(
      GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_VECTOR | GDAL_OF_READONLY));
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
      o << "  cell size: " << gt[1] << " x " << -gt[5] << "\n";
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
