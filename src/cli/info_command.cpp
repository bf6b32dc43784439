// prospect info FILE: what a raster or vector file holds.

#include <ostream>

#include "command.hpp"
#include "prospect/raster/describe.hpp"

namespace prospect::cli {
namespace {

const char* k_info_footer = R"(
Prints what a raster or vector file holds: format, CRS, extent, size and
bands (rasters), layers, geometry types, feature counts and fields (vectors).

Examples:
  prospect info rasters/lofdal_eth.tif
  prospect info vectors/lofdal_study_area.geojson)";

class InfoCommand : public Command {
 public:
  void declare(CLI::App& app) override {
    m_command = app.add_subcommand("info", "Describe a raster or vector file");
    m_command->add_option("file", m_path, "Any raster or vector file GDAL reads")->required();
    m_command->footer(k_info_footer);
  }

  int run(std::ostream& out, std::ostream&) override {
    out << describe_file(m_path);
    return 0;
  }

 private:
  std::string m_path;
};

}  // namespace

std::unique_ptr<Command> info_command() { return std::make_unique<InfoCommand>(); }

}  // namespace prospect::cli
