#include "prospect/run/batch_summary.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "prospect/core/text.hpp"
#include "prospect/output/output_folder.hpp"
#include "prospect/output/qml.hpp"
#include "prospect/output/report_page.hpp"
#include "prospect/output/svg_plot.hpp"

namespace prospect {
namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

json read_json(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return json();
  try {
    return json::parse(in);
  } catch (const std::exception&) {
    return json();
  }
}

// JSON text that never fails on names that are not UTF-8 (survey folders can have any bytes).
std::string json_text(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// A link to a file in a survey's folder that a browser can only read as a
// relative path: "./" first and every byte but letters, digits and -._~
// percent-encoded, so a folder named "javascript:..." stays a folder.
std::string relative_href(const std::string& folder, const std::string& file) {
  std::string out = "./";
  for (unsigned char c : folder) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += char(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out + "/" + file;
}

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// One target zone of one survey, kept as text: a batch of large surveys can
// hold hundreds of thousands of zones, and parsed JSON costs ten times its text.
struct Zone {
  std::string survey;
  double score = 0;  // mean of the survey's target band
  long long cells = 0, survey_rank = 0;
  double area_ha = 0;
  std::string drivers;
  std::string properties;  // the zone's own properties but its rank, as JSON members ("a":1,"b":2)
  std::string geometry;    // as JSON
};

}  // namespace

std::string batch_counts(const BatchResult& result) {
  std::map<std::string, int> counts;
  for (const auto& s : result.surveys) ++counts[s.status];
  std::string out;
  for (const char* status : {"done", "up to date", "failed", "interrupted"})
    if (counts[status])
      out += (out.empty() ? "" : ", ") + std::to_string(counts[status]) + " " + status;
  return out.empty() ? "no surveys" : out;
}

void write_batch_summary(const std::string& out_dir, BatchResult& result) {
  std::vector<Zone> zones;
  for (SurveyOutcome& o : result.surveys) {
    if (o.status != "done" && o.status != "up to date") continue;
    const fs::path folder = fs::path(out_dir) / o.survey.name;
    const json manifest = read_json(folder / "manifest.json");
    std::string band;
    if (manifest.contains("targets") && manifest["targets"].contains("score"))
      band = manifest["targets"]["score"].get<std::string>();
    const json validation = read_json(folder / "validation.json");
    if (validation.contains("bands"))
      for (const auto& b : validation["bands"])
        if (b["band"] == band && b.contains("auc")) o.auc = b["auc"].get<double>();
    const json targets = read_json(folder / "targets.geojson");
    if (!targets.contains("features")) continue;
    o.targets = (long long)targets["features"].size();
    for (const auto& f : targets["features"]) {
      Zone z;
      z.survey = o.survey.name;
      const auto& p = f["properties"];
      z.score = p.value("mean_" + band, 0.0);
      z.cells = p.value("cells", 0LL);
      z.survey_rank = p.value("rank", 0LL);
      z.area_ha = p.value("area_ha", 0.0);
      z.drivers = p.value("drivers", std::string());
      json rest = json::object();
      for (const auto& [k, v] : p.items())
        if (k != "rank") rest[k] = v;
      const std::string text = json_text(rest);
      z.properties = text.size() > 2 ? text.substr(1, text.size() - 2) : "";
      z.geometry = json_text(f["geometry"]);
      zones.push_back(std::move(z));
    }
  }
  std::stable_sort(zones.begin(), zones.end(), [](const Zone& a, const Zone& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.cells != b.cells) return a.cells > b.cells;
    if (a.survey != b.survey) return a.survey < b.survey;
    return a.survey_rank < b.survey_rank;
  });

  // targets.geojson and targets.csv: all zones, ranked together.
  std::string geojson = "{\"type\":\"FeatureCollection\",\"features\":[";
  std::string csv = "batch_rank,survey,survey_rank,score,cells,area_ha,drivers\n";
  for (std::size_t r = 0; r < zones.size(); ++r) {
    const Zone& z = zones[r];
    const json head = {{"batch_rank", r + 1},
                       {"survey", z.survey},
                       {"survey_rank", z.survey_rank},
                       {"score", z.score}};
    const std::string head_text = json_text(head);
    geojson += std::string(r ? "," : "") +
               "{\"type\":\"Feature\",\"properties\":" + head_text.substr(0, head_text.size() - 1) +
               (z.properties.empty() ? "" : "," + z.properties) + "},\"geometry\":" + z.geometry +
               "}";
    csv += std::to_string(r + 1) + "," + csv_field(z.survey) + "," + std::to_string(z.survey_rank) +
           "," + number_text(z.score) + "," + std::to_string(z.cells) + "," +
           number_text(z.area_ha) + "," + csv_field(z.drivers) + "\n";
  }
  write_file_atomically((fs::path(out_dir) / "targets.geojson").string(), geojson + "]}\n");
  write_file_atomically((fs::path(out_dir) / "targets.csv").string(), csv);

  // summary.csv: one row per survey.
  std::string summary = "survey,status,seconds,target_zones,auc,message\n";
  for (const SurveyOutcome& o : result.surveys)
    summary += csv_field(o.survey.name) + "," + csv_field(o.status) + "," + number_text(o.seconds) +
               "," + (o.targets >= 0 ? std::to_string(o.targets) : "") + "," +
               (o.auc >= 0 ? number_text(o.auc) : "") + "," + csv_field(o.message) + "\n";
  write_file_atomically((fs::path(out_dir) / "summary.csv").string(), summary);

  // index.html: the batch report.
  std::vector<std::vector<Cell>> rows;
  for (const SurveyOutcome& o : result.surveys) {
    const bool has_report = fs::exists(fs::path(out_dir) / o.survey.name / "report.html");
    rows.push_back(
        {has_report
             ? Cell::markup("<a href=\"" + xml_escape(relative_href(o.survey.name, "report.html")) +
                            "\">" + xml_escape(o.survey.name) + "</a>")
             : Cell(o.survey.name),
         o.status, o.targets >= 0 ? std::to_string(o.targets) : "–",
         o.auc >= 0 ? format_number(o.auc) : "–", o.message});
  }
  std::vector<std::vector<Cell>> top;
  for (std::size_t r = 0; r < zones.size() && r < 25; ++r)
    top.push_back({std::to_string(r + 1), zones[r].survey, std::to_string(zones[r].survey_rank),
                   format_number(zones[r].score), format_number(zones[r].area_ha),
                   zones[r].drivers});
  std::string body =
      "<h1>Batch report</h1>\n<p class=\"meta\">" + xml_escape(batch_counts(result)) +
      (result.interrupted ? " — interrupted: run the same command again to resume" : "") + "</p>\n";
  body +=
      html_section("surveys", "Surveys",
                   html_table({"Survey", "Status", "Target zones", "AUC (target band)", "Problem"},
                              rows, 2, "Each survey's own report opens from its name.", 4));
  body += html_section(
      "targets", "Top target zones of all surveys",
      "<p>Ranked together by the mean score of the target band, as each survey ranks its own; "
      "all of them in <code>targets.geojson</code> and <code>targets.csv</code>.</p>\n" +
          html_table({"Rank", "Survey", "Survey rank", "Mean score", "Area (ha)", "Drivers"}, top,
                     2, "", 5));
  write_file_atomically((fs::path(out_dir) / "index.html").string(),
                        report_page("Batch report", body));
}

}  // namespace prospect
