// Every hostile model file in tests/data/hostile/ (see its README) is refused
// with the exit code and the message its header lines expect -- never a crash,
// a hang or a file written. Runs the CLI in-process, so a stack overflow or an
// escaped exception fails this test (under ASan/UBSan in CI).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "prospect/cli/cli.hpp"
#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

namespace {

struct Expectation {
  std::string command = "check";
  int exit_code = -1;
  std::vector<std::string> messages;
};

Expectation expectation_of(const fs::path& file) {
  Expectation e;
  std::ifstream in(file, std::ios::binary);
  std::string line;
  while (std::getline(in, line) && line.rfind("#", 0) == 0) {
    auto value = [&](const std::string& key) -> std::optional<std::string> {
      if (line.rfind(key, 0) != 0) return std::nullopt;
      return line.substr(key.size());
    };
    if (auto v = value("# expect-exit: ")) e.exit_code = std::stoi(*v);
    if (auto v = value("# expect: ")) e.messages.push_back(*v);
    if (auto v = value("# command: ")) e.command = *v;
  }
  return e;
}

std::vector<fs::path> hostile_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(PROSPECT_TEST_DATA) / "hostile"))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

class HostileModel : public ::testing::TestWithParam<fs::path> {};

TEST_P(HostileModel, IsRefusedClearlyAndWritesNothing) {
  const fs::path file = GetParam();
  const Expectation e = expectation_of(file);
  ASSERT_NE(e.exit_code, -1) << file << " has no '# expect-exit:' line";
  TempDir dir;
  std::vector<std::string> args = {"prospect", e.command, file.string()};
  if (e.command == "run") args.insert(args.end(), {"--out", dir.file("out"), "--quiet"});
  std::ostringstream out, err;
  const int code = run_cli(args, out, err);
  EXPECT_EQ(code, e.exit_code) << err.str();
  for (const auto& m : e.messages) EXPECT_THAT(err.str(), HasSubstr(m)) << file;
  EXPECT_TRUE(fs::is_empty(dir.path())) << "something was written for " << file;
}

INSTANTIATE_TEST_SUITE_P(Files, HostileModel, ::testing::ValuesIn(hostile_files()),
                         [](const ::testing::TestParamInfo<fs::path>& info) {
                           std::string name = info.param.stem().string();
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });
