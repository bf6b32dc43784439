#include "prospect/core/hash.hpp"

#include <gtest/gtest.h>
#include <xxhash.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "prospect/core/error.hpp"
#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;

namespace {

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// A file no one has changed for a long time: a system program.
const char* k_settled_file = "/bin/sh";

// `n` bytes that differ from piece to piece.
std::string test_bytes(std::size_t n) {
  std::string s(n, '\0');
  std::uint32_t x = 12345;
  for (char& c : s) {
    x = x * 1664525u + 1013904223u;
    c = char(x >> 24);
  }
  return s;
}

// The documented definition, evaluated another way: every piece hashed on its
// own, the hashes laid out in one string, that string hashed in one call.
std::string hash_by_definition(const std::string& bytes) {
  std::string list;
  for (std::size_t at = 0; at < bytes.size(); at += 4096) {
    const std::uint64_t h =
        XXH3_64bits(bytes.data() + at, std::min<std::size_t>(4096, bytes.size() - at));
    for (int b = 0; b < 8; ++b) list.push_back(char(h >> (8 * b)));
  }
  const XXH128_hash_t h = XXH3_128bits(list.data(), list.size());
  char hex[40];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", (unsigned long long)h.high64,
                (unsigned long long)h.low64);
  return "xxh3-4k:" + std::string(hex);
}

}  // namespace

TEST(HashFile, SameBytesSameHash) {
  TempDir dir;
  write_bytes(dir.file("a"), "lofdal");
  write_bytes(dir.file("b"), "lofdal");
  write_bytes(dir.file("c"), "lofdaL");
  EXPECT_EQ(hash_file(dir.file("a")), hash_file(dir.file("b")));
  EXPECT_NE(hash_file(dir.file("a")), hash_file(dir.file("c")));
  EXPECT_EQ(hash_file(dir.file("a")), hash_bytes("lofdal"));
  EXPECT_EQ(hash_file(dir.file("a")).rfind("xxh3-4k:", 0), 0u);
  EXPECT_THROW(hash_file(dir.file("missing")), Error);
}

TEST(HashFile, IsTheXxh3_128OfItsPiecesXxh3_64s) {
  TempDir dir;
  for (std::size_t n : {0, 1, 4095, 4096, 4097, 3 * 4096 + 5, 1 << 20, (1 << 20) + 77}) {
    SCOPED_TRACE(n);
    const std::string bytes = test_bytes(n);
    write_bytes(dir.file("f"), bytes);
    EXPECT_EQ(hash_file(dir.file("f")), hash_by_definition(bytes));
    EXPECT_EQ(hash_bytes(bytes), hash_by_definition(bytes));
  }
}

// Readers on several threads pass overlapping, unaligned reads, some parts of
// the file never: the hash is the file's, and finish() read only what no
// reader passed whole.
TEST(FileHasher, ReadsInAnyOrderOnAnyThreadGiveTheFilesHash) {
  TempDir dir;
  const std::string bytes = test_bytes(200000);  // 49 pieces, the last shorter
  write_bytes(dir.file("f"), bytes);
  FileHasher hasher(dir.file("f"));
  auto reader = [&](std::size_t first, std::size_t step) {
    for (std::size_t at = first; at < bytes.size(); at += step) {
      const std::size_t n = std::min<std::size_t>(9000, bytes.size() - at);
      hasher.add(std::int64_t(at), bytes.data() + at, n);
    }
  };
  std::thread a(reader, 0, 18000), b(reader, 9000 - 100, 18000), c(reader, 7, 4000);
  a.join();
  b.join();
  c.join();
  hasher.add(0, bytes.data(), 100);  // inside one piece: nothing to hash
  EXPECT_EQ(hasher.finish(), hash_by_definition(bytes));
  EXPECT_FALSE(hasher.changed());
  EXPECT_EQ(hasher.pieces_finish_read(), 0u);  // every piece came whole in some read
}

// finish() takes the added pieces as they were passed (here bytes that are
// not the file's, so the hash shows it) and reads only the others.
TEST(FileHasher, TakesThePiecesAddedAndReadsTheRest) {
  TempDir dir;
  const std::string bytes = test_bytes(5 * 4096);
  write_bytes(dir.file("f"), bytes);
  std::string other = bytes;
  other[4096 + 10] ^= 1;
  FileHasher hasher(dir.file("f"));
  hasher.add(4096 - 3, other.data() + 4096 - 3, 4096 + 6);  // piece 1 whole, 0 and 2 in part
  EXPECT_EQ(hasher.finish(), hash_by_definition(other));
  EXPECT_EQ(hasher.pieces_finish_read(), 4u);
  EXPECT_EQ(hash_file(dir.file("f")), hash_by_definition(bytes));
}

// A file written again after the hasher examined it is hashed whole as it is
// now, and the hasher says it changed.
TEST(FileHasher, AFileChangedSinceItWasExaminedIsHashedWholeAgain) {
  TempDir dir;
  const std::string before = test_bytes(3 * 4096), after = test_bytes(2 * 4096 + 1);
  write_bytes(dir.file("f"), before);
  FileHasher hasher(dir.file("f"));
  hasher.add(0, before.data(), before.size());
  // The kernel stamps files from a clock that ticks every few milliseconds.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  write_bytes(dir.file("f"), after);
  EXPECT_EQ(hasher.finish(), hash_by_definition(after));
  EXPECT_TRUE(hasher.changed());
  EXPECT_THROW(FileHasher(dir.file("missing")), Error);
}

// A hash recorded with the file's current identity is taken as it is (here a
// made-up one, to show it was not computed); with another identity, or none,
// the file is read and hashed.
TEST(HashFileReusing, TakesTheRecordedHashOnlyForTheSameIdentity) {
  const std::string identity = file_identity(k_settled_file);
  ASSERT_FALSE(identity.empty());
  const std::string real = hash_file(k_settled_file);
  const FileHash same = hash_file_reusing(k_settled_file, {{k_settled_file, "recorded", identity}});
  EXPECT_EQ(same.hash, "recorded");
  EXPECT_EQ(same.identity, identity);
  EXPECT_EQ(hash_file_reusing(k_settled_file, {{k_settled_file, "recorded", identity + "0"}}).hash,
            real);
  EXPECT_EQ(hash_file_reusing(k_settled_file, {{"/bin/other", "recorded", identity}}).hash, real);
  EXPECT_EQ(hash_file_reusing(k_settled_file, {}).hash, real);
}

// A file changed in the last seconds has no identity yet (a coarse file system
// clock could let another change keep it), so its hash is never taken over.
TEST(HashFileReusing, AFileJustWrittenIsAlwaysHashed) {
  TempDir dir;
  const std::string path = dir.file("new.tif");
  write_bytes(path, "scores");
  EXPECT_EQ(file_identity(path), "");
  const FileHash h = hash_file_reusing(path, {{path, "recorded", ""}});
  EXPECT_EQ(h.hash, hash_bytes("scores"));
  EXPECT_EQ(h.identity, "");
}

// Writing a file changes its identity, even at the same size.
TEST(FileIdentity, ChangesWhenTheFileIsWritten) {
  TempDir dir;
  const std::string path = dir.file("f");
  write_bytes(path, "abc");
  const std::string before = file_identity(path, -1000);  // no settling: the test's own file
  ASSERT_FALSE(before.empty());
  // The kernel stamps files from a clock that ticks every few milliseconds.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  write_bytes(path, "abd");
  EXPECT_NE(file_identity(path, -1000), before);
  EXPECT_EQ(file_identity(dir.file("missing"), -1000), "");
  EXPECT_EQ(file_identity(dir.path(), -1000), "");  // a folder is not a file
}
