#include "prospect/core/hash.hpp"

#include <xxhash.h>

#include <cstdio>
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

}  // namespace prospect
