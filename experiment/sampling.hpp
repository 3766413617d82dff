#pragma once
// Experimental designs on the unit hypercube for parameter sweeps: full factorial grids,
// Monte Carlo, Latin hypercube, Sobol' low-discrepancy points and the Saltelli design for
// variance-based sensitivity analysis (experiment/sobol_indices.hpp). Every design is a pure function
// of its arguments: randomness comes only from RandomStream, keyed by the seed.
//
// A design is an Eigen::MatrixXd with one row per point and one column per dimension, values
// in [0, 1]. Invalid arguments throw std::invalid_argument with a lower-case message that names
// the offending argument; the sweep front end turns it into an alignsim::InputError.
#include <Eigen/Core>
#include <cstdint>
#include <vector>

namespace alignsim {

/// Dimensions available from sobol_sequence: those of Boost's table (boost/random/sobol.hpp,
/// Joe–Kuo 2008 direction numbers for the primitive polynomials below 2^16).
inline constexpr int kMaxSobolDims = 3667;

/// Full factorial grid: steps[d] >= 1 levels in dimension d (one level sits at 0.5, more are
/// evenly spaced from 0 to 1 inclusive); rows in odometer order, the last dimension fastest.
/// @throws std::invalid_argument if steps is empty, a step is < 1 or the grid exceeds 2^31 rows.
Eigen::MatrixXd grid(const std::vector<int>& steps);

/// n independent uniform points in [0, 1)^dims; row i depends only on (seed, i), not on n.
/// @throws std::invalid_argument if n < 0 or dims < 1.
Eigen::MatrixXd random_uniform(int n, int dims, std::uint64_t seed);

/// Latin hypercube (McKay, Beckman & Conover 1979): in every dimension each of the n strata
/// [k/n, (k+1)/n) holds exactly one point, strata are matched by an independent random
/// permutation per dimension and each point is jittered uniformly within its stratum.
/// @throws std::invalid_argument if n < 0 or dims < 1.
Eigen::MatrixXd latin_hypercube(int n, int dims, std::uint64_t seed);

/// Points skip .. skip+n-1 of the unscrambled Sobol' sequence in Gray-code order (Antonov &
/// Saltykov 1979), direction numbers new-joe-kuo-6.21201 (Joe & Kuo 2008) as Boost's
/// `sobol_engine` generates them; point 0 is the origin, as in SciPy and SALib (Boost's engine
/// starts at point 1). Each block of 2^m points starting at a multiple of 2^m is a
/// (t, m, s)-net. Coordinates have 32 bits, so the sequence ends at point 2^32 - 1.
/// @throws std::invalid_argument if n < 0, dims is not in [1, kMaxSobolDims] or the last
///         point would be past 2^32 - 1.
Eigen::MatrixXd sobol_sequence(int n, int dims, std::uint64_t skip = 0);

/// A Saltelli design without second-order rows, in SALib's layout
/// (`saltelli.sample(calc_second_order=False)`): for each base row j the D + 2 rows
/// A_j, AB_j^(1), ..., AB_j^(D), B_j, where AB_j^(i) is A_j with column i taken from B_j.
struct SaltelliDesign {
  Eigen::MatrixXd points;  // (dims + 2) * n_base rows, dims columns, values in [0, 1)
  int n_base = 0;          // N, the number of base rows (a power of two)
  int dims = 0;            // D, the number of parameters
};

/// Arranges a base matrix [A | B] (N rows, 2D columns) into the Saltelli layout above.
/// @pre base.cols() is even and >= 2.
SaltelliDesign saltelli_layout(const Eigen::Ref<const Eigen::MatrixXd>& base);

/// Saltelli design for Sobol' indices (Saltelli et al. 2010). The base [A | B] is points
/// n_base .. 2 n_base - 1 of the 2D-dimensional Sobol' sequence (SALib's default skip; a
/// power-of-two block keeps the net property that skipping a single point would break), each
/// coordinate XOR-ed with a random 32-bit digital shift per column drawn from `seed`, which
/// keeps the net property and makes the estimate unbiased. SALib's unshifted design is
/// `saltelli_layout(sobol_sequence(n_base, 2 * dims, n_base))`.
/// @throws std::invalid_argument if n_base is not a power of two >= 2 or dims is not in
///         [1, kMaxSobolDims / 2].
SaltelliDesign saltelli(int n_base, int dims, std::uint64_t seed);

/// Maps unit points column by column onto [lo[d], hi[d]]: uniform, or log-uniform where
/// log_flags[d] (empty log_flags means none). Points 0 and 1 map exactly onto lo and hi.
/// @throws std::invalid_argument if lo, hi or a non-empty log_flags differ in length from the
///         number of columns, lo[d] > hi[d], or a log-uniform range is not strictly positive.
Eigen::MatrixXd scale_to_ranges(const Eigen::Ref<const Eigen::MatrixXd>& unit_points,
                                const Eigen::Ref<const Eigen::VectorXd>& lo,
                                const Eigen::Ref<const Eigen::VectorXd>& hi,
                                const std::vector<bool>& log_flags = {});

}  // namespace alignsim
