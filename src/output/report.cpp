#include "prospect/output/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "prospect/output/map_furniture.hpp"
#include "prospect/output/quicklook.hpp"
#include "prospect/output/report_page.hpp"
#include "prospect/output/svg_plot.hpp"
#include "prospect/vector/vector_layer.hpp"

#ifndef PROSPECT_VERSION
#define PROSPECT_VERSION "unknown"
#endif

namespace prospect {
namespace {

// Okabe-Ito colours (safe for colour-blind readers) for lines of several bands.
const char* line_colour(std::size_t k) {
  static const char* colours[] = {"#0072b2", "#d55e00", "#009e73", "#cc79a7",
                                  "#e69f00", "#56b4e9", "#000000"};
  return colours[k % 7];
}

std::string esc(const std::string& s) { return xml_escape(s); }
std::string num(double v, int digits = 3) { return format_number(v, digits); }
std::string pct(double share) { return format_number(share * 100, 3) + " %"; }
// A map coordinate to the metre (or 1e-6 degree), never in e-notation.
std::string coordinate_text(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, std::abs(v) >= 1000 ? "%.0f" : "%.6f", v);
  return buf;
}

// A full-fit AUC this far above the cross-validated one is over-fitting worth a warning.
constexpr double k_overfit_auc_gap = 0.1;

// The target zones the report lists (and labels on the map); the rest are in targets.gpkg.
constexpr std::size_t k_report_target_rows = 25;

// ---- maps -------------------------------------------------------------------

struct MapOverlay {
  std::vector<GeometryPtr> targets, training, held_out, area;
};

std::vector<GeometryPtr> read_or_empty(const VectorInput& in, const std::string& crs,
                                       bool check_validity = true) {
  try {
    return std::move(read_vector(in, crs, {}, check_validity).geometries);
  } catch (const std::exception&) {  // an overlay is a courtesy; the run already read these files
    return {};
  }
}

MapOverlay read_overlay(const ReportContext& c) {
  MapOverlay o;
  const std::string crs = c.record->grid.crs_wkt();
  const std::string targets = (std::filesystem::path(c.files_dir) / "targets.gpkg").string();
  if (c.model->targets.enabled && std::filesystem::exists(targets)) {
    VectorInput in;
    in.path = targets;
    o.targets = read_or_empty(in, crs, false);  // traced along cell edges: valid as written
  }
  if (c.model->training) o.training = read_or_empty(c.model->training->deposits, crs);
  if (c.model->validation_deposits) o.held_out = read_or_empty(*c.model->validation_deposits, crs);
  if (c.model->study_area) o.area = read_or_empty(*c.model->study_area, crs);
  return o;
}

struct PixelMapper {
  std::array<double, 6> gt;
  double x(double gx) const { return (gx - gt[0]) / gt[1]; }
  double y(double gy) const { return (gy - gt[3]) / gt[5]; }
};

std::string fixed1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// v tenths as a decimal: 1234 -> "123.4", -5 -> "-0.5".
void append_tenths(long long v, std::string& out) {
  if (v < 0) {
    out += '-';
    v = -v;
  }
  out += std::to_string(v / 10);
  out += '.';
  out += char('0' + v % 10);
}

// A ring in map pixels to a tenth of a pixel. Points that round to the one
// before are left out: on a large grid a cell is a small part of a pixel, and
// a noisy map's 10,000s of target outlines made a report of megabytes in
// which most points repeated the one before.
void ring_path(const OGRLinearRing* ring, const PixelMapper& m, std::string& d) {
  const int n = ring->getNumPoints();
  long long first_x = 0, first_y = 0, last_x = 0, last_y = 0;
  for (int i = 0; i < n; ++i) {
    const long long x = std::llround(m.x(ring->getX(i)) * 10.0);
    const long long y = std::llround(m.y(ring->getY(i)) * 10.0);
    if (i == 0) {
      first_x = x;
      first_y = y;
    } else if ((x == last_x && y == last_y) || (i == n - 1 && x == first_x && y == first_y)) {
      continue;  // the same point again, or the closing one (Z closes the ring)
    }
    d += i ? 'L' : 'M';
    append_tenths(x, d);
    d += ',';
    append_tenths(y, d);
    last_x = x;
    last_y = y;
  }
  d += 'Z';
}

std::string polygon_path(const OGRGeometry* g, const PixelMapper& m) {
  std::string d;
  const auto flat = wkbFlatten(g->getGeometryType());
  if (flat == wkbPolygon) {
    const OGRPolygon* p = g->toPolygon();
    if (p->getExteriorRing()) ring_path(p->getExteriorRing(), m, d);
    for (int k = 0; k < p->getNumInteriorRings(); ++k) ring_path(p->getInteriorRing(k), m, d);
  } else if (flat == wkbMultiPolygon || flat == wkbGeometryCollection) {
    for (const OGRGeometry* part : *g->toGeometryCollection()) d += polygon_path(part, m);
  }
  return d;
}

std::string map_figure(const ReportContext& c, const MapOverlay& overlay, int band,
                       const std::string& name) {
  const bool target_band = band == c.target_band;
  const std::string raster = (std::filesystem::path(c.files_dir) / "prospectivity.tif").string();
  std::vector<AreaBreak> breaks = target_band ? c.style_breaks : std::vector<AreaBreak>{};
  const RunRecord& r = *c.record;
  // Drawn from the means gathered while scoring; from the file (its overviews) otherwise.
  const Quicklook q =
      std::size_t(band) <= r.quicklooks.size()
          ? draw_quicklook(r.quicklook_grid, r.grid.geotransform(), r.grid.width(), r.grid.height(),
                           r.quicklooks[std::size_t(band - 1)], std::move(breaks))
          : render_quicklook(raster, band, k_report_map_pixels, std::move(breaks));
  const PixelMapper m{q.geotransform};
  const MapMargins margin;
  const int frame_width = q.width + margin.left + margin.right;
  const int frame_height = q.height + margin.top + margin.bottom;
  std::string svg = "<svg class=\"map\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"" +
                    std::to_string(-margin.left) + " " + std::to_string(-margin.top) + " " +
                    std::to_string(frame_width) + " " + std::to_string(frame_height) +
                    "\" width=\"" + std::to_string(frame_width) + "\" height=\"" +
                    std::to_string(frame_height) + "\" role=\"img\" aria-label=\"" + esc(name) +
                    " map\">\n<image width=\"" + std::to_string(q.width) + "\" height=\"" +
                    std::to_string(q.height) + "\" href=\"data:image/png;base64," +
                    base64_encode(q.png) + "\"/>\n";
  for (const auto& g : overlay.area) {
    const std::string d = polygon_path(g.get(), m);
    if (!d.empty()) svg += "<path class=\"area\" d=\"" + d + "\"/>\n";
  }
  if (target_band)
    for (const auto& g : overlay.targets) {
      const std::string d = polygon_path(g.get(), m);
      if (!d.empty()) svg += "<path class=\"target\" d=\"" + d + "\"/>\n";
    }
  auto points = [&](const std::vector<GeometryPtr>& geoms, const char* cls, const char* shape) {
    for (const auto& g : geoms) {
      if (wkbFlatten(g->getGeometryType()) != wkbPoint) continue;
      const double x = m.x(g->toPoint()->getX()), y = m.y(g->toPoint()->getY());
      if (x < 0 || y < 0 || x > q.width || y > q.height) continue;
      if (std::string(shape) == "circle")
        svg += "<circle class=\"" + std::string(cls) + "\" cx=\"" + fixed1(x) + "\" cy=\"" +
               fixed1(y) + "\" r=\"3.5\"/>";
      else
        svg += "<path class=\"" + std::string(cls) + "\" d=\"M" + fixed1(x) + "," +
               fixed1(y - 4.5) + "L" + fixed1(x + 4) + "," + fixed1(y + 3) + "L" + fixed1(x - 4) +
               "," + fixed1(y + 3) + "Z\"/>";
    }
  };
  points(overlay.training, "training", "circle");
  points(overlay.held_out, "held-out", "triangle");
  svg += "\n<rect class=\"edge\" width=\"" + std::to_string(q.width) + "\" height=\"" +
         std::to_string(q.height) + "\"/>\n";
  MapFurniture furniture;
  furniture.geotransform = q.geotransform;
  furniture.width = q.width;
  furniture.height = q.height;
  furniture.metres_per_unit = r.grid.metres_per_unit();
  furniture.geographic = r.grid.is_geographic();
  if (target_band && !overlay.targets.empty())  // the ranks of the zones the table lists
    for (std::size_t k = 0; k < r.target_zones.size() && k < k_report_target_rows; ++k)
      furniture.ranks.push_back(
          {int(k) + 1, r.target_zones[k].centroid_x, r.target_zones[k].centroid_y});
  svg += map_furniture_svg(furniture) + "</svg>\n";

  std::string legend = "<ul class=\"legend\">";
  for (const LegendEntry& e : q.legend)
    legend += "<li><span class=\"swatch\" style=\"background:" + e.colour + "\"></span>" +
              esc(e.label) + "</li>";
  if (target_band && !overlay.targets.empty())
    legend +=
        "<li><span class=\"swatch\" "
        "style=\"background:#ff8c1a55;border-color:#7a3d00\"></span>target zones</li>";
  if (!overlay.training.empty())
    legend +=
        "<li><svg width=\"14\" height=\"14\"><circle cx=\"7\" cy=\"7\" r=\"4\" fill=\"#fff\" "
        "stroke=\"#000\"/></svg>"
        "training deposits</li>";
  if (!overlay.held_out.empty())
    legend +=
        "<li><svg width=\"14\" height=\"14\"><path d=\"M7,2L12,12L2,12Z\" fill=\"#d1495b\"/></svg>"
        "validation deposits</li>";
  legend += "</ul>";
  const std::string how = target_band
                              ? "classes as in prospectivity.qml (exact shares of the study area)"
                              : "classes by share of the study area, taken from this map's pixels "
                                "(each the mean of its cells)";
  return "<figure class=\"map\">\n<h3>" + esc(name) + "</h3>\n" + svg + legend +
         "<figcaption>Band " + std::to_string(band) + " of prospectivity.tif; " + how +
         ".</figcaption>\n</figure>\n";
}

// ---- validation -------------------------------------------------------------

std::string rate_plot(const std::vector<BandValidation>& bands) {
  PlotSpec p;
  const bool held_out =
      std::all_of(bands.begin(), bands.end(), [](const BandValidation& v) { return v.held_out; });
  p.title = held_out ? "Prediction-rate curves (held-out deposits)"
                     : "Success- and prediction-rate curves";
  p.x_label = "share of the study area, highest scores first (%)";
  p.y_label = "share of deposits captured (%)";
  p.x_max = p.y_max = 100;
  p.width = 520;
  p.height = 360;
  PlotLine random{"random (AUC 0.5)", "#9aa5b1", {0, 100}, {0, 100}, true, false};
  for (std::size_t k = 0; k < bands.size(); ++k) {
    const BandValidation& v = bands[k];
    if (v.curve.empty()) continue;
    PlotLine l;
    l.label = v.band + " (AUC " + num(v.auc) + (v.held_out ? "" : ", training") + ")";
    l.colour = line_colour(k);
    l.step = true;
    l.x.push_back(0);
    l.y.push_back(0);
    for (const CurvePoint& c : v.curve) {
      l.x.push_back(c.area_share * 100);
      l.y.push_back(c.deposit_share * 100);
    }
    l.x.push_back(100);
    l.y.push_back(100);
    p.lines.push_back(l);
  }
  p.lines.push_back(random);
  return svg_plot(p);
}

std::string prediction_area_plot(const BandValidation& v) {
  PlotSpec p;
  p.title = "P-A plot: " + v.band;
  p.x_label = "score threshold";
  p.y_label = "%";
  p.y_max = 100;
  p.width = 340;
  p.height = 260;
  PlotLine deposits{"deposits at or above", "#0072b2", {}, {}, false, false};
  PlotLine area{"area below", "#d55e00", {}, {}, false, false};
  double lo = 1e300, hi = -1e300;
  for (auto it = v.curve.rbegin(); it != v.curve.rend(); ++it) {  // ascending threshold
    deposits.x.push_back(it->threshold);
    deposits.y.push_back(it->deposit_share * 100);
    area.x.push_back(it->threshold);
    area.y.push_back((1 - it->area_share) * 100);
    lo = std::min(lo, it->threshold);
    hi = std::max(hi, it->threshold);
  }
  p.x_min = lo;
  p.x_max = hi > lo ? hi : lo + 1;
  // Probabilities (wofe, logistic) span decades; on a linear axis every threshold crowds at 0.
  p.log_x = lo > 0 && hi / lo > 100;
  if (p.log_x) p.x_label += " (log scale)";
  p.lines = {deposits, area};
  if (v.prediction_area.found)
    p.marks.push_back({v.prediction_area.threshold, v.prediction_area.deposit_share * 100,
                       num(v.prediction_area.deposit_share * 100, 3) + " % in " +
                           num(v.prediction_area.area_share * 100, 3) + " %"});
  return svg_plot(p);
}

std::string validation_section(const ReportContext& c) {
  const RunRecord& r = *c.record;
  std::string body;
  if (c.validation_skipped)
    return html_section("validation", "Validation",
                        "<p>Skipped (<code>--no-validation</code>).</p>\n");
  if (r.validation.empty() && r.cross_validation.empty())
    return html_section(
        "validation", "Validation",
        "<p>Nothing to validate against: the model has no deposits. Add <code>validation: "
        "deposits:</code> to see how much of the known mineralisation the map captures.</p>\n");
  std::vector<std::vector<Cell>> rows;
  std::vector<BandValidation> curves;
  for (const BandValidation& v : r.validation) {
    if (v.deposits == 0) {
      rows.push_back({v.band, "0", "–", "–", "–", "–", "–", "–", "–"});
      continue;
    }
    curves.push_back(v);
    std::vector<Cell> row = {v.band, std::to_string(v.deposits), num(v.auc),
                             v.auc_high > 0 ? num(v.auc_low) + "–" + num(v.auc_high) : "–"};
    for (const auto& cap : v.capture) row.push_back(pct(cap.second));
    row.push_back(v.prediction_area.found ? num(v.prediction_area.deposit_share * 100) + " % in " +
                                                num(v.prediction_area.area_share * 100) + " %"
                                          : "–");
    rows.push_back(row);
  }
  std::string sources = "<ul>";
  for (const BandValidation& v : r.validation)
    sources += "<li><b>" + esc(v.band) + "</b>: " + esc(v.deposits_source) + "</li>";
  sources += "</ul>\n";
  body +=
      "<p>How much of the known mineralisation each map captures in how little area. AUC is the "
      "chance that "
      "a deposit's cell scores above a random cell of the study area (ties count one half); 0.5 is "
      "no "
      "better than chance. Intervals are 95 % bootstrap intervals over the deposits.</p>\n";
  body += html_table({"Band", "Deposits", "AUC", "95 % interval", "in top 1 %", "top 5 %",
                      "top 10 %", "top 20 %", "P-A point"},
                     rows, 1, "Validation deposits per band:") +
          sources;
  if (!curves.empty()) {
    body += "<div class=\"figures\">\n<figure>" + rate_plot(curves) +
            "<figcaption>Above the diagonal, the map ranks deposits above the average "
            "cell.</figcaption></figure>\n";
    for (const BandValidation& v : curves)
      body += "<figure>" + prediction_area_plot(v) + "</figure>\n";
    body +=
        "</div>\n<p class=\"muted\">P-A plot (Yousefi and Carranza 2015): where the two curves "
        "cross, that "
        "share of the deposits lies in the complementary share of the area; the further above 50 "
        "%, the "
        "better.</p>\n";
  }
  if (!r.cross_validation.empty()) {
    std::vector<std::vector<Cell>> cv_rows;
    std::string notes;
    for (const CrossValidation& cv : r.cross_validation) {
      if (cv.plan.folds == 0) {
        cv_rows.push_back({cv.band, cv.method, "–", "not run", "–", "–", "–"});
        notes += "<li><b>" + esc(cv.band) + "</b>: " + esc(cv.plan.problem) + "</li>";
        continue;
      }
      if (!cv.plan.note.empty())
        notes += "<li><b>" + esc(cv.band) + "</b>: " + esc(cv.plan.note) + "</li>";
      std::string per_fold;
      for (const FoldOutcome& f : cv.folds) {
        per_fold += (per_fold.empty() ? "" : ", ") +
                    (f.problem.empty() ? num(f.auc, 2) : std::string("not refitted"));
        if (!f.problem.empty())
          notes += "<li><b>" + esc(cv.band) +
                   "</b>: a fold could not be refitted: " + esc(f.problem) + "</li>";
      }
      cv_rows.push_back(
          {cv.band,
           Cell::markup(esc(cv.method) + "<br><span class=\"muted\">fold AUCs: " + esc(per_fold) +
                        "</span>"),
           std::to_string(cv.plan.folds), num(cv.spread.mean) + " ± " + num(cv.spread.std_dev, 2),
           num(cv.spread.min) + "–" + num(cv.spread.max), num(cv.pooled_auc),
           num(cv.full_fit_auc)});
    }
    body +=
        "<h3>Cross-validation</h3>\n<p>Each fold's training deposits are held out, the model "
        "refitted on "
        "the rest, and the held-out deposits ranked on the refitted map. A pooled AUC well below "
        "the full "
        "fit's means the model leans on the particular deposits it was fitted to.</p>\n";
    body += html_table({"Score", "Method", "Folds", "AUC mean ± sd", "range", "pooled", "full fit"},
                       cv_rows, 2);
    for (const CrossValidation& cv : r.cross_validation) {
      if (cv.importance.empty()) continue;
      std::vector<std::vector<Cell>> rows;
      for (const PermutationImportance& i : cv.importance)
        rows.push_back({i.evidence, num(i.auc_drop, 2)});
      body += html_table({"Evidence", "AUC lost"}, rows, 1,
                         cv.band +
                             ": permutation importance — the held-out AUC lost when the layer's "
                             "values are shuffled among the held-out deposits and the evaluation "
                             "cells (mean over the folds; near 0: the map does not rely on it)");
    }
    if (!notes.empty()) body += "<ul>" + notes + "</ul>\n";
  }
  return html_section("validation", "Validation", body);
}

// Response curves drawn from the validation deposits (a model without training deposits).
bool from_validation_deposits(const ReportContext& c) {
  return !c.model->training && c.model->validation_deposits;
}

std::string response_section(const ReportContext& c) {
  const RunRecord& r = *c.record;
  if (r.response_curves.empty()) return "";
  std::string body =
      "<p>Deposit density against each continuous evidence layer, Gaussian-kernel smoothed, with a "
      "95 % band. "
      "Where the curve is above the dashed study-area average, those values favour deposits: a "
      "guide to fuzzy "
      "breakpoints and weights-of-evidence thresholds. Deposits: " +
      esc(r.response_curves.front().deposits_source) + ".</p>\n" +
      (from_validation_deposits(c)
           ? "<p class=\"muted\">These are the validation deposits (the model has no training "
             "deposits): breakpoints chosen from these curves are fitted to them, and the "
             "validation above then flatters the map. Choose from curves of deposits you do not "
             "validate against.</p>\n"
           : std::string()) +
      "<div class=\"figures\">\n";
  std::string notes;
  for (const ResponseCurve& rc : r.response_curves) {
    if (rc.value.empty()) {
      notes += "<li><b>" + esc(rc.layer) + "</b>: " + esc(rc.note) + "</li>";
      continue;
    }
    PlotSpec p;
    p.title = rc.layer;
    p.x_label = "value (" + std::to_string(rc.deposits) + " deposits, bandwidth " +
                num(rc.bandwidth, 3) + ")";
    p.y_label = "deposits per km²";
    p.x_min = rc.value.front();
    p.x_max = rc.value.back();
    p.fit_y = true;
    p.width = 340;
    p.height = 250;
    p.bands.push_back({"95 % band", "#0072b2", rc.value, rc.low, rc.high});
    p.lines.push_back({"density", "#0072b2", rc.value, rc.density, false, false});
    p.lines.push_back({"average",
                       "#5b6875",
                       {rc.value.front(), rc.value.back()},
                       {rc.average_density, rc.average_density},
                       true,
                       false});
    body += "<figure>" + svg_plot(p) + "</figure>\n";
  }
  body += "</div>\n";
  if (!notes.empty()) body += "<ul>" + notes + "</ul>\n";
  return html_section("response", "Response curves", body);
}

// One geochemical input's samples above its robust threshold, as red dots on
// the grid's frame with the study area: where the anomalies are.
std::string anomaly_map(const ReportContext& c, const MapOverlay& overlay,
                        const SampleAnomalies& a) {
  const RunRecord& r = *c.record;
  const QuicklookGrid q(r.grid.width(), r.grid.height(), k_report_map_pixels / 2);
  const auto g = r.grid.geotransform();
  const std::array<double, 6> gt{g[0], g[1] * q.cells_per_pixel_x, 0, g[3],
                                 0,    g[5] * q.cells_per_pixel_y};
  const PixelMapper m{gt};
  const MapMargins margin;
  const int fw = q.width + margin.left + margin.right, fh = q.height + margin.top + margin.bottom;
  std::string svg = "<svg class=\"map\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"" +
                    std::to_string(-margin.left) + " " + std::to_string(-margin.top) + " " +
                    std::to_string(fw) + " " + std::to_string(fh) + "\" width=\"" +
                    std::to_string(fw) + "\" height=\"" + std::to_string(fh) +
                    "\" role=\"img\" aria-label=\"" + esc(a.input) + " anomalies\">\n";
  for (const auto& geometry : overlay.area) {
    const std::string d = polygon_path(geometry.get(), m);
    if (!d.empty()) svg += "<path class=\"area\" d=\"" + d + "\"/>\n";
  }
  for (const auto& [x, y] : a.anomalous) {
    const double px = m.x(x), py = m.y(y);
    if (px < 0 || py < 0 || px > q.width || py > q.height) continue;
    svg +=
        "<circle cx=\"" + fixed1(px) + "\" cy=\"" + fixed1(py) + "\" r=\"1.8\" fill=\"#d7191c\"/>";
  }
  svg += "\n<rect class=\"edge\" width=\"" + std::to_string(q.width) + "\" height=\"" +
         std::to_string(q.height) + "\"/>\n";
  MapFurniture furniture;
  furniture.geotransform = gt;
  furniture.width = q.width;
  furniture.height = q.height;
  furniture.metres_per_unit = r.grid.metres_per_unit();
  furniture.geographic = r.grid.is_geographic();
  svg += map_furniture_svg(furniture) + "</svg>\n";
  return "<figure class=\"map small\">\n<h3>" + esc(a.input) + ": " + esc(a.value) + "</h3>\n" +
         svg + "<figcaption>" + num(double(a.anomalous.size())) + " of " + num(double(a.samples)) +
         " sample locations above " + num(a.threshold, 4) + " (" + esc(a.rule) +
         "); the same rule as <code>prospect anomalies</code>.</figcaption>\n</figure>\n";
}

// Each geochemical input's anomalous samples; each kriged input's experimental
// variogram with the model kriged with.
std::string geochemistry_section(const ReportContext& c, const MapOverlay& overlay) {
  const RunRecord& r = *c.record;
  if (r.variograms.empty() && r.sample_anomalies.empty()) return "";
  std::string body;
  if (!r.sample_anomalies.empty()) {
    body +=
        "<p>Samples of each interpolated geochemical input above a robust threshold, the median "
        "plus two median absolute deviations (of log10 values for concentrations): where the "
        "anomalies lie, before any interpolation smooths them.</p>\n<div class=\"figures\">\n";
    for (const SampleAnomalies& a : r.sample_anomalies) body += anomaly_map(c, overlay, a);
    body += "</div>\n";
  }
  if (r.variograms.empty()) return html_section("geochemistry", "Geochemistry", body);
  body +=
      "<p>Ordinary kriging: each kriged input's experimental variogram (dots: semivariance of the "
      "sample pairs in each distance class) and the model the map was kriged with (line). A model "
      "far from the dots at short distances misstates the map's smoothness and its kriging "
      "variance.</p>\n<div class=\"figures\">\n";
  for (const VariogramRecord& v : r.variograms) {
    const ExperimentalVariogram& e = v.experimental;
    PlotSpec p;
    p.title = v.input + ": " + v.value;
    p.x_label = "distance (" + r.grid.linear_unit() + ")";
    p.y_label = "semivariance";
    p.x_min = 0;
    p.x_max = e.cutoff > 0 ? e.cutoff : 3 * v.model.range;
    double top = v.model.sill();
    for (double g : e.gamma) top = std::max(top, g);
    p.y_max = 1.1 * top;
    p.width = 340;
    p.height = 250;
    PlotLine model{std::string(variogram_model_name(v.model.model)) +
                       (v.fitted ? " model, fitted" : " model, as given"),
                   "#d55e00",
                   {},
                   {},
                   false,
                   false};
    for (int i = 0; i <= 100; ++i) {
      const double h = p.x_max * i / 100.0;
      model.x.push_back(h);
      model.y.push_back(v.model.gamma(h));
    }
    p.lines.push_back(model);
    for (std::size_t j = 0; j < e.gamma.size(); ++j)
      p.marks.push_back({e.distance[j], e.gamma[j], ""});
    body += "<figure>" + svg_plot(p) + "<figcaption>nugget " + num(v.model.nugget, 3) +
            ", partial sill " + num(v.model.partial_sill, 3) + ", range " + num(v.model.range, 4) +
            " " + esc(r.grid.linear_unit()) + "; " + std::to_string(e.gamma.size()) +
            " distance classes of " + num(e.width, 3) + "</figcaption></figure>\n";
  }
  body += "</div>\n";
  return html_section("geochemistry", "Geochemistry", body);
}

// ---- model ------------------------------------------------------------------

std::string model_section(const ReportContext& c) {
  const ModelSpec& m = *c.model;
  const RunRecord& r = *c.record;
  std::string body;
  if (r.fitted) body += r.fitted->report_html();
  std::vector<std::vector<Cell>> stats;
  const auto names = m.band_names();
  for (std::size_t b = 0; b < r.band_stats.size() && b < names.size(); ++b) {
    const BandStatistics& st = r.band_stats[b];
    stats.push_back({names[b], num(st.min), num(st.mean), num(st.max), num(st.stddev)});
  }
  body += html_table({"Band", "min", "mean", "max", "sd"}, stats, 1,
                     "Bands of prospectivity.tif over valid cells:");
  return html_section("model", "Model", body);
}

std::string provenance_section(const ReportContext& c) {
  const ModelSpec& m = *c.model;
  const RunRecord& r = *c.record;
  std::vector<std::vector<Cell>> inputs;
  for (const auto& [path, hash] : r.input_hashes)
    inputs.push_back({Cell::markup("<code>" + esc(path) + "</code>"),
                      Cell::markup("<code>" + esc(hash) + "</code>")});
  std::string outputs;
  for (const auto& f : r.outputs)
    outputs += (outputs.empty() ? "" : ", ") + std::string("<code>") + esc(f) + "</code>";
  std::string body =
      "<p>prospect " + esc(PROSPECT_VERSION) + "; model file <code>" + esc(m.path) +
      "</code> (hash <code>" + esc(m.text_hash) + "</code>); grid " + esc(r.grid.crs_name()) +
      ", " + std::to_string(r.grid.width()) + " × " + std::to_string(r.grid.height()) +
      " cells of " + num(r.grid.cell_size(), 6) + " " + esc(r.grid.linear_unit()) +
      ". The same inputs and model "
      "file give the same outputs, byte for byte; manifest.json records when and how long.</p>\n";
  body += html_table({"Input file", "Hash"}, inputs, 2);
  body += "<p>Outputs in this folder: " + outputs + ".</p>\n";
  return html_section("provenance", "Provenance", body);
}

}  // namespace

std::vector<std::string> report_warnings(const ReportContext& c) {
  const ModelSpec& m = *c.model;
  const RunRecord& r = *c.record;
  std::vector<std::string> w = r.warnings;
  if (r.fitted)
    for (const Finding& f : r.fitted->findings())
      if (f.watch) w.push_back(f.text);
  if (!c.validation_skipped) {
    bool any_held_out = false;
    for (const BandValidation& v : r.validation) {
      any_held_out = any_held_out || v.held_out;
      if (v.deposits == 0)
        w.push_back(v.band +
                    ": no validation deposit lies on a scored cell, so the band is not validated");
      else if (const std::string chance = chance_warning(v); !chance.empty()) {
        if (std::find(w.begin(), w.end(), chance) == w.end())
          w.push_back(chance);  // the run warned already
      } else if (v.deposits < 20)
        w.push_back("Only " + std::to_string(v.deposits) + " deposits validate " + v.band +
                    ": its AUC is uncertain (95 % interval " + num(v.auc_low) + "–" +
                    num(v.auc_high) + ")");
      if (const std::string left_out = v.account.summary("deposits"); !left_out.empty()) {
        const std::string line = v.band + ": " + left_out;
        if (std::find(w.begin(), w.end(), line) == w.end()) w.push_back(line);
      }
      if (v.constant_score)
        w.push_back(v.band + " has the same score in every valid cell: it ranks nothing (AUC 0.5)");
    }
    if (!r.validation.empty() && !any_held_out)
      w.push_back(
          "No held-out deposits: the curves show how well the model fits the deposits it learned "
          "from "
          "(a success rate), not how well it predicts new ones. Keep some deposits out of training "
          "and "
          "give them as validation: deposits, or read the cross-validation");
    if (r.validation.empty() && r.cross_validation.empty())
      w.push_back("The model has no deposits to validate against");
    for (const CrossValidation& cv : r.cross_validation) {
      if (cv.plan.folds == 0)
        w.push_back(cv.band + ": cross-validation not run: " + cv.plan.problem);
      if (!cv.plan.note.empty()) w.push_back(cv.band + ": " + cv.plan.note);
      // Over-fitting: the deposits it learned rank far higher than the ones it did not see.
      if (cv.plan.folds > 0 && cv.full_fit_auc - cv.pooled_auc > k_overfit_auc_gap)
        w.push_back(cv.band + ": the model ranks its own training deposits at AUC " +
                    num(cv.full_fit_auc) + " but the same deposits, each held out of its fit, at " +
                    num(cv.pooled_auc) +
                    ": it leans on the deposits it was fitted to (over-fitting). Trust the "
                    "cross-validated figure, and give the model fewer or simpler inputs");
    }
  }
  if (m.targets.enabled && r.target_count == 0)
    w.push_back("No target zones: no group of cells in the top " + num(m.targets.top_percent) +
                " % of " + m.targets.score + " reached the minimum size (" +
                min_target_size_text(m.targets, r.target_min_cells) +
                "); lower min_area_ha or raise top_percent");
  return w;
}

// The target zones as a field crew would list them: rank, size, score, where,
// and what sets each apart; the first 25, the rest in targets.gpkg.
std::string targets_section(const ReportContext& c) {
  const RunRecord& r = *c.record;
  if (r.target_zones.empty()) return "";
  const std::size_t band = std::size_t(c.target_band - 1);
  std::vector<std::vector<Cell>> rows;
  for (std::size_t i = 0; i < r.target_zones.size() && i < k_report_target_rows; ++i) {
    const TargetZone& z = r.target_zones[i];
    rows.push_back({std::to_string(i + 1), num(z.area_m2 / 1e4), std::to_string(z.cells),
                    band < z.mean.size() ? num(z.mean[band]) : "–",
                    band < z.max.size() ? num(z.max[band]) : "–",
                    coordinate_text(z.centroid_x) + ", " + coordinate_text(z.centroid_y),
                    z.drivers.empty() ? "–" : z.drivers});
  }
  const std::string more =
      r.target_zones.size() > k_report_target_rows
          ? "<p>" + std::to_string(r.target_zones.size() - k_report_target_rows) +
                " more zones in <code>targets.gpkg</code> and <code>targets.geojson</code>.</p>\n"
          : "";
  return html_section(
      "targets", "Targets",
      html_table(
          {"Rank", "Area (ha)", "Cells", "Mean score", "Max score", "Centroid (x, y)", "Drivers"},
          rows, 1, "Target zones on " + c.model->targets.score + ", best first:", 5) +
          more);
}

std::string report_html(const ReportContext& c) {
  const ModelSpec& m = *c.model;
  const RunRecord& r = *c.record;
  const auto names = m.band_names();
  const std::size_t scored = m.scores.size() + (m.composite ? 1 : 0);
  std::string body =
      "<header>\n<h1>Prospectivity report: " + esc(m.name) + "</h1>\n<p class=\"meta\">" +
      model_type_name(m.type) + " model · " + std::to_string(r.grid.width()) + " × " +
      std::to_string(r.grid.height()) + " cells of " + num(r.grid.cell_size(), 6) + " " +
      esc(r.grid.linear_unit()) + " · " + esc(r.grid.crs_name()) + " · prospect " +
      PROSPECT_VERSION +
      "</p>\n<nav class=\"toc\"><a href=\"#glance\">At a glance</a><a href=\"#watch\">What to "
      "watch</a>"
      "<a href=\"#maps\">Maps</a>" +
      std::string(r.target_zones.empty() ? "" : "<a href=\"#targets\">Targets</a>") +
      "<a href=\"#validation\">Validation</a>" +
      std::string(r.response_curves.empty() ? "" : "<a href=\"#response\">Response curves</a>") +
      std::string(r.variograms.empty() && r.sample_anomalies.empty()
                      ? ""
                      : "<a href=\"#geochemistry\">Geochemistry</a>") +
      "<a href=\"#model\">Model</a><a href=\"#provenance\">Provenance</a></nav>\n</header>\n";

  std::string glance = "<ul class=\"glance\">";
  glance += "<li>Study area: " +
            (m.study_area ? "<code>" + esc(m.study_area->path) + "</code>" +
                                (m.study_area->where.empty()
                                     ? ""
                                     : " where <code>" + esc(m.study_area->where) + "</code>")
                          : std::string("the whole grid rectangle (no study_area given)")) +
            ".</li>";
  glance += "<li>Scored " + num(double(r.cells.valid)) + " cells of the study area" +
            (r.cells.missing ? " (" + num(double(r.cells.missing)) +
                                   " more lack some evidence and are unscored)"
                             : "") +
            ".</li>";
  if (m.targets.enabled)
    glance += "<li>" + std::to_string(r.target_count) + " target zone(s) on " +
              esc(m.targets.score) + " (score ≥ " + num(r.target_threshold, 4) + "), covering " +
              num(r.target_delivered_percent) + " % of the study area's scored cells; the top " +
              num(m.targets.top_percent) + " % was asked" +
              (r.target_min_cells > 1 ? ", none smaller than " +
                                            esc(min_target_size_text(m.targets, r.target_min_cells))
                                      : "") +
              ". See targets.gpkg.</li>";
  for (const BandValidation& v : r.validation)
    if (v.deposits > 0)
      glance += "<li>" + esc(v.band) + ": AUC " + num(v.auc) +
                (v.auc_high > 0 ? " (95 % " + num(v.auc_low) + "–" + num(v.auc_high) + ")" : "") +
                " on " + std::to_string(v.deposits) + (v.held_out ? " held-out" : " training") +
                " deposits; the top 10 % of the area holds " +
                pct(v.capture.size() > 2 ? v.capture[2].second : 0) + " of them.</li>";
  for (const CrossValidation& cv : r.cross_validation)
    if (cv.plan.folds > 0)
      glance += "<li>" + esc(cv.band) + ": cross-validated AUC " + num(cv.spread.mean) + " ± " +
                num(cv.spread.std_dev, 2) + " (" + esc(cv.method) + ").</li>";
  glance += "</ul>\n";
  body += html_section("glance", "At a glance", glance);

  std::string watch = "<ul class=\"warnings\">";
  const auto warnings = report_warnings(c);
  for (const auto& w : warnings) watch += "<li>" + esc(w) + "</li>";
  if (warnings.empty()) watch += "<li class=\"ok\">Nothing to flag.</li>";
  watch += "</ul>\n";
  body += html_section("watch", "What to watch", watch);

  const MapOverlay overlay = read_overlay(c);
  std::string maps = "<div class=\"figures\">\n";
  maps += map_figure(c, overlay, c.target_band, names[std::size_t(c.target_band - 1)]);
  for (std::size_t b = 0; b < scored; ++b)
    if (int(b) + 1 != c.target_band) maps += map_figure(c, overlay, int(b) + 1, names[b]);
  maps += "</div>\n";
  body += html_section("maps", "Maps", maps);
  body += targets_section(c);
  body += validation_section(c);
  body += response_section(c);
  body += geochemistry_section(c, overlay);
  body += model_section(c);
  body += provenance_section(c);
  return report_page("Prospectivity report: " + m.name, body);
}

}  // namespace prospect
