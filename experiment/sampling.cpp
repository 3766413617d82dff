#include "experiment/sampling.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/random/sobol.hpp>

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

// Boost's Sobol' engine with 32-bit coordinates: direction numbers new-joe-kuo-6.21201 (Joe &
// Kuo 2008), Gray-code order, v_k = m_k << (31 - k), so point i is exactly the integer that
// Bratley & Fox's construction gives and i * 2^-32 is an exact dyadic fraction.
using SobolEngine = boost::random::sobol_engine<std::uint32_t, kSobolBits>;
static_assert(static_cast<unsigned>(kMaxSobolDims) == boost::random::default_sobol_table::max_dimension,
              "kMaxSobolDims must be the dimension limit of Boost's Sobol' table");

using SobolIntegers = Eigen::Matrix<std::uint32_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The Sobol' sequence as integers in [0, 2^32): row i is point skip + i.
// @pre skip + n <= 2^32 and 1 <= dims <= kMaxSobolDims.
SobolIntegers sobol_integers(int n, int dims, std::uint64_t skip) {
  SobolIntegers points(n, dims);
  if (n == 0) return points;
  SobolEngine engine(static_cast<std::size_t>(dims));
  int i = 0;
  // Boost's engine leaves out the origin: after seed(k) its next point is point k + 1. Reading
  // exactly n * dims values never asks for the point after the last one, which would throw.
  if (skip == 0) {
    points.row(0).setZero();
    i = 1;
  } else {
    engine.seed(static_cast<std::uint32_t>(skip - 1));
  }
  for (; i < n; ++i) {
    for (int d = 0; d < dims; ++d) points(i, d) = engine();
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
