#include "prospect/output/targets.hpp"

#include <gdal_alg.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <set>
#include <string>
#include <vector>

#include "prospect/core/error.hpp"
#include "prospect/core/interrupt.hpp"
#include "prospect/core/tiles.hpp"

using namespace prospect;

namespace {

// A 16 x 16 grid of 10 m cells; target cells score 1, the rest 0.
struct ZoneFixture : ::testing::Test {
  static constexpr int size = 16;
  AnalysisGrid grid{"EPSG:32733", 450000, 7750000, 10, size, size};
  std::vector<float> score = std::vector<float>(size * size, 0.0f);
  std::string dir = "/vsimem/targets_test_" +
                    std::string(::testing::UnitTest::GetInstance()->current_test_info()->name());

  void set(int row, int col, float v = 1.0f) { score[std::size_t(row * size + col)] = v; }

  TargetResult run(TargetRequest req, std::vector<GeometryPtr>* outlines = nullptr) {
    init_gdal();
    StagedRaster scores(dir + "/scores.tif", grid, {"HREE"}, GDT_Float32, 16);
    const std::vector<Tile> tiles = make_tiles(size, size, 16);
    std::vector<float> copy = score;
    scores.write(1, tiles[0].window, copy.data());
    req.threshold = 1.0f;
    const std::string path = dir + "/targets.geojson";
    TargetResult r = write_targets(scores, grid, tiles, {"HREE"}, req, path, dir + "/targets.gpkg");
    if (outlines) {
      DatasetPtr ds(GDALDataset::Open((dir + "/targets.gpkg").c_str(), GDAL_OF_VECTOR));
      OGRLayer* layer = ds->GetLayerByName("targets");
      for (FeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature()))
        outlines->emplace_back(f->StealGeometry());
    }
    return r;
  }
};

}  // namespace

// Zone A: a 9 x 9 block with a 3 x 3 hole that holds zone B (one cell, not
// 4-connected to A) and a one-cell hole. Filling holes under 500 m² fills the
// small one only; under 1000 m² the 900 m² hole stays open because B is inside it.
TEST_F(ZoneFixture, SmallHolesAreFilledUnlessAnotherZoneIsInside) {
  for (int r = 1; r <= 9; ++r)
    for (int c = 1; c <= 9; ++c) set(r, c);
  for (int r = 3; r <= 5; ++r)
    for (int c = 3; c <= 5; ++c) set(r, c, 0);
  set(4, 4);     // zone B
  set(7, 7, 0);  // the small hole

  TargetResult exact = run({});
  ASSERT_EQ(exact.zones.size(), 2u);
  EXPECT_EQ(exact.zones[0].cells + exact.zones[1].cells, 72);
  EXPECT_EQ(exact.holes_filled, 0);
  const TargetZone& a = exact.zones[0].cells == 71 ? exact.zones[0] : exact.zones[1];
  EXPECT_DOUBLE_EQ(a.area_m2, 71 * 100.0);  // cell edges: the outline is the cells

  for (double limit : {500.0, 1000.0}) {
    TargetRequest req;
    req.fill_holes_area = limit;  // m² on this metre grid
    std::vector<GeometryPtr> outlines;
    TargetResult filled = run(req, &outlines);
    EXPECT_EQ(filled.holes_filled, 1) << limit;
    const TargetZone& fa = filled.zones[0].cells == 71 ? filled.zones[0] : filled.zones[1];
    EXPECT_EQ(fa.cells, 71);                   // statistics stay over the target cells
    EXPECT_DOUBLE_EQ(fa.area_m2, 72 * 100.0);  // the outline covers the filled hole
    int rings = 0;
    for (const auto& g : outlines) rings += g->toPolygon()->getNumInteriorRings();
    EXPECT_EQ(rings, 1) << limit;  // the hole around B is kept
  }
}

// A staircase along the diagonal simplifies to a few vertices, stays one valid
// polygon within the tolerance of the cell outline (both ways), and its
// statistics do not change.
TEST_F(ZoneFixture, SimplifiedOutlinesAreValidAndStayWithinTheTolerance) {
  for (int r = 0; r < size; ++r)
    for (int c = std::max(0, r - 2); c <= std::min(size - 1, r + 2); ++c) set(r, c);
  std::vector<GeometryPtr> exact_outline, simple_outline;
  const TargetResult exact = run({}, &exact_outline);
  TargetRequest req;
  req.simplify_tolerance = 10;  // one cell
  const TargetResult simple = run(req, &simple_outline);
  ASSERT_EQ(exact.zones.size(), 1u);
  ASSERT_EQ(simple.zones.size(), 1u);
  EXPECT_EQ(simple.zones[0].cells, exact.zones[0].cells);
  EXPECT_EQ(simple.zones[0].mean, exact.zones[0].mean);
  const auto vertices = [](const GeometryPtr& g) {
    return g->toPolygon()->getExteriorRing()->getNumPoints();
  };
  EXPECT_GT(vertices(exact_outline[0]), 50);
  EXPECT_LT(vertices(simple_outline[0]), 12);
  EXPECT_TRUE(simple_outline[0]->IsValid());
  // Hausdorff distance <= tolerance: each outline inside the other's buffer.
  GeometryPtr around_exact(exact_outline[0]->Buffer(10.001));
  GeometryPtr around_simple(simple_outline[0]->Buffer(10.001));
  EXPECT_TRUE(simple_outline[0]->Within(around_exact.get()));
  EXPECT_TRUE(exact_outline[0]->Within(around_simple.get()));
  // The written area is the simplified outline's.
  EXPECT_DOUBLE_EQ(simple.zones[0].area_m2, simple_outline[0]->toPolygon()->get_Area());
  EXPECT_NE(simple.zones[0].area_m2, exact.zones[0].area_m2);
}

// Filling and simplifying turn every zone's cell corners into a polygon of its
// own: 16 zones of 2 x 2 cells keep 16 outlines, each its own 400 m² square.
TEST_F(ZoneFixture, EveryZoneKeepsItsOwnOutlineWhenFilledAndSimplified) {
  for (int row = 0; row < size; row += 4)
    for (int col = 0; col < size; col += 4)
      for (int r = row; r < row + 2; ++r)
        for (int c = col; c < col + 2; ++c) set(r, c);
  TargetRequest req;
  req.fill_holes_area = 50;
  req.simplify_tolerance = 1;
  std::vector<GeometryPtr> outlines;
  const TargetResult r = run(req, &outlines);
  ASSERT_EQ(r.zones.size(), 16u);
  ASSERT_EQ(outlines.size(), 16u);
  std::set<std::pair<double, double>> corners;
  for (const auto& g : outlines) {
    EXPECT_DOUBLE_EQ(g->toPolygon()->get_Area(), 400.0);
    OGREnvelope e;
    g->getEnvelope(&e);
    corners.insert({e.MinX, e.MaxY});
  }
  EXPECT_EQ(corners.size(), 16u);  // 16 different squares
}

TEST_F(ZoneFixture, NoTargetCellsGiveAnEmptyCollection) {
  TargetRequest req;
  req.none = true;
  const TargetResult r = run(req);
  EXPECT_TRUE(r.zones.empty());
  DatasetPtr ds(GDALDataset::Open((dir + "/targets.geojson").c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(ds);
  EXPECT_EQ(ds->GetLayer(0)->GetFeatureCount(), 0);
}

namespace {

// Asks for a stop (as Ctrl-C does) once the outlines are made.
struct StopAfterOutlines : ZoneAnnotator {
  void add_tile(const Window&, const std::int32_t*, std::int32_t) override {}
  std::string drivers(std::int32_t) const override {
    request_interrupt();
    return "";
  }
};

}  // namespace

// Ctrl-C while the GeoJSON is written on its own thread ends that write with
// the interrupted error, so a run unwinds at once instead of waiting for the file.
TEST_F(ZoneFixture, AnInterruptEndsTheGeoJsonWrittenInTheBackground) {
  for (int row = 0; row < size; row += 2)
    for (int col = 0; col < size; col += 2) set(row, col);  // 64 zones of one cell
  init_gdal();
  StagedRaster scores(dir + "/scores.tif", grid, {"HREE"}, GDT_Float32, 16);
  const std::vector<Tile> tiles = make_tiles(size, size, 16);
  scores.write(1, tiles[0].window, score.data());
  TargetRequest req;
  req.threshold = 1.0f;
  req.geojson_in_background = true;
  StopAfterOutlines stop;
  TargetResult r =
      write_targets(scores, grid, tiles, {"HREE"}, req, dir + "/targets.geojson", "", "", &stop);
  EXPECT_EQ(r.zones.size(), 64u);
  ASSERT_TRUE(r.geojson_written.valid());
  try {
    r.geojson_written.get();
    ADD_FAILURE() << "the GeoJSON was written whole after the interrupt";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::interrupted);
  }
  clear_interrupt();
}

// A zone across the antimeridian goes through GDAL's writer, which splits it
// into parts east and west of 180° (the fast writer cannot).
TEST_F(ZoneFixture, AZoneAcrossTheAntimeridianIsSplitInTheGeoJson) {
  // UTM zone 60S: 180°E at 20°S is x = 813926 m; the grid's middle column sits on it.
  grid = AnalysisGrid{"EPSG:32760", 813926 - 80, 7785706 + 80, 10, size, size};
  for (int r = 4; r < 12; ++r)
    for (int c = 4; c < 12; ++c) set(r, c);
  const TargetResult result = run({});
  ASSERT_EQ(result.zones.size(), 1u);
  DatasetPtr ds(GDALDataset::Open((dir + "/targets.geojson").c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(ds);
  FeaturePtr f(ds->GetLayer(0)->GetNextFeature());
  ASSERT_TRUE(f && f->GetGeometryRef());
  EXPECT_EQ(wkbFlatten(f->GetGeometryRef()->getGeometryType()), wkbMultiPolygon);
  OGREnvelope e;
  f->GetGeometryRef()->getEnvelope(&e);
  EXPECT_GE(e.MinX, -180.0);
  EXPECT_LE(e.MaxX, 180.0);
  EXPECT_EQ(f->GetFieldAsInteger("rank"), 1);
}

// Zones across many tiles (a 45 x 38 grid in 16-cell tiles, some partial) on a
// noisy map, cut on the second of two bands: the outlines are GDAL's
// polygonize of the cut cells (each 4-connected patch one polygon; compared as
// areas, since the two start and turn rings differently), and the statistics
// of the first band add up to that band's sum over the cut.
TEST(Targets, ZonesAcrossTilesAreGdalsPolygonsOfTheCut) {
  init_gdal();
  const int width = 45, height = 38;
  const AnalysisGrid grid{"EPSG:32733", 450000, 7750000, 10, width, height};
  const std::string dir = "/vsimem/targets_test_across_tiles";
  StagedRaster scores(dir + "/scores.tif", grid, {"first", "cut"}, GDT_Float32, 16);
  const std::vector<Tile> tiles = make_tiles(width, height, 16);
  std::vector<float> first(std::size_t(width * height)), cut(first.size());
  unsigned state = 7;
  auto next = [&state]() { return (state = state * 1103515245u + 12345u) >> 16 & 0x7fff; };
  for (std::size_t i = 0; i < cut.size(); ++i) {
    first[i] = float(next() % 1000) / 10.0f;
    cut[i] = next() % 100 < 55 ? 1.0f : 0.0f;
  }
  double first_over_cut = 0;
  for (std::size_t i = 0; i < cut.size(); ++i)
    if (cut[i] == 1.0f) first_over_cut += first[i];
  for (const Tile& t : tiles) {
    std::vector<float> a, b;
    for (int r = 0; r < t.window.height; ++r)
      for (int c = 0; c < t.window.width; ++c) {
        const std::size_t i = std::size_t((t.window.row + r) * width + t.window.col + c);
        a.push_back(first[i]);
        b.push_back(cut[i]);
      }
    scores.write(1, t.window, a.data());
    scores.write(2, t.window, b.data());
  }
  TargetRequest req;
  req.band = 2;
  req.threshold = 1.0f;
  const TargetResult result = write_targets(scores, grid, tiles, {"first", "cut"}, req,
                                            dir + "/targets.geojson", dir + "/targets.gpkg");

  // GDAL's polygons of the cut: 1 where cut, 0 masked out.
  DatasetPtr mask(GetGDALDriverManager()->GetDriverByName("MEM")->Create("", width, height, 1,
                                                                         GDT_Int32, nullptr));
  const auto gt = grid.geotransform();
  mask->SetGeoTransform(const_cast<double*>(gt.data()));
  std::vector<std::int32_t> ones(cut.begin(), cut.end());
  ASSERT_EQ(mask->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, width, height, ones.data(), width,
                                             height, GDT_Int32, 0, 0, nullptr),
            CE_None);
  DatasetPtr gdal_zones(
      GetGDALDriverManager()->GetDriverByName("Memory")->Create("", 0, 0, 0, GDT_Unknown, nullptr));
  OGRLayer* expected = gdal_zones->CreateLayer("zones", nullptr, wkbPolygon, nullptr);
  OGRFieldDefn value("value", OFTInteger);
  expected->CreateField(&value);
  GDALRasterBand* band = mask->GetRasterBand(1);
  ASSERT_EQ(GDALPolygonize(band, band, expected, 0, nullptr, nullptr, nullptr), CE_None);

  DatasetPtr written(GDALDataset::Open((dir + "/targets.gpkg").c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(written);
  OGRLayer* ours = written->GetLayerByName("targets");
  ASSERT_EQ(ours->GetFeatureCount(), expected->GetFeatureCount());
  ASSERT_GT(ours->GetFeatureCount(), 40);  // many zones, many across tile edges
  std::vector<GeometryPtr> gdals;
  expected->ResetReading();
  for (FeaturePtr f(expected->GetNextFeature()); f; f.reset(expected->GetNextFeature()))
    gdals.emplace_back(f->StealGeometry());
  std::vector<char> matched(gdals.size(), 0);
  ours->ResetReading();
  for (FeaturePtr f(ours->GetNextFeature()); f; f.reset(ours->GetNextFeature())) {
    const OGRGeometry* g = f->GetGeometryRef();
    EXPECT_TRUE(g->IsValid());
    bool found = false;
    for (std::size_t k = 0; k < gdals.size() && !found; ++k) {
      if (matched[k]) continue;
      GeometryPtr difference(g->SymDifference(gdals[k].get()));
      if (difference && difference->IsEmpty()) {
        matched[k] = 1;
        found = true;
      }
    }
    EXPECT_TRUE(found) << "zone of rank " << f->GetFieldAsInteger("rank");
  }
  double first_over_zones = 0;
  for (const TargetZone& z : result.zones) first_over_zones += z.mean[0] * double(z.cells);
  EXPECT_NEAR(first_over_zones, first_over_cut, 1e-6 * first_over_cut);
}
