#include "prospect/run/input_hashes.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "prospect/core/diagnostics.hpp"
#include "prospect/core/error.hpp"
#include "prospect/core/tiles.hpp"
#include "prospect/evidence/grid_input.hpp"
#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;

namespace {

InputSpec raster_input(const std::string& name, const std::string& path) {
  InputSpec in;
  in.name = name;
  in.kind = InputKind::raster;
  in.raster.name = name;
  in.raster.path = path;
  return in;
}

// 300 x 200 cells of 1 m from (0, 0), uncompressed in strips, as RasterFixture
// writes them: prospect reads such a file itself.
RasterFixture plain_raster() {
  RasterFixture f;
  f.width = 300;
  f.height = 200;
  return f;
}

// The grid the plain raster lies on.
AnalysisGrid plain_grid() { return AnalysisGrid("EPSG:32733", 0, 0, 1, 300, 200); }

// Every cell of every input read once, as the scoring pass does.
void read_all(const InputSet& inputs, std::size_t count, const AnalysisGrid& grid) {
  for (std::size_t i = 0; i < count; ++i) {
    auto source = inputs.open(i);
    for (const Tile& t : make_tiles(grid.width(), grid.height(), 256)) {
      std::vector<float> out(t.window.cell_count());
      source->read(t.window, out.data());
    }
  }
}

}  // namespace

// An uncompressed raster on the grid is hashed from the run's reads, a
// compressed one and a vector file on threads of their own: each hash is the
// file's, whichever way it was taken.
TEST(InputHashes, EveryWayGivesTheFilesHash) {
  TempDir dir;
  const std::string plain = write_raster(dir.file("plain.tif"), plain_raster());
  const std::string packed = dir.file("packed.tif");
  {
    DatasetPtr src(GDALDataset::Open(plain.c_str(), GDAL_OF_RASTER));
    const char* options[] = {"COMPRESS=DEFLATE", nullptr};
    DatasetPtr copy(GetGDALDriverManager()->GetDriverByName("GTiff")->CreateCopy(
        packed.c_str(), src.get(), FALSE, const_cast<char**>(options), nullptr, nullptr));
  }
  const std::string area =
      write_text(dir.file("area.geojson"), polygon_geojson({0, 0, 300, 0, 300, -200, 0, -200}));
  const std::vector<InputSpec> specs = {raster_input("a", plain), raster_input("b", packed)};
  const AnalysisGrid grid = plain_grid();
  InputSet inputs(specs, grid);
  ASSERT_TRUE(inputs.reads_file_directly(0));
  ASSERT_FALSE(inputs.reads_file_directly(1));

  const std::vector<std::string> files = {area, packed, plain};
  InputHashes hashes(files, {}, {plain, packed});
  hashes.share_reads(inputs, specs);
  read_all(inputs, specs.size(), grid);
  hashes.start_finishing();
  const std::vector<FileHash> got = hashes.get();
  ASSERT_EQ(got.size(), 3u);
  for (std::size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(got[i].path, files[i]);
    EXPECT_EQ(got[i].hash, hash_file(files[i])) << files[i];
  }
}

// A file whose identity the previous run recorded with its hash is not read;
// an unreadable one fails the run, naming it.
TEST(InputHashes, TakesARecordedHashAndNamesAnUnreadableFile) {
  const std::string settled = "/bin/sh";
  const std::string identity = file_identity(settled);
  ASSERT_FALSE(identity.empty());
  InputHashes reused({settled}, {{settled, "recorded", identity}}, {});
  EXPECT_EQ(reused.get().at(0).hash, "recorded");

  TempDir dir;
  InputHashes missing({dir.file("gone.gpkg")}, {}, {});
  try {
    missing.get();
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("gone.gpkg"), std::string::npos);
  }
}

// An input written again while the run read it: its hash is taken again from
// the file as it is then, it keeps no identity (so the next run hashes it),
// and the run warns, naming it.
TEST(InputHashes, AnInputChangedWhileReadIsHashedAgainAndWarnedAbout) {
  TempDir dir;
  RasterFixture f = plain_raster();
  const std::string path = write_raster(dir.file("plain.tif"), f);
  const std::vector<InputSpec> specs = {raster_input("a", path)};
  const AnalysisGrid grid = plain_grid();
  InputSet inputs(specs, grid);
  ASSERT_TRUE(inputs.reads_file_directly(0));
  Diagnostics diagnostics;
  const DiagnosticsScope scope(&diagnostics);
  InputHashes hashes({path}, {}, {path});
  hashes.share_reads(inputs, specs);
  read_all(inputs, specs.size(), grid);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the file clock's tick
  f.values.assign(std::size_t(300) * 200, 7.0f);
  write_raster(path, f);
  hashes.start_finishing();
  const std::vector<FileHash> got = hashes.get();
  EXPECT_EQ(got.at(0).hash, hash_file(path));
  EXPECT_EQ(got.at(0).identity, "");
  const std::vector<std::string> warnings = diagnostics.texts(Severity::warning);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find(path + " changed while the run read it"), std::string::npos);
}
