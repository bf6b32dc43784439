#include "prospect/raster/tiff_writer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>

namespace prospect {

void StatisticsAccumulator::add(const float* v, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float x = v[i];
    if (std::isnan(x)) continue;
    if (m_count == 0) {
      m_min = m_max = x;
    } else {
      m_min = std::min(m_min, double(x));
      m_max = std::max(m_max, double(x));
    }
    ++m_count;
    m_sum += x;
    m_sum_sq += double(x) * x;
  }
}

void StatisticsAccumulator::merge(const StatisticsAccumulator& o) {
  if (o.m_count == 0) return;
  if (m_count == 0) {
    *this = o;
    return;
  }
  m_count += o.m_count;
  m_sum += o.m_sum;
  m_sum_sq += o.m_sum_sq;
  m_min = std::min(m_min, o.m_min);
  m_max = std::max(m_max, o.m_max);
}

BandStatistics StatisticsAccumulator::result() const {
  BandStatistics s;
  s.valid_count = m_count;
  if (m_count == 0) return s;
  s.min = m_min;
  s.max = m_max;
  s.mean = m_sum / double(m_count);
  s.stddev = std::sqrt(std::max(0.0, m_sum_sq / double(m_count) - s.mean * s.mean));
  return s;
}

StagedRaster::StagedRaster(const std::string& path, const AnalysisGrid& grid,
                           const std::vector<std::string>& band_names, GDALDataType type,
                           int block_size)
    : m_path(path) {
  init_gdal();
  GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
  const std::string block = std::to_string(block_size);
  CPLStringList options;
  options.SetNameValue("TILED", "YES");
  options.SetNameValue("BLOCKXSIZE", block.c_str());
  options.SetNameValue("BLOCKYSIZE", block.c_str());
  options.SetNameValue("BIGTIFF", "IF_SAFER");
  options.SetNameValue("INTERLEAVE", "BAND");
  m_ds.reset(gtiff->Create(path.c_str(), grid.width(), grid.height(), int(band_names.size()),
                           type, options.List()));
  ErrorContext c;
  c.file = path;
  c.step = "creating the output raster";
  if (!m_ds) throw_gdal(ErrorKind::run_failed, "could not be created", c);
  auto gt = grid.geotransform();
  m_ds->SetGeoTransform(gt.data());
  m_ds->SetProjection(grid.crs_wkt().c_str());
  for (std::size_t b = 0; b < band_names.size(); ++b) {
    GDALRasterBand* band = m_ds->GetRasterBand(int(b) + 1);
    band->SetDescription(band_names[b].c_str());
    if (type == GDT_Float32) band->SetNoDataValue(k_output_nodata);
  }
}

void StagedRaster::write(int band, const Window& w, float* values) {
  const std::size_t n = w.cell_count();
  for (std::size_t i = 0; i < n; ++i)
    if (std::isnan(values[i])) values[i] = k_output_nodata;
  write_prepared(band, w, values);
}

void StagedRaster::write_prepared(int band, const Window& w, const float* values) {
  CPLErrorReset();
  if (m_ds->GetRasterBand(band)->RasterIO(GF_Write, w.col, w.row, w.width, w.height, const_cast<float*>(values),
                                          w.width, w.height, GDT_Float32, 0, 0,
                                          nullptr) != CE_None) {
    ErrorContext c;
    c.file = m_path;
    c.step = "writing";
    throw_gdal(ErrorKind::run_failed, "could not be written (disk full?)", c);
  }
}

void StagedRaster::write_bytes(int band, const Window& w, const unsigned char* values) {
  CPLErrorReset();
  if (m_ds->GetRasterBand(band)->RasterIO(GF_Write, w.col, w.row, w.width, w.height,
                                          const_cast<unsigned char*>(values), w.width, w.height,
                                          GDT_Byte, 0, 0, nullptr) != CE_None) {
    ErrorContext c;
    c.file = m_path;
    c.step = "writing";
    throw_gdal(ErrorKind::run_failed, "could not be written (disk full?)", c);
  }
}

void StagedRaster::read(int band, const Window& w, float* values) {
  read_raw(band, w, values, GDT_Float32);
}

void StagedRaster::read_raw(int band, const Window& w, void* values, GDALDataType type) {
  CPLErrorReset();
  if (m_ds->GetRasterBand(band)->RasterIO(GF_Read, w.col, w.row, w.width, w.height, values,
                                          w.width, w.height, type, 0, 0, nullptr) != CE_None) {
    ErrorContext c;
    c.file = m_path;
    c.step = "reading back";
    throw_gdal(ErrorKind::run_failed, "could not be read", c);
  }
}

void StagedRaster::create_overviews(int levels) {
  std::vector<int> factors;
  for (int k = 1; k <= levels; ++k) factors.push_back(1 << k);
  CPLErrorReset();
  if (m_ds->BuildOverviews("NONE", levels, factors.data(), 0, nullptr, nullptr, nullptr) != CE_None) {
    ErrorContext c;
    c.file = m_path;
    c.step = "creating overviews";
    throw_gdal(ErrorKind::run_failed, "could not be prepared", c);
  }
}

void StagedRaster::write_overview(int level, int band, const Window& w, float* values) {
  for (std::size_t i = 0; i < w.cell_count(); ++i)
    if (std::isnan(values[i])) values[i] = k_output_nodata;
  GDALRasterBand* ov = m_ds->GetRasterBand(band)->GetOverview(level - 1);
  CPLErrorReset();
  if (!ov || ov->RasterIO(GF_Write, w.col, w.row, w.width, w.height, values, w.width, w.height,
                          GDT_Float32, 0, 0, nullptr) != CE_None) {
    ErrorContext c;
    c.file = m_path;
    c.step = "writing overviews";
    throw_gdal(ErrorKind::run_failed, "could not be written", c);
  }
}

void StagedRaster::set_statistics(int band, const BandStatistics& s) {
  GDALRasterBand* b = m_ds->GetRasterBand(band);
  if (s.valid_count == 0) return;
  b->SetStatistics(s.min, s.max, s.mean, s.stddev);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4f", 100.0 * double(s.valid_count) /
                                              (double(m_ds->GetRasterXSize()) * m_ds->GetRasterYSize()));
  b->SetMetadataItem("STATISTICS_VALID_PERCENT", buf);
}

void StagedRaster::set_metadata(const std::map<std::string, std::string>& items) {
  for (const auto& [k, v] : items) m_ds->SetMetadataItem(k.c_str(), v.c_str());
}

void write_cog(GDALDataset* staged, const std::string& tmp, const std::string& final_path,
               const CogOptions& o) {
  GDALDriver* cog = GetGDALDriverManager()->GetDriverByName("COG");
  CPLStringList options;
  options.SetNameValue("COMPRESS", o.compress.c_str());
  if (o.compress != "NONE") options.SetNameValue("PREDICTOR", "YES");
  // Level 1: on score maps it costs about 1 % in size against the default
  // levels and writes 1.6x (DEFLATE) to 5x (ZSTD) faster (BENCHMARKS.md).
  if (o.compress == "DEFLATE" || o.compress == "ZSTD") options.SetNameValue("LEVEL", "1");
  options.SetNameValue("BLOCKSIZE", "512");
  options.SetNameValue("OVERVIEWS", !o.overviews ? "NONE" : o.overviews_prebuilt ? "FORCE_USE_EXISTING" : "AUTO");
  options.SetNameValue("OVERVIEW_RESAMPLING", "AVERAGE");
  options.SetNameValue("BIGTIFF", "IF_SAFER");
  options.SetNameValue("NUM_THREADS", std::to_string(std::max(1, o.threads)).c_str());
  CPLErrorReset();
  DatasetPtr out(cog->CreateCopy(tmp.c_str(), staged, FALSE, options.List(), nullptr, nullptr));
  ErrorContext c;
  c.file = final_path;
  c.step = "writing the Cloud Optimized GeoTIFF";
  if (!out) {
    std::remove(tmp.c_str());
    throw_gdal(ErrorKind::run_failed, "could not be written", c);
  }
  out.reset();  // flush and close before the rename
  std::error_code ec;
  std::filesystem::rename(tmp, final_path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    throw Error(ErrorKind::run_failed, "could not be moved into place: " + ec.message(), c);
  }
}

}  // namespace prospect
