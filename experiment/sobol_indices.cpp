#include "experiment/sobol_indices.hpp"

#include <cassert>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/random_stream.hpp"

namespace alignsim {
namespace {

// Mixed into the caller's seed so the bootstrap never shares a stream with a model run.
constexpr std::uint64_t kBootstrapPurpose = 0x534F'424F'4C00'0001ull;

// z_{0.975}: the two-sided 95 % normal quantile SALib uses for its intervals.
constexpr double kZ95 = 1.959963984540054;

// S1 (Saltelli et al. 2010, Table 2 (b)) and ST (Jansen 1999) from sums over `count` base rows
// of f(B) (f(AB_i) - f(A)) and (f(A) - f(AB_i))^2. A variance at rounding level means a constant
// output, whose indices are zero rather than 0/0.
void indices_from(double variance, double count, const Eigen::VectorXd& first_sum,
                  const Eigen::VectorXd& total_sum, double variance_floor,
                  Eigen::Ref<Eigen::VectorXd> s1, Eigen::Ref<Eigen::VectorXd> st) {
  if (!(variance > variance_floor)) {
    s1.setZero();
    st.setZero();
    return;
  }
  s1 = first_sum / (count * variance);
  st = total_sum / (2.0 * count * variance);
}

double sample_std(const std::vector<double>& values) {
  double mean = 0.0;
  for (double v : values) mean += v;
  mean /= static_cast<double>(values.size());
  double sq = 0.0;
  for (double v : values) sq += (v - mean) * (v - mean);
  return std::sqrt(sq / static_cast<double>(values.size() - 1));
}

}  // namespace

SobolIndices estimate_sobol_indices(const Eigen::Ref<const Eigen::VectorXd>& y, int dims,
                                    std::uint64_t seed, int resamples) {
  if (dims < 1) {
    throw std::invalid_argument("number of parameters must be >= 1, got " + std::to_string(dims));
  }
  const Eigen::Index stride = dims + 2;
  if (y.size() == 0 || y.size() % stride != 0) {
    throw std::invalid_argument("expected a positive multiple of " + std::to_string(stride) +
                                " model outputs (one per design point), got " +
                                std::to_string(y.size()));
  }
  if (resamples < 2) {
    throw std::invalid_argument("bootstrap resamples must be >= 2, got " +
                                std::to_string(resamples));
  }
  for (Eigen::Index k = 0; k < y.size(); ++k) {
    if (!std::isfinite(y(k))) {
      throw std::invalid_argument("model output " + std::to_string(k + 1) + " of " +
                                  std::to_string(y.size()) + " is " + std::to_string(y(k)) +
                                  "; sensitivity indices need a finite output at every point");
    }
  }
  const Eigen::Index n = y.size() / stride;

  // Centred as SALib does: the S1 estimator is not shift-invariant, and E[f(AB_i) - f(A)] = 0
  // only in expectation, so an offset in Y would add noise proportional to it.
  const double offset = y.mean();
  const double scale = y.cwiseAbs().maxCoeff();
  const double variance_floor = std::pow(64.0 * std::numeric_limits<double>::epsilon() * scale, 2);

  Eigen::VectorXd a(n), b(n), ab_sum(n), ab_sq(n);
  Eigen::MatrixXd first(n, dims), total(n, dims);
  for (Eigen::Index j = 0; j < n; ++j) {
    a(j) = y(j * stride) - offset;
    b(j) = y(j * stride + dims + 1) - offset;
    for (int i = 0; i < dims; ++i) {
      const double ab = y(j * stride + 1 + i) - offset;
      first(j, i) = b(j) * (ab - a(j));
      total(j, i) = (a(j) - ab) * (a(j) - ab);
    }
  }
  ab_sum = a + b;
  ab_sq = a.cwiseAbs2() + b.cwiseAbs2();

  SobolIndices result;
  result.s1.resize(dims);
  result.st.resize(dims);
  const double mean = ab_sum.sum() / (2.0 * n);
  const double variance =
      ((a.array() - mean).square().sum() + (b.array() - mean).square().sum()) / (2.0 * n);
  indices_from(variance, static_cast<double>(n), first.colwise().sum().transpose(),
               total.colwise().sum().transpose(), variance_floor, result.s1, result.st);

  // Bootstrap over base rows; resample r has its own stream, so the result does not depend on
  // the order in which resamples are evaluated.
  assert(n <= std::numeric_limits<std::uint32_t>::max());
  const std::uint64_t bootstrap_seed = derive_seed(seed, kBootstrapPurpose);
  std::vector<std::vector<double>> s1_draws(dims, std::vector<double>(resamples));
  std::vector<std::vector<double>> st_draws(dims, std::vector<double>(resamples));
  Eigen::VectorXd s1(dims), st(dims);
  Eigen::VectorXd multiplicity(n);  // how often each base row is drawn into the resample
  for (int r = 0; r < resamples; ++r) {
    RandomStream stream(bootstrap_seed, 0, static_cast<std::uint32_t>(r), 0);
    multiplicity.setZero();
    for (Eigen::Index k = 0; k < n; ++k) {
      multiplicity(stream.below(static_cast<std::uint32_t>(n))) += 1.0;
    }
    // Single-pass variance is safe here: the outputs are already centred.
    const double resample_mean = multiplicity.dot(ab_sum) / (2.0 * n);
    const double resample_variance =
        multiplicity.dot(ab_sq) / (2.0 * n) - resample_mean * resample_mean;
    indices_from(resample_variance, static_cast<double>(n), first.transpose() * multiplicity,
                 total.transpose() * multiplicity, variance_floor, s1, st);
    for (int i = 0; i < dims; ++i) {
      s1_draws[i][r] = s1(i);
      st_draws[i][r] = st(i);
    }
  }
  result.s1_conf.resize(dims);
  result.st_conf.resize(dims);
  for (int i = 0; i < dims; ++i) {
    result.s1_conf(i) = kZ95 * sample_std(s1_draws[i]);
    result.st_conf(i) = kZ95 * sample_std(st_draws[i]);
  }
  return result;
}

}  // namespace alignsim
