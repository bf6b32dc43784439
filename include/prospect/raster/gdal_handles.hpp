#pragma once
// RAII owners for GDAL/OGR handles, and the one place where GDAL's error state
// becomes a prospect::Error with context.

#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <memory>
#include <optional>
#include <string>

#include "prospect/core/error.hpp"

namespace prospect {

struct DatasetCloser {
  void operator()(GDALDataset* ds) const { GDALClose(GDALDataset::ToHandle(ds)); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

struct GeometryDeleter {
  void operator()(OGRGeometry* g) const { OGRGeometryFactory::destroyGeometry(g); }
};
using GeometryPtr = std::unique_ptr<OGRGeometry, GeometryDeleter>;

struct FeatureDeleter {
  void operator()(OGRFeature* f) const { OGRFeature::DestroyFeature(f); }
};
using FeaturePtr = std::unique_ptr<OGRFeature, FeatureDeleter>;

struct TransformDeleter {
  void operator()(OGRCoordinateTransformation* t) const {
    OGRCoordinateTransformation::DestroyCT(t);
  }
};
using TransformPtr = std::unique_ptr<OGRCoordinateTransformation, TransformDeleter>;

// Registers GDAL drivers once and routes GDAL's messages: errors are kept for
// our exceptions (GDAL's last error message), warnings go to the diagnostics
// of the run the thread works for (core/diagnostics.hpp).
void init_gdal();

// GDAL's last error message on this thread, or "" (and clears it).
std::string take_gdal_error();

// Throws Error(kind) with GDAL's own explanation appended to `problem`.
[[noreturn]] void throw_gdal(ErrorKind kind, const std::string& problem, ErrorContext context,
                             const std::string& hint = {});

// The bytes of a file GDAL wrote in memory (/vsimem/), which is removed.
std::string take_memory_file(const std::string& vsimem_path);

// Opens a raster read-only; a clear bad_input error when missing, unreadable or not a raster.
DatasetPtr open_raster(const std::string& path);
// Opens a vector dataset read-only (CSV points get coordinate-column detection).
// CSV points' geometry: coordinate columns x and y, or a WKT column; empty:
// the usual names (k_csv_x_names, k_csv_y_names).
struct CsvColumns {
  std::string x, y, wkt;
};
inline constexpr const char* k_csv_x_names =
    "x,lon,long,longitude,easting,east,X,Lon,Longitude,Easting";
inline constexpr const char* k_csv_y_names =
    "y,lat,latitude,northing,north,Y,Lat,Latitude,Northing";
DatasetPtr open_vector(const std::string& path, const CsvColumns& columns = {});

// SRS from WKT (or any user input), GIS axis order (x = easting / longitude).
OGRSpatialReference srs_from(const std::string& wkt_or_user_input);

}  // namespace prospect
