#include "prospect/core/hash.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <new>
#include <vector>

#include "prospect/core/error.hpp"

namespace prospect {
namespace {

constexpr std::size_t k_piece = k_hash_piece_bytes;

std::string to_hex(XXH128_hash_t h) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "xxh3-4k:%016llx%016llx", (unsigned long long)h.high64,
                (unsigned long long)h.low64);
  return buf;
}

// The XXH3-128 of the pieces' hashes, fed in order, 8 bytes little-endian each.
class PieceList {
 public:
  PieceList() : m_state(XXH3_createState(), &XXH3_freeState) {
    if (!m_state) throw std::bad_alloc();
    XXH3_128bits_reset(m_state.get());
  }
  void push(std::uint64_t piece_hash) {
    for (int b = 0; b < 8; ++b)
      m_pending[m_used++] = static_cast<unsigned char>(piece_hash >> (8 * b));
    if (m_used == sizeof m_pending) flush();
  }
  XXH128_hash_t digest() {
    flush();
    return XXH3_128bits_digest(m_state.get());
  }

 private:
  void flush() {
    XXH3_128bits_update(m_state.get(), m_pending, m_used);
    m_used = 0;
  }
  std::unique_ptr<XXH3_state_t, XXH_errorcode (*)(XXH3_state_t*)> m_state;
  unsigned char m_pending[4096];  // hashes gathered before they go to the state
  std::size_t m_used = 0;
};

// Bytes arriving in chunks of any length, cut into pieces.
class PieceStream {
 public:
  void update(const char* p, std::size_t n) {
    if (m_partial_size > 0) {
      const std::size_t take = std::min(n, k_piece - m_partial_size);
      std::memcpy(m_partial + m_partial_size, p, take);
      m_partial_size += take;
      p += take;
      n -= take;
      if (m_partial_size < k_piece) return;
      m_list.push(XXH3_64bits(m_partial, k_piece));
      m_partial_size = 0;
    }
    for (; n >= k_piece; p += k_piece, n -= k_piece) m_list.push(XXH3_64bits(p, k_piece));
    std::memcpy(m_partial, p, n);
    m_partial_size = n;
  }
  XXH128_hash_t digest() {
    if (m_partial_size > 0) m_list.push(XXH3_64bits(m_partial, m_partial_size));
    m_partial_size = 0;
    return m_list.digest();
  }

 private:
  PieceList m_list;
  char m_partial[k_piece];
  std::size_t m_partial_size = 0;
};

struct FdCloser {
  int fd;
  ~FdCloser() { ::close(fd); }
};

// `bytes` at `offset`, all of them; false when the file ends first or a read fails.
bool read_at(int fd, char* to, std::size_t bytes, std::int64_t offset) {
  while (bytes > 0) {
    const ssize_t got = ::pread(fd, to, bytes, off_t(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    to += got;
    offset += got;
    bytes -= std::size_t(got);
  }
  return true;
}

long long nanoseconds(const timespec& t) { return (long long)t.tv_sec * 1000000000LL + t.tv_nsec; }

}  // namespace

std::string hash_bytes(std::string_view bytes) {
  PieceStream stream;
  stream.update(bytes.data(), bytes.size());
  return to_hex(stream.digest());
}

std::string hash_file(const std::string& path) { return FileHasher(path).finish(); }

bool FileHasher::Signature::operator==(const Signature& o) const {
  return dev == o.dev && ino == o.ino && size == o.size && mtime_ns == o.mtime_ns &&
         ctime_ns == o.ctime_ns;
}

namespace {

struct stat examine(const std::string& path, int fd) {
  struct stat st {};
  if ((fd >= 0 ? ::fstat(fd, &st) : ::stat(path.c_str(), &st)) != 0)
    throw_bad_input(path, "cannot be read", "check that the file exists and is readable");
  return st;
}

}  // namespace

FileHasher::FileHasher(std::string path) : m_path(std::move(path)) {
  const struct stat st = examine(m_path, -1);
  m_signature = {st.st_dev, st.st_ino, st.st_size, nanoseconds(st.st_mtim),
                 nanoseconds(st.st_ctim)};
  // Only a regular file's size is known before it is read; anything else is read whole.
  if (S_ISREG(st.st_mode)) m_pieces = (std::size_t(st.st_size) + k_piece - 1) / k_piece;
  m_hashes = std::make_unique<std::atomic<std::uint64_t>[]>(m_pieces);
  m_hashed = std::make_unique<std::atomic<bool>[]>(m_pieces);
}

void FileHasher::add(std::int64_t offset, const void* bytes, std::size_t n) {
  if (offset < 0 || m_pieces == 0) return;
  const auto begin = std::uint64_t(offset), end = begin + n;
  const auto size = std::uint64_t(m_signature.size);
  const auto* data = static_cast<const char*>(bytes);
  for (std::uint64_t k = (begin + k_piece - 1) / k_piece; k < m_pieces; ++k) {
    const std::uint64_t at = k * k_piece, stop = std::min<std::uint64_t>(at + k_piece, size);
    if (stop > end) break;
    if (m_hashed[k].load(std::memory_order_acquire)) continue;  // read twice: hashed once
    m_hashes[k].store(XXH3_64bits(data + (at - begin), stop - at), std::memory_order_relaxed);
    m_hashed[k].store(true, std::memory_order_release);
    m_any_added.store(true, std::memory_order_relaxed);
  }
}

std::string FileHasher::finish() {
  const int fd = ::open(m_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw_bad_input(m_path, "cannot be read", "check that the file exists and is readable");
  const FdCloser closer{fd};
  const struct stat st = examine(m_path, fd);
  const Signature now{st.st_dev, st.st_ino, st.st_size, nanoseconds(st.st_mtim),
                      nanoseconds(st.st_ctim)};
  const bool any_added = m_any_added.load(std::memory_order_acquire);
  m_changed = any_added && !(now == m_signature);
  std::vector<char> buf(std::size_t(1) << 20);
  if (!any_added || m_changed) {  // the whole file, as it is now
    PieceStream stream;
    for (;;) {
      const ssize_t got = ::read(fd, buf.data(), buf.size());
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) throw_bad_input(m_path, "could not be read to the end");
      if (got == 0) break;
      stream.update(buf.data(), std::size_t(got));
    }
    m_finish_read = m_pieces;
    return to_hex(stream.digest());
  }
  // The pieces no reader passed whole, read in runs of at most the buffer's size.
  const auto size = std::uint64_t(m_signature.size);
  const std::size_t run_pieces = buf.size() / k_piece;
  PieceList list;
  for (std::size_t k = 0; k < m_pieces;) {
    if (m_hashed[k].load(std::memory_order_acquire)) {
      list.push(m_hashes[k].load(std::memory_order_relaxed));
      ++k;
      continue;
    }
    std::size_t end = k + 1;
    while (end < m_pieces && end - k < run_pieces && !m_hashed[end].load(std::memory_order_acquire))
      ++end;
    const std::uint64_t at = k * k_piece, stop = std::min<std::uint64_t>(end * k_piece, size);
    if (!read_at(fd, buf.data(), std::size_t(stop - at), std::int64_t(at)))
      throw_bad_input(m_path, "could not be read to the end");
    for (std::size_t j = k; j < end; ++j) {
      const std::uint64_t from = j * k_piece;
      list.push(
          XXH3_64bits(buf.data() + (from - at), std::min<std::uint64_t>(k_piece, size - from)));
    }
    m_finish_read += end - k;
    k = end;
  }
  return to_hex(list.digest());
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

FileHash recorded_hash(const std::string& path, const std::vector<FileHash>& known) {
  FileHash out{path, {}, file_identity(path)};
  for (const FileHash& k : known)
    if (!out.identity.empty() && k.path == path && k.identity == out.identity && !k.hash.empty())
      out.hash = k.hash;
  return out;
}

FileHash hash_file_reusing(const std::string& path, const std::vector<FileHash>& known) {
  FileHash out = recorded_hash(path, known);
  // The identity must be the one before hashing: a change while reading shows
  // as another identity next time, and the file is hashed again then.
  if (out.hash.empty()) out.hash = hash_file(path);
  return out;
}

}  // namespace prospect
