#pragma once
// "Did you mean ...?" for misspelt keys and names.

#include <string>
#include <vector>

namespace prospect {

// Edit distance (insert, delete, substitute, swap of neighbours), case-insensitive.
int edit_distance(const std::string& a, const std::string& b);

// The closest option if it is close enough to be a likely typo, else "".
std::string closest_match(const std::string& word, const std::vector<std::string>& options);

}  // namespace prospect
