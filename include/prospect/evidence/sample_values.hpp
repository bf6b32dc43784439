#pragma once
// One value per feature of a sample layer (soil, stream-sediment or rock-chip
// geochemistry): an attribute, an expression of attributes (FieldExpression)
// or a rare-earth index by name (geochem/indices), each field read with the
// value rule of docs/science/geochemistry.md ("<x" is x / 2). Shared by IDW
// and the anomaly thresholds.

#include <limits>
#include <string>
#include <vector>

#include "prospect/spec/inputs.hpp"

namespace prospect {

struct SampleReport {
  std::string expression;          // the value expression used (an index written out)
  std::string first_not_positive;  // "feature 12: Yb_ppm = 0", for messages
  long long read = 0, used = 0, below_detection = 0, not_numeric = 0, not_positive = 0,
            duplicates_merged = 0, outside_grid = 0;
  long long undefined = 0;  // a ratio with a zero denominator
  long long without_coordinates =
      0;  // rows with no point, or one not finite (a CSV cell "n/a", "")
};

struct SampleValue {
  long long fid = 0;  // the feature's id in its layer
  double x = 0, y = 0;
  double value = std::numeric_limits<double>::quiet_NaN();  // NaN: not usable (see the report)
};

// The samples of the input's layer in `crs_wkt`, with their values: `field`
// (an expression) or, when `index` is not empty, that index over the layer's
// columns. Every feature read is counted in `report` (read, and the reason
// when its value is unusable: not numeric, a zero denominator, a log-ratio
// of a part <= 0, the first of which is named); features without finite
// coordinates are left out. A field below detection in every sample is
// warned about. Throws Error(bad_input) for a layer that is not points or
// lacks a column the index needs.
std::vector<SampleValue> read_sample_values(const VectorInput& input, const std::string& field,
                                            const std::string& index, const std::string& crs_wkt,
                                            SampleReport& report);

// The samples' scores on principal component pca.component of their
// clr-transformed parts (geochem/pca): a sample with a part not numeric or
// <= 0 has no score (counted). Notes the component's share of the variance and
// its loadings. Throws Error(bad_input) for fewer than 2 parts (or rare-earth
// columns), a component beyond the number of parts, or fewer than 3 samples
// with every part.
std::vector<SampleValue> read_pca_values(const VectorInput& input, const PcaSpec& pca,
                                         const std::string& crs_wkt, SampleReport& report);

// read_pca_values when pca.component > 0, else read_sample_values.
std::vector<SampleValue> read_values(const VectorInput& input, const std::string& field,
                                     const std::string& index, const PcaSpec& pca,
                                     const std::string& crs_wkt, SampleReport& report);

}  // namespace prospect
