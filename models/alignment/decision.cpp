#include "models/alignment/decision.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace alignsim::alignment {

double choose_value_other(DecisionRule rule, double x, double lo, double hi, double slope,
                          double curvature, double step, double temperature, RandomStream& rng) {
  if (rule == DecisionRule::gradient) {
    double delta = curvature < 0 ? -slope / curvature : (slope > 0 ? step : -step);
    delta = std::clamp(delta, -step, step);
    return std::clamp(x + delta, lo, hi);
  }
  const std::array<double, 3> candidates = {std::max(lo, x - step), x, std::min(hi, x + step)};
  std::array<double, 3> gain{};
  for (std::size_t k = 0; k < 3; ++k) gain[k] = predicted_gain(slope, curvature, candidates[k] - x);
  // Logit (quantal response): softmax over the three candidates, shifted for stability.
  const double top = *std::max_element(gain.begin(), gain.end());
  std::array<double, 3> weight{};
  double total = 0;
  for (std::size_t k = 0; k < 3; ++k) total += weight[k] = std::exp((gain[k] - top) / temperature);
  double u = rng.uniform() * total;
  for (std::size_t k = 0; k < 3; ++k) {
    if (u < weight[k]) return candidates[k];
    u -= weight[k];
  }
  return candidates[1];
}

}  // namespace alignsim::alignment
