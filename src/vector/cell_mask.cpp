#include "prospect/vector/cell_mask.hpp"

#include <gdal_alg.h>

#include <cstring>

namespace prospect {

void mark_cells_inside(const AnalysisGrid& grid, const Window& w,
                       const std::vector<GeometryPtr>& polygons,
                       const std::vector<OGREnvelope>& envelopes, unsigned char* inside) {
  std::memset(inside, 0, w.cell_count());
  const auto gt = grid.geotransform(w.col, w.row);
  const double min_x = gt[0], max_x = gt[0] + w.width * gt[1];
  const double max_y = gt[3], min_y = gt[3] + w.height * gt[5];
  std::vector<OGRGeometryH> hits;
  for (std::size_t i = 0; i < polygons.size(); ++i) {
    const OGREnvelope& e = envelopes[i];
    if (e.MaxX < min_x || e.MinX > max_x || e.MaxY < min_y || e.MinY > max_y) continue;
    hits.push_back(OGRGeometry::ToHandle(polygons[i].get()));
  }
  if (hits.empty()) return;

  GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
  DatasetPtr ds(mem->Create("", w.width, w.height, 1, GDT_Byte, nullptr));
  ds->SetGeoTransform(const_cast<double*>(gt.data()));
  int band = 1;
  std::vector<double> burn(hits.size(), 1.0);
  CPLErrorReset();
  if (GDALRasterizeGeometries(GDALDataset::ToHandle(ds.get()), 1, &band, int(hits.size()),
                              hits.data(), nullptr, nullptr, burn.data(), nullptr, nullptr,
                              nullptr) != CE_None)
    throw_gdal(ErrorKind::run_failed, "could not rasterize polygons onto the grid", {});
  if (ds->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, w.width, w.height, inside, w.width, w.height,
                                     GDT_Byte, 0, 0, nullptr) != CE_None)
    throw_gdal(ErrorKind::run_failed, "could not read the rasterized polygons", {});
}

}  // namespace prospect
