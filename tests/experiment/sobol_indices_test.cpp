#include "experiment/sobol_indices.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "experiment/sampling.hpp"

namespace alignsim {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kIshigamiA = 7.0;
constexpr double kIshigamiB = 0.1;

// Ishigami & Homma (1990): f = sin x1 + a sin^2 x2 + b x3^4 sin x1 on [-pi, pi]^3.
Eigen::VectorXd ishigami(const Eigen::MatrixXd& x) {
  Eigen::VectorXd y(x.rows());
  for (Eigen::Index r = 0; r < x.rows(); ++r) {
    const double s2 = std::sin(x(r, 1));
    y(r) = std::sin(x(r, 0)) + kIshigamiA * s2 * s2 +
           kIshigamiB * std::pow(x(r, 2), 4) * std::sin(x(r, 0));
  }
  return y;
}

Eigen::VectorXd ishigami_outputs(const SaltelliDesign& design) {
  return ishigami(scale_to_ranges(design.points, Eigen::Vector3d::Constant(-kPi),
                                  Eigen::Vector3d::Constant(kPi)));
}

// Analytic indices (Sobol' & Levitan 1999): V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8,
// V13 = b^2 pi^8 (1/18 - 1/50), V = V1 + V2 + V13.
struct Analytic {
  Eigen::Vector3d s1, st;
};

Analytic ishigami_analytic() {
  const double pi4 = std::pow(kPi, 4), pi8 = pi4 * pi4;
  const double v1 = 0.5 * std::pow(1.0 + kIshigamiB * pi4 / 5.0, 2);
  const double v2 = kIshigamiA * kIshigamiA / 8.0;
  const double v13 = kIshigamiB * kIshigamiB * pi8 * (1.0 / 18.0 - 1.0 / 50.0);
  const double v = v1 + v2 + v13;
  return {Eigen::Vector3d(v1 / v, v2 / v, 0.0), Eigen::Vector3d((v1 + v13) / v, v2 / v, v13 / v)};
}

TEST(SobolIndices, AnalyticIshigamiValuesAreTheTextbookOnes) {
  const Analytic exact = ishigami_analytic();
  EXPECT_NEAR(exact.s1(0), 0.3139, 1e-4);
  EXPECT_NEAR(exact.s1(1), 0.4424, 1e-4);
  EXPECT_NEAR(exact.st(0), 0.5576, 1e-4);
  EXPECT_NEAR(exact.st(2), 0.2437, 1e-4);
}

TEST(SobolIndices, ReproducesIshigamiAnalyticIndices) {
  // Acceptance criterion: every index within 0.02 at N = 2^13.
  const SaltelliDesign design = saltelli(1 << 13, 3, 2024);
  const SobolIndices si = estimate_sobol_indices(ishigami_outputs(design), 3, 1, 100);
  const Analytic exact = ishigami_analytic();
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(si.s1(i), exact.s1(i), 0.02) << "S1 of x" << i + 1;
    EXPECT_NEAR(si.st(i), exact.st(i), 0.02) << "ST of x" << i + 1;
  }
}

TEST(SobolIndices, ReproducesIshigamiOnSalibsUnshiftedDesign) {
  const int n = 1 << 13;
  const SaltelliDesign design = saltelli_layout(sobol_sequence(n, 6, n));
  const SobolIndices si = estimate_sobol_indices(ishigami_outputs(design), 3, 1, 10);
  const Analytic exact = ishigami_analytic();
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(si.s1(i), exact.s1(i), 0.02) << "S1 of x" << i + 1;
    EXPECT_NEAR(si.st(i), exact.st(i), 0.02) << "ST of x" << i + 1;
  }
}

TEST(SobolIndices, BootstrapIntervalContainsIshigamiAnalyticValues) {
  const Analytic exact = ishigami_analytic();
  for (int n : {1 << 9, 1 << 13}) {
    const SaltelliDesign design = saltelli(n, 3, 77);
    const SobolIndices si = estimate_sobol_indices(ishigami_outputs(design), 3, 5);
    for (int i = 0; i < 3; ++i) {
      EXPECT_LE(std::abs(si.s1(i) - exact.s1(i)), si.s1_conf(i))
          << "N " << n << ", S1 of x" << i + 1;
      EXPECT_LE(std::abs(si.st(i) - exact.st(i)), si.st_conf(i))
          << "N " << n << ", ST of x" << i + 1;
    }
  }
}

TEST(SobolIndices, BootstrapIntervalShrinksWithBaseSize) {
  const SobolIndices small =
      estimate_sobol_indices(ishigami_outputs(saltelli(1 << 9, 3, 8)), 3, 2, 300);
  const SobolIndices large =
      estimate_sobol_indices(ishigami_outputs(saltelli(1 << 13, 3, 8)), 3, 2, 300);
  for (int i = 0; i < 3; ++i) {
    // Intervals scale as 1/sqrt(N): 16 times the rows should give about a quarter the width.
    EXPECT_LT(large.s1_conf(i), 0.5 * small.s1_conf(i)) << "S1 of x" << i + 1;
    EXPECT_LT(large.st_conf(i), 0.5 * small.st_conf(i)) << "ST of x" << i + 1;
    EXPECT_GT(large.s1_conf(i), 0.0);
    EXPECT_GT(large.st_conf(i), 0.0);
  }
}

TEST(SobolIndices, RecoversLinearModelIndices) {
  // y = sum c_i x_i with independent uniform x_i: S1_i = ST_i = c_i^2 / sum c^2.
  const Eigen::Vector4d c(1.0, 2.0, 3.0, 0.0);
  const SaltelliDesign design = saltelli(1 << 10, 4, 3);
  const Eigen::VectorXd y = design.points * c;
  const SobolIndices si = estimate_sobol_indices(y, 4, 3, 200);
  const Eigen::Vector4d exact = c.cwiseAbs2() / c.squaredNorm();
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(si.s1(i), exact(i), 0.01) << "S1 of x" << i + 1;
    EXPECT_NEAR(si.st(i), exact(i), 0.01) << "ST of x" << i + 1;
  }
  EXPECT_EQ(si.st(3), 0.0);  // x4 never moves the output, so f(A) = f(AB_4) exactly
}

TEST(SobolIndices, ReturnsZerosForConstantOutput) {
  for (double value : {0.0, 0.1, -3.7e5}) {
    const Eigen::VectorXd y = Eigen::VectorXd::Constant(5 * 64, value);
    const SobolIndices si = estimate_sobol_indices(y, 3, 0, 50);
    for (const Eigen::VectorXd* v : {&si.s1, &si.s1_conf, &si.st, &si.st_conf}) {
      ASSERT_EQ(v->size(), 3);
      EXPECT_TRUE(v->isZero(0.0)) << "constant " << value << ": " << v->transpose();
    }
  }
}

TEST(SobolIndices, IgnoresAnOffsetInTheOutput) {
  const SaltelliDesign design = saltelli(1 << 10, 3, 4);
  const Eigen::VectorXd y = ishigami_outputs(design);
  const SobolIndices plain = estimate_sobol_indices(y, 3, 9, 20);
  const SobolIndices shifted = estimate_sobol_indices((y.array() + 1.0e4).matrix(), 3, 9, 20);
  EXPECT_TRUE(plain.s1.isApprox(shifted.s1, 1e-8));
  EXPECT_TRUE(plain.st.isApprox(shifted.st, 1e-8));
}

TEST(SobolIndices, BootstrapIsAPureFunctionOfTheSeed) {
  const Eigen::VectorXd y = ishigami_outputs(saltelli(256, 3, 1));
  const SobolIndices first = estimate_sobol_indices(y, 3, 42, 100);
  const SobolIndices again = estimate_sobol_indices(y, 3, 42, 100);
  const SobolIndices other = estimate_sobol_indices(y, 3, 43, 100);
  EXPECT_EQ(first.s1_conf, again.s1_conf);
  EXPECT_EQ(first.st_conf, again.st_conf);
  EXPECT_EQ(first.s1, other.s1);  // the point estimate does not depend on the bootstrap
  EXPECT_NE(first.s1_conf, other.s1_conf);
}

TEST(SobolIndices, RejectsOutputsThatDoNotFitTheLayout) {
  EXPECT_THROW(estimate_sobol_indices(Eigen::VectorXd::Zero(0), 3, 0), std::invalid_argument);
  EXPECT_THROW(estimate_sobol_indices(Eigen::VectorXd::Zero(5 * 4), 0, 0), std::invalid_argument);
  EXPECT_THROW(estimate_sobol_indices(Eigen::VectorXd::Zero(5 * 4), 3, 0, 1),
               std::invalid_argument);
  try {
    estimate_sobol_indices(Eigen::VectorXd::Zero(21), 3, 0);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "expected a positive multiple of 5 model outputs (one per design point), got 21");
  }
}

TEST(SobolIndices, RejectsNonFiniteOutputs) {
  Eigen::VectorXd y = Eigen::VectorXd::Ones(10);
  y(6) = std::numeric_limits<double>::quiet_NaN();
  try {
    estimate_sobol_indices(y, 3, 0);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "model output 7 of 10 is nan; sensitivity indices need a finite output at every "
                 "point");
  }
}

}  // namespace
}  // namespace alignsim
