#include "prospect/vector/study_area.hpp"

#include <gdal_alg.h>

#include <algorithm>
#include <cstring>

namespace prospect {

StudyArea::StudyArea(const AnalysisGrid& grid) : m_grid(grid) {}

StudyArea::StudyArea(const AnalysisGrid& grid, FeatureSet polygons, const std::string& source)
    : m_grid(grid) {
  ErrorContext c;
  c.file = source;
  c.layer = polygons.layer_name;
  c.step = "reading the study area";
  if (polygons.geometries.empty())
    throw Error(ErrorKind::bad_input, "holds no features (after the filter, if any)", c,
                "check the file and the 'where' filter of study_area");
  for (const auto& g : polygons.geometries) {
    const auto type = wkbFlatten(g->getGeometryType());
    if (type != wkbPolygon && type != wkbMultiPolygon && type != wkbGeometryCollection)
      throw Error(ErrorKind::bad_input,
                  std::string("holds ") + OGRGeometryTypeToName(g->getGeometryType()) +
                      " geometries; a study area must be polygons",
                  c);
  }
  if (!polygons.extent.intersects(grid.extent()))
    throw Error(ErrorKind::bad_input, "does not overlap the analysis grid", c,
                "check the grid extent and the study area's CRS");
  m_polygons = std::move(polygons);
}

void StudyArea::mask(const Window& w, unsigned char* inside) const {
  const std::size_t n = w.cell_count();
  if (!m_polygons) {
    std::memset(inside, 1, n);
    return;
  }
  std::memset(inside, 0, n);
  const auto gt = m_grid.geotransform(w.col, w.row);
  const double min_x = gt[0], max_x = gt[0] + w.width * gt[1];
  const double max_y = gt[3], min_y = gt[3] + w.height * gt[5];
  std::vector<OGRGeometryH> hits;
  for (std::size_t i = 0; i < m_polygons->geometries.size(); ++i) {
    const OGREnvelope& e = m_polygons->envelopes[i];
    if (e.MaxX < min_x || e.MinX > max_x || e.MaxY < min_y || e.MinY > max_y) continue;
    hits.push_back(OGRGeometry::ToHandle(m_polygons->geometries[i].get()));
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
    throw_gdal(ErrorKind::run_failed, "could not rasterize the study area", {});
  if (ds->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, w.width, w.height, inside, w.width, w.height,
                                     GDT_Byte, 0, 0, nullptr) != CE_None)
    throw_gdal(ErrorKind::run_failed, "could not read the study-area mask", {});
}

}  // namespace prospect
