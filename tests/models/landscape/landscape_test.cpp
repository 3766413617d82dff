// The landscape theory's algorithms against from-scratch computation, naive enumeration and
// small cases solved by hand.
#include "models/landscape/landscape.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>

#include "sim/random_stream.hpp"

namespace alignsim::landscape {
namespace {

// n actors with sizes in [0.5, 2) and propensities uniform in [−1, 1), symmetric.
Landscape random_world(int n, std::uint64_t seed) {
  RandomStream rng(seed, 0, 0, 0);
  Landscape l{Eigen::VectorXd(n), Eigen::MatrixXd::Zero(n, n)};
  for (int i = 0; i < n; ++i) l.size(i) = 0.5 + 1.5 * rng.uniform();
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) l.propensity(i, j) = l.propensity(j, i) = 2.0 * rng.uniform() - 1.0;
  }
  return l;
}

Sides random_sides(int n, RandomStream& rng) {
  Sides sides(static_cast<std::size_t>(n));
  for (auto& side : sides) side = static_cast<std::uint8_t>(rng.below(2));
  return sides;
}

// The scale of E and of every ΔF_i, for relative tolerances: Σ_ij s_i s_j |p_ij|.
double scale(const Landscape& l) { return l.size.dot(l.propensity.cwiseAbs() * l.size); }

// Every partition with actor 0 on side 0, each tested and costed from scratch.
std::vector<Minimum> naive_minima(const Landscape& l) {
  const int n = l.actors();
  std::vector<Minimum> minima;
  for (std::uint64_t m = 0; m < (1ull << (n - 1)); ++m) {
    const Sides sides = sides_of(m << 1, n);
    if (is_local_minimum(l, sides)) minima.push_back({m << 1, energy(l, sides)});
  }
  std::sort(minima.begin(), minima.end(), [](const Minimum& a, const Minimum& b) {
    return a.energy != b.energy ? a.energy < b.energy : a.sides < b.sides;
  });
  return minima;
}

std::set<std::uint64_t> masks(const std::vector<Minimum>& minima) {
  std::set<std::uint64_t> out;
  for (const Minimum& m : minima) out.insert(m.sides);
  return out;
}

// Sizes (2, 1, 1, 1); 0 and 1 are friends (2), as are 2 and 3 (3) and, mildly, 1 and 3 (1);
// 0 and 2 are enemies (−1). All together E = 0 and every W_i = Σ_j s_j p_ij (1, 5, 1, 4) is
// positive, so no one gains by leaving. {0, 1} against {2, 3} (mask 0b1100) cuts the 0–2 and
// 1–3 ties: E = 2 (2·1·(−1) + 1·1·1) = −2, and every actor would lose by switching
// (ΔF = 3, 3, 5, 2 for actors 0…3). Every other partition leaves someone who gains.
Landscape four_actors() {
  Landscape l{Eigen::Vector4d(2, 1, 1, 1), Eigen::Matrix4d::Zero()};
  const auto tie = [&](int i, int j, double p) { l.propensity(i, j) = l.propensity(j, i) = p; };
  tie(0, 1, 2);
  tie(0, 2, -1);
  tie(1, 3, 1);
  tie(2, 3, 3);
  return l;
}

TEST(Landscape, ValidateReportsEveryProblem) {
  Landscape l{Eigen::Vector3d(1, -1, 0), Eigen::Matrix3d::Zero()};
  l.propensity(0, 1) = 0.5;
  l.propensity(1, 0) = 0.25;
  l.propensity(2, 2) = 1;
  std::vector<std::string> got;
  for (const Diagnostic& d : validate(l)) got.push_back(d.path + ": " + d.message);
  EXPECT_EQ(got, (std::vector<std::string>{
                     "size[1]: must be a finite number > 0, got -1",
                     "size[2]: must be a finite number > 0, got 0",
                     "propensity[0][1]: must equal propensity[1][0] (propensity is symmetric), got 0.5 and 0.25",
                     "propensity[2][2]: must be 0 (no propensity towards oneself), got 1",
                 }));
}

TEST(Landscape, ValidateRejectsAMismatchedMatrixAndAcceptsAValidOne) {
  const Landscape bad{Eigen::Vector3d(1, 1, 1), Eigen::MatrixXd::Zero(3, 2)};
  ASSERT_EQ(validate(bad).size(), 1u);
  EXPECT_EQ(validate(bad)[0].message, "must be 3×3 (one row and column per actor), got 3×2");
  EXPECT_TRUE(validate(four_actors()).empty());
  EXPECT_TRUE(validate(random_world(9, 1)).empty());
}

TEST(Landscape, MirrorImagesHaveTheSameEnergyAndCanonicalForm) {
  const Landscape l = random_world(7, 2);
  const std::uint64_t mask = 0b1011001, mirror = mask ^ 0b1111111;
  EXPECT_DOUBLE_EQ(energy(l, sides_of(mask, 7)), energy(l, sides_of(mirror, 7)));
  EXPECT_EQ(canonical(mask, 7), mirror);
  EXPECT_EQ(canonical(mirror, 7), mirror);
  EXPECT_EQ(mask_of(sides_of(mask, 7)), mask);
}

TEST(Landscape, IncrementalStateMatchesFromScratchAfterRandomFlips) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const int n = 5 + 3 * static_cast<int>(seed);
    const Landscape l = random_world(n, seed);
    const double tol = 1e-9 * scale(l);
    RandomStream rng(seed, 1, 0, 0);
    Configuration c(l, random_sides(n, rng));
    for (int flip = 1; flip <= 20'000; ++flip) {
      c.flip(static_cast<int>(rng.below(static_cast<std::uint32_t>(n))));
      if (flip % 1000 != 0) continue;
      ASSERT_NEAR(c.energy(), energy(l, c.sides()), tol) << "seed " << seed << ", flip " << flip;
      for (int i = 0; i < n; ++i) {
        ASSERT_NEAR(c.delta(i), delta(l, c.sides(), i), tol) << "seed " << seed << ", actor " << i;
        ASSERT_NEAR(c.frustration(i), frustration(l, c.sides(), i), tol) << "seed " << seed << ", actor " << i;
      }
      ASSERT_EQ(c.is_local_minimum(), is_local_minimum(l, c.sides()));
    }
  }
}

TEST(Landscape, EnergyFallsUnderOneAtATimeMoves) {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const int n = 6 + 2 * static_cast<int>(seed);
    const Landscape l = random_world(n, seed);
    RandomStream rng(seed, 2, 0, 0);
    for (int start = 0; start < 20; ++start) {
      Configuration c(l, random_sides(n, rng));
      for (int moves = 0; !c.is_local_minimum(); ++moves) {
        ASSERT_LT(moves, 10'000) << "no local minimum reached";
        int i;
        do i = static_cast<int>(rng.below(static_cast<std::uint32_t>(n)));
        while (!c.gains(i));
        const double before = energy(l, c.sides()), expected_change = 2.0 * l.size(i) * delta(l, c.sides(), i);
        c.flip(i);
        const double after = energy(l, c.sides());
        ASSERT_LT(after, before) << "seed " << seed << ", actor " << i;
        ASSERT_NEAR(after - before, expected_change, 1e-9 * scale(l));
      }
    }
  }
}

TEST(Landscape, SequentialDynamicsEndsAtAnExhaustiveMinimum) {
  for (int n = 4; n <= 16; ++n) {
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      const Landscape l = random_world(n, 100 * seed + static_cast<std::uint64_t>(n));
      const std::set<std::uint64_t> minima = masks(exhaustive_minima(l));
      std::vector<int> order(static_cast<std::size_t>(n));
      std::iota(order.begin(), order.end(), 0);
      RandomStream rng(seed, 3, 0, 0);
      for (std::uint32_t start = 0; start < 30; ++start) {
        const Sides from = random_sides(n, rng);
        Configuration fixed(l, from), shuffled(l, from);
        ASSERT_TRUE(settle(fixed, order).settled);
        ASSERT_TRUE(settle_random_order(shuffled, seed, start).settled);
        for (const Configuration* c : {&fixed, &shuffled}) {
          EXPECT_TRUE(is_local_minimum(l, c->sides()));
          EXPECT_EQ(minima.count(canonical(mask_of(c->sides()), n)), 1u) << "n " << n << ", seed " << seed;
        }
      }
    }
  }
}

TEST(Landscape, ExhaustiveMinimaHaveNoImprovingSwitch) {
  for (int n = 4; n <= 16; n += 3) {
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      const Landscape l = random_world(n, 200 * seed + static_cast<std::uint64_t>(n));
      const std::vector<Minimum> minima = exhaustive_minima(l);
      ASSERT_FALSE(minima.empty());
      for (const Minimum& m : minima) {
        const Sides sides = sides_of(m.sides, n);
        EXPECT_EQ(sides[0], 0) << "not canonical";
        EXPECT_EQ(m.energy, energy(l, sides));
        for (int i = 0; i < n; ++i) {
          Sides switched = sides;
          switched[static_cast<std::size_t>(i)] ^= 1u;
          EXPECT_GE(frustration(l, switched, i), frustration(l, sides, i) - 1e-9 * scale(l))
              << "n " << n << ", seed " << seed << ", actor " << i;
        }
      }
      EXPECT_TRUE(std::is_sorted(minima.begin(), minima.end(),
                                 [](const Minimum& a, const Minimum& b) { return a.energy < b.energy; }));
    }
  }
}

TEST(Landscape, GrayCodeSearchMatchesNaiveEnumeration) {
  for (int n = 1; n <= 10; ++n) {
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
      const Landscape l = random_world(n, 300 * seed + static_cast<std::uint64_t>(n));
      EXPECT_EQ(exhaustive_minima(l), naive_minima(l)) << "n " << n << ", seed " << seed;
    }
  }
}

// Half a million incremental updates: round-off must neither lose nor invent a minimum.
TEST(Landscape, GrayCodeSearchStaysExactOverManyFlips) {
  const Landscape l = random_world(20, 7);
  EXPECT_EQ(exhaustive_minima(l), naive_minima(l));
}

TEST(Landscape, FourActorsHaveTwoKnownMinima) {
  const Landscape l = four_actors();
  EXPECT_EQ(exhaustive_minima(l), (std::vector<Minimum>{{0b1100, -2.0}, {0b0000, 0.0}}));
  const Sides blocs = sides_of(0b1100, 4);
  EXPECT_EQ(frustration(l, blocs, 0), -1.0);  // s_2 p_02 = 1 · (−1)
  EXPECT_EQ(frustration(l, blocs, 2), -2.0);  // s_0 p_20 = 2 · (−1)
  EXPECT_EQ(frustration(l, blocs, 3), 1.0);   // s_1 p_31 = 1 · 1
  const std::vector<double> gains{3, 3, 5, 2};
  for (int i = 0; i < 4; ++i) EXPECT_EQ(delta(l, blocs, i), gains[static_cast<std::size_t>(i)]) << "actor " << i;
}

// Three mutual enemies: every 2–1 split has E = −4 and the pair's members are tied (ΔF = 0),
// which is no reason to switch; all together (E = 0) is not a minimum.
TEST(Landscape, FrustratedTriangleHasThreeTiedMinima) {
  const Landscape l{Eigen::Vector3d::Ones(), Eigen::Matrix3d::Identity() - Eigen::Matrix3d::Ones()};
  EXPECT_EQ(exhaustive_minima(l), (std::vector<Minimum>{{0b010, -4.0}, {0b100, -4.0}, {0b110, -4.0}}));
  Configuration c(l, sides_of(0b010, 3));
  EXPECT_EQ(c.delta(0), 0.0);
  EXPECT_EQ(sweep_sequential(c, {0, 1, 2}), 0);
}

// 0 and 1 are friends on opposite sides, 2 sits with 0 and likes it there: both 0 and 1 gain by
// joining the other, so simultaneously they swap and 0 leaves 2 too: E rises from 2 to 3.
TEST(Landscape, SimultaneousSweepCanRaiseEnergy) {
  Landscape l{Eigen::Vector3d::Ones(), Eigen::Matrix3d::Zero()};
  l.propensity(0, 1) = l.propensity(1, 0) = 1.0;
  l.propensity(0, 2) = l.propensity(2, 0) = 0.5;
  Configuration together(l, sides_of(0b010, 3)), one_at_a_time(l, sides_of(0b010, 3));
  EXPECT_EQ(together.energy(), 2.0);
  EXPECT_EQ(sweep_simultaneous(together), 2);
  EXPECT_EQ(together.sides(), sides_of(0b001, 3));
  EXPECT_EQ(together.energy(), 3.0);
  // One at a time, 0 joins 1 (E = 1), then 2 follows 0 (E = 0) and 1 no longer gains.
  EXPECT_EQ(sweep_sequential(one_at_a_time, {0, 1, 2}), 2);
  EXPECT_EQ(one_at_a_time.energy(), 0.0);
}

TEST(Landscape, BasinSharesSumToOne) {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    const Landscape l = random_world(12, 400 + seed);
    const Basins b = basins(l, 500, seed);
    ASSERT_EQ(b.share.size(), b.minima.size());
    EXPECT_TRUE(b.other.empty()) << "an end state that exhaustive search did not find";
    EXPECT_NEAR(std::accumulate(b.share.begin(), b.share.end(), 0.0), 1.0, 1e-12);
    for (double s : b.share) EXPECT_GE(s, 0.0);
  }
}

TEST(Landscape, BasinsAreReproducibleAndDependOnTheSeed) {
  const Landscape l = random_world(12, 401);
  ASSERT_GT(exhaustive_minima(l).size(), 1u) << "a world with one basin cannot tell seeds apart";
  EXPECT_EQ(basins(l, 300, 9).share, basins(l, 300, 9).share);
  EXPECT_NE(basins(l, 300, 9).share, basins(l, 300, 10).share);
}

// Averaged over the 16 starts and the 24 orders of every sweep (an exact Markov-chain
// computation), each of the four-actor minima draws exactly half of the starts: 2000 sampled
// starts are within 4 standard errors (0.045) of 1/2, and these streams give 1002 of them.
TEST(Landscape, FourActorBasinsMatchTheExactShares) {
  const Basins b = basins(four_actors(), 2000, 1);
  ASSERT_EQ(b.minima.size(), 2u);
  EXPECT_NEAR(b.share[0], 0.5, 0.045);
  EXPECT_NEAR(b.share[1], 0.5, 0.045);
  EXPECT_EQ(b.share[0], 1002.0 / 2000);
}

}  // namespace
}  // namespace alignsim::landscape
