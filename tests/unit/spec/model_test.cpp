#include "prospect/spec/model.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "prospect/config/model_file.hpp"

using namespace prospect;

namespace {

ModelSpec written(const std::string& scores) {
  return parse_model(R"(grid: {crs: EPSG:32733, cell_size: 100, extent: [0, 0, 1000, 1000]}
inputs: {geo: {path: geology.tif}, mag: {path: mag.tif}}
evidence:
  host: {input: geo, membership: {function: categorical, classes: {Carbonatite: 1}}}
  high: {input: mag, membership: {function: classes, breaks: {quantiles: 4}, values: [0, 0.3, 0.6, 1]}}
scores: )" + scores + "\ntargets: false\n",
                     "resolved_test.yaml");
}

}  // namespace

// Fits and scoring take a ResolvedModel: a model that still names a class or
// asks the data for breaks cannot become one.
TEST(ResolvedModel, RefusesAModelThatStillNamesAClassOrAsksForBreaks) {
  EXPECT_THROW(ResolvedModel(written("{S: host}")), std::logic_error);
  EXPECT_THROW(ResolvedModel(written("{S: high}")), std::logic_error);

  ModelSpec resolved = written("{S: host}");
  resolved.evidence[0].membership.table[1] = 1.0;
  resolved.evidence[0].membership.named.clear();
  EXPECT_NO_THROW(ResolvedModel{resolved});  // 'high' is used by no score: never read
}
