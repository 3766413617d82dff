// The counter-based streams: Philox and SplitMix64 against the published answers, the normal
// generator of both against the standard normal distribution.
#include "sim/random_stream.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace alignsim {
namespace {

TEST(Philox, MatchesRandom123KnownAnswers) {
  // Known-answer vectors of Philox4x64-10 from Random123's kat_vectors.
  using W = std::array<std::uint64_t, 4>;
  EXPECT_EQ(philox4x64({0, 0, 0, 0}, {0, 0}),
            (W{0x16554d9eca36314cull, 0xdb20fe9d672d0fdcull, 0xd7e772cee186176bull, 0x7e68b68aec7ba23bull}));
  const std::uint64_t ones = ~0ull;
  EXPECT_EQ(philox4x64({ones, ones, ones, ones}, {ones, ones}),
            (W{0x87b092c3013fe90bull, 0x438c3c67be8d0224ull, 0x9cc7d7c69cd777b6ull, 0xa09caebf594f0ba0ull}));
  EXPECT_EQ(philox4x64({0x243f6a8885a308d3ull, 0x13198a2e03707344ull, 0xa4093822299f31d0ull, 0x082efa98ec4e6c89ull},
                       {0x452821e638d01377ull, 0xbe5466cf34e90c6cull}),
            (W{0xa528f45403e61d95ull, 0x38c72dbd566e9788ull, 0xa5a1610e72fd18b5ull, 0x57bd43b5e52b7fe6ull}));
}

// a and b have the same key, c another: a's variates are b's and never c's.
template <typename Stream>
void expect_same_key_same_numbers(Stream a, Stream b, Stream c) {
  int same_as_other = 0;
  for (int k = 0; k < 100; ++k) {
    const double x = a.normal();
    EXPECT_EQ(x, b.normal());
    same_as_other += x == c.normal();
  }
  EXPECT_EQ(same_as_other, 0);
}

TEST(RandomStream, SameKeySameNumbersOtherKeyOthers) {
  expect_same_key_same_numbers(RandomStream(42, 1, 2, 3), RandomStream(42, 1, 2, 3), RandomStream(42, 1, 2, 4));
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// Checks one million variates against the standard normal distribution.
void expect_standard_normal(std::vector<double> v) {
  const double n = static_cast<double>(v.size());
  double mean = 0, m2 = 0, m3 = 0, m4 = 0;
  for (double x : v) mean += x;
  mean /= n;
  for (double x : v) {
    const double d = x - mean;
    m2 += d * d, m3 += d * d * d, m4 += d * d * d * d;
  }
  m2 /= n, m3 /= n, m4 /= n;
  // Standard errors at n = 10⁶: mean 0.001, variance 0.0014, skewness 0.0024, kurtosis 0.005.
  EXPECT_NEAR(mean, 0.0, 0.005);
  EXPECT_NEAR(m2, 1.0, 0.007);
  EXPECT_NEAR(m3 / std::pow(m2, 1.5), 0.0, 0.012);
  EXPECT_NEAR(m4 / (m2 * m2), 3.0, 0.025);
  // Kolmogorov–Smirnov distance; its 0.1% critical value at n = 10⁶ is 1.95/√n = 0.00195.
  std::sort(v.begin(), v.end());
  double ks = 0;
  for (std::size_t k = 0; k < v.size(); ++k) {
    const double cdf = normal_cdf(v[k]);
    ks = std::max({ks, std::abs(cdf - static_cast<double>(k) / n), std::abs(cdf - static_cast<double>(k + 1) / n)});
  }
  EXPECT_LT(ks, 0.00195);
  // The tail beyond the ziggurat's base (r = 3.654) has its share, 2.58e-4 (both sides).
  const auto beyond = std::count_if(v.begin(), v.end(), [](double x) { return std::abs(x) > 3.6541528853610088; });
  EXPECT_NEAR(static_cast<double>(beyond) / n, 2.0 * (1.0 - normal_cdf(3.6541528853610088)), 6e-5);
  EXPECT_GT(v.back(), 4.0);
  EXPECT_LT(v.front(), -4.0);
}

TEST(RandomStream, NormalHasTheStandardNormalDistribution) {
  // One million variates spread over many streams, as the model draws them.
  std::vector<double> v;
  v.reserve(1000000);
  for (std::uint32_t agent = 0; agent < 1000; ++agent) {
    RandomStream rng(7, 0, 3, agent);
    for (int k = 0; k < 1000; ++k) v.push_back(rng.normal());
  }
  expect_standard_normal(std::move(v));
}

TEST(FastStream, MatchesSplitMix64KnownAnswers) {
  // SplitMix64 from state 0 (Vigna's reference splitmix64.c): the first three outputs.
  FastStream rng(0);
  EXPECT_EQ(rng.next_u64(), 0xe220a8397b1dcdafull);
  EXPECT_EQ(rng.next_u64(), 0x6e789e6aa1b965f4ull);
  EXPECT_EQ(rng.next_u64(), 0x06c45d188009454full);
}

TEST(FastStream, NormalHasTheStandardNormalDistribution) {
  // As the policy noise draws them: one fast stream per agent and tick, seeded by its stream.
  std::vector<double> v;
  v.reserve(1000000);
  for (std::uint32_t agent = 0; agent < 1000; ++agent) {
    FastStream rng = RandomStream(7, 0, 3, agent).fast();
    for (int k = 0; k < 1000; ++k) v.push_back(rng.normal());
  }
  expect_standard_normal(std::move(v));
}

TEST(FastStream, KeyedByItsStream) {
  expect_same_key_same_numbers(RandomStream(42, 1, 2, 3).fast(), RandomStream(42, 1, 2, 3).fast(),
                               RandomStream(42, 1, 2, 4).fast());
}

TEST(RandomStream, UniformAndBelowStayInRange) {
  RandomStream rng(1, 0, 0, 0);
  std::vector<int> counts(7, 0);
  for (int k = 0; k < 70000; ++k) {
    const double u = rng.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    ++counts[rng.below(7)];
  }
  for (int c : counts) EXPECT_NEAR(c, 10000, 400);  // 4 standard deviations
}

}  // namespace
}  // namespace alignsim
