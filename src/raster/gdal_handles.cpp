#include "prospect/raster/gdal_handles.hpp"

#include <cpl_error.h>
#include <cpl_vsi.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <mutex>

#include "prospect/core/diagnostics.hpp"

namespace prospect {
namespace {

void CPL_STDCALL route_gdal_message(CPLErr level, CPLErrorNum, const char* message) {
  // Errors stay in GDAL's per-thread last-error slot, read by take_gdal_error();
  // warnings go to the run the thread works for.
  if (level == CE_Warning) report_warning(std::string("GDAL: ") + message);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

void init_gdal() {
  static std::once_flag once;
  std::call_once(once, [] {
    GDALAllRegister();
    // GDAL's block cache defaults to 5 % of RAM; bound it so peak memory follows
    // tile size and thread count, not the machine. 64 MB: a normal run of 4
    // layers of 16000² peaks at 0.48 GB with it and 0.67 GB with 256 MB, in
    // the same time (no pass of ours re-reads blocks it has let go). A user's
    // own setting wins.
    if (!CPLGetConfigOption("GDAL_CACHEMAX", nullptr)) CPLSetConfigOption("GDAL_CACHEMAX", "64");
    CPLSetErrorHandler(route_gdal_message);
  });
}

std::string take_gdal_error() {
  std::string msg = CPLGetLastErrorType() >= CE_Failure ? CPLGetLastErrorMsg() : "";
  CPLErrorReset();
  return msg;
}

std::string take_memory_file(const std::string& vsimem_path) {
  vsi_l_offset size = 0;
  GByte* data = VSIGetMemFileBuffer(vsimem_path.c_str(), &size, TRUE);  // unlinked, ours to free
  std::string bytes(reinterpret_cast<const char*>(data), data ? std::size_t(size) : 0);
  VSIFree(data);
  return bytes;
}

void throw_gdal(ErrorKind kind, const std::string& problem, ErrorContext context,
                const std::string& hint) {
  std::string detail = take_gdal_error();
  throw Error(kind, detail.empty() ? problem : problem + " (GDAL: " + detail + ")",
              std::move(context), hint);
}

namespace {

void require_file(const std::string& path) {
  if (path.rfind("/vsi", 0) == 0) return;  // GDAL virtual file systems
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw_bad_input(path, "does not exist",
                    "check the path; relative paths in a model file "
                    "are resolved against the model file's folder");
}

}  // namespace

DatasetPtr open_raster(const std::string& path) {
  init_gdal();
  require_file(path);
  CPLErrorReset();
  DatasetPtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
  ErrorContext c;
  c.file = path;
  c.step = "opening the raster";
  if (!ds)
    throw_gdal(ErrorKind::bad_input,
               "is not a raster GDAL can read (corrupt, truncated or not a "
               "raster format)",
               c, "open it with 'prospect info' or gdalinfo to see what it holds");
  if (ds->GetRasterCount() < 1) throw Error(ErrorKind::bad_input, "has no raster bands", c);
  return ds;
}

DatasetPtr open_vector(const std::string& path, const CsvColumns& columns) {
  init_gdal();
  require_file(path);
  CPLErrorReset();
  // CSV points: the columns named, else GDAL finds them under their usual names.
  CPLStringList csv_options;
  if (!columns.wkt.empty()) {
    csv_options.SetNameValue("GEOM_POSSIBLE_NAMES", columns.wkt.c_str());
  } else if (!columns.x.empty()) {
    csv_options.SetNameValue("X_POSSIBLE_NAMES", columns.x.c_str());
    csv_options.SetNameValue("Y_POSSIBLE_NAMES", columns.y.c_str());
  } else {
    csv_options.SetNameValue("X_POSSIBLE_NAMES", k_csv_x_names);
    csv_options.SetNameValue("Y_POSSIBLE_NAMES", k_csv_y_names);
  }
  csv_options.SetNameValue("KEEP_GEOM_COLUMNS", "NO");
  const bool is_csv = lower(std::filesystem::path(path).extension().string()) == ".csv";
  DatasetPtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr,
                                  is_csv ? csv_options.List() : nullptr));
  ErrorContext c;
  c.file = path;
  c.step = "opening the vector file";
  if (!ds)
    throw_gdal(ErrorKind::bad_input, "is not a vector format GDAL can read", c,
               "GeoPackage, GeoJSON, Shapefile and CSV with x/y or lon/lat columns all work");
  if (ds->GetLayerCount() < 1) throw Error(ErrorKind::bad_input, "has no layers", c);
  return ds;
}

OGRSpatialReference srs_from(const std::string& text) {
  OGRSpatialReference srs;
  srs.SetFromUserInput(text.c_str());
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

}  // namespace prospect
