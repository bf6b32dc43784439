#include "prospect/output/weights_table.hpp"

#include <cmath>
#include <cstdio>

#include "prospect/core/text.hpp"

namespace prospect {

namespace {
std::string num(double v, bool defined) {
  if (!defined || std::isnan(v)) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  return buf;
}
}  // namespace

std::string weights_csv(const WeightsTable& t, const std::map<double, std::string>& names) {
  std::string out =
      "class,cells,area_km2,unit_cells,deposits,w_plus,s_w_plus,w_minus,s_w_minus,contrast,"
      "s_contrast,studentized_contrast,generalized,note,name\n";
  char buf[160];
  for (const auto& r : t.rows) {
    std::snprintf(buf, sizeof buf, "%.10g,%lld,%.6f,%.6f,%lld,", r.value, (long long)r.cells,
                  double(r.cells) * t.cell_km2, r.unit_cells, (long long)r.deposits);
    out += buf;
    const bool c = r.w_plus_defined && r.w_minus_defined;
    out += num(r.w_plus, r.w_plus_defined) + "," + num(r.s_w_plus, r.w_plus_defined) + "," +
           num(r.w_minus, r.w_minus_defined) + "," + num(r.s_w_minus, r.w_minus_defined) + "," +
           num(r.contrast, c) + "," + num(r.s_contrast, c) + "," + num(r.studentized, c) + ",";
    out += (r.generalized ? std::to_string(r.generalized) : std::string()) + ",";
    out += r.note.empty() ? "" : "\"" + r.note + "\"";
    const auto name = names.find(r.value);
    out += "," + (name == names.end() ? std::string() : csv_field(name->second));
    out += "\n";
  }
  return out;
}

std::string weights_text(const WeightsTable& t, const std::map<double, std::string>& names) {
  std::string out;
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "%s weights: %lld deposit(s) on %.4f unit cells of %g km2 (grid cell %g km2)\n",
                weights_type_name(t.type), (long long)t.deposits, t.total_unit_cells,
                t.unit_cell_km2, t.cell_km2);
  out += buf;
  out +=
      "     class    cells  deposits       W+   s(W+)       W-   s(W-)        C    s(C)   C/s(C)\n";
  auto f = [](double v, bool d) {
    char b[16];
    if (!d || std::isnan(v)) return std::string("       -");
    std::snprintf(b, sizeof b, "%8.4f", v);
    return std::string(b);
  };
  for (const auto& r : t.rows) {
    const bool c = r.w_plus_defined && r.w_minus_defined;
    std::snprintf(buf, sizeof buf, "%10.6g %8lld %9lld ", r.value, (long long)r.cells,
                  (long long)r.deposits);
    out += buf + f(r.w_plus, r.w_plus_defined) + f(r.s_w_plus, r.w_plus_defined) + " " +
           f(r.w_minus, r.w_minus_defined) + f(r.s_w_minus, r.w_minus_defined) + " " +
           f(r.contrast, c) + f(r.s_contrast, c) + " " + f(r.studentized, c);
    if (const auto name = names.find(r.value); name != names.end()) out += "  " + name->second;
    if (r.generalized) out += r.generalized == 2 ? "  in" : "  out";
    if (!r.note.empty()) out += "  (" + r.note + ")";
    out += "\n";
  }
  if (t.type != WeightsType::categorical) {
    if (t.threshold_row >= 0) {
      std::snprintf(buf, sizeof buf,
                    "generalized at class %g: W+ %.4f (s %.4f) inside, W- %.4f (s %.4f) outside\n",
                    t.rows[std::size_t(t.threshold_row)].value, t.generalized_w_plus,
                    t.generalized_s_w_plus, t.generalized_w_minus, t.generalized_s_w_minus);
      out += buf;
    } else {
      out += "not generalized: " + t.generalization_note + "\n";
    }
  }
  return out;
}

}  // namespace prospect
