#include "prospect/output/quicklook.hpp"

#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal_priv.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "prospect/core/error.hpp"
#include "prospect/core/vector_clones.hpp"
#include "prospect/output/svg_plot.hpp"
#include "prospect/raster/gdal_handles.hpp"

namespace prospect {
namespace {

std::array<unsigned char, 3> rgb(const std::string& hex) {
  unsigned r = 0, g = 0, b = 0;
  std::sscanf(hex.c_str(), "#%02x%02x%02x", &r, &g, &b);
  return {static_cast<unsigned char>(r), static_cast<unsigned char>(g),
          static_cast<unsigned char>(b)};
}

// Adds one row's valid values (NaN skipped) to per-column sums and counts.
void add_row_scalar(const float* v, double* sum, std::uint32_t* count, std::size_t n) {
  for (std::size_t c = 0; c < n; ++c) {
    const bool ok = v[c] == v[c];  // false for NaN only
    sum[c] += ok ? double(v[c]) : 0.0;
    count[c] += ok ? 1u : 0u;
  }
}

#if defined(__x86_64__)
// The same, 8 columns at a time (GCC does not vectorise the NaN test by itself).
__attribute__((target("avx2"))) void add_row_avx2(const float* v, double* sum, std::uint32_t* count,
                                                  std::size_t n) {
  std::size_t c = 0;
  for (; c + 8 <= n; c += 8) {
    const __m256 x = _mm256_loadu_ps(v + c);
    const __m256 ok = _mm256_cmp_ps(x, x, _CMP_ORD_Q);
    const __m256 kept = _mm256_and_ps(x, ok);  // NaN -> 0
    _mm256_storeu_pd(sum + c, _mm256_add_pd(_mm256_loadu_pd(sum + c),
                                            _mm256_cvtps_pd(_mm256_castps256_ps128(kept))));
    _mm256_storeu_pd(sum + c + 4, _mm256_add_pd(_mm256_loadu_pd(sum + c + 4),
                                                _mm256_cvtps_pd(_mm256_extractf128_ps(kept, 1))));
    __m256i* counts = reinterpret_cast<__m256i*>(count + c);
    _mm256_storeu_si256(counts, _mm256_sub_epi32(_mm256_loadu_si256(counts),
                                                 _mm256_castps_si256(ok)));  // ok is -1
  }
  add_row_scalar(v + c, sum + c, count + c, n - c);
}
#endif

void add_row(const float* v, double* sum, std::uint32_t* count, std::size_t n) {
#if defined(__x86_64__)
  if (cpu_has_avx2()) return add_row_avx2(v, sum, count, n);
#endif
  add_row_scalar(v, sum, count, n);
}

}  // namespace

std::string base64_encode(const std::string& bytes) {
  char* text = CPLBase64Encode(int(bytes.size()), reinterpret_cast<const GByte*>(bytes.data()));
  std::string out = text ? text : "";
  CPLFree(text);
  return out;
}

QuicklookGrid::QuicklookGrid(int raster_width, int raster_height, int max_pixels) {
  const double scale = std::max(1.0, double(std::max(raster_width, raster_height)) / max_pixels);
  width = std::max(1, int(std::lround(raster_width / scale)));
  height = std::max(1, int(std::lround(raster_height / scale)));
  cells_per_pixel_x = double(raster_width) / width;
  cells_per_pixel_y = double(raster_height) / height;
}

int QuicklookGrid::pixel_x(int col) const {
  return std::min(width - 1, int(std::floor((col + 0.5) / cells_per_pixel_x)));
}

int QuicklookGrid::pixel_y(int row) const {
  return std::min(height - 1, int(std::floor((row + 0.5) / cells_per_pixel_y)));
}

QuicklookSums::QuicklookSums(const QuicklookGrid& grid, const Window& tile, const float* values) {
  if (tile.cell_count() == 0) return;
  m_x0 = grid.pixel_x(tile.col);
  m_y0 = grid.pixel_y(tile.row);
  m_width = grid.pixel_x(tile.col + tile.width - 1) - m_x0 + 1;
  m_height = grid.pixel_y(tile.row + tile.height - 1) - m_y0 + 1;
  m_sum.assign(std::size_t(m_width) * std::size_t(m_height), 0.0);
  m_count.assign(m_sum.size(), 0);
  // The rows that share a pixel row are first added column by column (every
  // column its own lane, so it vectorises), then each run of columns that
  // shares a pixel is added to its pixel once.
  struct Run {
    int begin, end, pixel;
  };
  std::vector<Run> runs;
  for (int c = 0; c < tile.width; ++c) {
    const int px = grid.pixel_x(tile.col + c) - m_x0;
    if (runs.empty() || runs.back().pixel != px) runs.push_back({c, c, px});
    runs.back().end = c + 1;
  }
  const std::size_t width = std::size_t(tile.width);
  std::vector<double> column_sum(width);
  std::vector<std::uint32_t> column_count(width);
  for (int r = 0; r < tile.height;) {
    const int pixel_row = grid.pixel_y(tile.row + r);
    std::fill(column_sum.begin(), column_sum.end(), 0.0);
    std::fill(column_count.begin(), column_count.end(), 0u);
    for (; r < tile.height && grid.pixel_y(tile.row + r) == pixel_row; ++r)
      add_row(values + std::size_t(r) * width, column_sum.data(), column_count.data(), width);
    const std::size_t row_base = std::size_t(pixel_row - m_y0) * std::size_t(m_width);
    for (const Run& run : runs) {
      double sum = 0;
      std::uint32_t count = 0;
      for (int c = run.begin; c < run.end; ++c) {
        sum += column_sum[std::size_t(c)];
        count += column_count[std::size_t(c)];
      }
      m_sum[row_base + std::size_t(run.pixel)] += sum;
      m_count[row_base + std::size_t(run.pixel)] += count;
    }
  }
}

QuicklookSums::QuicklookSums(const QuicklookGrid& grid)
    : m_width(grid.width),
      m_height(grid.height),
      m_sum(std::size_t(grid.width) * std::size_t(grid.height), 0.0),
      m_count(m_sum.size(), 0) {}

void QuicklookSums::merge(const QuicklookSums& part) {
  for (int r = 0; r < part.m_height; ++r)
    for (int c = 0; c < part.m_width; ++c) {
      const std::size_t from = std::size_t(r) * std::size_t(part.m_width) + std::size_t(c);
      const std::size_t to = std::size_t(part.m_y0 - m_y0 + r) * std::size_t(m_width) +
                             std::size_t(part.m_x0 - m_x0 + c);
      m_sum[to] += part.m_sum[from];
      m_count[to] += part.m_count[from];
    }
}

std::vector<float> QuicklookSums::means(const QuicklookGrid& grid) const {
  std::vector<float> out(std::size_t(grid.width) * std::size_t(grid.height), NAN);
  for (int r = 0; r < m_height; ++r)
    for (int c = 0; c < m_width; ++c) {
      const std::size_t from = std::size_t(r) * std::size_t(m_width) + std::size_t(c);
      if (m_count[from] > 0)
        out[std::size_t(m_y0 + r) * std::size_t(grid.width) + std::size_t(m_x0 + c)] =
            float(m_sum[from] / m_count[from]);
    }
  return out;
}

Quicklook render_quicklook(const std::string& path, int band, int max_pixels,
                           std::vector<AreaBreak> breaks) {
  DatasetPtr ds = open_raster(path);
  GDALRasterBand* b = ds->GetRasterBand(band);
  const int w = ds->GetRasterXSize(), h = ds->GetRasterYSize();
  const QuicklookGrid grid(w, h, max_pixels);
  std::array<double, 6> gt{};
  ds->GetGeoTransform(gt.data());
  std::vector<float> v(std::size_t(grid.width) * std::size_t(grid.height));
  GDALRasterIOExtraArg extra;
  INIT_RASTERIO_EXTRA_ARG(extra);
  extra.eResampleAlg = GRIORA_Average;  // nodata cells are left out of the averages
  if (b->RasterIO(GF_Read, 0, 0, w, h, v.data(), grid.width, grid.height, GDT_Float32, 0, 0,
                  &extra) != CE_None)
    throw Error(ErrorKind::run_failed,
                "cannot read band " + std::to_string(band) + " for the report's map",
                ErrorContext{path, "", "", "drawing the report", 0, 0}, "");
  int has_nodata = 0;
  const double nodata = b->GetNoDataValue(&has_nodata);
  if (has_nodata)
    for (float& x : v)
      if (x == float(nodata)) x = NAN;
  return draw_quicklook(grid, gt, w, h, std::move(v), std::move(breaks));
}

Quicklook draw_quicklook(const QuicklookGrid& grid, const std::array<double, 6>& gt,
                         int raster_width, int raster_height, std::vector<float> v,
                         std::vector<AreaBreak> breaks) {
  Quicklook q;
  q.width = grid.width;
  q.height = grid.height;
  q.geotransform = {gt[0], gt[1] * raster_width / q.width,  0, gt[3],
                    0,     gt[5] * raster_height / q.height};
  std::vector<float> valid;
  for (float x : v)
    if (!std::isnan(x)) valid.push_back(x);
  if (breaks.empty() && !valid.empty()) {
    std::sort(valid.begin(), valid.end());
    for (double p : score_style_percents()) {
      const std::size_t rank =
          std::min(valid.size() - 1, std::size_t(double(valid.size()) * (1 - p / 100.0)));
      const float value = valid[rank];
      const auto first_at = std::lower_bound(valid.begin(), valid.end(), value);
      breaks.push_back({p, value, 100.0 * double(valid.end() - first_at) / double(valid.size())});
    }
  }
  const std::vector<ScoreClass> classes = score_classes(std::move(breaks));
  // Brightest (top) first, as a legend reads.
  for (auto c = classes.rbegin(); c != classes.rend(); ++c)
    q.legend.push_back({c->colour, c->label});
  if (classes.empty()) q.legend.push_back({score_class_colours().front(), "all cells"});

  DatasetPtr mem(GetGDALDriverManager()->GetDriverByName("MEM")->Create("", q.width, q.height, 4,
                                                                        GDT_Byte, nullptr));
  std::vector<unsigned char> channel(v.size());
  std::vector<std::array<unsigned char, 3>> palette;
  for (const ScoreClass& c : classes) palette.push_back(rgb(c.colour));
  if (classes.empty()) palette.push_back(rgb(score_class_colours().front()));
  for (int c = 0; c < 4; ++c) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (std::isnan(v[i])) {
        channel[i] = 0;
        continue;
      }
      channel[i] = c == 3 ? 255 : palette[score_class_of(classes, v[i])][std::size_t(c)];
    }
    if (mem->GetRasterBand(c + 1)->RasterIO(GF_Write, 0, 0, q.width, q.height, channel.data(),
                                            q.width, q.height, GDT_Byte, 0, 0, nullptr) != CE_None)
      throw Error(ErrorKind::run_failed, "cannot draw the report's map in memory", {}, "");
  }
  const std::string png_path = "/vsimem/prospect_quicklook_" +
                               std::to_string(reinterpret_cast<std::uintptr_t>(mem.get())) + ".png";
  {
    DatasetPtr png(GetGDALDriverManager()->GetDriverByName("PNG")->CreateCopy(
        png_path.c_str(), mem.get(), FALSE, nullptr, nullptr, nullptr));
    if (!png) throw Error(ErrorKind::run_failed, "cannot encode the report's map as PNG", {}, "");
  }
  q.png = take_memory_file(png_path);
  VSIUnlink((png_path + ".aux.xml").c_str());
  return q;
}

}  // namespace prospect
