#include "prospect/output/quicklook.hpp"

#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal_priv.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "prospect/core/error.hpp"
#include "prospect/output/svg_plot.hpp"
#include "prospect/raster/gdal_handles.hpp"

namespace prospect {
namespace {

std::array<unsigned char, 3> rgb(const std::string& hex) {
  unsigned r = 0, g = 0, b = 0;
  std::sscanf(hex.c_str(), "#%02x%02x%02x", &r, &g, &b);
  return {static_cast<unsigned char>(r), static_cast<unsigned char>(g), static_cast<unsigned char>(b)};
}

std::string percent_text(double p) { return format_number(p, 3); }

}  // namespace

std::string base64_encode(const std::string& bytes) {
  char* text = CPLBase64Encode(int(bytes.size()), reinterpret_cast<const GByte*>(bytes.data()));
  std::string out = text ? text : "";
  CPLFree(text);
  return out;
}

Quicklook render_quicklook(const std::string& path, int band, int max_pixels, std::vector<AreaBreak> breaks) {
  DatasetPtr ds = open_raster(path);
  GDALRasterBand* b = ds->GetRasterBand(band);
  Quicklook q;
  const int w = ds->GetRasterXSize(), h = ds->GetRasterYSize();
  const double scale = std::max(1.0, double(std::max(w, h)) / max_pixels);
  q.width = std::max(1, int(std::lround(w / scale)));
  q.height = std::max(1, int(std::lround(h / scale)));
  std::array<double, 6> gt{};
  ds->GetGeoTransform(gt.data());
  q.geotransform = {gt[0], gt[1] * w / q.width, 0, gt[3], 0, gt[5] * h / q.height};

  std::vector<float> v(std::size_t(q.width) * std::size_t(q.height));
  GDALRasterIOExtraArg extra;
  INIT_RASTERIO_EXTRA_ARG(extra);
  extra.eResampleAlg = GRIORA_Average;  // nodata cells are left out of the averages
  if (b->RasterIO(GF_Read, 0, 0, w, h, v.data(), q.width, q.height, GDT_Float32, 0, 0, &extra) != CE_None)
    throw Error(ErrorKind::run_failed, "cannot read band " + std::to_string(band) + " for the report's map",
                ErrorContext{path, "", "", "drawing the report", 0, 0}, "");
  int has_nodata = 0;
  const double nodata = b->GetNoDataValue(&has_nodata);
  std::vector<float> valid;
  for (float& x : v) {
    if (has_nodata && x == float(nodata)) x = NAN;
    if (!std::isnan(x)) valid.push_back(x);
  }
  if (breaks.empty() && !valid.empty()) {
    std::sort(valid.begin(), valid.end());
    for (double p : score_style_percents()) {
      const std::size_t rank = std::min(valid.size() - 1, std::size_t(double(valid.size()) * (1 - p / 100.0)));
      breaks.push_back({p, valid[rank]});
    }
  }
  std::sort(breaks.begin(), breaks.end(), [](const AreaBreak& a, const AreaBreak& c) { return a.percent > c.percent; });
  // Class k (0 = lower 50 %): the highest break the value reaches, as the style's ">=" does.
  const auto& colours = score_class_colours();
  auto class_of = [&](float x) {
    int k = 0;
    for (std::size_t i = 0; i < breaks.size(); ++i)
      if (x >= breaks[i].value) k = int(i) + 1;
    return std::min(k, 5);
  };
  for (int k = int(breaks.size()); k >= 0; --k) {
    std::string label;
    if (k == 0)
      label = breaks.empty() ? "all cells" : "lower " + percent_text(100 - breaks[0].percent) + " % (< " +
                                                  format_number(breaks[0].value) + ")";
    else if (std::size_t(k) == breaks.size())
      label = "top " + percent_text(breaks[std::size_t(k - 1)].percent) + " % (≥ " +
              format_number(breaks[std::size_t(k - 1)].value) + ")";
    else
      label = "top " + percent_text(breaks[std::size_t(k - 1)].percent) + "–" +
              percent_text(breaks[std::size_t(k)].percent) + " % (" + format_number(breaks[std::size_t(k - 1)].value) +
              "–" + format_number(breaks[std::size_t(k)].value) + ")";
    q.legend.push_back({colours[std::size_t(std::min(k, 5))], label});
  }

  DatasetPtr mem(GetGDALDriverManager()->GetDriverByName("MEM")->Create("", q.width, q.height, 4, GDT_Byte, nullptr));
  std::vector<unsigned char> channel(v.size());
  for (int c = 0; c < 4; ++c) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (std::isnan(v[i])) {
        channel[i] = 0;
        continue;
      }
      channel[i] = c == 3 ? 255 : rgb(colours[std::size_t(class_of(v[i]))])[std::size_t(c)];
    }
    if (mem->GetRasterBand(c + 1)->RasterIO(GF_Write, 0, 0, q.width, q.height, channel.data(), q.width, q.height,
                                            GDT_Byte, 0, 0, nullptr) != CE_None)
      throw Error(ErrorKind::run_failed, "cannot draw the report's map in memory", {}, "");
  }
  const std::string png_path = "/vsimem/prospect_quicklook_" + std::to_string(reinterpret_cast<std::uintptr_t>(mem.get())) + ".png";
  {
    DatasetPtr png(GetGDALDriverManager()->GetDriverByName("PNG")->CreateCopy(png_path.c_str(), mem.get(), FALSE,
                                                                               nullptr, nullptr, nullptr));
    if (!png) throw Error(ErrorKind::run_failed, "cannot encode the report's map as PNG", {}, "");
  }
  vsi_l_offset size = 0;
  GByte* data = VSIGetMemFileBuffer(png_path.c_str(), &size, FALSE);
  q.png.assign(reinterpret_cast<const char*>(data), std::size_t(size));
  VSIUnlink(png_path.c_str());
  VSIUnlink((png_path + ".aux.xml").c_str());
  return q;
}

}  // namespace prospect
