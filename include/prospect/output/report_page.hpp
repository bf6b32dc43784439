#pragma once
// The frame of report.html: one self-contained page (inline CSS, no scripts,
// no fonts or files fetched) that reads on screen and prints on A4, and small
// builders for its tables and sections.

#include <string>
#include <vector>

namespace prospect {

// The whole page around `body` (HTML), titled `title`.
std::string report_page(const std::string& title, const std::string& body);

// A table cell. Text is the default and is escaped when written; markup the
// code writes itself (<code>, <b>, links) must say so with Cell::markup, so
// text from data never reaches the page unescaped by accident.
class Cell {
 public:
  Cell(const std::string& text);  // NOLINT(google-explicit-constructor): text is the safe default
  Cell(const char* text);         // NOLINT(google-explicit-constructor)
  static Cell markup(std::string html);
  const std::string& html() const { return m_html; }

 private:
  Cell() = default;
  std::string m_html;
};

// A table: header and caption are text; columns from `numeric_from` up to
// (not including) `numeric_until` are right-aligned.
std::string html_table(const std::vector<std::string>& header,
                       const std::vector<std::vector<Cell>>& rows, std::size_t numeric_from = 1,
                       const std::string& caption = "",
                       std::size_t numeric_until = std::size_t(-1));

// <section> with an <h2> and an id for the table of contents.
std::string html_section(const std::string& id, const std::string& heading,
                         const std::string& body);

}  // namespace prospect
