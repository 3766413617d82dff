#include "models/alignment/utility.hpp"

#include <cmath>

namespace alignsim::alignment {

namespace {

using Eigen::ArrayXXd;
using Eigen::MatrixXd;
using Eigen::VectorXd;

ArrayXXd sigmoid(const ArrayXXd& x) { return 1.0 / (1.0 + (-x).exp()); }

// Smooth max(0, x) with width s: s·log(1 + exp(x/s)), written to avoid overflow.
ArrayXXd softplus(const ArrayXXd& x, double s) {
  const ArrayXXd z = x / s;
  return s * (z.max(0.0) + (-z.abs()).exp().log1p());
}

// Broadcasts a per-column value v_j over rows: out(i, j) = v_j.
ArrayXXd by_column(const VectorXd& v, Eigen::Index rows) {
  return v.transpose().array().replicate(rows, 1);
}
// Broadcasts a per-row value v_i over columns: out(i, j) = v_i.
ArrayXXd by_row(const VectorXd& v, Eigen::Index cols) { return v.array().replicate(1, cols); }

VectorXd military_share(const Structure& s) { return s.military / s.military.sum(); }

}  // namespace

MatrixXd raw_irritation(const World& w) {
  const Params& p = w.params;
  const Policies& pol = w.policies;
  const MatrixXd ties = p.irritation_weight_engagement * pol.engagement +
                        p.irritation_weight_deference * pol.deference +
                        p.irritation_weight_security * pol.security;
  return w.structure.rivalry * ties.transpose();  // (j, i) = Σ_k R_jk ties_ik
}

ReactionTargets reaction_targets(const World& w) {
  const Params& p = w.params;
  const Structure& s = w.structure;
  const Policies& pol = w.policies;
  const auto n = static_cast<Eigen::Index>(w.size());
  const ArrayXXd powers = by_row(s.is_power, n);

  ReactionTargets t;
  const ArrayXXd raw = raw_irritation(w).array();
  const ArrayXXd irr = raw.min(1.0).max(0.0);
  t.irritation = irr.matrix();
  t.irritation_active = ((raw > 0.0) && (raw < 1.0)).cast<double>().matrix();

  const ArrayXXd deference_t = pol.deference.transpose().array();  // (j, i) = δ_ij
  // Rank reward: the power pays for being kept ahead of its rivals in i's diplomacy.
  const ArrayXXd rank = sigmoid(p.reward_rank_steepness * (deference_t - irr));
  t.inducement = (powers * (s.base_inducement.array() + p.reward_deference * rank)).matrix();

  const ArrayXXd over = softplus(irr - by_row(s.tolerance, n), p.pressure_smoothness);
  const ArrayXXd punish = p.pressure_defiance * pol.defiance.transpose().array() +
                          p.pressure_irritation * over;
  const ArrayXXd pressure = punish * (1.0 - p.reassurance * deference_t);
  t.pressure = (powers * pressure.min(1.0).max(0.0)).matrix();
  t.pressure_active = ((pressure > 0.0) && (pressure < 1.0)).cast<double>().matrix();

  t.commitment = (powers * (s.base_commitment.array() +
                            p.commitment_response * pol.security.transpose().array())
                               .min(1.0)
                               .max(0.0))
                     .matrix();
  return t;
}

void react(Policies& pol, const ReactionTargets& t, double rate, const VectorXd& is_power) {
  const auto n = pol.inducement.cols();
  const ArrayXXd powers = by_row(is_power, n);
  pol.inducement.array() += rate * powers * (t.inducement - pol.inducement).array();
  pol.pressure.array() += rate * powers * (t.pressure - pol.pressure).array();
  pol.commitment.array() += rate * powers * (t.commitment - pol.commitment).array();
}

UtilityTerms evaluate_utility(const World& w, const ReactionTargets& t) {
  const Params& p = w.params;
  const Structure& s = w.structure;
  const Policies& pol = w.policies;
  const auto n = static_cast<Eigen::Index>(w.size());
  const double lambda = p.foresight;
  UtilityTerms u;

  u.expected_inducement = ((1 - lambda) * pol.inducement + lambda * t.inducement).transpose();
  u.expected_pressure = ((1 - lambda) * pol.pressure + lambda * t.pressure).transpose();
  u.expected_commitment = ((1 - lambda) * pol.commitment + lambda * t.commitment).transpose();
  const ArrayXXd rho = u.expected_inducement.array();
  const ArrayXXd pi = u.expected_pressure.array();

  // Economy, docs/model.md §4.2: E_ij g(ε_ij) (1 + ρ_ji) (1 − s_π π_ji).
  const ArrayXXd g = pol.engagement.array() * (2.0 - pol.engagement.array());
  u.benefit = (s.economic_value.array() * g * (1.0 + rho) * (1.0 - p.pressure_bite * pi)).matrix();
  u.total_benefit = u.benefit.rowwise().sum();
  u.hhi = VectorXd::Zero(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    if (u.total_benefit(i) > 0) u.hhi(i) = (u.benefit.row(i) / u.total_benefit(i)).squaredNorm();
  }
  u.economy = u.total_benefit;
  u.dependence = (s.dependence_aversion.array() * p.dependence_weight * u.hhi.array()).matrix();

  // Security, Walt's four factors: aggregate power, proximity, offensive power, intentions.
  const VectorXd share = military_share(s);
  const VectorXd share_gamma = share.array().pow(p.power_exponent).matrix();
  u.base_threat = (by_column(share_gamma, n) * s.proximity.array() *
                   by_column(s.projection, n))
                      .matrix();
  const ArrayXXd deference = pol.deference.array();
  const ArrayXXd defiance = pol.defiance.array();
  const ArrayXXd dispute_part = s.dispute.array() * by_column(s.assertiveness, n);
  const ArrayXXd general_part = by_column(s.hostility, n) + p.hostility_pressure * pi +
                                p.hostility_defiance * defiance;
  u.hostility = (dispute_part + general_part * (1.0 - p.deference_calming * deference)).matrix();

  const ArrayXXd own_means = by_row(pol.defence_share.cwiseProduct(s.gdp), n) /
                             by_column(s.military, n);
  const ArrayXXd internal = own_means.log1p();
  // Partner k's committed help to i, K_ik = σ_ik c_ki, carried against j by rivalry R_kj.
  const MatrixXd help = pol.security.cwiseProduct(u.expected_commitment);
  const MatrixXd external = (help.array() * by_column(share, n)).matrix() * s.rivalry;
  u.protection = (-(internal + external.array()) / p.protection_scale).exp().matrix();
  u.threat_loss = (p.threat_weight * u.base_threat.array() * u.hostility.array() *
                   u.protection.array())
                      .matrix();
  u.threat = u.threat_loss.rowwise().sum();

  // Disputes: X V assert_j (1 + concede δ)(1 − e_φ φ (b0 + (1 − b0) backing)).
  const MatrixXd backed = help * s.rivalry;
  u.backing = (1.0 - (-backed.array()).exp()).matrix();
  const ArrayXXd efficacy =
      p.defiance_efficacy * (p.unbacked_efficacy + (1 - p.unbacked_efficacy) * u.backing.array());
  u.dispute_loss = (dispute_part * s.stake.array() * (1.0 + p.concession * deference) *
                    (1.0 - defiance * efficacy))
                       .matrix();
  u.disputes = u.dispute_loss.rowwise().sum();

  const ArrayXXd quad = p.cost_deference * deference.square() + p.cost_defiance * defiance.square() +
                        p.cost_security * pol.security.array().square();
  u.costs = quad.matrix().rowwise().sum() + pol.defence_share;
  return u;
}

PolicyGradient utility_gradient(const World& w, const ReactionTargets& t, const UtilityTerms& u) {
  const Params& p = w.params;
  const Structure& s = w.structure;
  const Policies& pol = w.policies;
  const auto n = static_cast<Eigen::Index>(w.size());
  const double lambda = p.foresight;
  const ArrayXXd powers_col = by_column(s.is_power, n);  // partner j is a power

  const ArrayXXd deference = pol.deference.array(), defiance = pol.defiance.array();
  const ArrayXXd engagement = pol.engagement.array(), security = pol.security.array();
  const ArrayXXd rho = u.expected_inducement.array(), pi = u.expected_pressure.array();
  const ArrayXXd commit = u.expected_commitment.array();
  const ArrayXXd value = s.economic_value.array();

  // ∂U/∂b_ij: one unit of benefit, less its effect on the concentration penalty.
  ArrayXXd d_benefit = ArrayXXd::Ones(n, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double total = u.total_benefit(i);
    if (total <= 0) continue;
    const double k = s.dependence_aversion(i) * p.dependence_weight * 2.0 / total;
    d_benefit.row(i) -= k * (u.benefit.row(i).array() / total - u.hhi(i));
  }
  const ArrayXXd g = engagement * (2.0 - engagement);
  const ArrayXXd core = d_benefit * value * g;
  // Marginal utility of what power j gives i: inducement, pressure (economic and security).
  const ArrayXXd u_rho = core * (1.0 - p.pressure_bite * pi);
  const ArrayXXd u_pi_econ = -core * (1.0 + rho) * p.pressure_bite;
  const ArrayXXd u_pi_sec = -p.threat_weight * u.base_threat.array() * p.hostility_pressure *
                            (1.0 - p.deference_calming * deference) * u.protection.array();
  const ArrayXXd u_pi = u_pi_econ + u_pi_sec;

  // Slopes of the targets (transposed to (i, j)) with respect to irritation and deference.
  const ArrayXXd irr = t.irritation.transpose().array();
  const ArrayXXd rank = sigmoid(p.reward_rank_steepness * (deference - irr));
  const ArrayXXd d_rank = p.reward_rank_steepness * rank * (1.0 - rank);
  const ArrayXXd over_x = (irr - by_column(s.tolerance, n)) / p.pressure_smoothness;
  const ArrayXXd over = softplus(over_x * p.pressure_smoothness, p.pressure_smoothness);
  const ArrayXXd over_slope = sigmoid(over_x);
  const ArrayXXd punish = p.pressure_defiance * defiance + p.pressure_irritation * over;
  // Where the pressure target is clipped, nothing the state does moves it.
  const ArrayXXd pressure_active = t.pressure_active.transpose().array();
  const ArrayXXd u_pi_moving = u_pi * pressure_active;

  const ArrayXXd dinduce_dirr = -p.reward_deference * d_rank;
  const ArrayXXd dpress_dirr = pressure_active * p.pressure_irritation * over_slope * (1.0 - p.reassurance * deference);
  const ArrayXXd u_irr = lambda * powers_col * t.irritation_active.transpose().array() *
                         (u_rho * dinduce_dirr + u_pi * dpress_dirr);
  // Irritation of j rises with i's ties to j's rivals k: ∂irr_ji/∂x_ik = w_x R_jk.
  const ArrayXXd via_irritation = (u_irr.matrix() * s.rivalry).array();

  // Security cooperation and commitment: help K_ik = σ_ik c_ki protects against j via R_kj.
  const ArrayXXd loss_slope = u.threat_loss.array() / p.protection_scale;
  const ArrayXXd dispute_part = s.dispute.array() * by_column(s.assertiveness, n);
  const ArrayXXd backing_slope = dispute_part * s.stake.array() * (1.0 + p.concession * deference) *
                                 p.defiance_efficacy * defiance * (1.0 - p.unbacked_efficacy) *
                                 (1.0 - u.backing.array());
  const VectorXd share = s.military / s.military.sum();
  const MatrixXd rivalry_t = s.rivalry.transpose();
  const ArrayXXd d_help = by_column(share, n) * (loss_slope.matrix() * rivalry_t).array() +
                          (backing_slope.matrix() * rivalry_t).array();
  // ∂c*/∂σ = r_c only towards powers (others make no commitments) and where c* is not clipped.
  const ArrayXXd commit_unclipped = powers_col * (t.commitment.transpose().array() < 1.0).cast<double>();

  PolicyGradient gr;
  gr.engagement = (d_benefit * value * 2.0 * (1.0 - engagement) * (1.0 + rho) *
                       (1.0 - p.pressure_bite * pi) +
                   p.irritation_weight_engagement * via_irritation)
                      .matrix();
  gr.engagement_curv = (-2.0 * d_benefit * value * (1.0 + rho) * (1.0 - p.pressure_bite * pi)).matrix();

  const ArrayXXd general = by_column(s.hostility, n) + p.hostility_pressure * pi +
                           p.hostility_defiance * defiance;
  const ArrayXXd efficacy =
      p.defiance_efficacy * (p.unbacked_efficacy + (1 - p.unbacked_efficacy) * u.backing.array());
  const ArrayXXd reward_slope = lambda * powers_col * u_rho * p.reward_deference * d_rank;
  const ArrayXXd reassure_econ = lambda * powers_col * pressure_active * u_pi_econ * (-p.reassurance) * punish;
  const ArrayXXd reassure_sec = lambda * powers_col * pressure_active * u_pi_sec * (-p.reassurance) * punish;
  const ArrayXXd calming = p.threat_weight * u.base_threat.array() * general *
                           p.deference_calming * u.protection.array();
  const ArrayXXd conceding = -dispute_part * s.stake.array() * p.concession * (1.0 - defiance * efficacy);
  gr.deference_economic = (reward_slope + reassure_econ).matrix();
  gr.deference_security = (reassure_sec + calming + conceding).matrix();
  gr.deference = (reward_slope + reassure_econ + reassure_sec + calming + conceding -
                  2.0 * p.cost_deference * deference +
                  p.irritation_weight_deference * via_irritation)
                     .matrix();
  gr.deference_curv = MatrixXd::Constant(n, n, -2.0 * p.cost_deference);

  gr.defiance = (lambda * powers_col * u_pi_moving * p.pressure_defiance * (1.0 - p.reassurance * deference) -
                 p.threat_weight * u.base_threat.array() * p.hostility_defiance *
                     (1.0 - p.deference_calming * deference) * u.protection.array() +
                 dispute_part * s.stake.array() * (1.0 + p.concession * deference) * efficacy -
                 2.0 * p.cost_defiance * defiance)
                    .matrix();
  gr.defiance_curv = MatrixXd::Constant(n, n, -2.0 * p.cost_defiance);

  gr.security = (d_help * (commit + lambda * p.commitment_response * security * commit_unclipped) -
                 2.0 * p.cost_security * security +
                 p.irritation_weight_security * via_irritation)
                    .matrix();
  gr.security_curv = MatrixXd::Constant(n, n, -2.0 * p.cost_security);

  // Defence: −1 per unit of GDP share, against protection from internal means log1p(d Y / M_j).
  const ArrayXXd own = by_row(s.gdp, n) / by_column(s.military, n);
  const ArrayXXd ratio = by_row(pol.defence_share, n) * own;
  gr.defence_share = ((loss_slope * own / (1.0 + ratio)).rowwise().sum() - 1.0).matrix();
  return gr;
}

}  // namespace alignsim::alignment
