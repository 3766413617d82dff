#pragma once
// Synthetic worlds of any size for the alignment model: the benchmark's input (docs/performance.md).
#include <cstddef>
#include <cstdint>

#include "sim/scenario.hpp"

namespace alignsim::alignment {

/// How rivalry is laid out in a synthetic world.
enum class SyntheticRivalry {
  plausible,  // great powers rival each other; a few neighbouring small states quarrel
  dense,      // 20% of all pairs rival: the general (dense) path of every product
};

/// A world of n states (one great power in ten, at least two), focal power state 0, from its own
/// random stream: states at random places on a unit square, proximity falling to zero at 0.25,
/// trade between every pair, disputes and stakes between 5% of neighbours. Schema defaults for
/// everything else. Deterministic in (n, seed, rivalry).
Scenario synthetic_world(std::size_t n, std::uint64_t seed, SyntheticRivalry rivalry = SyntheticRivalry::plausible);

}  // namespace alignsim::alignment
