#pragma once
// Text from data files (attribute values, folder names) on its way into XML,
// JSON or HTML: those formats take UTF-8 without control characters, and a
// single stray byte must not make a whole output unreadable.

#include <cstddef>
#include <string>
#include <string_view>

namespace prospect {

// Length of the well-formed UTF-8 sequence at text[i] (1 to 4), or 0 when the
// bytes there are not one (stray continuation, overlong, surrogate, > U+10FFFF).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i);

// `text` with every byte that is not well-formed UTF-8, and every control
// character XML 1.0 forbids (all below U+0020 but tab, line feed and carriage
// return), replaced by U+FFFD. Sets *changed when anything was replaced.
std::string clean_text(std::string_view text, bool* changed = nullptr);

// A text cell of a CSV file, quoted when it must be. One that starts like a
// formula (= + - @, or a tab or carriage return) gets a leading apostrophe, so
// a spreadsheet shows it as text instead of running it (OWASP, "CSV injection").
std::string csv_field(std::string s);

}  // namespace prospect
