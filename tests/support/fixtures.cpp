#include "support/fixtures.hpp"

#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "prospect/cli/cli.hpp"
#include "prospect/raster/gdal_handles.hpp"

namespace prospect::test {

CliResult run_prospect(std::vector<std::string> args) {
  args.insert(args.begin(), "prospect");
  std::ostringstream out, err;
  const int code = run_cli(args, out, err);
  return {code, out.str(), err.str()};
}

std::vector<float> read_band(const std::string& path, int band, int* width) {
  DatasetPtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
  if (!ds || !ds->GetRasterBand(band)) throw std::runtime_error("cannot read " + path);
  const int w = ds->GetRasterXSize(), h = ds->GetRasterYSize();
  if (width) *width = w;
  std::vector<float> v(std::size_t(w) * std::size_t(h));
  if (ds->GetRasterBand(band)->RasterIO(GF_Read, 0, 0, w, h, v.data(), w, h, GDT_Float32, 0, 0,
                                        nullptr) != CE_None)
    throw std::runtime_error("cannot read band " + std::to_string(band) + " of " + path);
  return v;
}

std::string points_geojson(int count, double x0, double y0, double dx, double dy) {
  std::ostringstream out;
  out.precision(17);
  out << R"({"type":"FeatureCollection","features":[)";
  for (int k = 0; k < count; ++k)
    out << (k ? "," : "")
        << R"({"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[)"
        << x0 + dx * k << "," << y0 + dy * k << "]}}";
  out << "]}";
  return out.str();
}

std::vector<std::vector<std::string>> read_csv_rows(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream s(line);
    for (std::string cell; std::getline(s, cell, ',');) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "prospect-test-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  m_path = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(m_path, ec);
}

std::string write_raster(const std::string& path, const RasterFixture& f) {
  init_gdal();
  GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
  DatasetPtr ds(gtiff->Create(path.c_str(), f.width, f.height, 1, GDT_Float32, nullptr));
  if (!ds) throw std::runtime_error("cannot create " + path);
  double gt[6] = {f.origin_x, f.cell_x, 0, f.origin_y, 0, -f.cell_y};
  ds->SetGeoTransform(gt);
  if (!f.crs.empty()) {
    OGRSpatialReference srs;
    srs.SetFromUserInput(f.crs.c_str());
    ds->SetSpatialRef(&srs);
  }
  std::vector<float> v = f.values;
  if (v.empty()) {
    v.resize(std::size_t(f.width) * f.height);
    for (int r = 0; r < f.height; ++r)
      for (int c = 0; c < f.width; ++c) v[std::size_t(r) * f.width + c] = float(c + 100 * r);
  }
  if (f.nodata) ds->GetRasterBand(1)->SetNoDataValue(*f.nodata);
  if (ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, f.width, f.height, v.data(), f.width, f.height,
                                     GDT_Float32, 0, 0, nullptr) != CE_None)
    throw std::runtime_error("cannot write " + path);
  return path;
}

std::string write_text(const std::string& path, const std::string& text) {
  VSILFILE* fp = VSIFOpenL(path.c_str(), "wb");
  if (!fp) throw std::runtime_error("cannot write " + path);
  VSIFWriteL(text.data(), 1, text.size(), fp);
  VSIFCloseL(fp);
  return path;
}

std::string polygon_geojson(const std::vector<double>& ring, const std::string& crs) {
  std::ostringstream o;
  o.precision(15);
  o << "{\"type\":\"FeatureCollection\",";
  if (!crs.empty()) o << "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"" << crs << "\"}},";
  o << "\"features\":[{\"type\":\"Feature\",\"properties\":{\"id\":1},"
       "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[";
  for (std::size_t i = 0; i + 1 < ring.size(); i += 2)
    o << (i ? "," : "") << "[" << ring[i] << "," << ring[i + 1] << "]";
  o << "]]}}]}";
  return o.str();
}

int spawn_quietly(const std::vector<std::string>& args) {
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)) _exit(126);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return int(pid);
}

double mann_whitney(const std::vector<float>& deposits, const std::vector<float>& cells) {
  double u = 0;
  for (float d : deposits)
    for (float c : cells) u += d > c ? 1.0 : (d == c ? 0.5 : 0.0);
  return u / (double(deposits.size()) * double(cells.size()));
}

}  // namespace prospect::test
