// prospect check MODEL.yaml: validate a model and its inputs, run nothing.

#include <ostream>

#include "command.hpp"
#include "prospect/config/model_file.hpp"
#include "prospect/run/model_setup.hpp"

namespace prospect::cli {
namespace {

const char* k_check_footer = R"(
Reads the model file, builds the analysis grid and opens every input (CRS,
overlap with the grid, bands) and every deposit file with its filters (how
many points, how many on the grid), but scores nothing and writes nothing.
Use it before a long run, or in a batch script to reject bad surveys early:
what check accepts, a run opens without error.

Example:
  prospect check lofdal.yaml)";

class CheckCommand : public Command {
 public:
  void declare(CLI::App& app) override {
    m_command = app.add_subcommand("check", "Check a model and its inputs, run nothing");
    m_command->add_option("model", m_model_path, "Model file (YAML)")->required();
    m_command->footer(k_check_footer);
  }

  int run(std::ostream& out, std::ostream&) override {
    const ModelSpec model = load_model(m_model_path);
    const CheckReport report = check_model(model);
    out << "model " << m_model_path << " ('" << model.name << "'): OK\n";
    for (const auto& line : report.lines) out << "  " << line << "\n";
    return 0;
  }

 private:
  std::string m_model_path;
};

}  // namespace

std::unique_ptr<Command> check_command() { return std::make_unique<CheckCommand>(); }

}  // namespace prospect::cli
