#include "models/landscape/landscape.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>
#include <sstream>
#include <string>

#include "sim/random_stream.hpp"

namespace alignsim::landscape {
namespace {

std::string number(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

std::string entry(int i, int j) { return "propensity[" + std::to_string(i) + "][" + std::to_string(j) + "]"; }

// Round-off in a freshly computed ΔF stays far below the tie tolerance, but the incremental
// updates of the exhaustive search add up; recomputing every 4096 flips keeps them small at a
// cost of n/4096 of the search.
constexpr std::uint64_t kRecomputeInterval = 4096;

}  // namespace

std::vector<Diagnostic> validate(const Landscape& l) {
  std::vector<Diagnostic> problems;
  const auto fail = [&](std::string path, std::string message) {
    problems.push_back({SourcePos{}, std::move(path), std::move(message)});
  };
  const int n = l.actors();
  if (n == 0) fail("size", "must list at least one actor, got none");
  for (int i = 0; i < n; ++i) {
    if (!(std::isfinite(l.size(i)) && l.size(i) > 0.0))
      fail("size[" + std::to_string(i) + "]", "must be a finite number > 0, got " + number(l.size(i)));
  }
  if (l.propensity.rows() != n || l.propensity.cols() != n) {
    fail("propensity", "must be " + std::to_string(n) + "×" + std::to_string(n) + " (one row and column per actor), got " +
                           std::to_string(l.propensity.rows()) + "×" + std::to_string(l.propensity.cols()));
    return problems;
  }
  for (int i = 0; i < n; ++i) {
    if (l.propensity(i, i) != 0.0) fail(entry(i, i), "must be 0 (no propensity towards oneself), got " + number(l.propensity(i, i)));
    for (int j = 0; j < n; ++j) {
      const double p = l.propensity(i, j);
      if (!std::isfinite(p)) {
        fail(entry(i, j), "must be a finite number, got " + number(p));
      } else if (j > i && std::isfinite(l.propensity(j, i)) && p != l.propensity(j, i)) {
        fail(entry(i, j), "must equal " + entry(j, i) + " (propensity is symmetric), got " + number(p) + " and " +
                              number(l.propensity(j, i)));
      }
    }
  }
  return problems;
}

std::uint64_t mask_of(const Sides& sides) {
  assert(sides.size() <= 64);
  std::uint64_t mask = 0;
  for (std::size_t i = 0; i < sides.size(); ++i) mask |= static_cast<std::uint64_t>(sides[i] & 1u) << i;
  return mask;
}

Sides sides_of(std::uint64_t mask, int actors) {
  Sides sides(static_cast<std::size_t>(actors));
  for (int i = 0; i < actors; ++i) sides[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>((mask >> i) & 1u);
  return sides;
}

std::uint64_t canonical(std::uint64_t mask, int actors) {
  const std::uint64_t all = actors >= 64 ? ~0ull : (1ull << actors) - 1;
  return (mask & 1u) ? mask ^ all : mask;
}

double frustration(const Landscape& l, const Sides& sides, int i) {
  double f = 0.0;
  for (int j = 0; j < l.actors(); ++j) {
    if (sides[static_cast<std::size_t>(j)] != sides[static_cast<std::size_t>(i)]) f += l.size(j) * l.propensity(i, j);
  }
  return f;
}

double energy(const Landscape& l, const Sides& sides) {
  double e = 0.0;
  for (int i = 0; i < l.actors(); ++i) e += l.size(i) * frustration(l, sides, i);
  return e;
}

double delta(const Landscape& l, const Sides& sides, int i) {
  double d = 0.0;
  for (int j = 0; j < l.actors(); ++j) {
    const double term = l.size(j) * l.propensity(i, j);
    d += sides[static_cast<std::size_t>(j)] == sides[static_cast<std::size_t>(i)] ? term : -term;
  }
  return d;
}

bool is_local_minimum(const Landscape& l, const Sides& sides) {
  for (int i = 0; i < l.actors(); ++i) {
    const double tie = kTieTolerance * (l.propensity.row(i).cwiseAbs() * l.size)(0);
    if (delta(l, sides, i) < -tie) return false;
  }
  return true;
}

Configuration::Configuration(const Landscape& l, Sides sides)
    : l_(&l),
      sides_(std::move(sides)),
      weight_(l.propensity * l.size),
      tie_(kTieTolerance * (l.propensity.cwiseAbs() * l.size)) {
  assert(validate(l).empty());
  assert(static_cast<int>(sides_.size()) == l.actors());
  recompute();
}

void Configuration::recompute() {
  const int n = l_->actors();
  delta_.resize(n);
  spin_.resize(n);
  gainers_ = 0;
  for (int i = 0; i < n; ++i) {
    spin_(i) = sides_[static_cast<std::size_t>(i)] ? -1.0 : 1.0;
    delta_(i) = landscape::delta(*l_, sides_, i);
    gainers_ += gains(i);
  }
  energy_ = landscape::energy(*l_, sides_);
}

void Configuration::flip(int i) {
  const Landscape& l = *l_;
  const double twice_size = 2.0 * l.size(i), before = delta_(i);
  energy_ += twice_size * before;
  // The term s_i p_ji σ_i σ_j of every ΔF_j changes sign (σ = ±1 for side 0/1); p_ii = 0 leaves
  // ΔF_i alone here, and ΔF_i itself changes sign. Whole-vector form, so the compiler vectorises.
  delta_ -= (twice_size * spin_(i)) * spin_.cwiseProduct(l.propensity.col(i));
  delta_(i) = -before;
  spin_(i) = -spin_(i);
  sides_[static_cast<std::size_t>(i)] ^= 1u;
  gainers_ = static_cast<int>((delta_.array() < -tie_.array()).count());
}

int sweep_sequential(Configuration& c, const std::vector<int>& order) {
  int switches = 0;
  for (const int i : order) {
    if (c.gains(i)) {
      c.flip(i);
      ++switches;
    }
  }
  return switches;
}

int sweep_simultaneous(Configuration& c) {
  std::vector<int> gainers;
  for (int i = 0; i < static_cast<int>(c.sides().size()); ++i) {
    if (c.gains(i)) gainers.push_back(i);
  }
  // Flipping a fixed set one by one ends in the same configuration as flipping it at once.
  for (const int i : gainers) c.flip(i);
  return static_cast<int>(gainers.size());
}

Settled settle(Configuration& c, const std::vector<int>& order, int max_sweeps) {
  Settled s;
  while (!s.settled && s.sweeps < max_sweeps) {
    const int switches = sweep_sequential(c, order);
    ++s.sweeps;
    s.switches += switches;
    s.settled = switches == 0;
  }
  return s;
}

Settled settle_random_order(Configuration& c, std::uint64_t seed, std::uint32_t run, int max_sweeps) {
  const int n = static_cast<int>(c.sides().size());
  std::vector<int> order(static_cast<std::size_t>(n));
  Settled s;
  while (!s.settled && s.sweeps < max_sweeps) {
    ++s.sweeps;
    // Fisher–Yates shuffle of the identity, so each sweep's order depends on its key alone.
    std::iota(order.begin(), order.end(), 0);
    RandomStream rng(seed, run, static_cast<std::uint32_t>(s.sweeps), 0);
    for (int k = n - 1; k > 0; --k) std::swap(order[static_cast<std::size_t>(k)], order[rng.below(static_cast<std::uint32_t>(k + 1))]);
    const int switches = sweep_sequential(c, order);
    s.switches += switches;
    s.settled = switches == 0;
  }
  return s;
}

std::vector<Minimum> exhaustive_minima(const Landscape& l) {
  const int n = l.actors();
  assert(n >= 1 && n <= kMaxExhaustiveActors);
  Configuration c(l, Sides(static_cast<std::size_t>(n), 0));
  std::vector<Minimum> minima;
  const std::uint64_t configurations = 1ull << (n - 1);
  for (std::uint64_t t = 0;;) {
    // Step t is at Gray code t ^ (t >> 1) over actors 1…n−1.
    if (c.is_local_minimum()) minima.push_back({(t ^ (t >> 1)) << 1, c.energy()});
    if (++t == configurations) break;
    c.flip(1 + __builtin_ctzll(t));
    if (t % kRecomputeInterval == 0) c.recompute();
  }
  for (Minimum& m : minima) m.energy = energy(l, sides_of(m.sides, n));
  std::sort(minima.begin(), minima.end(), [](const Minimum& a, const Minimum& b) {
    return a.energy != b.energy ? a.energy < b.energy : a.sides < b.sides;
  });
  return minima;
}

Basins basins(const Landscape& l, int starts, std::uint64_t seed) {
  assert(starts > 0);
  const int n = l.actors();
  Basins b;
  b.minima = exhaustive_minima(l);
  b.share.assign(b.minima.size(), 0.0);
  for (int k = 0; k < starts; ++k) {
    RandomStream rng(seed, static_cast<std::uint32_t>(k), 0, 0);
    Sides sides(static_cast<std::size_t>(n));
    for (auto& side : sides) side = static_cast<std::uint8_t>(rng.next_u64() >> 63);
    Configuration c(l, std::move(sides));
    settle_random_order(c, seed, static_cast<std::uint32_t>(k));
    const std::uint64_t end = canonical(mask_of(c.sides()), n);
    const auto at = std::find_if(b.minima.begin(), b.minima.end(), [&](const Minimum& m) { return m.sides == end; });
    // Count first and divide once, so whole shares (and their sum) are exact.
    if (at == b.minima.end()) {
      b.other[end] += 1.0;
    } else {
      b.share[static_cast<std::size_t>(at - b.minima.begin())] += 1.0;
    }
  }
  for (double& share : b.share) share /= starts;
  for (auto& [mask, share] : b.other) share /= starts;
  return b;
}

}  // namespace alignsim::landscape
