// prospect batch TEMPLATE.yaml SURVEYS: one model template over many surveys.

#include <filesystem>
#include <iostream>
#include <optional>

#include "batch_status.hpp"
#include "command.hpp"
#include "prospect/core/interrupt.hpp"
#include "prospect/core/progress.hpp"
#include "prospect/run/batch.hpp"
#include "prospect/run/batch_ranks.hpp"
#include "prospect/run/batch_summary.hpp"

namespace prospect::cli {
namespace {

const char* k_batch_footer = R"(
Runs one model template over many surveys, unattended. SURVEYS is a folder
whose subfolders are the surveys (each a folder of layers), or a text file
listing survey folders, one per line. The template's relative paths resolve
in each survey's folder; a survey.yaml there overrides keys of the template
(e.g. its grid extent or study area). Each survey is written to OUT/<survey>/
with the full output set; OUT also gets:
  summary.csv        one row per survey: status, target zones, AUC, problem
  targets.geojson    every survey's target zones ranked together (+ targets.csv)
  index.html         the batch report, linking each survey's report.html
  batch.log          what happened, for people; batch.jsonl the same as JSON lines

A survey whose manifest records the same model and the same input bytes is
kept as it is (up to date), so running the same command again resumes an
interrupted batch; --force runs them all. A survey that fails is logged with
the file and the problem, and the others go on.

Examples:
  prospect batch lofdal.yaml surveys/ --out results --jobs 2
  prospect batch lofdal.yaml surveys.txt --out results --quiet

Exit codes: 0 every survey done or up to date, 1 some survey failed, 2 bad
command line, template or survey list, 130 interrupted (143 by SIGTERM).)";

class BatchCommand : public Command {
 public:
  void declare(CLI::App& app) override {
    m_command = app.add_subcommand("batch", "Run a model template over many surveys");
    m_command
        ->add_option("template", m_template,
                     "Model template (YAML); relative paths resolve in each survey")
        ->required();
    m_command->add_option("surveys", m_surveys, "Folder of survey folders, or a file listing them")
        ->required();
    m_command->add_option("--out,-o", m_out_dir, "Output folder (default: ./batch-out)");
    m_command->add_option("--jobs,-j", m_jobs, "Surveys run at the same time (default 1)")
        ->check(CLI::Range(1, 256));
    add_threads_option(*m_command, m_threads,
                       "Worker threads shared by the jobs (default: one per core)");
    m_command->add_flag("--force", m_force, "Run every survey, also those up to date");
    m_command
        ->add_option("--memory", m_memory_mb,
                     "Memory budget in MB: fewer jobs when --jobs would not fit")
        ->check(CLI::PositiveNumber);
    m_command->add_flag("--no-validation", m_no_validation, "Skip validation in every survey");
    m_command->add_flag("--no-report", m_no_report, "Skip each survey's report.html");
    m_command->add_flag("--quiet,-q", m_quiet, "No lines on stderr (batch.log still has them)");
    m_command->footer(k_batch_footer);
  }

  int run(std::ostream& out, std::ostream& err) override {
    note_thread_cap(m_threads, m_quiet, err);
    BatchOptions options;
    options.out_dir = m_out_dir.empty() ? "batch-out" : m_out_dir;
    options.jobs = m_jobs;
    options.threads = m_threads;
    options.force = m_force;
    options.memory_mb = m_memory_mb;
    options.no_report = m_no_report;
    options.no_validation = m_no_validation;
    const std::vector<Survey> surveys = find_surveys(m_surveys, options.out_dir);
    if (surveys.empty())
      throw Error(ErrorKind::bad_model, "holds no survey folders",
                  ErrorContext{m_surveys, "", "", "finding surveys", 0, 0},
                  "give a folder whose subfolders are surveys, or a file listing them");
    // On a terminal a live status line; in a log, the event lines alone.
    std::optional<BatchStatus> status;
    if (!m_quiet && Progress::stderr_is_terminal() && &err == &std::cerr) {
      status.emplace(err, surveys.size());
      options.say = [&status](const std::string& line) { status->line(line); };
      options.on_progress = [&status](const std::string& survey, const char* step,
                                      double fraction) {
        status->progress(survey, step, fraction);
      };
    } else if (!m_quiet) {
      options.say = [&err](const std::string& line) {
        err << "prospect: " << line << "\n" << std::flush;
      };
    }
    const BatchRanks ranks;  // one, unless started by mpirun in an MPI build
    options.ranks = &ranks;
    InterruptGuard interrupt_guard;
    const BatchResult result = run_batch(m_template, surveys, options);
    status.reset();  // clear the status line before the verdict
    if (ranks.rank() == 0)
      out << "prospect: batch: " << batch_counts(result) << "; see "
          << (std::filesystem::path(options.out_dir) / "index.html").string() << "\n";
    if (result.interrupted) return interrupt_exit_code();
    return result.failed() > 0 || result.failed_elsewhere ? 1 : 0;
  }

 private:
  std::string m_template, m_surveys, m_out_dir;
  int m_jobs = 1, m_threads = 0;
  long long m_memory_mb = 0;
  bool m_force = false, m_no_validation = false, m_no_report = false, m_quiet = false;
};

}  // namespace

std::unique_ptr<Command> batch_command() { return std::make_unique<BatchCommand>(); }

}  // namespace prospect::cli
