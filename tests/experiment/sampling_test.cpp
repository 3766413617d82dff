#include "experiment/sampling.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace alignsim {
namespace {

// True if every one of the n intervals [k/n, (k+1)/n) holds exactly one value of `column`.
bool one_per_stratum(const Eigen::VectorXd& column, int n) {
  std::vector<int> count(static_cast<std::size_t>(n), 0);
  for (Eigen::Index r = 0; r < column.size(); ++r) {
    const double x = column(r);
    if (!(x >= 0.0 && x < 1.0)) return false;
    ++count[static_cast<std::size_t>(std::floor(x * n))];
  }
  return std::all_of(count.begin(), count.end(), [](int c) { return c == 1; });
}

TEST(Grid, VariesLastDimensionFastest) {
  const Eigen::MatrixXd points = grid({2, 3});
  Eigen::MatrixXd expected(6, 2);
  expected << 0, 0, 0, 0.5, 0, 1, 1, 0, 1, 0.5, 1, 1;
  EXPECT_EQ(points, expected);
}

TEST(Grid, PutsASingleLevelAtTheCentre) {
  const Eigen::MatrixXd points = grid({1, 2});
  Eigen::MatrixXd expected(2, 2);
  expected << 0.5, 0, 0.5, 1;
  EXPECT_EQ(points, expected);
}

TEST(Grid, RejectsFewerThanOneStep) {
  EXPECT_THROW(grid({}), std::invalid_argument);
  try {
    grid({3, 0});
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "dimension 2: steps must be >= 1, got 0");
  }
}

TEST(Grid, RejectsMoreThanTwoToTheThirtyOnePoints) {
  EXPECT_THROW(grid({1 << 16, 1 << 16}), std::invalid_argument);
}

TEST(RandomUniform, IsAPureFunctionOfTheSeed) {
  EXPECT_EQ(random_uniform(50, 3, 7), random_uniform(50, 3, 7));
  EXPECT_NE(random_uniform(50, 3, 7), random_uniform(50, 3, 8));
}

TEST(RandomUniform, RowsDoNotDependOnTheNumberOfPoints) {
  EXPECT_EQ(random_uniform(100, 4, 11).topRows(10), random_uniform(10, 4, 11));
}

TEST(RandomUniform, FillsTheUnitCubeEvenly) {
  const Eigen::MatrixXd points = random_uniform(20000, 2, 3);
  EXPECT_GE(points.minCoeff(), 0.0);
  EXPECT_LT(points.maxCoeff(), 1.0);
  // Mean 1/2, standard error sqrt(1/12 / 20000) ≈ 0.002.
  EXPECT_NEAR(points.col(0).mean(), 0.5, 0.01);
  EXPECT_NEAR(points.col(1).mean(), 0.5, 0.01);
}

TEST(LatinHypercube, HoldsOnePointPerStratumInEveryDimension) {
  const int n = 97;
  const Eigen::MatrixXd points = latin_hypercube(n, 5, 42);
  ASSERT_EQ(points.rows(), n);
  ASSERT_EQ(points.cols(), 5);
  for (Eigen::Index d = 0; d < points.cols(); ++d) {
    EXPECT_TRUE(one_per_stratum(points.col(d), n)) << "dimension " << d;
  }
}

TEST(LatinHypercube, IsAPureFunctionOfTheSeed) {
  EXPECT_EQ(latin_hypercube(30, 3, 1), latin_hypercube(30, 3, 1));
  EXPECT_NE(latin_hypercube(30, 3, 1), latin_hypercube(30, 3, 2));
}

TEST(LatinHypercube, PermutesDimensionsIndependently) {
  const Eigen::MatrixXd points = latin_hypercube(64, 2, 5);
  const Eigen::VectorXd x = (points.col(0).array() * 64).floor();
  const Eigen::VectorXd y = (points.col(1).array() * 64).floor();
  EXPECT_NE(x, y);
}

TEST(LatinHypercube, RejectsNegativeCountsAndNoDimensions) {
  EXPECT_THROW(latin_hypercube(-1, 2, 0), std::invalid_argument);
  EXPECT_THROW(latin_hypercube(4, 0, 0), std::invalid_argument);
  EXPECT_EQ(latin_hypercube(0, 2, 0).rows(), 0);
}

TEST(SobolSequence, StartsWithThePublishedThreeDimensionalPoints) {
  // Joe & Kuo's sequence as SciPy prints it; Boost's documentation lists the same points from
  // the second one on (its engine leaves out the origin).
  const Eigen::MatrixXd points = sobol_sequence(8, 3);
  Eigen::MatrixXd expected(8, 3);
  expected << 0, 0, 0,              //
      0.5, 0.5, 0.5,                //
      0.75, 0.25, 0.25,             //
      0.25, 0.75, 0.75,             //
      0.375, 0.375, 0.625,          //
      0.875, 0.875, 0.125,          //
      0.625, 0.125, 0.875,          //
      0.125, 0.625, 0.375;
  EXPECT_EQ(points, expected);
  EXPECT_EQ(sobol_sequence(8, 2), expected.leftCols(2));
}

TEST(SobolSequence, StratifiesEveryPowerOfTwoPrefixInEveryDimension) {
  const Eigen::MatrixXd points = sobol_sequence(1 << 10, kMaxSobolDims);
  for (int k = 0; k <= 10; ++k) {
    const int n = 1 << k;
    for (int d = 0; d < kMaxSobolDims; ++d) {
      EXPECT_TRUE(one_per_stratum(points.col(d).head(n), n))
          << "2^" << k << " points, dimension " << d + 1;
    }
  }
}

TEST(SobolSequence, FirstTwoDimensionsFormAZeroNet) {
  // t = 0 for dimensions 1 and 2: every dyadic box of area 2^-m holds exactly one of 2^m points.
  const int m = 8;
  const Eigen::MatrixXd points = sobol_sequence(1 << m, 2);
  for (int a = 0; a <= m; ++a) {
    const int cols = 1 << a, rows = 1 << (m - a);
    std::vector<int> count(static_cast<std::size_t>(cols * rows), 0);
    for (Eigen::Index r = 0; r < points.rows(); ++r) {
      const int i = static_cast<int>(points(r, 0) * cols),
                j = static_cast<int>(points(r, 1) * rows);
      ++count[static_cast<std::size_t>(i * rows + j)];
    }
    EXPECT_TRUE(std::all_of(count.begin(), count.end(), [](int c) { return c == 1; }))
        << "2^" << a << " columns";
  }
}

TEST(SobolSequence, SkipContinuesTheSequence) {
  const Eigen::MatrixXd whole = sobol_sequence(137, 7);
  EXPECT_EQ(sobol_sequence(100, 7, 37), whole.bottomRows(100));
  EXPECT_EQ(sobol_sequence(136, 7, 1), whole.bottomRows(136));  // the first point after the origin
  EXPECT_EQ(sobol_sequence(0, 7, 5).rows(), 0);
}

TEST(SobolSequence, ReachesItsLastPointWithoutOverrun) {
  const std::uint64_t last = (std::uint64_t{1} << 32) - 1;
  const Eigen::MatrixXd end = sobol_sequence(1, 3, last);
  EXPECT_LT(end.maxCoeff(), 1.0);
  EXPECT_THROW(sobol_sequence(2, 3, last), std::invalid_argument);
}

TEST(SobolSequence, RejectsUnsupportedDimensions) {
  EXPECT_THROW(sobol_sequence(4, 0), std::invalid_argument);
  try {
    sobol_sequence(4, kMaxSobolDims + 1);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "sobol dimensions must be between 1 and 3667, got 3668");
  }
  EXPECT_EQ(sobol_sequence(2, kMaxSobolDims).row(1), Eigen::RowVectorXd::Constant(kMaxSobolDims, 0.5));
}

TEST(Saltelli, UsesSalibRowLayout) {
  const int n = 8, dims = 3;
  const SaltelliDesign design = saltelli(n, dims, 99);
  ASSERT_EQ(design.n_base, n);
  ASSERT_EQ(design.dims, dims);
  ASSERT_EQ(design.points.rows(), (dims + 2) * n);
  ASSERT_EQ(design.points.cols(), dims);
  for (int j = 0; j < n; ++j) {
    const Eigen::RowVectorXd a = design.points.row(j * (dims + 2));
    const Eigen::RowVectorXd b = design.points.row(j * (dims + 2) + dims + 1);
    for (int i = 0; i < dims; ++i) {
      Eigen::RowVectorXd ab = a;
      ab(i) = b(i);
      EXPECT_EQ(design.points.row(j * (dims + 2) + 1 + i), ab) << "row " << j << ", AB_" << i + 1;
    }
  }
}

TEST(Saltelli, LayoutOfUnshiftedBaseIsSalibsDesign) {
  // SALib 1.4's default: base [A | B] = Sobol' points N .. 2N-1 of dimension 2D. For N = 4,
  // D = 2 the first base point (index 4, Gray code 6) is (0.375, 0.375 | 0.625, 0.875).
  const SaltelliDesign design = saltelli_layout(sobol_sequence(4, 4, 4));
  Eigen::MatrixXd first_block(4, 2);
  first_block << 0.375, 0.375,  // A_1
      0.625, 0.375,             // AB_1^(1)
      0.375, 0.875,             // AB_1^(2)
      0.625, 0.875;             // B_1
  EXPECT_EQ(design.points.topRows(4), first_block);
  EXPECT_EQ(design.points.rows(), 16);
}

TEST(Saltelli, ShiftedBaseKeepsOnePointPerStratum) {
  const int n = 256, dims = 4;
  const SaltelliDesign design = saltelli(n, dims, 3);
  for (int i = 0; i < dims; ++i) {
    Eigen::VectorXd a(n), b(n);
    for (int j = 0; j < n; ++j) {
      a(j) = design.points(j * (dims + 2), i);
      b(j) = design.points(j * (dims + 2) + dims + 1, i);
    }
    EXPECT_TRUE(one_per_stratum(a, n)) << "A column " << i;
    EXPECT_TRUE(one_per_stratum(b, n)) << "B column " << i;
  }
}

TEST(Saltelli, IsAPureFunctionOfTheSeed) {
  EXPECT_EQ(saltelli(16, 3, 5).points, saltelli(16, 3, 5).points);
  EXPECT_NE(saltelli(16, 3, 5).points, saltelli(16, 3, 6).points);
}

TEST(Saltelli, RejectsBaseSizesThatAreNotPowersOfTwo) {
  for (int n : {-4, 0, 1, 3, 1000}) EXPECT_THROW(saltelli(n, 2, 0), std::invalid_argument) << n;
  try {
    saltelli(1000, 2, 0);
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "the number of base samples must be a power of two (e.g. 1024) so the sobol "
                 "sequence stays balanced, got 1000");
  }
  try {
    saltelli(8, kMaxSobolDims / 2 + 1, 0);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "sensitivity analysis supports 1 to 1833 parameters, got 1834");
  }
  EXPECT_NO_THROW(saltelli(2, kMaxSobolDims / 2, 0));  // 3670 rows of 1833 columns
}

TEST(ScaleToRanges, MapsEndpointsExactlyAndMidpointsByScale) {
  Eigen::MatrixXd unit(3, 2);
  unit << 0, 0, 0.5, 0.5, 1, 1;
  Eigen::VectorXd lo(2), hi(2);
  lo << -2.0, 0.01;
  hi << 6.0, 100.0;
  const Eigen::MatrixXd x = scale_to_ranges(unit, lo, hi, {false, true});
  EXPECT_EQ(x(0, 0), -2.0);
  EXPECT_EQ(x(2, 0), 6.0);
  EXPECT_DOUBLE_EQ(x(1, 0), 2.0);
  EXPECT_EQ(x(0, 1), 0.01);
  EXPECT_EQ(x(2, 1), 100.0);
  EXPECT_DOUBLE_EQ(x(1, 1), 1.0);  // geometric mean of 0.01 and 100
}

TEST(ScaleToRanges, TreatsEmptyFlagsAsUniform) {
  Eigen::MatrixXd unit(1, 1);
  unit << 0.25;
  EXPECT_DOUBLE_EQ(scale_to_ranges(unit, Eigen::VectorXd::Constant(1, 1.0),
                                   Eigen::VectorXd::Constant(1, 5.0))(0, 0),
                   2.0);
}

TEST(ScaleToRanges, RejectsMismatchedOrInvalidRanges) {
  const Eigen::MatrixXd unit = Eigen::MatrixXd::Constant(2, 2, 0.5);
  const Eigen::VectorXd one = Eigen::VectorXd::Ones(1);
  Eigen::VectorXd lo(2), hi(2);
  lo << 0.0, 1.0;
  hi << 1.0, 0.5;
  EXPECT_THROW(scale_to_ranges(unit, one, one), std::invalid_argument);
  EXPECT_THROW(scale_to_ranges(unit, lo, hi, {true}), std::invalid_argument);
  try {
    scale_to_ranges(unit, lo, hi);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "dimension 2: lower bound 1.000000 must be <= upper bound 0.500000");
  }
  hi << 1.0, 2.0;
  try {
    scale_to_ranges(unit, lo, hi, {true, false});
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "dimension 1: a log-uniform range needs a lower bound > 0, got 0.000000");
  }
}

}  // namespace
}  // namespace alignsim
