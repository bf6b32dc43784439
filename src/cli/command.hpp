#pragma once
// One class per command of the command line (`prospect run`, `batch`, ...):
// each declares its subcommand with its typed options and help once, and runs
// it. cli.cpp holds the registration list. Private to the CLI.

#include <CLI/CLI.hpp>
#include <iosfwd>
#include <memory>

#include "prospect/core/progress.hpp"
#include "prospect/run/run_model.hpp"

namespace prospect::cli {

class Command {
 public:
  virtual ~Command() = default;
  // Adds the subcommand, its arguments and its help to `app`.
  virtual void declare(CLI::App& app) = 0;
  bool chosen() const { return m_command && m_command->parsed(); }
  // Runs it; returns the exit code. Errors are thrown (cli.cpp maps them).
  virtual int run(std::ostream& out, std::ostream& err) = 0;

 protected:
  CLI::App* m_command = nullptr;
};

// The commands, in the order `prospect --help` lists them.
std::unique_ptr<Command> run_command();
std::unique_ptr<Command> evidence_command();
std::unique_ptr<Command> batch_command();
std::unique_ptr<Command> check_command();
std::unique_ptr<Command> info_command();
std::unique_ptr<Command> weights_command();
std::unique_ptr<Command> anomalies_command();

// Shared by the commands.

// CLI11's number checks let nan and inf through (every comparison with nan is false).
extern const CLI::Validator k_finite;

// The --threads option (0: one per core).
CLI::Option* add_threads_option(CLI::App& command, int& threads, const std::string& help);
// The note printed when --threads is capped (unless quiet).
void note_thread_cap(int threads, bool quiet, std::ostream& err);
// A long command's phases, notes and warnings on `err` as they come
// (PhaseProgress: rewriting itself on a terminal, GDAL-style lines in a pipe),
// wired into `options`; nothing at all when quiet. finish() once the work is
// done; a command that fails or is interrupted leaves its phase unfinished.
class CommandProgress {
 public:
  CommandProgress(std::ostream& err, bool quiet, RunOptions& options);
  void finish();

 private:
  std::unique_ptr<PhaseProgress> m_progress;
};

}  // namespace prospect::cli
