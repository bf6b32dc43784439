#include "prospect/models/fuzzy.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "support/fixtures.hpp"

using namespace prospect;

namespace {
const float nan_f = std::numeric_limits<float>::quiet_NaN();

Membership make(MembershipType t, double a, double b) {
  Membership m;
  m.type = t;
  if (t == MembershipType::linear) {
    m.low = a;
    m.high = b;
  } else {
    m.midpoint = a;
    m.spread = b;
  }
  return m;
}

float op(FuzzyOperator o, std::vector<float> v, double gamma = 0.9, std::vector<double> w = {}) {
  OperatorSpec s;
  s.op = o;
  s.gamma = gamma;
  s.weights = w;
  std::vector<const float*> in;
  for (float& x : v) in.push_back(&x);
  float out = 0;
  combine(s, in, &out, 1);
  return out;
}
}  // namespace

// Hand-computed values from the definitions in docs/science/fuzzy.md.
TEST(FuzzyMembership, Linear) {
  const auto m = make(MembershipType::linear, 10, 20);
  EXPECT_FLOAT_EQ(membership_value(m, 12.5f), 0.25f);
  EXPECT_FLOAT_EQ(membership_value(m, 5.0f), 0.0f);
  EXPECT_FLOAT_EQ(membership_value(m, 25.0f), 1.0f);
  const auto decreasing = make(MembershipType::linear, 20, 10);
  EXPECT_FLOAT_EQ(membership_value(decreasing, 12.5f), 0.75f);
}

TEST(FuzzyMembership, LargeAndSmall) {
  const auto large = make(MembershipType::large, 10, 2);
  EXPECT_FLOAT_EQ(membership_value(large, 20.0f), 0.8f);  // 1 / (1 + 2^-2)
  EXPECT_FLOAT_EQ(membership_value(large, 10.0f), 0.5f);
  EXPECT_FLOAT_EQ(membership_value(large, 0.0f), 0.0f);
  EXPECT_FLOAT_EQ(membership_value(large, -3.0f), 0.0f);
  const auto small = make(MembershipType::small, 10, 2);
  EXPECT_FLOAT_EQ(membership_value(small, 20.0f), 0.2f);  // 1 / (1 + 2^2)
  EXPECT_FLOAT_EQ(membership_value(small, -3.0f), 1.0f);
}

TEST(FuzzyMembership, GaussianAndNear) {
  EXPECT_FLOAT_EQ(membership_value(make(MembershipType::gaussian, 5, 0.5), 7.0f),
                  float(std::exp(-2.0)));
  EXPECT_FLOAT_EQ(membership_value(make(MembershipType::gaussian, 5, 0.5), 5.0f), 1.0f);
  EXPECT_FLOAT_EQ(membership_value(make(MembershipType::near, 5, 0.25), 9.0f),
                  0.2f);  // 1/(1+0.25*16)
}

TEST(FuzzyMembership, CategoricalTable) {
  Membership m;
  m.type = MembershipType::categorical;
  m.table = {{1, 0.9}, {3, 0.4}};
  m.other = 0.1;
  EXPECT_FLOAT_EQ(membership_value(m, 3.0f), 0.4f);
  EXPECT_FLOAT_EQ(membership_value(m, 2.0f), 0.1f);
}

TEST(FuzzyMembership, MissingStaysMissing) {
  for (auto t : {MembershipType::linear, MembershipType::large, MembershipType::gaussian}) {
    const auto m = make(t, 10, 20);
    EXPECT_TRUE(std::isnan(membership_value(m, nan_f)));
    float in[3] = {nan_f, 15.0f, nan_f}, out[3];
    apply_membership(m, in, out, 3);
    EXPECT_TRUE(std::isnan(out[0]));
    EXPECT_FALSE(std::isnan(out[1]));
  }
}

TEST(FuzzyMembership, BufferVersionMatchesTheScalarOne) {
  const auto m = make(MembershipType::linear, -3, 7);
  float in[6] = {-10, -3, 0, 2.5f, 7, 100}, out[6];
  apply_membership(m, in, out, 6);
  for (int i = 0; i < 6; ++i) EXPECT_FLOAT_EQ(out[i], membership_value(m, in[i]));
}

TEST(FuzzyOperators, HandComputed) {
  const std::vector<float> v = {0.2f, 0.5f, 0.8f};
  EXPECT_FLOAT_EQ(op(FuzzyOperator::and_, v), 0.2f);
  EXPECT_FLOAT_EQ(op(FuzzyOperator::or_, v), 0.8f);
  EXPECT_NEAR(op(FuzzyOperator::product, v), 0.08, 1e-7);
  EXPECT_NEAR(op(FuzzyOperator::sum, v), 0.92, 1e-7);  // 1 - 0.8*0.5*0.2
  EXPECT_NEAR(op(FuzzyOperator::gamma, v, 0.5), std::sqrt(0.92 * 0.08), 1e-7);
  EXPECT_NEAR(op(FuzzyOperator::gamma, v, 1.0), 0.92, 1e-7);  // gamma 1 is the sum
  EXPECT_NEAR(op(FuzzyOperator::gamma, v, 0.0), 0.08, 1e-7);  // gamma 0 the product
  EXPECT_NEAR(op(FuzzyOperator::weighted_sum, {0.2f, 0.6f}, 0, {1, 3}), 0.5, 1e-7);
}

TEST(FuzzyOperators, AnyMissingInputMakesTheCellMissing) {
  for (auto o : {FuzzyOperator::and_, FuzzyOperator::or_, FuzzyOperator::product,
                 FuzzyOperator::sum, FuzzyOperator::gamma})
    EXPECT_TRUE(std::isnan(op(o, {0.3f, nan_f})));
  EXPECT_TRUE(std::isnan(op(FuzzyOperator::weighted_sum, {0.3f, nan_f}, 0, {1, 1})));
}

TEST(FuzzyOperators, NamesRoundTrip) {
  FuzzyOperator o;
  EXPECT_TRUE(parse_operator("gamma", o));
  EXPECT_EQ(o, FuzzyOperator::gamma);
  EXPECT_TRUE(parse_operator("and", o));
  EXPECT_EQ(o, FuzzyOperator::and_);
  EXPECT_FALSE(parse_operator("xor", o));
  MembershipType t;
  EXPECT_TRUE(parse_membership_type("near", t));
  EXPECT_EQ(t, MembershipType::near);
}

// Gamma over whole tiles (the vectorised path where the CPU has it) against
// sum^g * prod^(1-g) by two pow calls in long double, cell by cell: memberships
// from 1e-30 to 1, exact zeros and ones, and missing cells.
TEST(FuzzyOperator, GammaOverATileMatchesPowCellByCell) {
  const std::size_t n = 5003, layers = 4;  // not a multiple of 8: the last cells one by one
  std::vector<std::vector<float>> v(layers, std::vector<float>(n));
  test::FixedRandom random(12345);  // the same cells on every platform
  for (auto& layer : v)
    for (std::size_t i = 0; i < n; ++i) {
      const double u = random.next();
      layer[i] = i % 97 == 0    ? 0.0f
                 : i % 89 == 0  ? 1.0f
                 : i % 101 == 0 ? nan_f
                                : float(std::pow(10.0, -30.0 * u * u));
    }
  std::vector<const float*> in;
  for (const auto& layer : v) in.push_back(layer.data());
  for (double g : {0.1, 0.5, 0.9}) {
    OperatorSpec s;
    s.op = FuzzyOperator::gamma;
    s.gamma = g;
    std::vector<float> out(n);
    combine(s, in, out.data(), n);
    for (std::size_t i = 0; i < n; ++i) {
      // The algebraic sum as -expm1(sum of log1p(-m)): no cancellation for small m.
      long double prod = 1, log_co = 0;
      bool missing = false;
      for (const auto& layer : v) {
        missing = missing || std::isnan(layer[i]);
        prod *= layer[i];
        log_co += std::log1p(-(long double)layer[i]);
      }
      if (missing) {
        EXPECT_TRUE(std::isnan(out[i])) << i;
        continue;
      }
      const long double expected =
          std::pow(-std::expm1(log_co), (long double)g) * std::pow(prod, 1.0L - g);
      // Within 2 float ulps, or one step of the smallest floats where the result underflows.
      const double tolerance =
          std::max(2.5e-7 * double(expected), double(std::numeric_limits<float>::denorm_min()));
      EXPECT_NEAR(out[i], double(expected), tolerance) << "cell " << i << " gamma " << g;
    }
  }
}

// Products, algebraic sums and weighted sums over a tile (8 cells at a time
// where the CPU has AVX2, the last 7 one by one) are bit for bit the same
// operations, in the same order, as one cell at a time in double.
TEST(FuzzyOperator, TileOperatorsEqualTheCellByCellDefinitionBitForBit) {
  const std::size_t n = 1031, layers = 5;
  std::vector<std::vector<float>> v(layers, std::vector<float>(n));
  std::uint64_t state = 777;
  for (auto& layer : v)
    for (std::size_t i = 0; i < n; ++i) {
      state = state * 6364136223846793005u + 1442695040888963407u;
      const float u = float(double(state >> 11) / 9007199254740992.0);
      layer[i] = i % 53 == 0 ? nan_f : i % 31 == 0 ? 0.0f : i % 29 == 0 ? 1.0f : u;
    }
  std::vector<const float*> in;
  for (const auto& layer : v) in.push_back(layer.data());
  const std::vector<double> weights = {1, 2.5, 3, 0.5, 7};
  for (auto o : {FuzzyOperator::product, FuzzyOperator::sum, FuzzyOperator::weighted_sum,
                 FuzzyOperator::gamma}) {
    OperatorSpec s;
    s.op = o;
    s.gamma = 1.0;  // gamma 1 is the sum, without exp and log
    s.weights = weights;
    std::vector<float> out(n);
    combine(s, in, out.data(), n);
    double total = 0;
    for (double w : weights) total += w;
    for (std::size_t i = 0; i < n; ++i) {
      double prod = 1.0, sum = 0.0, weighted = 0.0;
      for (std::size_t j = 0; j < layers; ++j) {
        const double m = v[j][i];
        prod *= m;
        sum += m * (1.0 - sum);
        weighted += weights[j] / total * m;
      }
      const float expected = o == FuzzyOperator::product        ? float(prod)
                             : o == FuzzyOperator::weighted_sum ? float(weighted)
                                                                : float(sum);
      if (std::isnan(expected)) {
        EXPECT_TRUE(std::isnan(out[i])) << i;
        continue;
      }
      std::uint32_t a, b;
      std::memcpy(&a, &out[i], 4);
      std::memcpy(&b, &expected, 4);
      EXPECT_EQ(a, b) << "cell " << i << " operator " << int(o);
    }
  }
}
