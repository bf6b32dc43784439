#pragma once
// `prospect batch`: one model template run over many surveys, unattended.
//
// A survey is a folder of layers; the template's relative paths resolve
// against it, and an optional `survey.yaml` in it overrides the template's
// keys (maps merged key by key, anything else replaced). Each survey gets its
// own output folder with the full output set. A survey whose manifest already
// records the same model hash and the same input hashes is skipped, so a
// batch that was interrupted resumes where it stopped; a survey that fails is
// logged (which file, what is wrong) and the others go on. Surveys run
// `jobs` at a time, the threads shared out between them.

#include <functional>
#include <string>
#include <vector>

#include "prospect/config/model_file.hpp"

namespace prospect {

struct Survey {
  std::string name;    // folder name, unique in the batch
  std::string folder;  // where its layers are
};

// Subfolders of `folder` (sorted, hidden ones and `skip` left out), or the
// folders listed in a text file (one per line, relative to the file; # comments).
std::vector<Survey> find_surveys(const std::string& folder_or_list, const std::string& skip = "");

// The template as it applies to one survey (paths resolved in its folder,
// named after it, with its survey.yaml overrides).
ModelSpec survey_model(const std::string& template_path, const std::string& template_text,
                       const Survey& survey);

struct BatchOptions {
  std::string out_dir;
  int jobs = 1;
  int threads = 0;  // all jobs together; 0: one per core
  bool no_report = false;
  bool no_validation = false;
  bool force = false;  // run surveys that are up to date too
  long long memory_mb =
      0;  // budget for the whole batch (0: none): fewer jobs when they would not fit
  std::function<void(const std::string&)> say;  // one human line per event (may be empty)
  const class BatchRanks* ranks =
      nullptr;  // MPI ranks sharing the batch (null: this process alone)
  // Each running survey's step and share done, as in RunOptions::on_progress (may be empty).
  std::function<void(const std::string& survey, const char* step, double fraction)> on_progress;
};

struct SurveyOutcome {
  Survey survey;
  std::string status;  // "done", "up to date", "failed", "interrupted"
  double seconds = 0;
  std::string message;  // the error, for failed surveys
  long long targets = -1;
  double auc = -1;  // target band, when validated
};

struct BatchResult {
  std::vector<SurveyOutcome> surveys;
  bool interrupted = false;
  bool failed_elsewhere = false;  // MPI ranks other than 0: a survey failed on another rank
  int failed() const;             // surveys failed here (on rank 0: everywhere)
};

// Memory a survey of `model` holds while it runs with `threads` workers, in
// MiB: its tiles in flight (2 per worker: bands, their written form, inputs)
// and a fixed share for handles and target zones. An estimate, for --memory.
double survey_memory_mb(const ModelSpec& model, int threads);

// Runs the batch and writes OUT/<survey>/..., OUT/summary.csv, OUT/targets.geojson,
// OUT/targets.csv, OUT/index.html, OUT/batch.log and OUT/batch.jsonl. Across MPI
// ranks, each runs its share of the surveys; rank 0 writes the summary and
// returns every survey's outcome, and every rank learns whether any failed.
BatchResult run_batch(const std::string& template_path, const std::vector<Survey>& surveys,
                      const BatchOptions& options);

}  // namespace prospect
