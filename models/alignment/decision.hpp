#pragma once
// Bounded-rational decision rules for one policy variable (docs/model.md §4.6).
#include "sim/random_stream.hpp"
#include "sim/scenario.hpp"

namespace alignsim::alignment {

/// Predicted utility change of moving a variable by `delta`, from its slope and curvature.
inline double predicted_gain(double slope, double curvature, double delta) {
  return slope * delta + 0.5 * curvature * delta * delta;
}

/// Chooses the next value of one variable in [lo, hi]:
/// incremental — the best of {x − step, x, x + step} by the predicted gain (Axelrod–Bennett);
/// logit — one of the three drawn with probability ∝ exp(gain / temperature);
/// gradient — a Newton step on the own curvature, at most `step` in size.
/// Noise is not added here. @pre lo <= x <= hi, step >= 0.
double choose_value(DecisionRule rule, double x, double lo, double hi, double slope,
                    double curvature, double step, double temperature, RandomStream& rng);

}  // namespace alignsim::alignment
