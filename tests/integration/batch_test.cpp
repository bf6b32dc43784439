// `prospect batch` on generated surveys: a broken one does not stop the others,
// the summary ranks every survey's targets together, a second run keeps what
// is up to date, and an interrupted batch resumed gives the bytes of a clean one.

#include "prospect/run/batch.hpp"

#include <gmock/gmock.h>
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

#include "prospect/cli/cli.hpp"
#include "prospect/core/interrupt.hpp"
#include "prospect/run/batch_summary.hpp"
#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

namespace {

int cli(std::vector<std::string> args, std::string* err_text = nullptr) {
  args.insert(args.begin(), "prospect");
  std::ostringstream out, err;
  const int code = run_cli(args, out, err);
  if (err_text) *err_text = err.str();
  return code;
}

const char* k_template =
    R"(grid: {crs: EPSG:32733, cell_size: 50, extent: [466000, 7748000, 468000, 7750000]}
inputs:
  eth: {path: eth.tif}
evidence:
  th: {input: eth, membership: {function: linear, low: 0, high: 60}}
scores: {Dy: th}
targets: {top_percent: 5}
outputs: {tile_size: 64}
)";

// A survey: a 40 x 40 ramp of eth whose level differs per survey (`lift`).
void make_survey(const std::string& folder, float lift) {
  fs::create_directories(folder);
  RasterFixture f;
  f.width = f.height = 40;
  f.origin_x = 466000;
  f.origin_y = 7750000;
  f.cell_x = f.cell_y = 50;
  f.values.resize(1600);
  for (int r = 0; r < 40; ++r)
    for (int c = 0; c < 40; ++c)
      f.values[std::size_t(r) * 40 + c] = lift + float(c) + 0.1f * float(r);
  write_raster(folder + "/eth.tif", f);
}

class Batch : public ::testing::Test {
 protected:
  void SetUp() override {
    write_text(dir.file("template.yaml"), k_template);
    make_survey(dir.file("surveys/a-low"), 0);
    make_survey(dir.file("surveys/b-high"), 15);
    make_survey(dir.file("surveys/c-small"), 5);
    // c-small overrides one key of the template's grid: a smaller extent.
    write_text(dir.file("surveys/c-small/survey.yaml"),
               "grid: {extent: [466000, 7748500, 467000, 7750000]}\n");
    // d-broken: its raster is cut short.
    make_survey(dir.file("surveys/d-broken"), 0);
    const std::string bytes = read_file(dir.file("surveys/d-broken/eth.tif"));
    std::ofstream(dir.file("surveys/d-broken/eth.tif"), std::ios::binary | std::ios::trunc)
        << bytes.substr(0, bytes.size() / 2);
  }
  TempDir dir;
};

}  // namespace

TEST_F(Batch, BrokenSurveyIsReportedAndTheOthersFinishRankedTogether) {
  std::string err;
  const int code = cli({"batch", dir.file("template.yaml"), dir.file("surveys"), "--out",
                        dir.file("out"), "--jobs", "2"},
                       &err);
  EXPECT_EQ(code, 1) << err;  // one survey failed
  for (const char* s : {"a-low", "b-high", "c-small"}) {
    EXPECT_TRUE(fs::exists(dir.file(std::string("out/") + s + "/prospectivity.tif"))) << s;
    EXPECT_TRUE(fs::exists(dir.file(std::string("out/") + s + "/report.html"))) << s;
  }
  EXPECT_FALSE(fs::exists(dir.file("out/d-broken/manifest.json")));
  EXPECT_THAT(err, HasSubstr("d-broken: FAILED"));
  EXPECT_THAT(err, HasSubstr("eth.tif"));

  // The machine log names the survey, the failure and the file.
  bool failure_logged = false;
  std::istringstream lines(read_file(dir.file("out/batch.jsonl")));
  for (std::string line; std::getline(lines, line);) {
    const auto j = nlohmann::json::parse(line);
    if (j["event"] == "failed") {
      failure_logged = true;
      EXPECT_EQ(j["survey"], "d-broken");
      EXPECT_THAT(j["error"].get<std::string>(), HasSubstr("d-broken/eth.tif"));
      EXPECT_EQ(j["exit_code"], 3);
    }
  }
  EXPECT_TRUE(failure_logged);
  const std::string summary = read_file(dir.file("out/summary.csv"));
  EXPECT_THAT(summary, HasSubstr("a-low,done,"));
  EXPECT_THAT(summary, HasSubstr("d-broken,failed,"));

  // The override applied: c-small is 20 x 30 cells.
  const auto manifest = nlohmann::json::parse(read_file(dir.file("out/c-small/manifest.json")));
  EXPECT_EQ(manifest["grid"]["width"], 20);
  EXPECT_EQ(manifest["model"]["name"], "c-small");

  // All targets ranked together by the target band's mean, each with its survey.
  const auto all = nlohmann::json::parse(read_file(dir.file("out/targets.geojson")));
  ASSERT_GT(all["features"].size(), 2u);
  double previous = 1e300;
  std::set<std::string> surveys;
  for (std::size_t i = 0; i < all["features"].size(); ++i) {
    const auto& p = all["features"][i]["properties"];
    EXPECT_EQ(p["batch_rank"], i + 1);
    EXPECT_LE(p["score"].get<double>(), previous);
    EXPECT_DOUBLE_EQ(p["score"].get<double>(), p["mean_Dy"].get<double>());
    previous = p["score"].get<double>();
    surveys.insert(p["survey"].get<std::string>());
  }
  EXPECT_EQ(surveys, (std::set<std::string>{"a-low", "b-high", "c-small"}));
  EXPECT_EQ(all["features"][0]["properties"]["survey"], "b-high");  // the richest survey leads
  EXPECT_THAT(read_file(dir.file("out/index.html")), HasSubstr("href=\"./a-low/report.html\""));
}

TEST_F(Batch, SecondRunKeepsWhatIsUpToDateAndRerunsWhatChanged) {
  fs::remove_all(dir.file("surveys/d-broken"));
  ASSERT_EQ(cli({"batch", dir.file("template.yaml"), dir.file("surveys"), "--out", dir.file("out"),
                 "-q"}),
            0);
  const std::string before = read_file(dir.file("out/a-low/manifest.json"));
  make_survey(dir.file("surveys/b-high"), 16);  // new data for one survey
  ASSERT_EQ(cli({"batch", dir.file("template.yaml"), dir.file("surveys"), "--out", dir.file("out"),
                 "-q"}),
            0);
  EXPECT_EQ(read_file(dir.file("out/a-low/manifest.json")), before);  // not run again
  const std::string summary = read_file(dir.file("out/summary.csv"));
  EXPECT_THAT(summary, HasSubstr("a-low,up to date,"));
  EXPECT_THAT(summary, HasSubstr("b-high,done,"));
  EXPECT_THAT(summary, HasSubstr("c-small,up to date,"));
}

// Interrupted after the first survey, then resumed: the same bytes as a batch
// that ran through, in every survey's outputs and in the ranked targets.
TEST_F(Batch, InterruptedBatchResumesToTheBytesOfACleanRun) {
  fs::remove_all(dir.file("surveys/d-broken"));
  const auto surveys = find_surveys(dir.file("surveys"));
  BatchOptions clean;
  clean.out_dir = dir.file("clean");
  ASSERT_EQ(run_batch(dir.file("template.yaml"), surveys, clean).failed(), 0);

  BatchOptions stopping;
  stopping.out_dir = dir.file("resumed");
  stopping.say = [](const std::string& line) {
    if (line.find(": done in") != std::string::npos)
      request_interrupt();  // Ctrl-C after the first survey
  };
  const BatchResult first = run_batch(dir.file("template.yaml"), surveys, stopping);
  clear_interrupt();
  EXPECT_TRUE(first.interrupted);
  EXPECT_THAT(batch_counts(first), HasSubstr("1 done"));
  EXPECT_THAT(batch_counts(first), HasSubstr("interrupted"));

  BatchOptions resume;
  resume.out_dir = dir.file("resumed");
  const BatchResult second = run_batch(dir.file("template.yaml"), surveys, resume);
  EXPECT_FALSE(second.interrupted);
  EXPECT_THAT(batch_counts(second), HasSubstr("1 up to date"));
  EXPECT_THAT(batch_counts(second), HasSubstr("2 done"));
  for (const auto& s : surveys)
    for (const char* f : {"prospectivity.tif", "targets.geojson", "targets.gpkg", "validation.json",
                          "report.html"}) {
      const std::string a = dir.file("clean/" + s.name + "/" + f),
                        b = dir.file("resumed/" + s.name + "/" + f);
      EXPECT_EQ(fs::exists(a), fs::exists(b)) << s.name << " " << f;
      if (fs::exists(a)) {
        EXPECT_EQ(read_file(a), read_file(b)) << s.name << " " << f;
      }
    }
  EXPECT_EQ(read_file(dir.file("clean/targets.geojson")),
            read_file(dir.file("resumed/targets.geojson")));
}

TEST(BatchSurveys, ListFileAndBadLists) {
  TempDir dir;
  make_survey(dir.file("x/one"), 0);
  make_survey(dir.file("y/one"), 0);
  write_text(dir.file("list.txt"), "# surveys\nx/one\n\n");
  const auto surveys = find_surveys(dir.file("list.txt"));
  ASSERT_EQ(surveys.size(), 1u);
  EXPECT_EQ(surveys[0].name, "one");
  write_text(dir.file("twins.txt"), "x/one\ny/one\n");
  EXPECT_THROW(find_surveys(dir.file("twins.txt")), Error);  // both would write out/one
  write_text(dir.file("missing.txt"), "x/one\nnowhere\n");
  try {
    find_surveys(dir.file("missing.txt"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("line 2"));
  }
}

// The real binary killed outright (SIGKILL: no chance to tidy up) as soon as
// its first survey is done, then the same command again: the outputs are the
// bytes of a batch that was never killed.
TEST(BatchKill, KilledBatchResumedEqualsACleanOne) {
  TempDir dir;
  write_text(dir.file("template.yaml"), k_template);
  for (int k = 0; k < 6; ++k) make_survey(dir.file("surveys/s" + std::to_string(k)), float(k));
  const std::string prospect = PROSPECT_BINARY;
  auto batch = [&](const std::string& out) {
    return std::vector<std::string>{
        prospect, "batch",  dir.file("template.yaml"), dir.file("surveys"), "--out", out, "--jobs",
        "1",      "--quiet"};
  };
  ASSERT_EQ(cli({"batch", dir.file("template.yaml"), dir.file("surveys"), "--out",
                 dir.file("clean"), "-q"}),
            0);

  const std::vector<std::string> args = batch(dir.file("killed"));
  const pid_t pid = pid_t(spawn_quietly(args));
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (read_file(dir.file("killed/batch.jsonl")).find("\"event\":\"done\"") ==
             std::string::npos &&
         std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the batch finished before it could be killed";

  ASSERT_EQ(cli({"batch", dir.file("template.yaml"), dir.file("surveys"), "--out",
                 dir.file("killed"), "-q"}),
            0);
  const std::string summary = read_file(dir.file("killed/summary.csv"));
  EXPECT_THAT(summary, HasSubstr("s0,up to date,"));  // finished before the kill: kept
  for (int k = 0; k < 6; ++k)
    for (const char* f :
         {"prospectivity.tif", "targets.geojson", "targets.gpkg", "report.html", "project.qgs"}) {
      const std::string name = "s" + std::to_string(k) + "/" + f;
      EXPECT_EQ(read_file(dir.file("clean/" + name)), read_file(dir.file("killed/" + name)))
          << name;
    }
  EXPECT_EQ(read_file(dir.file("clean/targets.geojson")),
            read_file(dir.file("killed/targets.geojson")));
  EXPECT_EQ(read_file(dir.file("clean/targets.csv")), read_file(dir.file("killed/targets.csv")));
}

// A memory budget too small for two surveys at once runs them one at a time, and says so.
TEST_F(Batch, MemoryBudgetCutsJobs) {
  fs::remove_all(dir.file("surveys/d-broken"));
  const auto surveys = find_surveys(dir.file("surveys"));
  const ModelSpec model =
      survey_model(dir.file("template.yaml"), read_file(dir.file("template.yaml")), surveys[0]);
  BatchOptions o;
  o.out_dir = dir.file("out");
  o.jobs = 2;
  o.threads = 2;
  o.memory_mb =
      (long long)(256 + 1.5 * survey_memory_mb(model, 1));  // room for one survey, not two
  std::vector<std::string> lines;
  o.say = [&](const std::string& line) { lines.push_back(line); };
  ASSERT_EQ(run_batch(dir.file("template.yaml"), surveys, o).failed(), 0);
  ASSERT_FALSE(lines.empty());
  EXPECT_THAT(lines.front(), HasSubstr("1 job(s) instead of 2"));
  EXPECT_GT(survey_memory_mb(model, 2),
            survey_memory_mb(model, 1));  // more workers, more tiles in flight
}

// Survey names are one plain folder name: a list line ending in '/' or '/..'
// names the folder it means, never "" or ".." (which wrote into OUT itself or
// its parent); a hidden folder is refused with its line.
TEST(BatchSurveys, NamesAreThePlainFolderNames) {
  TempDir dir;
  make_survey(dir.file("x/one"), 0);
  make_survey(dir.file("x/one/sub"), 0);
  write_text(dir.file("list.txt"), "x/one/\nx/one/sub/..\n");
  EXPECT_THROW(find_surveys(dir.file("list.txt")), Error);  // both are "one"
  write_text(dir.file("list.txt"), "x/one/\n");
  auto surveys = find_surveys(dir.file("list.txt"));
  ASSERT_EQ(surveys.size(), 1u);
  EXPECT_EQ(surveys[0].name, "one");
  write_text(dir.file("list.txt"), "x/one/sub/..\n");
  surveys = find_surveys(dir.file("list.txt"));
  ASSERT_EQ(surveys.size(), 1u);
  EXPECT_EQ(surveys[0].name, "one");
  make_survey(dir.file("x/.hidden"), 0);
  write_text(dir.file("list.txt"), "x/one\nx/.hidden\n");
  try {
    find_surveys(dir.file("list.txt"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("line 2"));
    EXPECT_EQ(e.kind(), ErrorKind::bad_model);
  }
}

// Folder names are data: a "javascript:" name is a relative link in index.html,
// a "=HYPERLINK(" name is text in summary.csv, and a name that is not UTF-8
// (with two jobs: it used to end the process from a worker thread) runs like
// any other while the summary and logs stay readable.
TEST(BatchSurveys, HostileFolderNamesStayData) {
  TempDir dir;
  write_text(dir.file("template.yaml"), k_template);
  const std::vector<std::string> names = {"javascript:alert(1)", "=HYPERLINK(\"http:x\")",
                                          "r\xe9sum\xe9", "plain"};
  for (std::size_t k = 0; k < names.size(); ++k)
    make_survey(dir.file("surveys/" + names[k]), float(k));
  std::string err;
  EXPECT_EQ(cli({"batch", dir.file("template.yaml"), dir.file("surveys"), "--out", dir.file("out"),
                 "--jobs", "2"},
                &err),
            0)
      << err;
  const std::string index = read_file(dir.file("out/index.html"));
  EXPECT_THAT(index, HasSubstr("href=\"./javascript%3Aalert%281%29/report.html\""));
  EXPECT_EQ(index.find("href=\"javascript"), std::string::npos);
  const std::string summary = read_file(dir.file("out/summary.csv"));
  EXPECT_THAT(summary, HasSubstr("\n\"'=HYPERLINK(\"\"http:x\"\")\",done,"));
  std::istringstream lines(read_file(dir.file("out/batch.jsonl")));
  int done = 0;
  for (std::string line; std::getline(lines, line);)
    done += nlohmann::json::parse(line)["event"] == "done";
  EXPECT_EQ(done, 4);
  EXPECT_TRUE(nlohmann::json::accept(read_file(dir.file("out/targets.geojson"))));
  EXPECT_TRUE(fs::exists(dir.file("out/r\xe9sum\xe9/manifest.json")));
}

// A survey.yaml ships with the survey's data: it cannot name an output outside
// the survey's folder (the survey fails with the file and line), and the batch goes on.
TEST(BatchSurveys, ASurveyFileCannotWriteOutsideItsFolder) {
  TempDir dir;
  write_text(dir.file("template.yaml"), k_template);
  make_survey(dir.file("surveys/evil"), 0);
  make_survey(dir.file("surveys/good"), 0);
  write_text(dir.file("surveys/evil/survey.yaml"),
             "inputs:\n  ../../../../pwned: {path: eth.tif}\n");
  std::string err;
  EXPECT_EQ(cli({"batch", dir.file("template.yaml"), dir.file("surveys"), "--out", dir.file("out")},
                &err),
            1);
  EXPECT_THAT(err, HasSubstr("evil: FAILED"));
  EXPECT_THAT(err, HasSubstr("is not a usable name"));
  EXPECT_TRUE(fs::exists(dir.file("out/good/manifest.json")));
  for (const auto& e : fs::recursive_directory_iterator(dir.path()))
    EXPECT_EQ(e.path().string().find("pwned"), std::string::npos) << e.path();
}

// Resume trusts a survey only when every output has the bytes its manifest
// records: an output changed afterwards (or a mixed folder) runs again.
TEST_F(Batch, ResumeRerunsASurveyWhoseOutputsNoLongerMatchItsManifest) {
  fs::remove_all(dir.file("surveys/d-broken"));
  ASSERT_EQ(cli({"batch", dir.file("template.yaml"), dir.file("surveys"), "--out", dir.file("out"),
                 "-q"}),
            0);
  std::ofstream(dir.file("out/a-low/targets.geojson"), std::ios::app) << " ";
  ASSERT_EQ(cli({"batch", dir.file("template.yaml"), dir.file("surveys"), "--out", dir.file("out"),
                 "-q"}),
            0);
  const std::string summary = read_file(dir.file("out/summary.csv"));
  EXPECT_THAT(summary, HasSubstr("a-low,done,"));
  EXPECT_THAT(summary, HasSubstr("b-high,up to date,"));
}
