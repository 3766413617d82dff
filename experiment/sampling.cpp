#include "experiment/sampling.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/random_stream.hpp"

namespace alignsim {
namespace {

// Purposes mixed into the caller's seed with derive_seed, so a design never shares a stream
// with a model run that uses the same seed (runs use small indices; these are large tags).
constexpr std::uint64_t kUniformPurpose = 0x5341'4D50'0000'0001ull;
constexpr std::uint64_t kLatinPurpose = 0x5341'4D50'0000'0002ull;
constexpr std::uint64_t kSaltelliShiftPurpose = 0x5341'4D50'0000'0003ull;

constexpr int kSobolBits = 32;
constexpr double kTwoToMinus32 = 0x1.0p-32;

// One row of new-joe-kuo-6.21201 (Joe & Kuo 2008, https://web.maths.unsw.edu.au/~fkuo/sobol/):
// the degree s of the primitive polynomial, its inner coefficients a (bit s-2 is the x^(s-1)
// coefficient) and the initial direction integers m_1..m_s.
struct JoeKuoRow {
  int s;
  std::uint32_t a;
  std::array<std::uint32_t, 9> m;
};

// Dimensions 2..64; dimension 1 is van der Corput and needs no row.
constexpr std::array<JoeKuoRow, kMaxSobolDims - 1> kJoeKuo = {{
    {1, 0, {1}},
    {2, 1, {1, 3}},
    {3, 1, {1, 3, 1}},
    {3, 2, {1, 1, 1}},
    {4, 1, {1, 1, 3, 3}},
    {4, 4, {1, 3, 5, 13}},
    {5, 2, {1, 1, 5, 5, 17}},
    {5, 4, {1, 1, 5, 5, 5}},
    {5, 7, {1, 1, 7, 11, 19}},
    {5, 11, {1, 1, 5, 1, 1}},
    {5, 13, {1, 1, 1, 3, 11}},
    {5, 14, {1, 3, 5, 5, 31}},
    {6, 1, {1, 3, 3, 9, 7, 49}},
    {6, 13, {1, 1, 1, 15, 21, 21}},
    {6, 16, {1, 3, 1, 13, 27, 49}},
    {6, 19, {1, 1, 1, 15, 7, 5}},
    {6, 22, {1, 3, 1, 15, 13, 25}},
    {6, 25, {1, 1, 5, 5, 19, 61}},
    {7, 1, {1, 3, 7, 11, 23, 15, 103}},
    {7, 4, {1, 3, 7, 13, 13, 15, 69}},
    {7, 7, {1, 1, 3, 13, 7, 35, 63}},
    {7, 8, {1, 3, 5, 9, 1, 25, 53}},
    {7, 14, {1, 3, 1, 13, 9, 35, 107}},
    {7, 19, {1, 3, 1, 5, 27, 61, 31}},
    {7, 21, {1, 1, 5, 11, 19, 41, 61}},
    {7, 28, {1, 3, 5, 3, 3, 13, 69}},
    {7, 31, {1, 1, 7, 13, 1, 19, 1}},
    {7, 32, {1, 3, 7, 5, 13, 19, 59}},
    {7, 37, {1, 1, 3, 9, 25, 29, 41}},
    {7, 41, {1, 3, 5, 13, 23, 1, 55}},
    {7, 42, {1, 3, 7, 3, 13, 59, 17}},
    {7, 50, {1, 3, 1, 3, 5, 53, 69}},
    {7, 55, {1, 1, 5, 5, 23, 33, 13}},
    {7, 56, {1, 1, 7, 7, 1, 61, 123}},
    {7, 59, {1, 1, 7, 9, 13, 61, 49}},
    {7, 62, {1, 3, 3, 5, 3, 55, 33}},
    {8, 14, {1, 3, 1, 15, 31, 13, 49, 245}},
    {8, 21, {1, 3, 5, 15, 31, 59, 63, 97}},
    {8, 22, {1, 3, 1, 11, 11, 11, 77, 249}},
    {8, 38, {1, 3, 1, 11, 27, 43, 71, 9}},
    {8, 47, {1, 1, 7, 15, 21, 11, 81, 45}},
    {8, 49, {1, 3, 7, 3, 25, 31, 65, 79}},
    {8, 50, {1, 3, 1, 1, 19, 11, 3, 205}},
    {8, 52, {1, 1, 5, 9, 19, 21, 29, 157}},
    {8, 56, {1, 3, 7, 11, 1, 33, 89, 185}},
    {8, 67, {1, 3, 3, 3, 15, 9, 79, 71}},
    {8, 70, {1, 3, 7, 11, 15, 39, 119, 27}},
    {8, 84, {1, 1, 3, 1, 11, 31, 97, 225}},
    {8, 97, {1, 1, 1, 3, 23, 43, 57, 177}},
    {8, 103, {1, 3, 7, 7, 17, 17, 37, 71}},
    {8, 115, {1, 3, 1, 5, 27, 63, 123, 213}},
    {8, 122, {1, 1, 3, 5, 11, 43, 53, 133}},
    {9, 8, {1, 3, 5, 5, 29, 17, 47, 173, 479}},
    {9, 13, {1, 3, 3, 11, 3, 1, 109, 9, 69}},
    {9, 16, {1, 1, 1, 5, 17, 39, 23, 5, 343}},
    {9, 22, {1, 3, 1, 5, 25, 15, 31, 103, 499}},
    {9, 25, {1, 1, 1, 11, 11, 17, 63, 105, 183}},
    {9, 44, {1, 1, 5, 11, 9, 29, 97, 231, 363}},
    {9, 47, {1, 1, 5, 15, 19, 45, 41, 7, 383}},
    {9, 52, {1, 3, 7, 7, 31, 19, 83, 137, 221}},
    {9, 55, {1, 1, 1, 3, 23, 15, 111, 223, 83}},
    {9, 59, {1, 1, 5, 13, 31, 15, 55, 25, 161}},
    {9, 62, {1, 1, 3, 13, 25, 47, 39, 87, 257}},
}};

using Directions = std::array<std::uint32_t, kSobolBits>;

// Direction numbers v_k = m_k / 2^k as left-aligned 32-bit integers, extended beyond m_s by
// the recurrence of Bratley & Fox (1988) that Joe & Kuo state.
std::vector<Directions> sobol_directions(int dims) {
  std::vector<Directions> all(static_cast<std::size_t>(dims));
  for (int k = 0; k < kSobolBits; ++k) all[0][k] = 1u << (kSobolBits - 1 - k);
  for (int d = 1; d < dims; ++d) {
    const JoeKuoRow& row = kJoeKuo[static_cast<std::size_t>(d - 1)];
    Directions& v = all[static_cast<std::size_t>(d)];
    for (int k = 0; k < kSobolBits; ++k) {
      if (k < row.s) {
        v[k] = row.m[static_cast<std::size_t>(k)] << (kSobolBits - 1 - k);
        continue;
      }
      std::uint32_t x = v[k - row.s] ^ (v[k - row.s] >> row.s);
      for (int j = 1; j < row.s; ++j) {
        if ((row.a >> (row.s - 1 - j)) & 1u) x ^= v[k - j];
      }
      v[k] = x;
    }
  }
  return all;
}

using SobolIntegers = Eigen::Matrix<std::uint32_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The Sobol' sequence as integers in [0, 2^32): row i is point skip + i.
// @pre skip + n <= 2^32 and 1 <= dims <= kMaxSobolDims.
SobolIntegers sobol_integers(int n, int dims, std::uint64_t skip) {
  const std::vector<Directions> v = sobol_directions(dims);
  SobolIntegers points(n, dims);
  // Point i is the XOR of the directions selected by the bits of its Gray code i ^ (i >> 1);
  // consecutive Gray codes differ in the bit of the lowest zero of i, i.e. the lowest set bit
  // of i + 1 (Antonov & Saltykov 1979).
  const std::uint64_t gray = skip ^ (skip >> 1);
  std::vector<std::uint32_t> x(static_cast<std::size_t>(dims), 0u);
  for (int k = 0; k < kSobolBits; ++k) {
    if ((gray >> k) & 1u) {
      for (int d = 0; d < dims; ++d) x[d] ^= v[d][k];
    }
  }
  for (int i = 0; i < n; ++i) {
    for (int d = 0; d < dims; ++d) points(i, d) = x[d];
    std::uint64_t next = skip + static_cast<std::uint64_t>(i) + 1;
    int bit = 0;
    while ((next & 1u) == 0) {
      next >>= 1;
      ++bit;
    }
    // Only after the last point (index 2^32 - 1) would the update need a 33rd direction.
    if (bit >= kSobolBits) break;
    for (int d = 0; d < dims; ++d) x[d] ^= v[d][bit];
  }
  return points;
}

void require_count(int n) {
  if (n < 0) throw std::invalid_argument("number of points must be >= 0, got " + std::to_string(n));
}

void require_dims(int dims) {
  if (dims < 1)
    throw std::invalid_argument("number of dimensions must be >= 1, got " + std::to_string(dims));
}

}  // namespace

Eigen::MatrixXd grid(const std::vector<int>& steps) {
  if (steps.empty()) throw std::invalid_argument("a grid needs at least one dimension, got none");
  Eigen::Index rows = 1;
  for (std::size_t d = 0; d < steps.size(); ++d) {
    if (steps[d] < 1) {
      throw std::invalid_argument("dimension " + std::to_string(d + 1) +
                                  ": steps must be >= 1, got " + std::to_string(steps[d]));
    }
    if (rows > std::numeric_limits<std::int32_t>::max() / steps[d]) {
      throw std::invalid_argument(
          "the grid has more than 2^31 points; use fewer steps per dimension");
    }
    rows *= steps[d];
  }
  const auto dims = static_cast<Eigen::Index>(steps.size());
  Eigen::MatrixXd points(rows, dims);
  // Row r read as a mixed-radix number whose last digit is the last dimension.
  for (Eigen::Index r = 0; r < rows; ++r) {
    Eigen::Index rest = r;
    for (Eigen::Index d = dims - 1; d >= 0; --d) {
      const int levels = steps[static_cast<std::size_t>(d)];
      const auto level = static_cast<int>(rest % levels);
      rest /= levels;
      points(r, d) = levels == 1 ? 0.5 : static_cast<double>(level) / (levels - 1);
    }
  }
  return points;
}

Eigen::MatrixXd random_uniform(int n, int dims, std::uint64_t seed) {
  require_count(n);
  require_dims(dims);
  const std::uint64_t design_seed = derive_seed(seed, kUniformPurpose);
  Eigen::MatrixXd points(n, dims);
  for (int i = 0; i < n; ++i) {
    RandomStream stream(design_seed, 0, 0, static_cast<std::uint32_t>(i));
    for (int d = 0; d < dims; ++d) points(i, d) = stream.uniform();
  }
  return points;
}

Eigen::MatrixXd latin_hypercube(int n, int dims, std::uint64_t seed) {
  require_count(n);
  require_dims(dims);
  const std::uint64_t design_seed = derive_seed(seed, kLatinPurpose);
  Eigen::MatrixXd points(n, dims);
  std::vector<std::uint32_t> stratum(static_cast<std::size_t>(n));
  for (int d = 0; d < dims; ++d) {
    // One stream per dimension: its permutation first, then the jitters.
    RandomStream stream(design_seed, 0, static_cast<std::uint32_t>(d), 0);
    std::iota(stratum.begin(), stratum.end(), 0u);
    for (int i = n - 1; i > 0; --i) {  // Fisher–Yates
      std::swap(stratum[static_cast<std::size_t>(i)],
                stratum[stream.below(static_cast<std::uint32_t>(i) + 1)]);
    }
    for (int i = 0; i < n; ++i) {
      points(i, d) = (stratum[static_cast<std::size_t>(i)] + stream.uniform()) / n;
    }
  }
  return points;
}

Eigen::MatrixXd sobol_sequence(int n, int dims, std::uint64_t skip) {
  require_count(n);
  if (dims < 1 || dims > kMaxSobolDims) {
    throw std::invalid_argument("sobol dimensions must be between 1 and " +
                                std::to_string(kMaxSobolDims) + ", got " + std::to_string(dims));
  }
  constexpr std::uint64_t kLength = std::uint64_t{1} << kSobolBits;
  if (skip > kLength || static_cast<std::uint64_t>(n) > kLength - skip) {
    throw std::invalid_argument(
        "the sobol sequence has 2^32 points; skip + n must be <= 2^32, got " +
        std::to_string(skip) + " + " + std::to_string(n));
  }
  const auto ints = sobol_integers(n, dims, skip);
  Eigen::MatrixXd points(n, dims);
  for (int i = 0; i < n; ++i) {
    for (int d = 0; d < dims; ++d) points(i, d) = ints(i, d) * kTwoToMinus32;
  }
  return points;
}

SaltelliDesign saltelli_layout(const Eigen::Ref<const Eigen::MatrixXd>& base) {
  assert(base.cols() >= 2 && base.cols() % 2 == 0 && "base must be [A | B]");
  const auto n = static_cast<int>(base.rows());
  const auto dims = static_cast<int>(base.cols() / 2);
  SaltelliDesign design;
  design.n_base = n;
  design.dims = dims;
  design.points.resize(static_cast<Eigen::Index>(n) * (dims + 2), dims);
  for (int j = 0; j < n; ++j) {
    const Eigen::Index first = static_cast<Eigen::Index>(j) * (dims + 2);
    const auto a = base.row(j).head(dims);
    const auto b = base.row(j).tail(dims);
    design.points.row(first) = a;
    for (int i = 0; i < dims; ++i) {
      design.points.row(first + 1 + i) = a;
      design.points(first + 1 + i, i) = b(i);
    }
    design.points.row(first + dims + 1) = b;
  }
  return design;
}

SaltelliDesign saltelli(int n_base, int dims, std::uint64_t seed) {
  if (n_base < 2 || (n_base & (n_base - 1)) != 0) {
    throw std::invalid_argument(
        "the number of base samples must be a power of two (e.g. 1024) so the sobol sequence "
        "stays balanced, got " +
        std::to_string(n_base));
  }
  if (dims < 1 || dims > kMaxSobolDims / 2) {
    throw std::invalid_argument("sensitivity analysis supports 1 to " +
                                std::to_string(kMaxSobolDims / 2) + " parameters, got " +
                                std::to_string(dims));
  }
  const SobolIntegers ints = sobol_integers(n_base, 2 * dims, static_cast<std::uint64_t>(n_base));
  RandomStream stream(derive_seed(seed, kSaltelliShiftPurpose), 0, 0, 0);
  std::vector<std::uint32_t> shift(static_cast<std::size_t>(2 * dims));
  for (auto& s : shift) s = stream.next_u32();
  Eigen::MatrixXd base(n_base, 2 * dims);
  for (int j = 0; j < n_base; ++j) {
    for (int d = 0; d < 2 * dims; ++d)
      base(j, d) = (ints(j, d) ^ shift[static_cast<std::size_t>(d)]) * kTwoToMinus32;
  }
  return saltelli_layout(base);
}

Eigen::MatrixXd scale_to_ranges(const Eigen::Ref<const Eigen::MatrixXd>& unit_points,
                                const Eigen::Ref<const Eigen::VectorXd>& lo,
                                const Eigen::Ref<const Eigen::VectorXd>& hi,
                                const std::vector<bool>& log_flags) {
  const Eigen::Index dims = unit_points.cols();
  const std::string got_dims = std::to_string(dims);
  if (lo.size() != dims || hi.size() != dims) {
    throw std::invalid_argument("expected " + got_dims + " lower and upper bounds, got " +
                                std::to_string(lo.size()) + " and " + std::to_string(hi.size()));
  }
  if (!log_flags.empty() && static_cast<Eigen::Index>(log_flags.size()) != dims) {
    throw std::invalid_argument("expected " + got_dims + " log-scale flags, got " +
                                std::to_string(log_flags.size()));
  }
  Eigen::MatrixXd scaled(unit_points.rows(), dims);
  for (Eigen::Index d = 0; d < dims; ++d) {
    const std::string where = "dimension " + std::to_string(d + 1);
    if (!(lo(d) <= hi(d))) {
      throw std::invalid_argument(where + ": lower bound " + std::to_string(lo(d)) +
                                  " must be <= upper bound " + std::to_string(hi(d)));
    }
    const bool log_scale = !log_flags.empty() && log_flags[static_cast<std::size_t>(d)];
    if (log_scale && !(lo(d) > 0.0)) {
      throw std::invalid_argument(where + ": a log-uniform range needs a lower bound > 0, got " +
                                  std::to_string(lo(d)));
    }
    for (Eigen::Index r = 0; r < unit_points.rows(); ++r) {
      const double u = unit_points(r, d);
      // Forms chosen so u = 0 and u = 1 land exactly on the bounds; the clamp absorbs rounding.
      const double x =
          log_scale ? lo(d) * std::pow(hi(d) / lo(d), u) : (1.0 - u) * lo(d) + u * hi(d);
      scaled(r, d) = u >= 1.0 ? hi(d) : std::clamp(x, lo(d), hi(d));
    }
  }
  return scaled;
}

}  // namespace alignsim
