#include "prospect/core/hash.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

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

}  // namespace

TEST(HashFile, SameBytesSameHash) {
  TempDir dir;
  write_bytes(dir.file("a"), "lofdal");
  write_bytes(dir.file("b"), "lofdal");
  write_bytes(dir.file("c"), "lofdaL");
  EXPECT_EQ(hash_file(dir.file("a")), hash_file(dir.file("b")));
  EXPECT_NE(hash_file(dir.file("a")), hash_file(dir.file("c")));
  EXPECT_EQ(hash_file(dir.file("a")), hash_bytes("lofdal"));
  EXPECT_EQ(hash_file(dir.file("a")).rfind("xxh3-128:", 0), 0u);
  EXPECT_THROW(hash_file(dir.file("missing")), Error);
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
