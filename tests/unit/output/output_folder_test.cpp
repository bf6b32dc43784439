#include "prospect/output/output_folder.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>

#include "prospect/core/error.hpp"
#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;
namespace fs = std::filesystem;

namespace {

const char* k_manifest = R"({"tool": "prospect", "outputs": []})";

std::string slurp(const std::string& path) { return read_text_file(path); }

ErrorKind kind_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.kind();
  }
  ADD_FAILURE() << "no error";
  return ErrorKind::run_failed;
}

}  // namespace

TEST(OutputFolder, NothingAppearsBeforeCommitAndEverythingAtOnceAfter) {
  TempDir dir;
  const std::string out = dir.file("out");
  {
    OutputFolder folder(out, {});
    write_file_atomically(folder.staged_path("a.txt"), "new");
    write_file_atomically(folder.staged_path("evidence/b.txt"), "new");
    write_file_atomically(folder.scratch_path("scratch.tif"), "not published");
    EXPECT_FALSE(fs::exists(out));
    write_file_atomically(folder.staged_path("manifest.json"), k_manifest);
    folder.commit();
  }
  EXPECT_EQ(slurp(out + "/a.txt"), "new");
  EXPECT_EQ(slurp(out + "/evidence/b.txt"), "new");
  EXPECT_FALSE(fs::exists(out + "/.scratch"));
  // Beside it: the lock alone.
  std::vector<std::string> beside;
  for (const auto& e : fs::directory_iterator(dir.path()))
    beside.push_back(e.path().filename().string());
  std::sort(beside.begin(), beside.end());
  EXPECT_EQ(beside, (std::vector<std::string>{".out.prospect-lock", "out"}));
}

TEST(OutputFolder, ACommitReplacesTheEarlierRunWholeAndAnUncommittedOneChangesNothing) {
  TempDir dir;
  const std::string out = dir.file("out");
  {
    OutputFolder folder(out, {});
    write_file_atomically(folder.staged_path("old-only.txt"), "old");
    write_file_atomically(folder.staged_path("manifest.json"), k_manifest);
    folder.commit();
  }
  {
    OutputFolder folder(out, {});
    write_file_atomically(folder.staged_path("new-only.txt"), "new");
    // Not committed: an error or an interrupt unwinds here.
  }
  EXPECT_TRUE(fs::exists(out + "/old-only.txt"));
  EXPECT_FALSE(fs::exists(out + "/new-only.txt"));
  {
    OutputFolder folder(out, {});
    write_file_atomically(folder.staged_path("new-only.txt"), "new");
    write_file_atomically(folder.staged_path("manifest.json"), k_manifest);
    folder.commit();
  }
  EXPECT_FALSE(fs::exists(out + "/old-only.txt"));  // no leftovers of the earlier run
  EXPECT_TRUE(fs::exists(out + "/new-only.txt"));
}

TEST(OutputFolder, ASecondRunIntoTheSameFolderIsRefusedWhileTheFirstHoldsIt) {
  TempDir dir;
  OutputFolder first(dir.file("out"), {});
  try {
    OutputFolder second(dir.file("out"), {});
    ADD_FAILURE() << "a second run was let in";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_model);  // exit 2
    EXPECT_NE(std::string(e.what()).find("another prospect run"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(std::to_string(getpid())), std::string::npos) << e.what();
  }
  // A different folder in the same parent is not locked.
  OutputFolder other(dir.file("out2"), {});
}

TEST(OutputFolder, AFolderOfOtherFilesIsRefusedAndKept) {
  TempDir dir;
  fs::create_directories(dir.file("mine"));
  write_text(dir.file("mine/thesis.docx"), "precious");
  EXPECT_EQ(kind_of([&] { OutputFolder f(dir.file("mine"), {}); }), ErrorKind::bad_model);
  EXPECT_EQ(slurp(dir.file("mine/thesis.docx")), "precious");
  // An empty folder is fine; so is one with an earlier prospect run.
  fs::create_directories(dir.file("empty"));
  EXPECT_NO_THROW(OutputFolder(dir.file("empty"), {}));
}

TEST(OutputFolder, ALinkAFileOrAFolderHoldingAnInputIsRefused) {
  TempDir dir;
  fs::create_directories(dir.file("real"));
  fs::create_directory_symlink(dir.file("real"), dir.file("link"));
  EXPECT_EQ(kind_of([&] { OutputFolder f(dir.file("link"), {}); }), ErrorKind::bad_model);
  write_text(dir.file("file"), "x");
  EXPECT_EQ(kind_of([&] { OutputFolder f(dir.file("file"), {}); }), ErrorKind::bad_model);
  fs::create_directories(dir.file("data"));
  write_text(dir.file("data/in.tif"), "x");
  EXPECT_EQ(kind_of([&] { OutputFolder f(dir.file("data"), {dir.file("data/in.tif")}); }),
            ErrorKind::bad_model);
  EXPECT_EQ(kind_of([&] { OutputFolder f(dir.path(), {dir.file("data/in.tif")}); }),
            ErrorKind::bad_model);
}

TEST(OutputFolder, WhatDeadRunsLeftIsRemovedAndNothingElse) {
  TempDir dir;
  fs::create_directories(dir.file(".out.prospect-staging-ab12cd/evidence"));
  fs::create_directories(dir.file(".out.prospect-old-zz99zz"));
  fs::create_directories(dir.file(".out.prospect-staging-keep-me"));   // not a name a run makes
  fs::create_directories(dir.file(".other.prospect-staging-ab12cd"));  // another folder's
  { OutputFolder folder(dir.file("out"), {}); }
  EXPECT_FALSE(fs::exists(dir.file(".out.prospect-staging-ab12cd")));
  EXPECT_FALSE(fs::exists(dir.file(".out.prospect-old-zz99zz")));
  EXPECT_TRUE(fs::exists(dir.file(".out.prospect-staging-keep-me")));
  EXPECT_TRUE(fs::exists(dir.file(".other.prospect-staging-ab12cd")));
}

TEST(OutputFolder, ARunKilledBetweenTheFallbackRenamesIsRestored) {
  TempDir dir;
  // The two-rename swap was killed after moving the earlier run aside.
  fs::create_directories(dir.file(".out.prospect-old-ab12cd"));
  write_text(dir.file(".out.prospect-old-ab12cd/manifest.json"), k_manifest);
  write_text(dir.file(".out.prospect-old-ab12cd/prospectivity.tif"), "earlier run");
  { OutputFolder folder(dir.file("out"), {}); }
  EXPECT_EQ(slurp(dir.file("out/prospectivity.tif")), "earlier run");
}

TEST(OutputFolder, NamesThatCouldLeaveTheFolderAreRefused) {
  TempDir dir;
  OutputFolder folder(dir.file("out"), {});
  for (const char* bad : {"../x.tif", "/etc/passwd", "evidence/../../x", "", "./a", "evidence/"})
    EXPECT_EQ(kind_of([&] { folder.staged_path(bad); }), ErrorKind::run_failed) << bad;
  EXPECT_NO_THROW(folder.staged_path("evidence/dist_faults.tif"));
  EXPECT_NO_THROW(folder.staged_path("weights/Dy_lithology.csv"));
}

TEST(OutputFolder, AnAtomicWriteNeverWritesThroughALink) {
  TempDir dir;
  write_text(dir.file("victim.tif"), "input bytes");
  fs::create_symlink(dir.file("victim.tif"), dir.file("report.html"));
  // A planted link under the temporary name's prefix is not followed either: the name is new each
  // time.
  fs::create_symlink(dir.file("victim.tif"), dir.file("report.html.part"));
  write_file_atomically(dir.file("report.html"), "report");
  EXPECT_EQ(slurp(dir.file("victim.tif")), "input bytes");
  EXPECT_FALSE(fs::is_symlink(dir.file("report.html")));
  EXPECT_EQ(slurp(dir.file("report.html")), "report");
}

TEST(OutputFolder, ErrorsNameTheOutputNotItsStagingPath) {
  TempDir dir;
  OutputFolder folder(dir.file("out"), {});
  const Error staged(ErrorKind::run_failed, "could not be written",
                     {folder.staged_path("evidence/a.tif"), "", "", "writing", 0, 0});
  EXPECT_EQ(folder.in_own_words(staged).context().file, dir.file("out") + "/evidence/a.tif");
  const Error scratch(ErrorKind::run_failed, "could not be written",
                      {folder.scratch_path("scores.tif"), "", "", "writing", 0, 0});
  EXPECT_EQ(folder.in_own_words(scratch).context().file, dir.file("out"));
  EXPECT_EQ(folder.in_own_words(scratch).context().step, "writing (a scratch file)");
  const Error input(ErrorKind::bad_input, "is corrupt",
                    {dir.file("in.tif"), "", "", "reading", 0, 0});
  EXPECT_EQ(folder.in_own_words(input).context().file, dir.file("in.tif"));
}

namespace {

// How many of the file's pages are in the page cache (mincore of a mapping).
std::size_t resident_pages(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  const auto size = std::size_t(lseek(fd, 0, SEEK_END));
  void* map = mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  close(fd);
  if (map == MAP_FAILED) return 0;
  const std::size_t page = std::size_t(sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> in((size + page - 1) / page);
  std::size_t count = 0;
  if (mincore(map, size, in.data()) == 0)
    for (unsigned char c : in) count += c & 1;
  munmap(map, size);
  return count;
}

// Writes `bytes` to `path`, on disk (fsync: clean pages can leave the cache),
// and reads it back so that it is cached.
void write_cached(const std::string& path, std::size_t bytes) {
  const std::string data(bytes, 'x');
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, data.data(), data.size()), ssize_t(data.size()));
  ASSERT_EQ(fsync(fd), 0);
  close(fd);
  EXPECT_EQ(slurp(path).size(), bytes);
}

}  // namespace

// A run into the folder of an earlier one drops that run's settled files from
// the page cache (its new files reuse the memory) and leaves their bytes as
// they were.
TEST(OutputFolder, TheEarlierRunsFilesLeaveThePageCacheButKeepTheirBytes) {
  TempDir dir;
  const std::size_t bytes = std::size_t(4) << 20;
  // Where the file system keeps no page cache of its own to drop (tmpfs), there is nothing to test.
  write_cached(dir.file("probe"), bytes);
  {
    const int fd = open(dir.file("probe").c_str(), O_RDONLY | O_CLOEXEC);
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    close(fd);
  }
  if (resident_pages(dir.file("probe")) > 0) GTEST_SKIP() << "this file system keeps its pages";

  const std::string out = dir.file("out");
  fs::create_directories(out + "/evidence");
  write_file_atomically(out + "/manifest.json", k_manifest);
  write_cached(out + "/prospectivity.tif", bytes);
  write_cached(out + "/evidence/faults.tif", bytes);
  write_cached(out + "/evidence/recent.tif", bytes);
  // Written an hour ago, but for recent.tif: just written, its pages may still
  // be dirty, and are left (dropping them would write them first).
  const auto hour_ago = fs::file_time_type::clock::now() - std::chrono::hours(1);
  fs::last_write_time(out + "/prospectivity.tif", hour_ago);
  fs::last_write_time(out + "/evidence/faults.tif", hour_ago);
  ASSERT_GT(resident_pages(out + "/prospectivity.tif"), 0u);
  ASSERT_GT(resident_pages(out + "/evidence/faults.tif"), 0u);
  {
    OutputFolder folder(out, {});
    EXPECT_EQ(resident_pages(out + "/prospectivity.tif"), 0u);
    EXPECT_EQ(resident_pages(out + "/evidence/faults.tif"), 0u);
    EXPECT_GT(resident_pages(out + "/evidence/recent.tif"), 0u);
    EXPECT_EQ(slurp(out + "/prospectivity.tif"), std::string(bytes, 'x'));
  }  // not committed: the earlier run stays
  EXPECT_EQ(slurp(out + "/evidence/faults.tif"), std::string(bytes, 'x'));
}
