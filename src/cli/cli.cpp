#include "prospect/cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <memory>
#include <ostream>
#include <vector>

#include "command.hpp"
#include "prospect/core/error.hpp"
#include "prospect/core/interrupt.hpp"

#ifndef PROSPECT_VERSION
#define PROSPECT_VERSION "unknown"
#endif

namespace prospect {

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"prospect " PROSPECT_VERSION
               " - scores map cells for mineral prospectivity (heavy rare earths: Dy, Tb, Y)\n"
               "from geological layers, and writes GeoTIFF and GeoJSON for QGIS.",
               "prospect"};
  app.require_subcommand(1);
  app.set_version_flag("--version", PROSPECT_VERSION);
  app.footer("\nStart with:  prospect run --help\nDocs: README.md and docs/ in the source tree.");

  // The registration list: one line per command.
  std::vector<std::unique_ptr<cli::Command>> commands;
  commands.push_back(cli::run_command());
  commands.push_back(cli::evidence_command());
  commands.push_back(cli::batch_command());
  commands.push_back(cli::check_command());
  commands.push_back(cli::info_command());
  commands.push_back(cli::weights_command());
  commands.push_back(cli::anomalies_command());
  for (auto& command : commands) command->declare(app);

  std::vector<std::string> reversed(args.rbegin(), args.rend() - 1);  // CLI11 takes them last first
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {  // --help or --version: CLI11 prints the right page
      app.exit(e, out, err);
      return 0;
    }
    err << "prospect: " << e.what() << "\n";
    err << "Run 'prospect --help' or 'prospect COMMAND --help' for usage.\n";
    return 2;
  }

  try {
    for (auto& command : commands)
      if (command->chosen()) return command->run(out, err);
    return 2;  // require_subcommand(1) makes this unreachable
  } catch (const Error& e) {
    err << "prospect: error: " << e.what() << "\n";
    return e.kind() == ErrorKind::interrupted ? interrupt_exit_code() : e.exit_code();
  } catch (const std::exception& e) {
    err << "prospect: error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace prospect
