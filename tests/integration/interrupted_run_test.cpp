// Killing a run at any moment must never leave a file under a final output name
// that is not complete: outputs are staged and renamed into place. This runs the
// real binary in a child process and kills it (SIGKILL, no chance to clean up)
// at several points of a run.

#include <cpl_minixml.h>
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "prospect/raster/gdal_handles.hpp"
#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;
namespace fs = std::filesystem;

namespace {

// A final-named file is complete: readable to the last byte as what it claims to be.
void expect_complete_or_absent(const std::string& dir) {
  const std::string tif = dir + "/prospectivity.tif";
  if (fs::exists(tif)) {
    DatasetPtr ds(GDALDataset::Open(tif.c_str(), GDAL_OF_RASTER));
    ASSERT_TRUE(ds) << tif;
    std::vector<float> v(std::size_t(ds->GetRasterXSize()) * ds->GetRasterYSize());
    for (int b = 1; b <= ds->GetRasterCount(); ++b)
      EXPECT_EQ(ds->GetRasterBand(b)->RasterIO(GF_Read, 0, 0, ds->GetRasterXSize(),
                                               ds->GetRasterYSize(), v.data(), ds->GetRasterXSize(),
                                               ds->GetRasterYSize(), GDT_Float32, 0, 0, nullptr),
                CE_None);
  }
  for (const char* name : {"targets.geojson", "manifest.json"}) {
    const std::string path = dir + "/" + name;
    if (!fs::exists(path)) continue;
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_TRUE(nlohmann::json::accept(ss.str())) << path;
  }
  for (const char* name : {"project.qgs", "prospectivity.qml", "targets.qml"}) {
    const std::string path = dir + "/" + name;
    if (!fs::exists(path)) continue;
    CPLXMLNode* xml = CPLParseXMLFile(path.c_str());
    EXPECT_NE(xml, nullptr) << path;
    if (xml) CPLDestroyXMLNode(xml);
  }
  if (fs::exists(dir + "/targets.gpkg")) {
    DatasetPtr gpkg(GDALDataset::Open((dir + "/targets.gpkg").c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(gpkg);
    EXPECT_NE(gpkg->GetLayerByName("targets"), nullptr);
  }
  // The manifest is written last: if it is there, so is everything it vouches for.
  if (fs::exists(dir + "/manifest.json")) {
    EXPECT_TRUE(fs::exists(tif));
    EXPECT_TRUE(fs::exists(dir + "/targets.geojson"));
  }
}

}  // namespace

TEST(InterruptedRun, KilledAtAnyMomentLeavesNoIncompleteOutput) {
  TempDir dir;
  RasterFixture f;
  f.width = f.height = 1500;
  f.origin_x = 400000;
  f.origin_y = 7800000;
  f.cell_x = f.cell_y = 10;
  f.values.resize(std::size_t(f.width) * f.height);
  for (std::size_t i = 0; i < f.values.size(); ++i) f.values[i] = float((i * 7919) % 1000);
  write_raster(dir.file("in.tif"), f);
  write_text(dir.file("m.yaml"), R"(grid: {like: in.tif}
inputs: {a: {path: in.tif}}
evidence: {e: {input: a, membership: {function: linear, low: 0, high: 1000}}}
scores: {S: {op: gamma, gamma: 0.5, of: [e, e]}}
targets: {top_percent: 1}
)");
  // Time a full run, then kill runs at fractions of it.
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t full = spawn_quietly({PROSPECT_BINARY, "run", dir.file("m.yaml"), "--out", dir.file("full"), "-q"});
  int status = 0;
  waitpid(full, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  const auto full_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - t0).count();

  for (double fraction : {0.1, 0.3, 0.5, 0.7, 0.85, 0.95}) {
    const std::string out = dir.file("killed-" + std::to_string(int(fraction * 100)));
    const pid_t pid = spawn_quietly({PROSPECT_BINARY, "run", dir.file("m.yaml"), "--out", out, "-q"});
    std::this_thread::sleep_for(std::chrono::milliseconds(long(full_ms * fraction)));
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    if (fs::exists(out)) expect_complete_or_absent(out);
  }
}

TEST(InterruptedRun, CtrlCStopsCleanlyWithNothingWritten) {
  TempDir dir;
  RasterFixture f;
  f.width = f.height = 1500;
  f.origin_x = 400000;
  f.origin_y = 7800000;
  write_raster(dir.file("in.tif"), f);
  write_text(dir.file("m.yaml"), R"(grid: {like: in.tif}
inputs: {a: {path: in.tif}}
evidence: {e: {input: a, membership: {function: linear, low: 0, high: 1000}}}
scores: {S: e}
outputs: {tile_size: 64}
)");
  const pid_t pid = spawn_quietly({PROSPECT_BINARY, "run", dir.file("m.yaml"), "--out", dir.file("out"), "-q"});
  // Signal once the run is under way (its staging folder exists): earlier, the
  // default action would simply end the process, which is not what is tested.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  auto staging_exists = [&] {
    std::error_code ec;
    if (!fs::exists(dir.file("out"), ec)) return false;
    for (const auto& e : fs::directory_iterator(dir.file("out"), ec))
      if (e.path().filename().string().rfind(".prospect-staging-", 0) == 0) return true;
    return false;
  };
  while (!staging_exists() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 0) GTEST_SKIP() << "the run finished before the signal arrived";
  EXPECT_EQ(WEXITSTATUS(status), 1);
  ASSERT_TRUE(fs::exists(dir.file("out")));
  EXPECT_TRUE(fs::is_empty(dir.file("out")));  // staging removed, nothing published
}
