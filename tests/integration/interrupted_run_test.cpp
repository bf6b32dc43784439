// A run killed at any moment leaves its output folder as it was (the previous
// run, entirely) or as the new run, entirely -- never a mix, never a file that
// looks complete but is not -- and the next run succeeds and leaves nothing
// behind. This runs the real binary in a child process and kills it (SIGKILL:
// no chance to clean up) at many points of a run into a folder that holds an
// earlier good run (docs/reliability.md).

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "prospect/core/hash.hpp"
#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;
namespace fs = std::filesystem;

namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The folder is one run, entirely: its manifest names every other file in it,
// each with the bytes it has. Returns the model hash the manifest vouches for.
std::string expect_one_whole_run(const std::string& dir) {
  const std::string manifest_path = dir + "/manifest.json";
  EXPECT_TRUE(fs::exists(manifest_path)) << dir;
  if (!fs::exists(manifest_path)) return "";
  const auto m = nlohmann::json::parse(read_all(manifest_path));
  std::set<std::string> listed;
  for (const auto& o : m["outputs"]) {
    const std::string name = o["path"];
    listed.insert(name);
    EXPECT_EQ(hash_file(dir + "/" + name), o["hash"].get<std::string>()) << dir << "/" << name;
  }
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    const std::string name = fs::relative(e.path(), dir).string();
    if (name == "manifest.json") continue;
    EXPECT_TRUE(listed.count(name)) << dir << ": " << name << " is not in the manifest";
  }
  return m["model"]["hash"];
}

// Nothing but the lock file may stay beside the output folder once a run is done.
std::vector<std::string> leftovers_beside(const std::string& dir) {
  std::vector<std::string> out;
  const std::string prefix = "." + fs::path(dir).filename().string() + ".prospect-";
  for (const auto& e : fs::directory_iterator(fs::path(dir).parent_path())) {
    const std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) == 0 && name != prefix + "lock") out.push_back(name);
  }
  return out;
}

int run_to_end(const std::vector<std::string>& args) {
  int status = 0;
  waitpid(spawn_quietly(args), &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

const char* k_model = R"(grid: {like: in.tif}
inputs: {a: {path: in.tif}}
evidence: {e: {input: a, membership: {function: linear, low: 0, high: 1000}}}
scores: {S: {op: gamma, gamma: GAMMA, of: [e, e]}}
targets: {top_percent: 1}
)";

std::string model_text(const char* gamma) {
  std::string t = k_model;
  t.replace(t.find("GAMMA"), 5, gamma);
  return t;
}

}  // namespace

TEST(InterruptedRun, KilledAtAnyMomentLeavesTheOldRunOrTheNewOneWhole) {
  TempDir dir;
  RasterFixture f;
  f.width = f.height = 1500;
  f.origin_x = 400000;
  f.origin_y = 7800000;
  f.cell_x = f.cell_y = 10;
  f.values.resize(std::size_t(f.width) * f.height);
  // A smooth field (a few target zones): each run takes about a second, most of it scoring and
  // writing.
  for (std::size_t i = 0; i < f.values.size(); ++i)
    f.values[i] = float(i % 1500) * 0.5f + float(i / 1500) * 0.1f;
  write_raster(dir.file("in.tif"), f);
  // Two models that write different outputs; each kill interrupts a switch from one to the other.
  write_text(dir.file("a.yaml"), model_text("0.5"));
  write_text(dir.file("b.yaml"), model_text("0.9"));
  const std::string out = dir.file("out");
  const std::string hash_a = hash_bytes(model_text("0.5")), hash_b = hash_bytes(model_text("0.9"));

  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(run_to_end({PROSPECT_BINARY, "run", dir.file("a.yaml"), "--out", out, "-q"}), 0);
  const auto full_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  ASSERT_EQ(expect_one_whole_run(out), hash_a);

  // Kills from the first milliseconds to past the end, in increasing steps of
  // 1/12 of a run, until one has come after the swap (a run into a full folder
  // takes longer than the first: it also removes the previous run).
  std::string current = hash_a;
  int old_seen = 0, new_seen = 0;
  for (int k = 0; k <= 36 && (k <= 12 || new_seen == 0); ++k) {
    const bool to_b = current == hash_a;
    const std::string model = dir.file(to_b ? "b.yaml" : "a.yaml");
    const pid_t pid = spawn_quietly({PROSPECT_BINARY, "run", model, "--out", out, "-q"});
    std::this_thread::sleep_for(std::chrono::milliseconds(long(full_ms * k / 12)));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    const std::string now = expect_one_whole_run(out);
    ASSERT_TRUE(now == hash_a || now == hash_b) << "after a kill at " << k << "/12 of a run";
    (now == current ? old_seen : new_seen)++;
    current = now;
  }
  // Kills landed on both sides of the swap.
  EXPECT_GT(old_seen, 0);
  EXPECT_GT(new_seen, 0);
  // The next run succeeds, is whole, and cleans what the killed ones left.
  ASSERT_EQ(run_to_end({PROSPECT_BINARY, "run", dir.file("b.yaml"), "--out", out, "-q"}), 0);
  EXPECT_EQ(expect_one_whole_run(out), hash_b);
  EXPECT_TRUE(leftovers_beside(out).empty()) << leftovers_beside(out).front();
}

TEST(InterruptedRun, CtrlCStopsCleanlyAndKeepsThePreviousRun) {
  TempDir dir;
  RasterFixture f;
  f.width = f.height = 1500;
  f.origin_x = 400000;
  f.origin_y = 7800000;
  write_raster(dir.file("in.tif"), f);
  write_text(dir.file("small.yaml"),
             R"(grid: {like: in.tif, extent: [400000, 7799900, 400100, 7800000]}
inputs: {a: {path: in.tif}}
evidence: {e: {input: a, membership: {function: linear, low: 0, high: 1000}}}
scores: {S: e}
)");
  write_text(dir.file("m.yaml"), R"(grid: {like: in.tif}
inputs: {a: {path: in.tif}}
evidence: {e: {input: a, membership: {function: linear, low: 0, high: 1000}}}
scores: {S: e}
outputs: {tile_size: 64}
)");
  const std::string out = dir.file("out");
  ASSERT_EQ(run_to_end({PROSPECT_BINARY, "run", dir.file("small.yaml"), "--out", out, "-q"}), 0);
  const std::string before = expect_one_whole_run(out);
  const pid_t pid = spawn_quietly({PROSPECT_BINARY, "run", dir.file("m.yaml"), "--out", out, "-q"});
  // Signal once the run is under way (its staging folder exists): earlier, the
  // default action would simply end the process, which is not what is tested.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  auto staging_exists = [&] {
    for (const auto& name : leftovers_beside(out))
      if (name.find("staging") != std::string::npos) return true;
    return false;
  };
  while (!staging_exists() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 0) GTEST_SKIP() << "the run finished before the signal arrived";
  EXPECT_EQ(WEXITSTATUS(status), 130);           // 128 + SIGINT, as a shell reports it
  EXPECT_EQ(expect_one_whole_run(out), before);  // the previous run, untouched
  EXPECT_TRUE(leftovers_beside(out).empty());    // staging removed
}

// A write that fails part way (here a file-size limit: the same EFBIG/ENOSPC
// path as a disk that fills up) fails the run, and the folder keeps the
// previous run whole.
TEST(InterruptedRun, AFailedWriteKeepsThePreviousRun) {
  TempDir dir;
  RasterFixture f;
  f.width = f.height = 1500;
  f.origin_x = 400000;
  f.origin_y = 7800000;
  f.values.resize(std::size_t(f.width) * f.height);
  for (std::size_t i = 0; i < f.values.size(); ++i)
    f.values[i] = float(i % 1500) * 0.5f + float(i / 1500) * 0.1f;
  write_raster(dir.file("in.tif"), f);
  write_text(dir.file("small.yaml"),
             R"(grid: {like: in.tif, extent: [400000, 7798500, 400100, 7800000]}
inputs: {a: {path: in.tif}}
evidence: {e: {input: a, membership: {function: linear, low: 0, high: 1000}}}
scores: {S: e}
)");
  write_text(dir.file("m.yaml"), model_text("0.5"));
  const std::string out = dir.file("out");
  ASSERT_EQ(run_to_end({PROSPECT_BINARY, "run", dir.file("small.yaml"), "--out", out, "-q"}), 0);
  const std::string before = expect_one_whole_run(out);
  // SIGXFSZ ignored: a write past the limit fails with EFBIG instead of ending the process.
  const std::string command = "trap '' XFSZ; ulimit -f 1024; exec '" +
                              std::string(PROSPECT_BINARY) + "' run '" + dir.file("m.yaml") +
                              "' --out '" + out + "' -q";
  const int code = run_to_end({"/bin/sh", "-c", command});
  EXPECT_NE(code, 0);
  EXPECT_EQ(expect_one_whole_run(out), before);
  ASSERT_EQ(run_to_end({PROSPECT_BINARY, "run", dir.file("m.yaml"), "--out", out, "-q"}), 0);
  EXPECT_TRUE(leftovers_beside(out).empty());
}
