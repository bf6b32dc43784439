#include "prospect/output/zone_outlines.hpp"

#include <gdal_alg.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "prospect/raster/gdal_handles.hpp"

using namespace prospect;

namespace {

bool top_left_first(const CellCorner& a, const CellCorner& b) {
  return std::tie(a.y, a.x) < std::tie(b.y, b.x);
}

// Zones of a grid given row by row, as the outliner hands them out.
std::map<std::int32_t, std::vector<CornerRing>> outline(const std::vector<std::int32_t>& ids,
                                                        int width, std::int32_t zone_count) {
  std::map<std::int32_t, std::vector<CornerRing>> zones;
  ZoneOutliner outliner(width, zone_count, [&](std::int32_t zone, std::vector<CornerRing>&& rings) {
    EXPECT_EQ(zones.count(zone), 0u) << "zone " << zone << " outlined twice";
    zones[zone] = std::move(rings);
  });
  for (std::size_t row = 0; row * std::size_t(width) < ids.size(); ++row)
    outliner.add_row(&ids[row * std::size_t(width)]);
  outliner.finish();
  return zones;
}

std::string text(const std::vector<CornerRing>& rings) {
  std::string t;
  for (const auto& ring : rings) {
    t += "(";
    for (const auto& c : ring) t += std::to_string(c.x) + " " + std::to_string(c.y) + ",";
    t += ")";
  }
  return t;
}

// The reference: GDAL's polygonize of the same ids (0 masked out), with the
// identity geotransform so that coordinates are cell corners.
std::map<std::int32_t, std::vector<CornerRing>> polygonize(const std::vector<std::int32_t>& ids,
                                                           int width, int height) {
  GDALAllRegister();
  DatasetPtr raster(GetGDALDriverManager()->GetDriverByName("MEM")->Create("", width, height, 1,
                                                                           GDT_Int32, nullptr));
  double identity[6] = {0, 1, 0, 0, 0, 1};
  raster->SetGeoTransform(identity);
  GDALRasterBand* band = raster->GetRasterBand(1);
  EXPECT_EQ(band->RasterIO(GF_Write, 0, 0, width, height, const_cast<std::int32_t*>(ids.data()),
                           width, height, GDT_Int32, 0, 0, nullptr),
            CE_None);
  DatasetPtr vectors(
      GetGDALDriverManager()->GetDriverByName("Memory")->Create("", 0, 0, 0, GDT_Unknown, nullptr));
  OGRLayer* layer = vectors->CreateLayer("zones", nullptr, wkbPolygon, nullptr);
  OGRFieldDefn field("zone", OFTInteger);
  layer->CreateField(&field);
  EXPECT_EQ(GDALPolygonize(band, band, layer, 0, nullptr, nullptr, nullptr), CE_None);
  std::map<std::int32_t, std::vector<CornerRing>> zones;
  layer->ResetReading();
  for (FeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
    const OGRPolygon* polygon = f->GetGeometryRef()->toPolygon();
    EXPECT_TRUE(polygon->IsValid()) << "GDAL's zone " << f->GetFieldAsInteger(0);
    std::vector<CornerRing> rings;
    for (int r = 0; r < 1 + polygon->getNumInteriorRings(); ++r) {
      const OGRLinearRing* ring =
          r == 0 ? polygon->getExteriorRing() : polygon->getInteriorRing(r - 1);
      CornerRing corners;
      for (int i = 0; i + 1 < ring->getNumPoints(); ++i)  // the closing point left out
        corners.push_back({std::int32_t(ring->getX(i)), std::int32_t(ring->getY(i))});
      rings.push_back(corners);
    }
    // GDAL's rings start where its pieces joined and run either way round:
    // compared in the outliner's form (top-left corner first; from there the
    // exterior runs down, the holes run right).
    for (std::size_t r = 0; r < rings.size(); ++r) {
      CornerRing& ring = rings[r];
      std::rotate(ring.begin(), std::min_element(ring.begin(), ring.end(), top_left_first),
                  ring.end());
      const bool runs_down = ring[1].x == ring[0].x;
      if (runs_down != (r == 0)) std::reverse(ring.begin() + 1, ring.end());
    }
    std::sort(rings.begin() + 1, rings.end(), [](const CornerRing& a, const CornerRing& b) {
      return top_left_first(a.front(), b.front());
    });
    zones[f->GetFieldAsInteger(0)] = rings;
  }
  return zones;
}

// 4-connected zones of a random mask, numbered in row-major order of first cell.
std::vector<std::int32_t> random_zones(int width, int height, double density, unsigned seed,
                                       std::int32_t* count) {
  std::mt19937 rng(seed);
  std::bernoulli_distribution on(density);
  std::vector<std::int32_t> ids(std::size_t(width) * std::size_t(height), 0);
  std::vector<char> mask(ids.size());
  for (auto& m : mask) m = on(rng) ? 1 : 0;
  *count = 0;
  for (std::size_t start = 0; start < ids.size(); ++start) {
    if (!mask[start] || ids[start]) continue;
    ids[start] = ++*count;
    std::vector<std::size_t> stack = {start};
    while (!stack.empty()) {
      const std::size_t i = stack.back();
      stack.pop_back();
      const int r = int(i) / width, c = int(i) % width;
      const int next[4][2] = {{r - 1, c}, {r + 1, c}, {r, c - 1}, {r, c + 1}};
      for (const auto& n : next) {
        if (n[0] < 0 || n[1] < 0 || n[0] >= height || n[1] >= width) continue;
        const std::size_t j = std::size_t(n[0]) * std::size_t(width) + std::size_t(n[1]);
        if (mask[j] && !ids[j]) {
          ids[j] = *count;
          stack.push_back(j);
        }
      }
    }
  }
  return ids;
}

}  // namespace

TEST(ZoneOutliner, OneCellIsItsFourCornersCounterclockwiseFromTheTopLeft) {
  const auto zones = outline({0, 0, 0, 0, 7, 0}, 3, 7);
  ASSERT_EQ(zones.size(), 1u);
  EXPECT_EQ(text(zones.at(7)), "(1 1,1 2,2 2,2 1,)");
}

TEST(ZoneOutliner, StraightSidesHaveNoCornersInside) {
  const auto zones = outline({1, 1, 1, 1, 1, 1, 1, 1}, 4, 1);
  EXPECT_EQ(text(zones.at(1)), "(0 0,0 2,4 2,4 0,)");
}

// Hand-drawn: a hole whose corner touches the outside, and so the exterior, at (2, 2).
TEST(ZoneOutliner, AHoleTouchingTheOutsideAtACornerStaysAHole) {
  // clang-format off
  const std::vector<std::int32_t> ids = {1, 1, 1, 0,
                                         1, 0, 1, 0,
                                         1, 1, 0, 0};
  // clang-format on
  const auto zones = outline(ids, 4, 1);
  EXPECT_EQ(text(zones.at(1)), "(0 0,0 3,2 3,2 2,3 2,3 0,)(1 1,2 1,2 2,1 2,)");
}

TEST(ZoneOutliner, EveryZoneIsHandedOutOnceAsSoonAsItsRowsEnd) {
  // clang-format off
  const std::vector<std::int32_t> ids = {1, 0, 2,
                                         0, 0, 2,
                                         3, 0, 0};
  // clang-format on
  std::vector<std::pair<int, std::int32_t>> seen;  // (rows added, zone)
  int rows = 0;
  ZoneOutliner outliner(3, 3, [&](std::int32_t zone, std::vector<CornerRing>&&) {
    seen.push_back({rows, zone});
  });
  for (; rows < 3; ++rows) outliner.add_row(&ids[std::size_t(rows) * 3]);
  outliner.finish();
  const std::vector<std::pair<int, std::int32_t>> expected = {{1, 1}, {2, 2}, {3, 3}};
  EXPECT_EQ(seen, expected);
}

// The independent check: the same rings as GDAL's polygonize, corner for
// corner, on noisy maps from sparse specks to one zone riddled with holes
// (where cells touching at corners are everywhere).
TEST(ZoneOutliner, EqualsGdalPolygonizeOnNoisyMaps) {
  for (const double density : {0.1, 0.4, 0.55, 0.7, 0.9}) {
    for (unsigned seed = 1; seed <= 3; ++seed) {
      const int width = 61, height = 47;
      std::int32_t count = 0;
      const auto ids = random_zones(width, height, density, seed, &count);
      const auto ours = outline(ids, width, count);
      const auto gdals = polygonize(ids, width, height);
      ASSERT_EQ(ours.size(), std::size_t(count));
      ASSERT_EQ(gdals.size(), std::size_t(count));
      for (std::int32_t z = 1; z <= count; ++z)
        ASSERT_EQ(text(ours.at(z)), text(gdals.at(z)))
            << "zone " << z << ", density " << density << ", seed " << seed;
    }
  }
}
