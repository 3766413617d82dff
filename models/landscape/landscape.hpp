#pragma once
// Landscape theory of aggregation (Axelrod and Bennett 1993, "A landscape theory of
// aggregation", British Journal of Political Science 23(2):211–233), as free functions and one
// state class over plain data; no engine interfaces.
//
// n actors with size s_i > 0 and symmetric propensity p_ij (p_ii = 0; positive means inclined to
// work together) are split into two sides. d_ij = 0 if i and j are on the same side, 1 if not.
//   frustration  F_i = Σ_j s_j p_ij d_ij
//   energy       E   = Σ_i Σ_j s_i s_j p_ij d_ij = Σ_i s_i F_i
// E sums over ordered pairs, so each unordered pair counts twice (the paper's convention).
// If i alone switched sides, F_i would change by ΔF_i = Σ_j s_j p_ij (1 − 2 d_ij) and E by
// 2 s_i ΔF_i: an actor that lowers its own frustration lowers E, so one-at-a-time moves end in a
// local minimum of E, a configuration in which no single switch lowers any actor's frustration.
//
// Ties and round-off: an actor switches only if ΔF_i < −kTieTolerance · Σ_j s_j |p_ij|. Smaller
// gains are treated as ties (no switch), since they are below the round-off of ΔF_i; a switch
// therefore lowers E by a positive amount, so the dynamics always stops.
#include <Eigen/Dense>
#include <cstdint>
#include <map>
#include <vector>

#include "sim/error.hpp"

namespace alignsim::landscape {

/// Actors' sizes and pairwise propensities; valid when validate() returns no problems.
struct Landscape {
  Eigen::VectorXd size;        // s_i > 0
  Eigen::MatrixXd propensity;  // p_ij, symmetric, zero diagonal

  /// The number of actors n.
  int actors() const { return static_cast<int>(size.size()); }
};

/// Every problem with `l` (at least one actor, finite positive sizes, an n×n finite symmetric
/// propensity with zero diagonal), each with the path of the offending entry, e.g. `size[2]`;
/// empty if `l` is valid. Symmetry is exact, as (P + Pᵀ)/2 gives in floating point.
std::vector<Diagnostic> validate(const Landscape& l);

/// Gains smaller than this share of Σ_j s_j |p_ij| are ties, not reasons to switch.
inline constexpr double kTieTolerance = 1e-9;

/// Each actor's side, 0 or 1.
using Sides = std::vector<std::uint8_t>;

/// Sides as a bitmask, bit i = side of actor i. @pre at most 64 actors.
std::uint64_t mask_of(const Sides& sides);

/// The sides of `actors` actors from a bitmask, bit i = side of actor i.
Sides sides_of(std::uint64_t mask, int actors);

/// The mask of the same partition with actor 0 on side 0: a configuration and its mirror image
/// (every actor switched) have the same d_ij, so the same frustrations and energy.
std::uint64_t canonical(std::uint64_t mask, int actors);

/// E = Σ_i Σ_j s_i s_j p_ij d_ij over ordered pairs, from scratch in O(n²).
double energy(const Landscape& l, const Sides& sides);

/// F_i = Σ_j s_j p_ij d_ij, from scratch in O(n).
double frustration(const Landscape& l, const Sides& sides, int i);

/// ΔF_i = Σ_j s_j p_ij (1 − 2 d_ij), the change in F_i if i alone switched, from scratch in O(n).
double delta(const Landscape& l, const Sides& sides, int i);

/// Whether no actor gains from switching alone (see kTieTolerance), from scratch in O(n²).
bool is_local_minimum(const Landscape& l, const Sides& sides);

/// One configuration with every actor's ΔF_i, the energy and the number of actors who gain by
/// switching, all kept up to date in O(n) per switch. Holds a reference: `l` must outlive it.
class Configuration {
 public:
  /// The configuration `sides` of `l`, computed from scratch in O(n²).
  /// @pre validate(l) is empty and sides.size() == l.actors().
  Configuration(const Landscape& l, Sides sides);

  /// Switches actor i to the other side, updating ΔF, E and the gainer count in O(n).
  void flip(int i);

  /// Recomputes ΔF, E and the gainer count from scratch in O(n²), discarding the round-off
  /// that many flip() calls accumulate.
  void recompute();

  const Sides& sides() const { return sides_; }
  double energy() const { return energy_; }
  /// F_i, from ΔF_i = W_i − 2 F_i with W_i = Σ_j s_j p_ij.
  double frustration(int i) const { return 0.5 * (weight_(i) - delta_(i)); }
  double delta(int i) const { return delta_(i); }
  /// Whether actor i lowers its frustration by switching alone (ΔF_i beyond the tie tolerance).
  bool gains(int i) const { return delta_(i) < -tie_(i); }
  /// Whether no actor gains by switching alone, in O(1).
  bool is_local_minimum() const { return gainers_ == 0; }

 private:
  const Landscape* l_;
  Sides sides_;
  Eigen::VectorXd weight_;  // W_i = Σ_j s_j p_ij
  Eigen::VectorXd tie_;     // kTieTolerance · Σ_j s_j |p_ij|
  Eigen::VectorXd spin_;    // σ_i = 1 − 2 side_i, so that 1 − 2 d_ij = σ_i σ_j
  Eigen::VectorXd delta_;   // ΔF_i
  double energy_ = 0.0;
  int gainers_ = 0;  // actors with gains(i)
};

/// Visits the actors in `order`, each switching at once if it gains (one-at-a-time moves, so E
/// falls with every switch); returns the number of switches.
int sweep_sequential(Configuration& c, const std::vector<int>& order);

/// Every actor decides on the same configuration and all who gain switch together; returns the
/// number of switches. Unlike one-at-a-time moves this can raise E, or cycle: two gainers that
/// each wanted to join the other both move.
int sweep_simultaneous(Configuration& c);

/// How settling ended.
struct Settled {
  int sweeps = 0;          // sweeps run, the last one without a switch if `settled`
  int switches = 0;        // switches in all sweeps
  bool settled = false;    // whether a sweep switched no one (a local minimum)
};

/// Enough sweeps for settling in practice; E falls at each switch, so settling always ends.
inline constexpr int kMaxSweeps = 10'000;

/// Sequential sweeps in the fixed `order` until one switches no one, at most `max_sweeps`.
Settled settle(Configuration& c, const std::vector<int>& order, int max_sweeps = kMaxSweeps);

/// Sequential sweeps, sweep k (1-based) in a random order from RandomStream(seed, run, k, 0),
/// until one switches no one, at most `max_sweeps`.
Settled settle_random_order(Configuration& c, std::uint64_t seed, std::uint32_t run,
                            int max_sweeps = kMaxSweeps);

/// A local minimum of E: a canonical mask (actor 0 on side 0) and its energy.
struct Minimum {
  std::uint64_t sides;
  double energy;
  bool operator==(const Minimum& o) const { return sides == o.sides && energy == o.energy; }
};

/// The largest landscape exhaustive_minima() takes: 2^29 configurations, about 15 s on one core.
inline constexpr int kMaxExhaustiveActors = 30;

/// Every local minimum of E, sorted by energy (then mask), energies computed from scratch.
/// Actor 0 stays on side 0 (each partition once); the other 2^(n−1) configurations are visited
/// in Gray-code order, one flip() and an O(1) minimality test each, so O(n 2^n) in all.
/// @pre validate(l) is empty and 1 <= l.actors() <= kMaxExhaustiveActors.
std::vector<Minimum> exhaustive_minima(const Landscape& l);

/// Where random starts end under random-order one-at-a-time dynamics.
struct Basins {
  std::vector<Minimum> minima;  // exhaustive_minima()
  std::vector<double> share;    // share of starts ending at minima[k]
  // Share of starts ending anywhere else, by canonical mask: none unless a start hit kMaxSweeps
  // or dynamics and search disagree.
  std::map<std::uint64_t, double> other;
};

/// The basins of attraction of every local minimum: start k (0 ≤ k < starts) draws each actor's
/// side from RandomStream(seed, k, 0, 0) and settles with settle_random_order(c, seed, k), so
/// every start is reproducible on its own, whatever the thread count.
/// @pre as exhaustive_minima(), and starts > 0.
Basins basins(const Landscape& l, int starts, std::uint64_t seed);

}  // namespace alignsim::landscape
