#pragma once
// Bounded-rational decision rules for one policy variable (docs/model.md §4.6).
#include <algorithm>

#include "sim/random_stream.hpp"
#include "sim/scenario.hpp"

namespace alignsim::alignment {

/// Predicted utility change of moving a variable by `delta`, from its slope and curvature.
inline double predicted_gain(double slope, double curvature, double delta) {
  return slope * delta + 0.5 * curvature * delta * delta;
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
  if (rule == DecisionRule::incremental) {
    // Staying wins ties: no move without a predicted gain. Written as selects, not branches:
    // which way a variable moves is a coin flip to the branch predictor.
    // Values, not std::max/min's references, so the compiler keeps them in registers.
    const double below = x - step, above = x + step;
    const double down = below > lo ? below : lo, up = above < hi ? above : hi;
    const double gain_down = predicted_gain(slope, curvature, down - x);
    const double gain_up = predicted_gain(slope, curvature, up - x);
    const bool go_down = gain_down > 0.0;
    const double best = go_down ? down : x, best_gain = go_down ? gain_down : 0.0;
    return gain_up > best_gain ? up : best;
  }
  return choose_value_other(rule, x, lo, hi, slope, curvature, step, temperature, rng);
}

}  // namespace alignsim::alignment
