#include "models/alignment/synthetic.hpp"

#include <cmath>
#include <string>

#include "models/alignment/schema.hpp"
#include "sim/random_stream.hpp"

namespace alignsim::alignment {

Scenario synthetic_world(std::size_t n, std::uint64_t seed, SyntheticRivalry layout) {
  const ModelSchema& sc = schema();
  Scenario s;
  s.name = "synthetic_" + std::to_string(n);
  s.ticks = 150;
  s.seed = seed;
  RandomStream rng(seed, 0, 0, 0);
  const auto nn = static_cast<Eigen::Index>(n);
  auto power = [](std::size_t i) { return i % 10 == 0 || i == 1; };
  for (std::size_t i = 0; i < n; ++i) {
    s.state_names.push_back("s" + std::to_string(i));
    s.kinds.push_back(static_cast<std::size_t>(power(i) ? Role::great_power : Role::small_state));
  }
  for (const auto& k : sc.params) s.params[k.key] = k.default_value;
  for (const auto& k : sc.classifier) s.classifier[k.key] = k.default_value;
  for (const auto& k : sc.state_keys) s.state_keys[k.key] = Eigen::VectorXd::Constant(nn, k.default_value);
  for (const auto& k : sc.relation_keys) s.relation_keys[k.key] = Eigen::MatrixXd::Zero(nn, nn);
  for (const auto& k : sc.policy_keys) {
    Eigen::MatrixXd m = Eigen::MatrixXd::Constant(nn, nn, k.default_value);
    m.diagonal().setZero();
    s.policy_keys[k.key] = m;
  }
  Eigen::VectorXd x(nn), y(nn);
  for (Eigen::Index i = 0; i < nn; ++i) {
    const double scale = power(static_cast<std::size_t>(i)) ? 10.0 : 1.0;
    s.state_keys["gdp"](i) = scale * (10 + 1000 * rng.uniform());
    s.state_keys["military"](i) = scale * (1 + 100 * rng.uniform());
    s.state_keys["assertiveness"](i) = rng.uniform();
    x(i) = rng.uniform();
    y(i) = rng.uniform();
  }
  Eigen::MatrixXd& value = s.relation_keys["economic_value"];
  Eigen::MatrixXd& proximity = s.relation_keys["proximity"];
  Eigen::MatrixXd& dispute = s.relation_keys["dispute"];
  Eigen::MatrixXd& stake = s.relation_keys["stake"];
  Eigen::MatrixXd& rivalry = s.relation_keys["rivalry"];
  for (Eigen::Index i = 0; i < nn; ++i) {
    for (Eigen::Index j = 0; j < nn; ++j) {
      if (i == j) continue;
      value(i, j) = 0.1 * rng.uniform();
      if (j < i) continue;  // symmetric relations: drawn once per pair
      const double close = std::max(0.0, 1.0 - std::hypot(x(i) - x(j), y(i) - y(j)) / 0.25);
      proximity(i, j) = proximity(j, i) = close;
      if (close > 0 && rng.uniform() < 0.05) {
        dispute(i, j) = dispute(j, i) = rng.uniform();
        stake(i, j) = stake(j, i) = 0.05 * rng.uniform();
      }
      const bool both_powers = power(static_cast<std::size_t>(i)) && power(static_cast<std::size_t>(j));
      const double chance = layout == SyntheticRivalry::dense ? 0.2 : both_powers ? 0.5 : close > 0 ? 0.02 : 0.0;
      if (rng.uniform() < chance) rivalry(i, j) = rivalry(j, i) = rng.uniform();
    }
  }
  s.model = "alignment";
  s.agents["focal_power"] = 0;
  s.choices["decision_rule"] = static_cast<std::size_t>(DecisionRule::incremental);
  return s;
}

}  // namespace alignsim::alignment
