#include "prospect/run/batch.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <system_error>
#include <thread>

#include "prospect/core/hash.hpp"
#include "prospect/core/interrupt.hpp"
#include "prospect/core/parallel.hpp"
#include "prospect/output/manifest.hpp"
#include "prospect/output/output_folder.hpp"
#include "prospect/raster/gdal_handles.hpp"
#include "prospect/run/batch_ranks.hpp"
#include "prospect/run/batch_summary.hpp"
#include "prospect/run/run_model.hpp"

namespace prospect {
namespace fs = std::filesystem;

namespace {

// Up to date: the survey's manifest records this model text and these input
// bytes, and every output it lists is there with the hash it records.
bool up_to_date(const ModelSpec& model, const std::string& out_dir) {
  const std::string manifest_path = (fs::path(out_dir) / "manifest.json").string();
  if (!fs::exists(manifest_path)) return false;
  try {
    const auto m = nlohmann::json::parse(read_text_file(manifest_path));
    if (m["model"]["hash"] != model.text_hash) return false;
    std::vector<std::pair<std::string, std::string>> recorded;
    for (const auto& in : m["inputs"]) recorded.emplace_back(in["path"], in["hash"]);
    const std::vector<std::string> files = model.input_files();
    if (recorded.size() != files.size()) return false;
    // An input whose identity is the one recorded is not read again.
    const std::vector<FileHash> known = recorded_inputs(manifest_path);
    for (std::size_t i = 0; i < files.size(); ++i)
      if (recorded[i].first != files[i] ||
          recorded[i].second != hash_file_reusing(files[i], known).hash)
        return false;
    // Every output the manifest lists, with the bytes it vouches for.
    if (!m["outputs"].is_array() || m["outputs"].empty()) return false;
    for (const auto& f : m["outputs"]) {
      const std::string name = f.at("path").get<std::string>();
      check_relative_name(name);
      if (hash_file((fs::path(out_dir) / name).string()) != f.at("hash").get<std::string>())
        return false;
    }
    return true;
  } catch (const std::exception&) {  // unreadable or from another version: run again
    return false;
  }
}

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return stamp;
}

// batch.log (for people) and batch.jsonl (for programs), appended across resumed runs.
class BatchLog {
 public:
  BatchLog(const std::string& out_dir, std::function<void(const std::string&)> say)
      : m_text((fs::path(out_dir) / "batch.log").string(), std::ios::app),
        m_json((fs::path(out_dir) / "batch.jsonl").string(), std::ios::app),
        m_say(std::move(say)) {}
  void event(const std::string& survey, const std::string& event, const std::string& line,
             nlohmann::ordered_json fields = nlohmann::ordered_json::object()) {
    std::lock_guard<std::mutex> lock(m_mutex);
    const std::string now = utc_now();
    nlohmann::ordered_json j = {{"time", now}, {"survey", survey}, {"event", event}};
    for (const auto& [k, v] : fields.items()) j[k] = v;
    m_json << j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n"
           << std::flush;
    m_text << now << " " << line << "\n" << std::flush;
    if (m_say) m_say(line);
  }

 private:
  std::mutex m_mutex;
  std::ofstream m_text, m_json;
  std::function<void(const std::string&)> m_say;
};

}  // namespace

int BatchResult::failed() const {
  return int(std::count_if(surveys.begin(), surveys.end(),
                           [](const SurveyOutcome& s) { return s.status == "failed"; }));
}

std::vector<Survey> find_surveys(const std::string& source, const std::string& skip) {
  std::vector<Survey> out;
  std::error_code ec;
  const fs::path skip_path = skip.empty() ? fs::path() : fs::weakly_canonical(skip, ec);
  // A survey is named by its folder's own name ("north/" and "x/../north" name
  // "north"): one plain part of a path, so OUT/<name> is a folder inside OUT.
  auto add = [&](const fs::path& folder, int line) {
    if (!skip.empty() && fs::weakly_canonical(folder, ec) == skip_path) return;
    fs::path normal = fs::absolute(folder, ec).lexically_normal();
    if (!normal.has_filename()) normal = normal.parent_path();
    const std::string name = normal.filename().string();
    if (name.empty() || name == "." || name == ".." || name[0] == '.')
      throw Error(
          ErrorKind::bad_model,
          (line > 0 ? "line " + std::to_string(line) + ": " : std::string()) + "'" +
              folder.string() + "' has no folder name to name its outputs by" +
              (name.empty() ? "" : " ('" + name + "')"),
          ErrorContext{source, "", "", "finding surveys", line, 0},
          "list each survey's own folder, e.g. surveys/north (hidden folders are not surveys)");
    out.push_back({name, folder.lexically_normal().string()});
  };
  if (fs::is_directory(source)) {
    std::vector<fs::path> folders;
    for (const auto& entry : fs::directory_iterator(source))
      if (entry.is_directory() && entry.path().filename().string().rfind('.', 0) != 0)
        folders.push_back(entry.path());
    std::sort(folders.begin(), folders.end());
    for (const auto& f : folders) add(f, 0);
  } else if (fs::is_regular_file(source)) {
    std::istringstream lines(read_text_file(source));
    std::string line;
    int number = 0;
    while (std::getline(lines, line)) {
      ++number;
      line.erase(0, line.find_first_not_of(" \t"));
      line.erase(line.find_last_not_of(" \t\r") + 1);
      if (line.empty() || line[0] == '#') continue;
      fs::path folder = line;
      if (folder.is_relative()) folder = fs::path(source).parent_path() / folder;
      if (!fs::is_directory(folder))
        throw Error(ErrorKind::bad_model,
                    "line " + std::to_string(number) + ": '" + line + "' is not a folder",
                    ErrorContext{source, "", "", "reading the survey list", number, 0},
                    "list one survey folder per line, relative to the list file");
      add(folder, number);
    }
  } else {
    throw Error(ErrorKind::bad_model, "is neither a folder of surveys nor a list of survey folders",
                ErrorContext{source, "", "", "finding surveys", 0, 0}, "");
  }
  std::vector<std::string> names;
  for (const auto& s : out) names.push_back(s.name);
  std::sort(names.begin(), names.end());
  const auto twin = std::adjacent_find(names.begin(), names.end());
  if (twin != names.end())
    throw Error(ErrorKind::bad_model, "two surveys are named '" + *twin + "'",
                ErrorContext{source, "", "", "finding surveys", 0, 0},
                "survey folders name their output folders, so their names must differ");
  return out;
}

ModelSpec survey_model(const std::string& template_path, const std::string& template_text,
                       const Survey& survey) {
  // Named as if the template lay in the survey folder, so its relative paths resolve there.
  const std::string as_path =
      (fs::path(survey.folder) / fs::path(template_path).filename()).string();
  const fs::path overrides = fs::path(survey.folder) / "survey.yaml";
  ModelSpec model;
  if (!fs::exists(overrides)) {
    model = parse_model(template_text, as_path);
    model.name = survey.name;
    return model;
  }
  const MergedModel merged = merge_overrides(
      template_text, template_path, read_text_file(overrides.string()), overrides.string());
  model = parse_model(merged.text, as_path);
  if (!merged.overrides_name) model.name = survey.name;
  return model;
}

double survey_memory_mb(const ModelSpec& model, int threads) {
  const double tile_mb =
      double(model.outputs.tile_size) * model.outputs.tile_size * 4.0 / (1024.0 * 1024.0);
  const double per_tile =
      double(2 * model.band_names().size() + model.inputs.size() + model.evidence.size() + 2);
  return 2.0 * threads * tile_mb * per_tile + 64.0;
}

BatchResult run_batch(const std::string& template_path, const std::vector<Survey>& surveys,
                      const BatchOptions& options) {
  init_gdal();
  fs::create_directories(options.out_dir);
  const int rank = options.ranks ? options.ranks->rank() : 0;
  // One batch at a time in a folder (MPI ranks share theirs: rank 0 holds the lock).
  std::optional<FolderLock> lock;
  if (rank == 0)
    lock.emplace((fs::path(options.out_dir) / ".prospect-batch.lock").string(), options.out_dir,
                 "batch folder");
  BatchLog log(options.out_dir, options.say);
  const std::string template_text = read_text_file(template_path);
  if (template_text.empty())
    throw Error(ErrorKind::bad_model, "cannot be read or is empty",
                ErrorContext{template_path, "", "", "reading the model template", 0, 0}, "");
  const int ranks = options.ranks ? options.ranks->size() : 1;
  std::vector<std::size_t> mine;  // this rank's surveys
  for (std::size_t i = 0; i < surveys.size(); ++i)
    if (int(i % std::size_t(ranks)) == rank) mine.push_back(i);
  int jobs = std::max(1, std::min<int>(options.jobs, int(std::max<std::size_t>(1, mine.size()))));
  const int threads = resolve_thread_count(options.threads);
  if (options.memory_mb > 0 && !mine.empty() && jobs > 1) {
    // Fewest jobs cut first: the largest count whose surveys, with GDAL's shared block cache, fit.
    try {
      const ModelSpec first = survey_model(template_path, template_text, surveys[mine.front()]);
      const double cache_mb = 256;
      int fitting = jobs;
      while (fitting > 1 &&
             cache_mb + fitting * survey_memory_mb(first, std::max(1, threads / fitting)) >
                 double(options.memory_mb))
        --fitting;
      if (fitting < jobs) {
        char line[200];
        std::snprintf(line, sizeof line,
                      "memory budget %lld MB: %d job(s) instead of %d (about %.0f MB each)",
                      options.memory_mb, fitting, jobs,
                      survey_memory_mb(first, std::max(1, threads / fitting)));
        log.event("", "jobs", line, {{"jobs", fitting}});
        jobs = fitting;
      }
    } catch (const Error&) {  // that survey's model is bad: it fails in its turn, with its message
    }
  }
  const int threads_per_job = std::max(1, threads / jobs);

  BatchResult result;
  result.surveys.resize(surveys.size());
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> finished{0};
  // One survey; `continue` ends it (the loop runs once).
  auto run_one = [&](std::size_t k) {
    do {
      const std::size_t i = mine[k];
      SurveyOutcome& o = result.surveys[i];
      o.survey = surveys[i];
      const std::string out_dir = (fs::path(options.out_dir) / surveys[i].name).string();
      const auto t0 = std::chrono::steady_clock::now();
      auto counter = [&] {
        return (ranks > 1 ? "rank " + std::to_string(rank) + " " : std::string()) + "[" +
               std::to_string(++finished) + "/" + std::to_string(mine.size()) + "] " +
               surveys[i].name;
      };
      if (interrupt_requested()) {
        o.status = "interrupted";
        continue;
      }
      try {
        const ModelSpec model = survey_model(template_path, template_text, surveys[i]);
        if (!options.force && up_to_date(model, out_dir)) {
          o.status = "up to date";
          log.event(o.survey.name, "skipped",
                    counter() + ": up to date (same model and inputs), kept");
          continue;
        }
        RunOptions run;
        run.out_dir = out_dir;
        run.threads = threads_per_job;
        // The survey's warnings go to the batch log (and the status display); all of
        // its notes and warnings are in its manifest.
        run.on_message = [&log, name = surveys[i].name](const Diagnostic& d) {
          if (d.severity == Severity::warning)
            log.event(name, "warning", name + ": warning: " + d.text, {{"warning", d.text}});
        };
        run.no_report = options.no_report;
        run.no_validation = options.no_validation;
        if (options.on_progress)
          run.on_progress = [&, name = surveys[i].name](const char* step, double fraction) {
            options.on_progress(name, step, fraction);
          };
        log.event(o.survey.name, "start", surveys[i].name + ": started");
        const RunRecord record = run_model(model, run);
        if (options.on_progress)
          options.on_progress(surveys[i].name, "", 1.0);  // finished: off the status line
        o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        o.status = "done";
        o.targets = record.target_count;
        char line[256];
        std::snprintf(line, sizeof line, ": done in %.1f s, %lld target zone(s)", o.seconds,
                      o.targets);
        log.event(o.survey.name, "done", counter() + line,
                  {{"seconds", o.seconds}, {"targets", o.targets}});
      } catch (const Error& e) {
        o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (options.on_progress) options.on_progress(surveys[i].name, "", 1.0);
        if (interrupt_requested()) {
          o.status = "interrupted";
          log.event(o.survey.name, "interrupted",
                    surveys[i].name + ": interrupted; it runs again on resume");
          continue;
        }
        o.status = "failed";
        o.message = e.what();
        log.event(o.survey.name, "failed", counter() + ": FAILED: " + o.message,
                  {{"seconds", o.seconds}, {"error", o.message}, {"exit_code", e.exit_code()}});
      } catch (const std::exception& e) {
        o.status = "failed";
        o.message = e.what();
        log.event(o.survey.name, "failed", counter() + ": FAILED: " + o.message,
                  {{"error", o.message}});
      }
    } while (false);
  };
  auto work = [&]() {
    for (;;) {
      const std::size_t k = next++;
      if (k >= mine.size()) return;
      try {
        run_one(k);
      } catch (...) {
        // Nothing escapes a job's thread (that would end the process): the survey
        // is failed, and the batch goes on and writes its summary.
        SurveyOutcome& o = result.surveys[mine[k]];
        o.survey = surveys[mine[k]];
        o.status = "failed";
        if (o.message.empty()) o.message = "an unexpected error while recording its outcome";
        try {
          log.event(o.survey.name, "failed", o.survey.name + ": FAILED: " + o.message,
                    {{"error", o.message}});
        } catch (...) {
        }
      }
    }
  };
  std::vector<std::thread> pool;
  for (int j = 1; j < jobs; ++j) {
    try {
      pool.emplace_back(work);
    } catch (const std::system_error& e) {  // the system gives no more threads: fewer jobs
      log.event("", "jobs",
                "could start only " + std::to_string(j) + " of " + std::to_string(jobs) +
                    " job(s): " + e.what(),
                {{"jobs", j}});
      break;
    }
  }
  work();
  for (auto& t : pool) t.join();
  result.interrupted = interrupt_requested();
  if (ranks > 1) {  // rank 0 learns what every rank did
    nlohmann::json done = nlohmann::json::array();
    for (std::size_t i : mine) {
      const SurveyOutcome& o = result.surveys[i];
      done.push_back({{"i", i},
                      {"status", o.status},
                      {"seconds", o.seconds},
                      {"message", o.message},
                      {"targets", o.targets}});
    }
    const std::vector<std::string> all = options.ranks->gather(done.dump());
    for (const std::string& text : all)
      for (const auto& o : nlohmann::json::parse(text)) {
        SurveyOutcome& out = result.surveys[o["i"].get<std::size_t>()];
        out.survey = surveys[o["i"].get<std::size_t>()];
        out.status = o["status"];
        out.seconds = o["seconds"];
        out.message = o["message"];
        out.targets = o["targets"];
      }
    int flags = (result.failed() > 0 ? 1 : 0) | (result.interrupted ? 2 : 0);
    flags = options.ranks->broadcast(flags);
    if (rank != 0) {  // the summary is rank 0's; the others report only the verdict
      result.interrupted = (flags & 2) != 0;
      result.failed_elsewhere = (flags & 1) != 0 && result.failed() == 0;
      return result;
    }
    result.interrupted = (flags & 2) != 0;
  }
  write_batch_summary(options.out_dir, result);
  log.event("", result.interrupted ? "interrupted" : "finished",
            std::string(result.interrupted ? "batch interrupted" : "batch finished") + ": " +
                batch_counts(result) + "; summary in " +
                (fs::path(options.out_dir) / "index.html").string(),
            {{"failed", result.failed()}});
  return result;
}

}  // namespace prospect
