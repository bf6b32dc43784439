#pragma once
// Small synthetic inputs for tests: GeoTIFFs and vector files in /vsimem/ or in a
// temporary folder, so every test builds exactly the data it checks.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace prospect::test {

// What `prospect ARGS...` printed and returned, run in this process.
// Numbers uniform in [0, 1) from a fixed LCG (Knuth's MMIX constants): the
// same sequence on every platform, unlike the standard distributions.
class FixedRandom {
 public:
  explicit FixedRandom(std::uint64_t seed) : m_state(seed) {}
  double next() {
    m_state = m_state * 6364136223846793005u + 1442695040888963407u;
    return double(m_state >> 11) / 9007199254740992.0;
  }

 private:
  std::uint64_t m_state;
};

struct CliResult {
  int code = 0;
  std::string out, err;
};
CliResult run_prospect(std::vector<std::string> args);

// A whole file's bytes ("" when it cannot be read).
std::string read_file(const std::string& path);

// The rows after the header of a plain CSV file (no quoted commas), as text cells.
std::vector<std::vector<std::string>> read_csv_rows(const std::string& path);

// One band of a raster as Float32, row-major (its width in *width if asked);
// throws std::runtime_error when it cannot be read.
std::vector<float> read_band(const std::string& path, int band, int* width = nullptr);

// A GeoJSON FeatureCollection of `count` points (no properties) on a line from
// (x0, y0) in steps of (dx, dy): the training deposits of the survey tests.
std::string points_geojson(int count, double x0, double y0, double dx, double dy);

// A folder under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return m_path; }
  std::string file(const std::string& name) const { return m_path + "/" + name; }

 private:
  std::string m_path;
};

struct RasterFixture {
  int width = 10, height = 10;
  double origin_x = 0, origin_y = 0, cell_x = 1, cell_y = 1;  // cell_y > 0 is north-up
  std::string crs = "EPSG:32733";                             // "" writes no CRS
  std::optional<double> nodata;
  std::vector<float> values;  // row-major, width * height (default: col + 100 * row)
};

// Writes a Float32 GeoTIFF (path may be /vsimem/...); returns path.
std::string write_raster(const std::string& path, const RasterFixture& fixture);

// Writes text to a real or /vsimem/ path; returns path.
std::string write_text(const std::string& path, const std::string& text);

// A GeoJSON FeatureCollection with one polygon (ring as x0 y0 x1 y1 ...), in any CRS
// (named with the old-style "crs" member when crs is not empty).
std::string polygon_geojson(const std::vector<double>& ring, const std::string& crs = "");

// Starts `args` (args[0] an executable path) in a child process with stdout and
// stderr sent to /dev/null; returns its pid (for kill and waitpid).
int spawn_quietly(const std::vector<std::string>& args);

// AUC by brute force: every (deposit, cell) pair, ties one half (Mann-Whitney U
// over deposits x cells), the independent check of every AUC the code computes.
double mann_whitney(const std::vector<float>& deposits, const std::vector<float>& cells);

}  // namespace prospect::test
