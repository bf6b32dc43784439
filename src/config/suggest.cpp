#include "prospect/config/suggest.hpp"

#include <algorithm>
#include <cctype>

namespace prospect {

int edit_distance(const std::string& a0, const std::string& b0) {
  std::string a = a0, b = b0;
  for (auto& c : a) c = char(std::tolower(static_cast<unsigned char>(c)));
  for (auto& c : b) c = char(std::tolower(static_cast<unsigned char>(c)));
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = int(i);
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = int(j);
  for (std::size_t i = 1; i <= n; ++i)
    for (std::size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[n][m];
}

std::string closest_match(const std::string& word, const std::vector<std::string>& options) {
  std::string best;
  int best_distance = 1 << 30;
  for (const auto& o : options) {
    const int dist = edit_distance(word, o);
    if (dist < best_distance) {
      best_distance = dist;
      best = o;
    }
  }
  const int allowed = std::max(1, int(word.size()) / 3);
  return best_distance <= allowed ? best : "";
}

}  // namespace prospect
