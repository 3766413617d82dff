#pragma once
// Variance-based sensitivity indices (Sobol' 2001) from model outputs on a Saltelli design
// (experiment/sampling.hpp): first-order S1 by the estimator of Saltelli et al. (2010), total ST by
// Jansen (1999), with bootstrap confidence intervals, matching SALib's sobol.analyze with
// calc_second_order=False.
#include <Eigen/Core>
#include <cstdint>

namespace alignsim {

/// Sobol' indices per parameter, each vector of length D. A `_conf` entry is the half-width of
/// the 95 % interval, 1.96 times the standard deviation (n - 1 denominator) of the bootstrap
/// estimates: SALib's convention, a normal approximation rather than a percentile interval. It
/// treats the base rows as independent draws, so on Sobol' designs it is conservative.
struct SobolIndices {
  Eigen::VectorXd s1;       // first-order index S_i = V[E(Y | X_i)] / V(Y)
  Eigen::VectorXd s1_conf;  // 95 % half-width of s1
  Eigen::VectorXd st;       // total index S_Ti = E[V(Y | X_~i)] / V(Y)
  Eigen::VectorXd st_conf;  // 95 % half-width of st
};

/// Default number of bootstrap resamples.
inline constexpr int kDefaultSobolResamples = 1000;

/// Estimates S1 and ST from outputs y in the Saltelli layout (for each base row: A, AB^(1..D),
/// B), with V(Y) taken over the A and B rows; bootstrap resamples the base rows with
/// replacement, driven by `seed`. A constant output gives all zeros, never NaN.
/// @throws std::invalid_argument if dims < 1, y.size() is not a positive multiple of dims + 2,
///         resamples < 2 or an output is not finite.
SobolIndices estimate_sobol_indices(const Eigen::Ref<const Eigen::VectorXd>& y, int dims,
                                    std::uint64_t seed, int resamples = kDefaultSobolResamples);

}  // namespace alignsim
