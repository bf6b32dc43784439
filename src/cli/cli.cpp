#include "prospect/cli/cli.hpp"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <sstream>

#include "prospect/config/model_file.hpp"
#include "prospect/core/interrupt.hpp"
#include "prospect/core/progress.hpp"
#include "prospect/raster/gdal_handles.hpp"
#include "prospect/run/run_model.hpp"
#include "prospect/vector/vector_layer.hpp"

#ifndef PROSPECT_VERSION
#define PROSPECT_VERSION "unknown"
#endif

namespace prospect {

namespace {

const char* k_run_footer = R"(
What it writes into DIR (default: ./<model name>-out):
  prospectivity.tif  Cloud Optimized GeoTIFF, one Float32 band per score and the
                     composite, nodata -9999 outside the study area or where
                     evidence is missing
  targets.geojson    the top N % of study-area cells as ranked polygons (WGS84)
  manifest.json      version, model and input hashes, grid, counts, timings

Examples:
  prospect run lofdal.yaml
  prospect run lofdal.yaml --out results/lofdal --threads 2
  prospect run survey.yaml --quiet          # for batch scripts and logs

Exit codes: 0 done, 1 run failed, 2 bad command line or model file, 3 bad input data.
The model file format: docs/model-file.md)";

const char* k_check_footer = R"(
Reads the model file, builds the analysis grid and opens every input (CRS,
overlap with the grid, bands), but scores nothing and writes nothing. Use it
before a long run, or in a batch script to reject bad surveys early.

Example:
  prospect check lofdal.yaml)";

const char* k_info_footer = R"(
Prints what a raster or vector file holds: format, CRS, extent, size and
bands (rasters), layers, geometry types, feature counts and fields (vectors).

Examples:
  prospect info rasters/lofdal_eth.tif
  prospect info vectors/lofdal_study_area.geojson)";

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
  DatasetPtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_VECTOR | GDAL_OF_READONLY));
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
      if (band->GetDescription() && *band->GetDescription()) o << " '" << band->GetDescription() << "'";
      if (has) o << ", nodata " << nodata;
      o << "\n";
    }
  }
  for (int i = 0; i < ds->GetLayerCount(); ++i) {
    OGRLayer* layer = ds->GetLayer(i);
    o << "  layer '" << layer->GetName() << "': "
      << OGRGeometryTypeToName(layer->GetGeomType()) << ", " << layer->GetFeatureCount()
      << " feature(s)\n";
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

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"prospect " PROSPECT_VERSION
               " - scores map cells for mineral prospectivity (heavy rare earths: Dy, Tb, Y)\n"
               "from geological layers, and writes GeoTIFF and GeoJSON for QGIS.",
               "prospect"};
  app.require_subcommand(1);
  app.set_version_flag("--version", PROSPECT_VERSION);
  app.footer("\nStart with:  prospect run --help\nDocs: README.md and docs/ in the source tree.");

  std::string model_path, out_dir, info_path;
  int threads = 0;
  bool quiet = false;

  CLI::App* run = app.add_subcommand("run", "Run a model: score every cell, write the maps");
  run->add_option("model", model_path, "Model file (YAML)")->required();
  run->add_option("--out,-o", out_dir, "Output folder (created if missing)");
  run->add_option("--threads,-t", threads, "Worker threads (default: one per core)")
      ->check(CLI::Range(0, 1024));
  run->add_flag("--quiet,-q", quiet, "No progress or notes on stderr (errors still shown)");
  run->footer(k_run_footer);

  CLI::App* check = app.add_subcommand("check", "Check a model and its inputs, run nothing");
  check->add_option("model", model_path, "Model file (YAML)")->required();
  check->footer(k_check_footer);

  CLI::App* info = app.add_subcommand("info", "Describe a raster or vector file");
  info->add_option("file", info_path, "Any raster or vector file GDAL reads")->required();
  info->footer(k_info_footer);

  std::vector<std::string> reversed(args.rbegin(), args.rend() - 1);
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {  // --help or --version: CLI11 prints the right page
      app.exit(e, out, err);
      return 0;
    }
    err << "prospect: " << e.what() << "\n";
    err << "Run 'prospect --help' or 'prospect COMMAND --help' for usage.\n";
    return 2;
  }

  try {
    if (info->parsed()) {
      out << describe_file(info_path);
      return 0;
    }
    init_gdal(!quiet);
    const ModelSpec model = load_model(model_path);
    if (check->parsed()) {
      const CheckReport report = check_model(model);
      out << "model " << model_path << " ('" << model.name << "'): OK\n";
      for (const auto& line : report.lines) out << "  " << line << "\n";
      return 0;
    }
    RunOptions options;
    options.out_dir = out_dir.empty() ? std::filesystem::path(model_path).stem().string() + "-out"
                                      : out_dir;
    options.threads = threads;
    options.progress = !quiet && Progress::stderr_is_terminal();
    InterruptGuard interrupt_guard;
    const RunRecord record = run_model(model, options);
    const auto& g = record.grid;
    out << "prospect: scored " << record.cells.valid << " of " << g.cell_count() << " cells ("
        << record.cells.outside << " outside the study area, " << record.cells.missing
        << " with missing evidence) on a " << g.width() << " x " << g.height() << " grid\n";
    out << "prospect: " << record.target_count << " target zone(s) above "
        << record.target_threshold << " on " << model.targets.score << "\n";
    for (const auto& f : record.outputs)
      out << "  wrote " << (std::filesystem::path(options.out_dir) / f).string() << "\n";
    return 0;
  } catch (const Error& e) {
    err << "prospect: error: " << e.what() << "\n";
    return e.exit_code();
  } catch (const std::exception& e) {
    err << "prospect: error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace prospect
