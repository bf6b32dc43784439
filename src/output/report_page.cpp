#include "prospect/output/report_page.hpp"

#include "prospect/output/qml.hpp"

namespace prospect {
namespace {

// Print: A4 with room for the browser's header and footer; figures and table
// rows are not split between pages; the screen's shadows and colours behind
// text are dropped.
const char* k_style = R"(
:root { --ink: #1d2733; --muted: #5b6875; --rule: #d5dbe1; --accent: #0b6e99; --warn: #9a4b00; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1120px; padding: 24px 28px 48px; color: var(--ink);
       font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--rule); }
h3 { font-size: 16px; margin: 20px 0 6px; }
p.meta, .muted, figcaption { color: var(--muted); }
nav.toc { margin: 12px 0 0; font-size: 14px; }
nav.toc a { color: var(--accent); margin-right: 14px; text-decoration: none; }
ul.glance { padding-left: 20px; }
ul.warnings { padding-left: 0; list-style: none; }
ul.warnings li { border-left: 4px solid var(--warn); background: #fff6ec; padding: 6px 10px; margin: 6px 0; }
ul.warnings li.ok { border-left-color: #2a7f3f; background: #eef8f0; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13.5px; }
caption { text-align: left; color: var(--muted); padding-bottom: 4px; }
th, td { border-bottom: 1px solid var(--rule); padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f1f4f7; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr { break-inside: avoid; }
.figures { display: flex; flex-wrap: wrap; gap: 18px; }
figure { margin: 0; break-inside: avoid; }
figure.map { max-width: 570px; }
figure.map.small { max-width: 340px; }
figure.map svg.map { max-width: 100%; height: auto; }
svg.map text { font: 10px system-ui, "DejaVu Sans", sans-serif; fill: #1d2733; }
svg.map .edge { fill: none; stroke: #9aa5b1; }
svg.map .frame line { stroke: #5b6773; }
svg.map .north path { fill: #1d2733; stroke: #ffffff; stroke-width: 1; }
svg.map .north text { font-weight: 700; paint-order: stroke; stroke: #ffffff; stroke-width: 3px; }
svg.map .scale-back { fill: #ffffff; fill-opacity: 0.8; }
svg.map .scale-bar { fill: #1d2733; }
svg.map .rank { font-size: 11px; font-weight: 700; paint-order: stroke; stroke: #ffffff; stroke-width: 3px; }
ul.legend { list-style: none; padding: 0; margin: 6px 0; font-size: 13px; }
ul.legend li { display: flex; align-items: center; gap: 6px; }
ul.legend .swatch { width: 14px; height: 14px; border: 1px solid #0003; display: inline-block; }
svg.plot text { font: 11px system-ui, "DejaVu Sans", sans-serif; fill: var(--ink); }
svg.plot .plot-title { font-size: 13px; font-weight: 600; }
svg.plot .tick, svg.plot .legend { fill: #3a4652; }
svg.plot .grid { stroke: #e6eaee; stroke-width: 1; }
svg.plot .frame { fill: none; stroke: #9aa5b1; }
svg.plot .mark { fill: #d1495b; }
svg.plot .mark-label { fill: #d1495b; font-weight: 600; }
svg.map .target { fill: #ff8c1a; fill-opacity: 0.25; stroke: #7a3d00; stroke-width: 1.2; }
svg.map .training { fill: #ffffff; stroke: #000000; stroke-width: 1; }
svg.map .held-out { fill: #d1495b; stroke: #ffffff; stroke-width: 0.8; }
svg.map .area { fill: none; stroke: #1d2733; stroke-width: 1; stroke-dasharray: 4 3; }
code { font-size: 13px; background: #f1f4f7; padding: 0 3px; }
td code { word-break: break-all; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav.toc { display: none; }
  h2 { break-after: avoid; }
  ul.warnings li { background: none; }
}
)";

}  // namespace

std::string report_page(const std::string& title, const std::string& body) {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
         xml_escape(title) + "</title>\n<style>" + k_style + "</style>\n</head>\n<body>\n" + body +
         "</body>\n</html>\n";
}

Cell::Cell(const std::string& text) : m_html(xml_escape(text)) {}
Cell::Cell(const char* text) : m_html(xml_escape(text)) {}

Cell Cell::markup(std::string html) {
  Cell c;
  c.m_html = std::move(html);
  return c;
}

std::string html_table(const std::vector<std::string>& header,
                       const std::vector<std::vector<Cell>>& rows, std::size_t numeric_from,
                       const std::string& caption, std::size_t numeric_until) {
  auto numeric = [&](std::size_t c) { return c >= numeric_from && c < numeric_until; };
  std::string s = "<table>\n";
  if (!caption.empty()) s += "<caption>" + xml_escape(caption) + "</caption>\n";
  s += "<thead><tr>";
  for (std::size_t c = 0; c < header.size(); ++c)
    s += std::string(numeric(c) ? "<th class=\"num\">" : "<th>") + xml_escape(header[c]) + "</th>";
  s += "</tr></thead>\n<tbody>\n";
  for (const auto& row : rows) {
    s += "<tr>";
    for (std::size_t c = 0; c < row.size(); ++c)
      s += std::string(numeric(c) ? "<td class=\"num\">" : "<td>") + row[c].html() + "</td>";
    s += "</tr>\n";
  }
  return s + "</tbody>\n</table>\n";
}

std::string html_section(const std::string& id, const std::string& heading,
                         const std::string& body) {
  return "<section id=\"" + id + "\">\n<h2>" + xml_escape(heading) + "</h2>\n" + body +
         "</section>\n";
}

}  // namespace prospect
