#include "prospect/config/model_file.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace prospect;
using ::testing::HasSubstr;

namespace {

const char* k_minimal = R"(name: t
grid:
  crs: EPSG:32733
  cell_size: 25
  extent: [0, 0, 1000, 1000]
inputs:
  eth: {path: data/eth.tif, resampling: bilinear}
evidence:
  th: {input: eth, membership: {function: large, midpoint: 20, spread: 4}}
scores:
  Dy: {op: gamma, gamma: 0.8, of: [th, {op: and, of: [th, th]}]}
  Tb: th
  Y: th
composite: true
)";

// The error text for a model, or "" when it parses.
std::string error_of(const std::string& text, ErrorKind* kind = nullptr) {
  try {
    parse_model(text, "/models/m.yaml");
  } catch (const Error& e) {
    if (kind) *kind = e.kind();
    return e.what();
  }
  return "";
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

}  // namespace

TEST(ModelFile, ParsesAMinimalModel) {
  const ModelSpec m = parse_model(k_minimal, "/models/m.yaml");
  EXPECT_EQ(m.name, "t");
  EXPECT_EQ(m.grid.crs, "EPSG:32733");
  EXPECT_DOUBLE_EQ(*m.grid.cell_size, 25);
  ASSERT_EQ(m.inputs.size(), 1u);
  EXPECT_EQ(m.inputs[0].path(), "/models/data/eth.tif");  // relative to the model file
  EXPECT_EQ(m.inputs[0].raster.resampling, "bilinear");
  ASSERT_EQ(m.evidence.size(), 1u);
  EXPECT_EQ(m.evidence[0].membership.type, MembershipType::large);
  ASSERT_EQ(m.scores.size(), 3u);
  EXPECT_EQ(m.scores[0].root.op.op, FuzzyOperator::gamma);
  EXPECT_EQ(m.scores[0].root.children[1].op.op, FuzzyOperator::and_);
  EXPECT_TRUE(m.scores[1].root.is_leaf());
  EXPECT_EQ(m.band_names(), (std::vector<std::string>{"Dy", "Tb", "Y", "HREE"}));
  ASSERT_TRUE(m.composite);
  EXPECT_EQ(m.composite->weights, (std::vector<double>{239, 507, 3}));
  EXPECT_EQ(m.targets.score, "HREE");
  EXPECT_DOUBLE_EQ(m.targets.top_percent, 5.0);
  EXPECT_EQ(m.outputs.compress, "ZSTD");
}

TEST(ModelFile, UnknownKeyNamesLineColumnAndSuggests) {
  ErrorKind kind{};
  const std::string e = error_of(replace(k_minimal, "  extent:", "  extnt:"), &kind);
  EXPECT_EQ(kind, ErrorKind::bad_model);
  EXPECT_THAT(e, HasSubstr("/models/m.yaml:5:3:"));
  EXPECT_THAT(e, HasSubstr("unknown key 'extnt' in grid; did you mean 'extent'?"));
}

TEST(ModelFile, YamlSyntaxErrorNamesTheLine) {
  const std::string e = error_of("grid:\n  crs: EPSG:32733\n  extent: [0, 0\n  cell_size: 4\n");
  EXPECT_THAT(e, HasSubstr("/models/m.yaml:"));
  EXPECT_THAT(e, HasSubstr("YAML syntax error"));
}

TEST(ModelFile, ReferencesAreChecked) {
  EXPECT_THAT(error_of(replace(k_minimal, "input: eth", "input: etj")),
              HasSubstr("no input named 'etj'; did you mean 'eth'?"));
  EXPECT_THAT(error_of(replace(k_minimal, "  Tb: th", "  Tb: tj")),
              HasSubstr("no evidence named 'tj'"));
  EXPECT_THAT(error_of(replace(k_minimal, "composite: true", "targets: {score: Ce}")),
              HasSubstr("'Ce' is not an output band"));
}

TEST(ModelFile, ValuesAreChecked) {
  EXPECT_THAT(error_of(replace(k_minimal, "gamma: 0.8", "gamma: 1.8")),
              HasSubstr("gamma must be from 0 to 1"));
  EXPECT_THAT(error_of(replace(k_minimal, "cell_size: 25", "cell_size: -25")),
              HasSubstr("cell_size must be greater than 0"));
  EXPECT_THAT(error_of(replace(k_minimal, "cell_size: 25", "cell_size: 25m")),
              HasSubstr("must be a number, not '25m'"));
  EXPECT_THAT(error_of(replace(k_minimal, "crs: EPSG:32733", "crs: EPSG:0")),
              HasSubstr("not a CRS that PROJ understands"));
  EXPECT_THAT(error_of(replace(k_minimal, "function: large", "function: larg")),
              HasSubstr("did you mean 'large'?"));
  EXPECT_THAT(error_of(replace(k_minimal, "resampling: bilinear", "resampling: bilinar")),
              HasSubstr("did you mean 'bilinear'?"));
  EXPECT_THAT(error_of(replace(k_minimal, "extent: [0, 0, 1000, 1000]", "extent: [0, 0, 1000]")),
              HasSubstr("list of 4 numbers"));
  EXPECT_THAT(error_of(replace(k_minimal, "spread: 4", "spread: 0")),
              HasSubstr("needs spread > 0"));
}

TEST(ModelFile, TargetOutlineOptions) {
  const ModelSpec m = parse_model(
      std::string(k_minimal) +
          "targets: {top_percent: 2, min_area_ha: 1, fill_holes_ha: 0.5, simplify_m: 12.5}\n",
      "/models/m.yaml");
  EXPECT_DOUBLE_EQ(m.targets.fill_holes_ha, 0.5);
  EXPECT_DOUBLE_EQ(m.targets.simplify_m, 12.5);
  EXPECT_THAT(error_of(std::string(k_minimal) + "targets: {simplify_m: -1}\n"),
              HasSubstr("targets.simplify_m must not be negative"));
  EXPECT_THAT(error_of(std::string(k_minimal) + "targets: {fill_holes: 1}\n"),
              HasSubstr("did you mean 'fill_holes_ha'?"));
}

TEST(ModelFile, MissingSectionsAndExtent) {
  EXPECT_THAT(error_of("grid: {crs: EPSG:32733, cell_size: 5}\n"),
              HasSubstr("no 'inputs' section"));
  EXPECT_THAT(error_of(replace(k_minimal, "  extent: [0, 0, 1000, 1000]\n", "")),
              HasSubstr("the grid has no extent"));
}

TEST(ModelFile, CompositeNeedsWeightsForElementsWithoutDefaults) {
  const std::string renamed = replace(k_minimal, "  Y: th", "  Ce: th");
  EXPECT_THAT(error_of(renamed), HasSubstr("no default value weight for score 'Ce'"));
  const ModelSpec m = parse_model(
      replace(renamed, "composite: true", "composite: {name: TREE, weights: {Dy: 2, Ce: 1}}"),
      "m.yaml");
  EXPECT_EQ(m.composite->name, "TREE");
  EXPECT_EQ(m.composite->weights, (std::vector<double>{2, 0, 1}));
}

namespace {
const char* k_wofe = R"(model: wofe
grid: {crs: EPSG:32733, cell_size: 25, extent: [0, 0, 1000, 1000]}
training:
  deposits: {path: occ.gpkg, where: "kind = 'xenotime'"}
  unit_cell_km2: 0.5
inputs:
  lith: {path: lith.tif}
  dist: {path: dist.tif}
evidence:
  lithology: {input: lith}
  near: {input: dist, weights: ascending}
scores:
  Dy: {evidence: [lithology, near], where: "Dy > 100"}
  Y: {evidence: [near]}
)";
}  // namespace

TEST(ModelFile, ParsesAWeightsOfEvidenceModel) {
  const ModelSpec m = parse_model(k_wofe, "/m/w.yaml");
  EXPECT_EQ(m.type, ModelType::wofe);
  ASSERT_TRUE(m.training);
  EXPECT_EQ(m.training->deposits.path, "/m/occ.gpkg");
  EXPECT_DOUBLE_EQ(m.training->unit_cell_km2, 0.5);
  EXPECT_EQ(m.evidence[0].weights, WeightsType::categorical);
  EXPECT_EQ(m.evidence[1].weights, WeightsType::ascending);
  EXPECT_EQ(m.scores[0].evidence, (std::vector<int>{0, 1}));
  EXPECT_EQ(m.scores[0].deposits_where, "Dy > 100");
  EXPECT_EQ(m.band_names(), (std::vector<std::string>{"Dy", "Y", "Dy_std", "Y_std"}));
  EXPECT_NE(std::find(m.input_files().begin(), m.input_files().end(), "/m/occ.gpkg"),
            m.input_files().end());
}

TEST(ModelFile, WeightsOfEvidenceMistakes) {
  EXPECT_THAT(error_of(replace(k_wofe, "weights: ascending", "weights: cumulative")),
              HasSubstr("unknown weights type 'cumulative'"));
  EXPECT_THAT(error_of(replace(k_wofe, "[near]}", "[nearr]}")), HasSubstr("did you mean 'near'?"));
  EXPECT_THAT(error_of(replace(k_wofe, "[lithology, near]", "[near, near]")),
              HasSubstr("listed twice"));
  EXPECT_THAT(error_of(replace(
                  k_wofe, "lithology: {input: lith}",
                  "lithology: {input: lith, membership: {function: linear, low: 0, high: 1}}")),
              HasSubstr("unknown key 'membership'"));
  const std::string no_training = replace(k_wofe,
                                          "training:\n  deposits: {path: occ.gpkg, where: \"kind = "
                                          "'xenotime'\"}\n  unit_cell_km2: 0.5\n",
                                          "");
  EXPECT_THAT(error_of(no_training), HasSubstr("needs a 'training' section"));
  EXPECT_THAT(error_of(std::string(k_minimal) + "training: {deposits: {path: x.gpkg}}\n"),
              HasSubstr("'training' belongs to the trained models (wofe, logistic"));
}

TEST(ModelFile, DistanceInputs) {
  const std::string text =
      replace(k_minimal, "  eth: {path: data/eth.tif, resampling: bilinear}",
              "  eth: {path: v/faults.gpkg, layer: faults, where: \"kind = 'f'\", "
              "distance: {max: 2000, inside: signed, strike: [20, 70]}}");
  const ModelSpec m = parse_model(text, "/models/m.yaml");
  ASSERT_EQ(m.inputs[0].kind, InputKind::distance);
  EXPECT_EQ(m.inputs[0].path(), "/models/v/faults.gpkg");
  EXPECT_EQ(m.inputs[0].vector.layer, "faults");
  EXPECT_DOUBLE_EQ(m.inputs[0].distance.max, 2000);
  EXPECT_TRUE(m.inputs[0].distance.signed_inside);
  EXPECT_EQ(m.inputs[0].distance.strike->second, 70);
  EXPECT_THAT(error_of(replace(text, "inside: signed", "inside: negative")),
              HasSubstr("inside must be zero or signed"));
  EXPECT_THAT(error_of(replace(text, "layer: faults,", "band: 2,")),
              HasSubstr("unknown key 'band'"));
}

TEST(ModelFile, ValidationFiltersNameBandsTheModelWrites) {
  const std::string base = R"(grid: {crs: EPSG:32733, cell_size: 50, extent: [0, 0, 1000, 1000]}
inputs: {eth: {path: eth.tif}}
evidence: {th: {input: eth, membership: {function: linear, low: 0, high: 1}}}
scores: {Dy: th, Tb: th}
composite: true
)";
  const ModelSpec m = parse_model(
      base + "validation: {deposits: {path: occ.gpkg}, where: {Dy: \"Dy_ppm >= 300\"}}\n",
      "/data/model.yaml");
  EXPECT_EQ(m.validation_where.at("Dy"), "Dy_ppm >= 300");
  try {
    parse_model(base + "validation: {deposits: {path: occ.gpkg}, where: {Dx: \"Dy_ppm >= 300\"}}\n",
                "/data/model.yaml");
    FAIL();
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("did you mean 'Dy'"));
  }
}

TEST(ModelFile, CrossValidationOptions) {
  ModelSpec m = parse_model(
      std::string(k_wofe) + "validation: {cross_validation: {folds: 5, block_m: 800, seed: 9}}\n",
      "/m/w.yaml");
  EXPECT_TRUE(m.cross_validation.enabled);
  EXPECT_EQ(m.cross_validation.folds, 5);
  EXPECT_DOUBLE_EQ(m.cross_validation.block_m, 800);
  EXPECT_EQ(m.cross_validation.seed, 9u);
  EXPECT_FALSE(
      m.validation_deposits);  // a trained model can be cross-validated without held-out deposits
  m = parse_model(std::string(k_wofe) + "validation: {cross_validation: {folds: leave_one_out}}\n",
                  "/m/w.yaml");
  EXPECT_EQ(m.cross_validation.folds, 0);
  m = parse_model(std::string(k_wofe) + "validation: {cross_validation: false}\n", "/m/w.yaml");
  EXPECT_FALSE(m.cross_validation.enabled);
  m = parse_model(std::string(k_wofe) + "validation: {seed: 4}\n", "/m/w.yaml");
  EXPECT_EQ(m.cross_validation.seed, 4u);  // one seed for bootstrap and folds unless given apart

  EXPECT_THAT(error_of(std::string(k_wofe) + "validation: {cross_validation: {folds: 1}}\n"),
              HasSubstr("folds (or leave_one_out) must be a whole number from 2 to 1000"));
  EXPECT_THAT(error_of(std::string(k_wofe) + "validation: {cross_validation: {block_m: -5}}\n"),
              HasSubstr("block_m must be 0"));
  EXPECT_THAT(error_of(std::string(k_wofe) + "validation: {cross_validation: {fold: 3}}\n"),
              HasSubstr("did you mean 'folds'"));
  // A fuzzy model has nothing to refit: it needs held-out deposits.
  EXPECT_THAT(error_of(std::string(k_minimal) + "validation: {cross_validation: {folds: 5}}\n"),
              HasSubstr("validation needs deposits"));
}

TEST(ModelFile, IdwMaxPointsAll) {
  const std::string base =
      "grid: {crs: EPSG:32733, cell_size: 100, extent: [0, 0, 1000, 1000]}\n"
      "inputs: {s: {path: soil.csv, idw: {field: Dy_ppm, max_points: all, min_points: 3}}}\n"
      "evidence: {e: {input: s, membership: {function: linear, low: 0, high: 1}}}\n"
      "scores: {S: e}\n";
  const ModelSpec m = parse_model(base, "/models/m.yaml");
  EXPECT_EQ(m.inputs[0].idw.max_points, k_all_idw_points);
  EXPECT_THAT(error_of(replace(base, "max_points: all", "max_points: most")),
              HasSubstr("max_points (or all) must be a number, not 'most'"));
}

TEST(ModelFile, GeochemicalIndicesAndKriging) {
  const std::string base =
      "grid: {crs: EPSG:32733, cell_size: 100, extent: [0, 0, 1000, 1000]}\n"
      "inputs: {s: {path: soil.csv, idw: {index: (Dy/Yb)N, log: true}},\n"
      "  k: {path: soil.csv, krige: {field: Dy_ppm, variogram: {model: exponential, nugget: 0.1, "
      "partial_sill: 0.5, range: 800}, max_points: 24, output: variance}},\n"
      "  f: {path: soil.csv, krige: {index: Eu/Eu*}}}\n"
      "evidence: {e: {input: s, membership: {function: linear, low: 0, high: 1}},\n"
      "  g: {input: k, membership: {function: linear, low: 0, high: 1}},\n"
      "  h: {input: f, membership: {function: linear, low: 0, high: 1}}}\n"
      "scores: {S: {op: and, of: [e, g, h]}}\n";
  const ModelSpec m = parse_model(base, "/models/m.yaml");
  EXPECT_EQ(m.inputs[0].idw.index, "(Dy/Yb)N");
  EXPECT_TRUE(m.inputs[0].idw.field.empty());
  ASSERT_EQ(m.inputs[1].kind, InputKind::krige);
  const KrigingSpec& k = m.inputs[1].krige;
  EXPECT_EQ(k.model, "exponential");
  EXPECT_DOUBLE_EQ(k.nugget, 0.1);
  EXPECT_DOUBLE_EQ(k.partial_sill, 0.5);
  EXPECT_DOUBLE_EQ(k.range, 800);
  EXPECT_EQ(k.max_points, 24);
  EXPECT_TRUE(k.variance);
  EXPECT_EQ(m.inputs[2].krige.index, "Eu/Eu*");
  EXPECT_DOUBLE_EQ(m.inputs[2].krige.range, 0);  // fitted
  EXPECT_THAT(error_of(replace(base, "(Dy/Yb)N", "(Dy/Th)N")),
              HasSubstr("not a rare-earth index prospect knows"));
  EXPECT_THAT(error_of(replace(base, "idw: {index: (Dy/Yb)N, log: true}",
                               "idw: {index: (Dy/Yb)N, field: Dy_ppm}")),
              HasSubstr("needs one of field"));
  EXPECT_THAT(error_of(replace(base, "model: exponential", "model: cubic")),
              HasSubstr("unknown variogram model 'cubic'"));
  EXPECT_THAT(error_of(replace(base, ", range: 800", "")),
              HasSubstr("or leaves all three out to fit them"));
  EXPECT_THAT(error_of(replace(base, "nugget: 0.1", "nugget: -0.1")),
              HasSubstr("needs nugget >= 0"));
  EXPECT_THAT(error_of(replace(base, "output: variance", "output: std")),
              HasSubstr("output must be estimate or variance"));
  EXPECT_THAT(error_of(replace(base, "field: Dy_ppm", "field: N(Th_ppm)")),
              HasSubstr("does not name one"));
  // A principal component of clr parts as the value.
  const ModelSpec p = parse_model(
      replace(base, "index: Eu/Eu*", "pca: {parts: [La_ppm, Ce_ppm, Dy_ppm], component: 2}"),
      "/models/m.yaml");
  EXPECT_EQ(p.inputs[2].krige.pca.parts, (std::vector<std::string>{"La_ppm", "Ce_ppm", "Dy_ppm"}));
  EXPECT_EQ(p.inputs[2].krige.pca.component, 2);
  EXPECT_TRUE(parse_model(replace(base, "index: Eu/Eu*", "pca: {parts: rare_earths}"), "/m.yaml")
                  .inputs[2]
                  .krige.pca.rare_earths);
  EXPECT_THAT(
      error_of(replace(base, "index: Eu/Eu*", "pca: {parts: [La_ppm, Ce_ppm], component: 2}")),
      HasSubstr("component must be below the number of parts (2)"));
  EXPECT_THAT(error_of(replace(base, "index: Eu/Eu*", "index: Eu/Eu*, pca: {parts: rare_earths}")),
              HasSubstr("needs one of field"));
}

// Machine-learning kinds: the evidence is the input's values, the learner and
// the background sample are theirs alone.
TEST(ModelFile, MachineLearningModels) {
  const std::string ml = R"(model: gradient_boosting
grid: {crs: EPSG:32733, extent: [0, 0, 100, 100], cell_size: 25}
training:
  deposits: {path: d.geojson}
  background: {ratio: 20, buffer_m: 100, seed: 7}
  deposit_weight: balanced
learner: {trees: 50, depth: 3, learning_rate: 0.05, subsample: 0.7}
inputs: {eth: {path: eth.tif}}
evidence: {th: {input: eth}}
scores: {Dy: {evidence: [th], where: "Dy_ppm >= 300"}}
)";
  const ModelSpec m = parse_model(ml, "/models/m.yaml");
  EXPECT_EQ(m.type, ModelType::gradient_boosting);
  EXPECT_TRUE(m.machine_learning());
  EXPECT_TRUE(m.trained());
  EXPECT_EQ(m.training->background.ratio, 20);
  EXPECT_EQ(m.training->background.buffer_m, 100);
  EXPECT_EQ(m.training->background.seed, 7u);
  EXPECT_TRUE(m.training->balanced_weight);
  EXPECT_EQ(m.learner.trees, 50);
  EXPECT_EQ(m.learner.depth, 3);
  EXPECT_DOUBLE_EQ(m.learner.learning_rate, 0.05);
  EXPECT_EQ(parse_model(replace(ml, "gradient_boosting", "random_forest"), "/m.yaml").type,
            ModelType::random_forest);
  EXPECT_THAT(
      error_of(replace(ml, "th: {input: eth}", "th: {input: eth, membership: {function: large}}")),
      HasSubstr("membership"));
  EXPECT_THAT(error_of(replace(ml, "subsample: 0.7", "subsample: 1.5")),
              HasSubstr("learner.subsample must lie in (0, 1]"));
  EXPECT_THAT(error_of(replace(ml, "ratio: 20", "ratio: 0")),
              HasSubstr("training.background.ratio must be greater than 0"));
  EXPECT_THAT(error_of(replace(ml, "model: gradient_boosting", "model: logistic")),
              HasSubstr("training.background is for model: gradient_boosting or random_forest"));
  EXPECT_THAT(error_of(replace(replace(ml, "model: gradient_boosting", "model: logistic"),
                               "  background: {ratio: 20, buffer_m: 100, seed: 7}\n", "")),
              HasSubstr("'learner' belongs to model: gradient_boosting or random_forest"));
  EXPECT_THAT(error_of(replace(ml, "model: gradient_boosting", "model: gradient_boost")),
              HasSubstr("gradient_boosting, random_forest"));
}
