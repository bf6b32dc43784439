#pragma once
// The frame of report.html: one self-contained page (inline CSS, no scripts,
// no fonts or files fetched) that reads on screen and prints on A4, and small
// builders for its tables and sections.

#include <string>
#include <vector>

namespace prospect {

// The whole page around `body` (HTML), titled `title`.
std::string report_page(const std::string& title, const std::string& body);

// A table: header cells and rows of cells, all HTML already (escape text with
// xml_escape). `numeric_from`: columns from this index on are right-aligned.
std::string html_table(const std::vector<std::string>& header,
                       const std::vector<std::vector<std::string>>& rows,
                       std::size_t numeric_from = 1, const std::string& caption = "");

// <section> with an <h2> and an id for the table of contents.
std::string html_section(const std::string& id, const std::string& heading,
                         const std::string& body);

}  // namespace prospect
