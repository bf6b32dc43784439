#include "prospect/run/validation.hpp"

#include <cpl_conv.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>

#include "prospect/output/output_folder.hpp"
#include "prospect/pipeline/tile_pass.hpp"
#include "prospect/raster/gdal_handles.hpp"
#include "prospect/validate/success_rate.hpp"
#include "prospect/vector/deposit_places.hpp"

namespace prospect {
namespace {

struct Request {
  int band = 0;  // 0-based
  VectorInput deposits;
  std::string source;
  bool held_out = false;
};

}  // namespace

std::vector<BandValidation> validate(const ModelSpec& model, const AnalysisGrid& grid,
                                     const StudyArea& area, StagedRaster& scores,
                                     const std::vector<Tile>& tiles, int threads,
                                     const ShareDone& on_progress) {
  const auto names = model.band_names();
  std::vector<Request> requests;
  const std::size_t scored_bands = model.scores.size() + (model.composite ? 1 : 0);
  for (std::size_t b = 0; b < scored_bands; ++b) {
    Request r;
    r.band = int(b);
    if (model.validation_deposits) {
      r.deposits = *model.validation_deposits;
      const auto it = model.validation_where.find(names[b]);
      if (it != model.validation_where.end())
        r.deposits.where = both_filters(r.deposits.where, it->second);
      else if (b < model.scores.size())  // the element's own training rule, e.g. Dy_ppm >= 300
        r.deposits.where = both_filters(r.deposits.where, model.scores[b].deposits_where);
      r.held_out = true;
      r.source = "validation deposits (" + r.deposits.path + ")" +
                 (r.deposits.where.empty() ? "" : " where " + r.deposits.where);
    } else if (model.training) {
      r.deposits = model.training->deposits;
      if (b < model.scores.size())
        r.deposits.where = both_filters(r.deposits.where, model.scores[b].deposits_where);
      r.source = "training deposits" +
                 std::string(r.deposits.where.empty() ? "" : " where " + r.deposits.where) +
                 " (a success rate: these deposits trained the model)";
    } else {
      continue;
    }
    requests.push_back(r);
  }
  std::vector<BandValidation> out;
  if (requests.empty()) return out;

  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<SuccessRate> rates;
  // Single cells from the staged (uncompressed) raster: direct I/O reads the
  // 4 bytes, where the block cache would read each deposit's whole tile.
  DatasetPtr cells;
  {
    CPLConfigOptionSetter direct_io("GTIFF_DIRECT_IO", "YES", true);  // read when the dataset opens
    cells = open_raster(scores.path());
  }
  for (const Request& r : requests) {
    BandValidation v;
    v.band = names[std::size_t(r.band)];
    v.deposits_source = r.source;
    v.held_out = r.held_out;
    std::vector<float> deposit_scores;
    const FeatureSet points = read_vector(r.deposits, grid.crs_wkt());
    for (const LocatedDeposit& d : locate_deposits(points, grid, area)) {
      float value = nan;
      if (d.place == DepositPlace::on_cell &&
          cells->GetRasterBand(r.band + 1)
                  ->RasterIO(GF_Read, int(d.col), int(d.row), 1, 1, &value, 1, 1, GDT_Float32, 0, 0,
                             nullptr) != CE_None)
        throw Error(ErrorKind::run_failed, "the staged scores could not be read back",
                    ErrorContext{scores.path(), "", "", "validating", 0, 0}, "");
      const bool missing = std::isnan(value) || value == k_output_nodata;
      v.account.add(d, missing);
      if (d.place == DepositPlace::on_cell && !missing) deposit_scores.push_back(value);
    }
    v.deposits = deposit_scores.size();
    rates.emplace_back(deposit_scores);
    out.push_back(v);
  }

  // Each validated band read once on every core; the workers count into their
  // own copies, and the counts are integers, so merging them in any order gives
  // the same result.
  std::size_t passes = 0, pass_index = 0;
  for (std::size_t i = 0; i < requests.size(); ++i) passes += out[i].deposits > 0 ? 1 : 0;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (out[i].deposits == 0) continue;
    TilePassOptions pass;
    pass.threads = threads;
    if (on_progress)
      pass.on_tile_merged = [&, done_before = pass_index++](double share) {
        on_progress((double(done_before) + share) / double(passes));
      };
    pass.sources = PassSources::single(
        [&scores, band = requests[i].band + 1] { return scores.band_reader(band); });
    const auto counts = run_tile_reduction<SuccessRate>(
        tiles, pass, rates[i].empty_copy(), [](TileView& tile, SuccessRate& rate) {
          rate.add_cells(tile.layer(0).data(), tile.cells);
        });
    for (const SuccessRate& c : counts) rates[i].merge(c);
  }

  for (std::size_t i = 0; i < out.size(); ++i) {
    BandValidation& v = out[i];
    if (v.deposits == 0) continue;
    v.auc = rates[i].auc();
    for (double pct : {1.0, 5.0, 10.0, 20.0})
      v.capture.emplace_back(pct / 100.0, rates[i].capture(pct / 100.0));
    v.curve = rates[i].curve();
    v.prediction_area = prediction_area_intersection(v.curve);
    if (model.bootstrap_replicates > 0 && v.deposits >= 2) {
      const AucInterval ci =
          bootstrap_auc(rates[i].placements(), model.bootstrap_replicates, model.bootstrap_seed);
      v.auc_low = ci.low;
      v.auc_high = ci.high;
      v.auc_std_error = ci.std_error;
    }
  }
  return out;
}

}  // namespace prospect
