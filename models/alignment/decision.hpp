#pragma once
// Bounded-rational decision rules for one policy variable (docs/model.md §4.6).
#include <algorithm>
#include <cstdint>

#include "sim/random_stream.hpp"
#include "models/alignment/multiversion.hpp"
#include "models/alignment/schema.hpp"

namespace alignsim::alignment {

/// `pick ? a : b`, as a ternary on two values already computed, so that GCC can turn it into a
/// vector blend: the loops over whole policy matrices vectorise (docs/performance.md).
inline double select(bool pick, double a, double b) { return pick ? a : b; }

/// Predicted utility change of moving a variable by `delta`, from its slope and curvature.
inline double predicted_gain(double slope, double curvature, double delta) {
  return slope * delta + 0.5 * curvature * delta * delta;
}

/// The incremental rule (Axelrod–Bennett): the best of {x − step, x, x + step} in [lo, hi] by
/// the predicted gain; staying wins ties, so there is no move without a predicted gain. Written
/// as selects of computed values, so that loops over whole matrices of it vectorise.
inline double incremental_choice(double x, double lo, double hi, double slope, double curvature, double step) {
  const double down = std::max(lo, x - step), up = std::min(hi, x + step);
  const double gain_down = predicted_gain(slope, curvature, down - x);
  const double gain_up = predicted_gain(slope, curvature, up - x);
  const bool go_down = gain_down > 0.0;
  const double best = select(go_down, down, x), best_gain = std::max(gain_down, 0.0);
  return select(gain_up > best_gain, up, best);
}

/// choose_value for the gradient and logit rules.
double choose_value_other(DecisionRule rule, double x, double lo, double hi, double slope, double curvature,
                          double step, double temperature, RandomStream& rng);

/// Chooses the next value of one variable in [lo, hi]:
/// incremental — the best of {x − step, x, x + step} by the predicted gain (Axelrod–Bennett);
/// logit — one of the three drawn with probability ∝ exp(gain / temperature);
/// gradient — a Newton step on the own curvature, at most `step` in size.
/// Noise is not added here. @pre lo <= x <= hi, step >= 0.
inline double choose_value(DecisionRule rule, double x, double lo, double hi, double slope,
                           double curvature, double step, double temperature, RandomStream& rng) {
  if (rule == DecisionRule::incremental) return incremental_choice(x, lo, hi, slope, curvature, step);
  return choose_value_other(rule, x, lo, hi, slope, curvature, step, temperature, rng);
}

}  // namespace alignsim::alignment
