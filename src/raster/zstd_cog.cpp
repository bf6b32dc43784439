#include "prospect/raster/zstd_cog.hpp"

#include <fcntl.h>
#include <gdal_priv.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <limits>
#include <vector>

#include "prospect/core/error.hpp"
#include "prospect/core/interrupt.hpp"
#include "prospect/core/parallel.hpp"
#include "prospect/raster/direct_tiff.hpp"
#include "prospect/raster/gdal_handles.hpp"

namespace prospect {
namespace {

constexpr int k_block = 512;
// The level GDAL's COG driver is given too (write_cog): on score maps about
// 1 % larger than the default level, and several times faster.
constexpr int k_zstd_level = 1;

ErrorContext writing(const std::string& path) {
  ErrorContext c;
  c.file = path;
  c.step = "writing the Cloud Optimized GeoTIFF";
  return c;
}

[[noreturn]] void write_failed(const std::string& path) {
  throw Error(ErrorKind::run_failed,
              std::string("could not be written (disk full?): ") + std::strerror(errno),
              writing(path));
}

// Level 0 is the full resolution, level k its k-th overview.
GDALRasterBand* band_at(GDALDataset& ds, int level, int band) {
  GDALRasterBand* b = ds.GetRasterBand(band + 1);
  return level == 0 ? b : b->GetOverview(level - 1);
}

// One tile of the output, in file order, and where its offset goes in the header.
struct TileRef {
  int level = 0, band = 0, col = 0, row = 0;
  std::size_t index = 0;  // in its image's tile arrays (band after band, row by row)
};

// The bytes of a sparse GeoTIFF with the staged file's size, bands, tags,
// metadata and overviews, ZSTD-compressed, without any tile data: the header
// the output gets (relocated_tiff_header).
std::string sparse_twin(GDALDataset& staged, int levels, bool big_tiff) {
  static std::atomic<int> counter{0};
  const std::string path = "/vsimem/prospect_zstd_cog_twin_" + std::to_string(counter++) + ".tif";
  CPLStringList options;
  options.SetNameValue("TILED", "YES");
  options.SetNameValue("BLOCKXSIZE", std::to_string(k_block).c_str());
  options.SetNameValue("BLOCKYSIZE", std::to_string(k_block).c_str());
  options.SetNameValue("INTERLEAVE", "BAND");
  options.SetNameValue("SPARSE_OK", "TRUE");
  options.SetNameValue("COMPRESS", "ZSTD");
  options.SetNameValue("PREDICTOR", "3");
  options.SetNameValue("BIGTIFF", big_tiff ? "YES" : "NO");
  {
    GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
    DatasetPtr twin(gtiff->Create(path.c_str(), staged.GetRasterXSize(), staged.GetRasterYSize(),
                                  staged.GetRasterCount(), GDT_Float32, options.List()));
    if (!twin) throw_gdal(ErrorKind::run_failed, "could not be prepared", writing(path));
    double gt[6];
    if (staged.GetGeoTransform(gt) == CE_None) twin->SetGeoTransform(gt);
    if (staged.GetSpatialRef()) twin->SetSpatialRef(staged.GetSpatialRef());
    twin->SetMetadata(staged.GetMetadata());
    for (int b = 1; b <= staged.GetRasterCount(); ++b) {
      GDALRasterBand* from = staged.GetRasterBand(b);
      GDALRasterBand* to = twin->GetRasterBand(b);
      to->SetDescription(from->GetDescription());
      int has_nodata = 0;
      const double nodata = from->GetNoDataValue(&has_nodata);
      if (has_nodata) to->SetNoDataValue(nodata);
      to->SetMetadata(from->GetMetadata());
    }
    if (levels > 0) {
      std::vector<int> factors;
      for (int k = 1; k <= levels; ++k) factors.push_back(1 << k);
      if (twin->BuildOverviews("NONE", levels, factors.data(), 0, nullptr, nullptr, nullptr) !=
          CE_None)
        throw_gdal(ErrorKind::run_failed, "could not be prepared", writing(path));
    }
  }
  return take_memory_file(path);
}

// The output file, removed unless it was completed and renamed.
struct OutputFile {
  std::string path;
  int fd = -1;
  bool kept = false;
  explicit OutputFile(std::string p) : path(std::move(p)) {
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) write_failed(path);
  }
  ~OutputFile() {
    if (fd >= 0) ::close(fd);
    if (!kept) ::unlink(path.c_str());
  }
  void write_at(const std::string& bytes, std::uint64_t offset) {
    for (std::size_t done = 0; done < bytes.size();) {
      const ssize_t n =
          ::pwrite(fd, bytes.data() + done, bytes.size() - done, off_t(offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) write_failed(path);
      done += std::size_t(n);
    }
  }
};

}  // namespace

bool zstd_cog_can_copy(const std::string& staged_path) {
  DatasetPtr staged = open_raster(staged_path);
  for (int b = 0; b < staged->GetRasterCount(); ++b) {
    GDALRasterBand* band = staged->GetRasterBand(b + 1);
    for (int level = 0; level <= band->GetOverviewCount(); ++level) {
      GDALRasterBand* l = band_at(*staged, level, b);
      int bx = 0, by = 0;
      l->GetBlockSize(&bx, &by);
      if (bx != k_block || by != k_block || l->GetRasterDataType() != GDT_Float32) return false;
    }
  }
  return staged->GetRasterCount() > 0;
}

void write_zstd_cog(const std::string& staged_path, const std::string& tmp,
                    const std::string& final_path, int threads) {
  DatasetPtr staged = open_raster(staged_path);
  const int bands = staged->GetRasterCount();
  const int levels = staged->GetRasterBand(1)->GetOverviewCount();

  // The file's order: the smallest overview first, the full resolution last,
  // each band after band, row by row.
  std::vector<TileRef> order;
  std::vector<ImageTiles> images(std::size_t(levels) + 1);
  std::uint64_t raw_bytes = 0;
  for (int level = levels; level >= 0; --level) {
    GDALRasterBand* first = band_at(*staged, level, 0);
    const int across = (first->GetXSize() + k_block - 1) / k_block;
    const int down = (first->GetYSize() + k_block - 1) / k_block;
    ImageTiles& image = images[std::size_t(level)];
    std::size_t index = 0;
    for (int b = 0; b < bands; ++b)
      for (int row = 0; row < down; ++row)
        for (int col = 0; col < across; ++col) order.push_back({level, b, col, row, index++});
    image.offsets.assign(index, 0);
    image.byte_counts.assign(index, 0);
    raw_bytes += std::uint64_t(index) * k_block * k_block * sizeof(float);
  }
  // ZSTD grows an incompressible tile by well under 1 %: BigTIFF when even
  // that could pass the 4 GiB of classic TIFF's 32-bit offsets.
  const bool big_tiff =
      raw_bytes + raw_bytes / 64 + (std::uint64_t(64) << 20) >= (std::uint64_t(1) << 32);
  const std::string twin = sparse_twin(*staged, levels, big_tiff);
  // The header's length does not depend on the offsets it holds: the tiles
  // start right after it.
  const std::uint64_t room =
      relocated_tiff_header(twin, std::numeric_limits<std::uint64_t>::max(), images).size();

  OutputFile out(tmp);
  std::uint64_t at = room;
  const std::size_t window = 4 * std::size_t(std::max(1, threads));
  std::vector<std::string> encoded(window);
  std::vector<DatasetPtr> readers(std::size_t(std::max(1, threads)));
  std::vector<std::vector<float>> blocks(readers.size(),
                                         std::vector<float>(std::size_t(k_block) * k_block));
  run_ordered(
      order.size(), threads, window,
      [&](std::size_t i, int worker) {
        DatasetPtr& reader = readers[std::size_t(worker)];
        if (!reader) reader = open_raster(staged_path);  // a handle per thread
        const TileRef& t = order[i];
        std::vector<float>& block = blocks[std::size_t(worker)];
        if (band_at(*reader, t.level, t.band)->ReadBlock(t.col, t.row, block.data()) != CE_None) {
          ErrorContext c = writing(final_path);
          c.step = "reading the staged scores";
          throw_gdal(ErrorKind::run_failed, "could not be read", c);
        }
        encoded[i % window] = encode_float_tile(block.data(), k_block, k_zstd_level);
      },
      [&](std::size_t i) {
        const TileRef& t = order[i];
        std::string& bytes = encoded[i % window];
        out.write_at(bytes, at);
        images[std::size_t(t.level)].offsets[t.index] = at;
        images[std::size_t(t.level)].byte_counts[t.index] = bytes.size();
        at += bytes.size();
        std::string().swap(bytes);
        if (i % 64 == 0) throw_if_interrupted();
      });
  const std::string header = relocated_tiff_header(twin, room, images);
  if (header.size() != room)
    throw Error(ErrorKind::run_failed, "internal error: the GeoTIFF header changed its length",
                writing(final_path));
  out.write_at(header, 0);
  const int fd = out.fd;
  out.fd = -1;
  if (::close(fd) != 0) write_failed(tmp);
  std::error_code ec;
  std::filesystem::rename(tmp, final_path, ec);
  if (ec)
    throw Error(ErrorKind::run_failed, "could not be moved into place: " + ec.message(),
                writing(final_path));
  out.kept = true;
}

}  // namespace prospect
