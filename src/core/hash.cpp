#include "prospect/core/hash.hpp"

#include <sys/stat.h>
#include <xxhash.h>

#include <cstdio>
#include <ctime>
#include <memory>
#include <vector>

#include "prospect/core/error.hpp"

namespace prospect {
namespace {

std::string to_hex(XXH128_hash_t h) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "xxh3-128:%016llx%016llx", (unsigned long long)h.high64,
                (unsigned long long)h.low64);
  return buf;
}

}  // namespace

std::string hash_bytes(std::string_view bytes) {
  return to_hex(XXH3_128bits(bytes.data(), bytes.size()));
}

std::string hash_file(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) throw_bad_input(path, "cannot be read", "check that the file exists and is readable");
  std::unique_ptr<XXH3_state_t, XXH_errorcode (*)(XXH3_state_t*)> state(XXH3_createState(),
                                                                        &XXH3_freeState);
  XXH3_128bits_reset(state.get());
  std::vector<char> buf(1 << 20);
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f.get())) > 0)
    XXH3_128bits_update(state.get(), buf.data(), n);
  if (std::ferror(f.get())) throw_bad_input(path, "could not be read to the end");
  return to_hex(XXH3_128bits_digest(state.get()));
}

std::string file_identity(const std::string& path, long long settle_seconds) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return {};
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  const double age =
      double(now.tv_sec - st.st_ctim.tv_sec) + 1e-9 * double(now.tv_nsec - st.st_ctim.tv_nsec);
  if (age <= double(settle_seconds)) return {};
  char buf[160];
  std::snprintf(buf, sizeof buf, "%llx:%llx:%lld:%lld.%09ld:%lld.%09ld",
                (unsigned long long)st.st_dev, (unsigned long long)st.st_ino, (long long)st.st_size,
                (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec,
                st.st_ctim.tv_nsec);
  return buf;
}

FileHash hash_file_reusing(const std::string& path, const std::vector<FileHash>& known) {
  FileHash out{path, {}, file_identity(path)};
  for (const FileHash& k : known)
    if (!out.identity.empty() && k.path == path && k.identity == out.identity && !k.hash.empty()) {
      out.hash = k.hash;
      return out;
    }
  out.hash = hash_file(path);
  // The identity must be the one before hashing: a change while reading shows
  // as another identity next time, and the file is hashed again then.
  return out;
}

}  // namespace prospect
