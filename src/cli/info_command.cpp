// prospect info FILE: what a raster or vector file holds.

#include <ostream>

#include "command.hpp"
#include "prospect/raster/describe.hpp"

namespace prospect::cli {
namespace {

const char* k_info_footer = R"(
Prints what a raster or vector file holds: format, CRS, extent, size and
bands (rasters), layers, geometry types, feature counts and fields (vectors).
Extents are given in full, ready for grid.extent; for a CSV file, the columns
a run takes as coordinates.

--stats reads every cell and every feature: per band min, max, mean, standard
deviation and the valid and nodata cells; per field the values, how many are
numeric (with min, max, mean), below the detection limit ("<0.5", taken as
half the limit, as IDW takes them) and not numeric ("n.d."), with examples.

--json prints the same as one JSON object (keys in docs/cli.md).

Examples:
  prospect info rasters/lofdal_eth.tif
  prospect info vectors/lofdal_soils.csv --stats
  prospect info rasters/lofdal_eth.tif --json --stats | jq '.raster.bands[0].statistics')";

class InfoCommand : public Command {
 public:
  void declare(CLI::App& app) override {
    m_command = app.add_subcommand("info", "Describe a raster or vector file");
    m_command->add_option("file", m_path, "Any raster or vector file GDAL reads")->required();
    m_command->add_flag("--stats,-s", m_stats,
                        "Statistics of every band and field (reads the whole file)");
    m_command->add_flag("--json", m_json, "One JSON object instead of text, for scripts");
    m_command->footer(k_info_footer);
  }

  int run(std::ostream& out, std::ostream&) override {
    const FileDescription file = describe_file(m_path, m_stats);
    out << (m_json ? description_json(file) : description_text(file));
    return 0;
  }

 private:
  std::string m_path;
  bool m_stats = false, m_json = false;
};

}  // namespace

std::unique_ptr<Command> info_command() { return std::make_unique<InfoCommand>(); }

}  // namespace prospect::cli
