// The shipped Lofdal demo: both templates run on the synthetic survey, and each
// element's map must find the generator's held-out occurrences ("undiscovered",
// never seen by the models) far better than chance. AUC is computed here on its
// own, from the written raster and the held-out points, and prospect's
// validation.json must give the same numbers.

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "prospect/cli/cli.hpp"
#include "prospect/raster/gdal_handles.hpp"
#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;

namespace {

struct Band {
  std::vector<float> values;
  double gt[6];
  int width = 0, height = 0;
};

Band read_band(const std::string& path, const std::string& name) {
  Band b;
  DatasetPtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
  EXPECT_TRUE(ds);
  ds->GetGeoTransform(b.gt);
  b.width = ds->GetRasterXSize();
  b.height = ds->GetRasterYSize();
  for (int i = 1; i <= ds->GetRasterCount(); ++i) {
    if (name != ds->GetRasterBand(i)->GetDescription()) continue;
    b.values.resize(std::size_t(b.width) * b.height);
    EXPECT_EQ(ds->GetRasterBand(i)->RasterIO(GF_Read, 0, 0, b.width, b.height, b.values.data(),
                                             b.width, b.height, GDT_Float32, 0, 0, nullptr),
              CE_None);
  }
  EXPECT_FALSE(b.values.empty()) << "no band " << name;
  return b;
}

// Scores of the cells under the occurrences (held-out by default) that pass `where`.
std::vector<float> scores_at_truth(const Band& band, const std::string& where,
                                   const std::string& file = "lofdal_undiscovered_truth.geojson") {
  const std::string path = std::string(PROSPECT_SOURCE_DIR) + "/vectors/" + file;
  DatasetPtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
  OGRLayer* layer = ds->GetLayer(0);
  layer->SetAttributeFilter(where.c_str());
  OGRSpatialReference utm;
  utm.importFromEPSG(32733);
  utm.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  OGRSpatialReference lonlat;
  lonlat.importFromEPSG(4326);
  lonlat.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&lonlat, &utm));
  std::vector<float> out;
  for (auto& f : *layer) {
    double x = f->GetGeometryRef()->toPoint()->getX(), y = f->GetGeometryRef()->toPoint()->getY();
    ct->Transform(1, &x, &y);
    const int col = int((x - band.gt[0]) / band.gt[1]), row = int((y - band.gt[3]) / band.gt[5]);
    if (col < 0 || row < 0 || col >= band.width || row >= band.height) continue;
    const float v = band.values[std::size_t(row) * band.width + col];
    if (v != -9999.0f) out.push_back(v);
  }
  return out;
}

// P(score at a held-out occurrence > score of a random valid cell), ties one half.
double auc(const Band& band, const std::vector<float>& deposit_scores) {
  std::vector<float> cells;
  for (float v : band.values)
    if (v != -9999.0f) cells.push_back(v);
  std::sort(cells.begin(), cells.end());
  double sum = 0;
  for (float d : deposit_scores) {
    const auto lo = std::lower_bound(cells.begin(), cells.end(), d);
    const auto hi = std::upper_bound(cells.begin(), cells.end(), d);
    sum += double(lo - cells.begin()) + 0.5 * double(hi - lo);
  }
  return sum / (double(deposit_scores.size()) * double(cells.size()));
}

void expect_recovers_truth(const std::string& model, double min_auc) {
  TempDir dir;
  std::ostringstream out, err;
  const std::string path = std::string(PROSPECT_SOURCE_DIR) + "/docs/examples/" + model;
  ASSERT_EQ(run_cli({"prospect", "run", path, "--out", dir.file("out"), "--quiet"}, out, err), 0)
      << err.str();
  const std::pair<const char*, const char*> elements[] = {
      {"Dy", "Dy_ppm >= 300"}, {"Tb", "Tb_ppm >= 50"}, {"Y", "Y_ppm >= 1500"}};
  for (const auto& [element, where] : elements) {
    const Band band = read_band(dir.file("out/prospectivity.tif"), element);
    const auto at_truth = scores_at_truth(band, where);
    ASSERT_GE(at_truth.size(), 10u) << element;
    const double a = auc(band, at_truth);
    std::printf("%s %s: AUC %.3f on %zu held-out occurrences\n", model.c_str(), element, a,
                at_truth.size());
    EXPECT_GT(a, min_auc) << model << " " << element;
    // prospect's own validation.json, per element on the same held-out subset, must agree.
    std::ifstream in(dir.file("out/validation.json"));
    const auto validation = nlohmann::json::parse(in);
    bool found = false;
    for (const auto& b : validation["bands"])
      if (b["band"] == element) {
        found = true;
        EXPECT_EQ(b["deposits_scored"].get<std::size_t>(), at_truth.size()) << element;
        EXPECT_NEAR(b["auc"].get<double>(), a, 1e-9) << element;
      }
    EXPECT_TRUE(found) << element;
    // Cross-validation's full-fit AUC (from unique conditions, not the map) is the
    // training occurrences' AUC on the written map.
    if (!validation.contains("cross_validation")) continue;
    const double training_auc =
        auc(band, scores_at_truth(band, where, "lofdal_occurrences.geojson"));
    found = false;
    for (const auto& cv : validation["cross_validation"]["scores"])
      if (cv["band"] == element) {
        found = true;
        EXPECT_NEAR(cv["auc_full_fit"].get<double>(), training_auc, 1e-9) << element;
        EXPECT_GT(cv["auc_pooled"].get<double>(), 0.8) << element;
      }
    EXPECT_TRUE(found) << element;
  }
}

}  // namespace

TEST(LofdalDemo, FuzzyMapsRecoverTheHiddenTruthPerElement) {
  expect_recovers_truth("lofdal.yaml", 0.85);  // measured 0.95-0.98
}

TEST(LofdalDemo, WeightsOfEvidenceMapsRecoverTheHiddenTruthPerElement) {
  expect_recovers_truth("lofdal-wofe.yaml", 0.8);  // measured 0.91-0.94
}
