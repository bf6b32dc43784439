#include "prospect/raster/raster_source.hpp"

#include <cpl_conv.h>
#include <gdalwarper.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

#include "prospect/core/interrupt.hpp"
#include "prospect/core/vector_clones.hpp"

namespace prospect {
namespace {

// Written by the warper where it has no source data; never a real value here.
constexpr float k_warp_nodata = -3.0e38f;

const std::map<std::string, GDALResampleAlg>& resampling_table() {
  static const std::map<std::string, GDALResampleAlg> table = {{"nearest", GRA_NearestNeighbour},
                                                               {"bilinear", GRA_Bilinear},
                                                               {"cubic", GRA_Cubic},
                                                               {"cubicspline", GRA_CubicSpline},
                                                               {"lanczos", GRA_Lanczos},
                                                               {"average", GRA_Average},
                                                               {"mode", GRA_Mode},
                                                               {"min", GRA_Min},
                                                               {"max", GRA_Max},
                                                               {"med", GRA_Med},
                                                               {"q1", GRA_Q1},
                                                               {"q3", GRA_Q3},
                                                               {"sum", GRA_Sum},
                                                               {"rms", GRA_RMS}};
  return table;
}

bool near_integer(double v) { return std::abs(v - std::round(v)) < 1e-6; }

ErrorContext context_for(const RasterInput& in, const std::string& step) {
  ErrorContext c;
  c.file = in.path;
  c.layer = "band " + std::to_string(in.band);
  c.step = step;
  return c;
}

}  // namespace

const std::vector<std::string>& resampling_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& [k, v] : resampling_table()) n.push_back(k);
    return n;
  }();
  return names;
}

RasterSource::RasterSource(const RasterInput& input, const AnalysisGrid& grid)
    : m_input(input), m_grid(grid) {
  {
    // Uncompressed GeoTIFF blocks are read straight into the tile buffer instead
    // of through GDAL's block cache: a copy less, and the cache does not fill
    // with inputs (peak memory of an 8-input 8000 x 8000 run: 378 -> 124 MiB).
    CPLConfigOptionSetter direct_io("GTIFF_DIRECT_IO", "YES", true);
    m_source = open_raster(input.path);
  }
  if (input.band < 1 || input.band > m_source->GetRasterCount())
    throw Error(ErrorKind::bad_input,
                "has no band " + std::to_string(input.band) + " (it has " +
                    std::to_string(m_source->GetRasterCount()) + ")",
                context_for(input, "opening the raster"), "set band: to an existing band");
  m_band = m_source->GetRasterBand(input.band);
  int has = 0;
  m_nodata = m_band->GetNoDataValue(&has);
  m_has_nodata = has != 0;
  m_scale = m_band->GetScale();
  m_offset = m_band->GetOffset();

  double gt[6];
  if (m_source->GetGeoTransform(gt) != CE_None)
    throw Error(ErrorKind::bad_input, "has no georeferencing (no geotransform)",
                context_for(input, "placing the raster on the grid"),
                "georeference it first (for example with gdal_translate -a_ullr)");

  OGRSpatialReference src_srs;
  if (!input.crs.empty()) {
    src_srs = srs_from(crs_to_wkt(input.crs, input.path));
  } else if (const OGRSpatialReference* s = m_source->GetSpatialRef()) {
    src_srs = *s;
    src_srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  } else {
    throw Error(ErrorKind::bad_input, "has no coordinate reference system",
                context_for(input, "placing the raster on the grid"),
                "add 'crs: EPSG:<code>' to this input in the model file if you know it");
  }
  OGRSpatialReference grid_srs = srs_from(grid.crs_wkt());

  // Where the raster lies, in grid coordinates: refuse inputs that miss the grid.
  const double w = m_source->GetRasterXSize(), h = m_source->GetRasterYSize();
  double xs[4] = {gt[0], gt[0] + w * gt[1], gt[0] + h * gt[2], gt[0] + w * gt[1] + h * gt[2]};
  double ys[4] = {gt[3], gt[3] + w * gt[4], gt[3] + h * gt[5], gt[3] + w * gt[4] + h * gt[5]};
  Extent src{*std::min_element(xs, xs + 4), *std::min_element(ys, ys + 4),
             *std::max_element(xs, xs + 4), *std::max_element(ys, ys + 4)};
  Extent in_grid = src;
  if (!src_srs.IsSame(&grid_srs)) {
    TransformPtr ct(OGRCreateCoordinateTransformation(&src_srs, &grid_srs));
    if (!ct || !ct->TransformBounds(src.min_x, src.min_y, src.max_x, src.max_y, &in_grid.min_x,
                                    &in_grid.min_y, &in_grid.max_x, &in_grid.max_y, 21))
      throw_gdal(ErrorKind::bad_input, "cannot be transformed into the grid CRS",
                 context_for(input, "placing the raster on the grid"),
                 "check the raster's CRS (or the crs: override in the model file)");
  }
  const Extent g = grid.extent();
  if (!in_grid.intersects(g)) {
    char msg[512];
    std::snprintf(msg, sizeof msg,
                  "does not overlap the analysis grid: the raster covers x %.1f..%.1f, y "
                  "%.1f..%.1f in the grid CRS, the grid x %.1f..%.1f, y %.1f..%.1f",
                  in_grid.min_x, in_grid.max_x, in_grid.min_y, in_grid.max_y, g.min_x, g.max_x,
                  g.min_y, g.max_y);
    throw Error(ErrorKind::bad_input, msg, context_for(input, "placing the raster on the grid"),
                "check the grid extent and the raster's CRS");
  }

  // A raster far finer than the grid would be read whole for a coarse result
  // (the warper reads every source cell under each tile): a sparse 10^6 x 10^6
  // GeoTIFF is a few KB on disk and 10^12 cells to read. Refused above 4e9 cells.
  const double cs = grid.cell_size();
  {
    const double area = (in_grid.max_x - in_grid.min_x) * (in_grid.max_y - in_grid.min_y);
    const double overlap = (std::min(in_grid.max_x, g.max_x) - std::max(in_grid.min_x, g.min_x)) *
                           (std::min(in_grid.max_y, g.max_y) - std::max(in_grid.min_y, g.min_y));
    const double cells_read = area > 0 ? w * h * std::min(1.0, overlap / area) : w * h;
    const double finer = area > 0 ? w * h * cs * cs / area : 1.0;  // source cells per grid cell
    if (cells_read > k_max_warp_cells && finer > 16) {
      char msg[300];
      std::snprintf(msg, sizeof msg,
                    "would need about %.3g of its cells read to fill the grid (%.3g cells of this "
                    "raster per grid "
                    "cell); the limit is %.3g",
                    cells_read, finer, k_max_warp_cells);
      char hint[200];
      std::snprintf(
          hint, sizeof hint,
          "make a copy near the grid's cell size first, e.g. gdalwarp -tr %g %g -r average IN OUT",
          cs, cs);
      throw Error(ErrorKind::bad_input, msg, context_for(input, "placing the raster on the grid"),
                  hint);
    }
  }
  m_aligned = src_srs.IsSame(&grid_srs) && gt[2] == 0 && gt[4] == 0 &&
              std::abs(gt[1] - cs) < 1e-9 * cs && std::abs(-gt[5] - cs) < 1e-9 * cs &&
              near_integer((grid.origin_x() - gt[0]) / cs) &&
              near_integer((gt[3] - grid.origin_y()) / cs);
  if (m_aligned) {
    m_col_shift = int(std::lround((grid.origin_x() - gt[0]) / cs));
    m_row_shift = int(std::lround((gt[3] - grid.origin_y()) / cs));
    m_direct = UncompressedTiffBand::open(*m_source, *m_band, input.path);
    return;
  }

  const auto alg = resampling_table().find(input.resampling);
  if (alg == resampling_table().end())
    throw Error(ErrorKind::bad_model, "unknown resampling '" + input.resampling + "'",
                context_for(input, "placing the raster on the grid"));

  m_resampling = int(alg->second);
  std::string src_wkt;
  {
    char* wkt = nullptr;
    src_srs.exportToWkt(&wkt);
    src_wkt = wkt ? wkt : "";
    CPLFree(wkt);
  }
  CPLStringList transformer_options;
  transformer_options.SetNameValue("SRC_SRS", src_wkt.c_str());
  transformer_options.SetNameValue("DST_SRS", grid.crs_wkt().c_str());
  m_transformer.reset(GDALCreateGenImgProjTransformer2(GDALDataset::ToHandle(m_source.get()),
                                                       nullptr, transformer_options.List()));
  if (!m_transformer)
    throw_gdal(ErrorKind::bad_input, "cannot be reprojected onto the grid",
               context_for(input, "warping onto the grid"));
}

void RasterSource::hash_reads(std::shared_ptr<FileHasher> hasher) {
  if (m_direct) m_direct->hash_reads(std::move(hasher));
}

void RasterSource::TransformerDeleter::operator()(void* t) const { GDALDestroyTransformer(t); }

void RasterSource::read(const Window& w, float* out) {
  if (m_aligned)
    read_aligned(w, out);
  else
    read_warped(w, out);
}

void RasterSource::read_aligned(const Window& w, float* out) {
  const int src_w = m_source->GetRasterXSize(), src_h = m_source->GetRasterYSize();
  const int c0 = std::max(w.col + m_col_shift, 0), r0 = std::max(w.row + m_row_shift, 0);
  const int c1 = std::min(w.col + w.width + m_col_shift, src_w);
  const int r1 = std::min(w.row + w.height + m_row_shift, src_h);
  const bool covers = c0 == w.col + m_col_shift && r0 == w.row + m_row_shift &&
                      c1 - c0 == w.width && r1 - r0 == w.height;
  if (!covers) std::fill(out, out + w.cell_count(), std::numeric_limits<float>::quiet_NaN());
  if (c1 > c0 && r1 > r0) {
    float* dst = out + std::size_t(r0 - m_row_shift - w.row) * w.width + (c0 - m_col_shift - w.col);
    if (m_direct && m_direct->read(c0, r0, c1, r1, dst, std::size_t(w.width),
                                   [this](const float* from, float* to, std::size_t n) {
                                     to_values(from, to, n, false);
                                   }))
      return;
    CPLErrorReset();
    if (m_band->RasterIO(GF_Read, c0, r0, c1 - c0, r1 - r0, dst, c1 - c0, r1 - r0, GDT_Float32,
                         sizeof(float), GSpacing(sizeof(float)) * w.width, nullptr) != CE_None)
      throw_gdal(ErrorKind::bad_input, "could not be read (the file may be truncated or corrupt)",
                 context_for(m_input, "reading"));
    for (int r = 0; r < r1 - r0; ++r) {
      float* row = dst + std::size_t(r) * w.width;
      to_values(row, row, std::size_t(c1 - c0), false);
    }
  }
}

void RasterSource::read_warped(const Window& w, float* out) {
  // A MEM dataset over the caller's buffer is the warp target for this tile.
  GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
  DatasetPtr tile(mem->Create("", w.width, w.height, 0, GDT_Float32, nullptr));
  char pointer[64];
  std::snprintf(pointer, sizeof pointer, "DATAPOINTER=%p", static_cast<void*>(out));
  const char* band_options[] = {pointer, nullptr};
  tile->AddBand(GDT_Float32, const_cast<char**>(band_options));
  const auto gt = m_grid.geotransform(w.col, w.row);
  tile->SetGeoTransform(const_cast<double*>(gt.data()));
  GDALSetGenImgProjTransformerDstGeoTransform(m_transformer.get(), gt.data());

  GDALWarpOptions* wo = GDALCreateWarpOptions();
  wo->hSrcDS = GDALDataset::ToHandle(m_source.get());
  wo->hDstDS = GDALDataset::ToHandle(tile.get());
  wo->eResampleAlg = GDALResampleAlg(m_resampling);
  wo->eWorkingDataType = GDT_Float32;
  wo->nBandCount = 1;
  wo->panSrcBands = static_cast<int*>(CPLMalloc(sizeof(int)));
  wo->panSrcBands[0] = m_input.band;
  wo->panDstBands = static_cast<int*>(CPLMalloc(sizeof(int)));
  wo->panDstBands[0] = 1;
  if (m_has_nodata) {
    wo->padfSrcNoDataReal = static_cast<double*>(CPLMalloc(sizeof(double)));
    wo->padfSrcNoDataReal[0] = m_nodata;
  }
  wo->padfDstNoDataReal = static_cast<double*>(CPLMalloc(sizeof(double)));
  wo->padfDstNoDataReal[0] = k_warp_nodata;
  wo->papszWarpOptions = CSLSetNameValue(wo->papszWarpOptions, "INIT_DEST", "NO_DATA");
  wo->pfnTransformer = GDALGenImgProjTransform;
  wo->pTransformerArg = m_transformer.get();
  // The warper asks between its chunks: Ctrl-C stops a long warp within one chunk.
  wo->pfnProgress = stop_on_interrupt;

  GDALWarpOperation op;
  CPLErrorReset();
  CPLErr status = op.Initialize(wo);
  if (status == CE_None) status = op.ChunkAndWarpImage(0, 0, w.width, w.height);
  wo->pTransformerArg = nullptr;  // ours, not the options'
  GDALDestroyWarpOptions(wo);
  tile.reset();
  throw_if_interrupted();  // a warp stopped by the progress callback is not a bad input
  if (status != CE_None)
    throw_gdal(ErrorKind::bad_input, "could not be read (the file may be truncated or corrupt)",
               context_for(m_input, "warping onto the grid"));
  to_values(out, out, w.cell_count(), true);
}

PROSPECT_VECTOR_CLONES
void RasterSource::to_values(const float* from, float* v, std::size_t n, bool sentinel) const {
  // Simple loops: each vectorises. With a scale or offset, the first reads
  // `from` and the rest work on `v` while it is in cache.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const bool nodata = m_has_nodata && !std::isnan(m_nodata);
  const float missing = sentinel ? k_warp_nodata : float(m_nodata);
  // +-Inf is no measurement (an overflowed or undefined value): missing data,
  // like nodata, never a value that wins every comparison (docs/reliability.md).
  if (m_scale == 1.0 && m_offset == 0.0) {  // the common case in one pass
    if (sentinel || nodata) {
      for (std::size_t i = 0; i < n; ++i) {
        const float x = from[i];
        v[i] = x == missing || std::isinf(x) ? nan : x;
      }
    } else {
      for (std::size_t i = 0; i < n; ++i) v[i] = std::isinf(from[i]) ? nan : from[i];
    }
    return;
  }
  if (sentinel || nodata) {
    for (std::size_t i = 0; i < n; ++i) v[i] = from[i] == missing ? nan : from[i];
  } else if (from != v) {
    std::copy(from, from + n, v);
  }
  const float scale = float(m_scale), offset = float(m_offset);
  for (std::size_t i = 0; i < n; ++i) v[i] = v[i] * scale + offset;
  for (std::size_t i = 0; i < n; ++i) v[i] = std::isinf(v[i]) ? nan : v[i];
}

}  // namespace prospect
