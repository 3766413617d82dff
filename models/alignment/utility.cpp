#include "models/alignment/utility.hpp"

#include <cmath>

namespace alignsim::alignment {

namespace {

using Eigen::ArrayXXd;
using Eigen::MatrixXd;
using Eigen::VectorXd;

ArrayXXd logistic(const ArrayXXd& x) { return 1.0 / (1.0 + (-x).exp()); }

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

MatrixXd normalised_rivalry(const MatrixXd& rivalry) {
  MatrixXd out = rivalry;
  for (Eigen::Index j = 0; j < out.rows(); ++j) {
    const double total = out.row(j).sum();
    if (total > 0) out.row(j) /= total;
  }
  return out;
}

MatrixXd rival_support(const World& w) {
  // m_ij = Σ_k δ_ik R̃_jk: (D R̃ᵀ)_ij.
  return w.policies.deference * normalised_rivalry(w.structure.rivalry).transpose();
}

MatrixXd alignment(const World& w) {
  return (w.policies.deference.array() * (1.0 - rival_support(w).array()) *
          (1.0 - w.policies.defiance.array()))
      .matrix();
}

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
  t.irritation = raw_irritation(w);
  t.alignment = alignment(w).transpose();
  const ArrayXXd x = t.alignment.array();
  // Powers pay for exclusive alignment: the base offer, the reward and any conditional offer.
  // Diminishing returns: a power values the first steps of a state's alignment most.
  t.inducement = (powers * (s.base_inducement.array() +
                            (p.reward_deference + s.conditional_offer.array()) * x * (2.0 - x)))
                     .matrix();
  // Defiance is punished whatever else the state does; alignment buys tolerance for its ties
  // with the power's rivals (the seed's Hor Namhong visit "to comfort Beijing").
  const ArrayXXd over = softplus(t.irritation.array() - by_row(s.tolerance, n) - p.reassurance * x,
                                 p.pressure_smoothness);
  t.pressure_drive = (powers * (p.pressure_defiance * pol.defiance.transpose().array() +
                                p.pressure_irritation * over))
                         .matrix();
  t.pressure = (1.0 - (-t.pressure_drive.array()).exp()).matrix();
  t.commitment = (powers * (1.0 - (1.0 - s.base_commitment.array()) *
                                      (-p.commitment_response * pol.security.transpose().array()).exp()))
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
  u.alignment = t.alignment.transpose();
  const ArrayXXd rho = u.expected_inducement.array();
  const ArrayXXd pi = u.expected_pressure.array();
  const ArrayXXd x = u.alignment.array();

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
  const ArrayXXd assertive = by_column(s.assertiveness, n);
  const ArrayXXd dispute_part = s.dispute.array() * assertive;
  // Claims on the waters i's trade crosses threaten it whether or not i has a claim itself;
  // unlike a dispute over i's own claim, a power's friends need not fear for their shipping,
  // so alignment calms this part with the rest of the general hostility.
  const ArrayXXd sea_part = s.sea_lane_exposure.array() * assertive;
  u.general_hostility = (by_column(s.hostility, n) + sea_part + p.hostility_pressure * pi +
                         p.hostility_defiance * defiance)
                            .matrix();
  u.hostility = (dispute_part + u.general_hostility.array() * (1.0 - p.deference_calming * x))
                    .matrix();

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

  // Disputes: w_claim X V assert_j (1 + concede δ)(1 − e_φ φ (b0 + (1 − b0) backing)).
  const MatrixXd backed = help * s.rivalry;
  u.backing = (1.0 - (-backed.array()).exp()).matrix();
  const ArrayXXd efficacy =
      p.defiance_efficacy * (p.unbacked_efficacy + (1 - p.unbacked_efficacy) * u.backing.array());
  u.dispute_loss = (p.claim_weight * dispute_part * s.stake.array() *
                    (1.0 + p.concession * deference) * (1.0 - defiance * efficacy))
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
  const ArrayXXd x = u.alignment.array();
  const MatrixXd rivalry_norm = normalised_rivalry(s.rivalry);
  const ArrayXXd support = (pol.deference * rivalry_norm.transpose()).array();  // m_ij

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
  // Marginal utility of what power j gives i: inducement; pressure, economic and security.
  const ArrayXXd u_rho = core * (1.0 - p.pressure_bite * pi);
  const ArrayXXd u_pi_econ = -core * (1.0 + rho) * p.pressure_bite;
  const ArrayXXd u_pi_sec = -p.threat_weight * u.base_threat.array() * p.hostility_pressure *
                            (1.0 - p.deference_calming * x) * u.protection.array();

  // Slopes of the targets, transposed to (i, j): dπ*/dz and the softplus's slope.
  const ArrayXXd dpi_dz = (-t.pressure_drive.transpose().array()).exp();
  const ArrayXXd over_arg = t.irritation.transpose().array() - by_column(s.tolerance, n) -
                            p.reassurance * x;
  const ArrayXXd over_slope = logistic(over_arg / p.pressure_smoothness);
  const ArrayXXd reward = p.reward_deference + s.conditional_offer.transpose().array();
  const ArrayXXd lam_pow = lambda * powers_col;

  // ∂U/∂irritation_ji and ∂U/∂x_ij, each split into economic and security parts.
  const ArrayXXd via_tolerance = dpi_dz * p.pressure_irritation * over_slope;
  const ArrayXXd g_irr_econ = lam_pow * u_pi_econ * via_tolerance;
  const ArrayXXd g_irr_sec = lam_pow * u_pi_sec * via_tolerance;
  const ArrayXXd calming = p.threat_weight * u.base_threat.array() *
                           u.general_hostility.array() * p.deference_calming * u.protection.array();
  const ArrayXXd g_x_econ = lam_pow * u_rho * reward * 2.0 * (1.0 - x) - p.reassurance * g_irr_econ;
  const ArrayXXd g_x_sec = calming - p.reassurance * g_irr_sec;
  // Irritation of j rises with i's ties to j's rivals k: ∂irr_ji/∂v_ik = w_v R_jk, so the
  // slope of v_ik collects Σ_j ∂U/∂irr_ji R_jk = (G R)_ik.
  const ArrayXXd irr_econ = (g_irr_econ.matrix() * s.rivalry).array();
  const ArrayXXd irr_sec = (g_irr_sec.matrix() * s.rivalry).array();
  // x_ij = δ_ij (1 − m_ij)(1 − φ_ij): ∂x_ij/∂δ_ij = (1 − m_ij)(1 − φ_ij),
  // ∂x_ik/∂δ_ij = −δ_ik (1 − φ_ik) R̃_kj and ∂x_ij/∂φ_ij = −δ_ij (1 − m_ij).
  const ArrayXXd undefied = 1.0 - defiance;
  auto through_alignment = [&](const ArrayXXd& g_x) {
    return g_x * (1.0 - support) * undefied -
           ((g_x * deference * undefied).matrix() * rivalry_norm).array();
  };
  auto defiance_through_alignment = [&](const ArrayXXd& g_x) {
    return -g_x * deference * (1.0 - support);
  };

  // Security cooperation and commitment: help K_ik = σ_ik c_ki protects against j via R_kj.
  const ArrayXXd loss_slope = u.threat_loss.array() / p.protection_scale;
  const ArrayXXd dispute_part = s.dispute.array() * by_column(s.assertiveness, n);
  const ArrayXXd claim = p.claim_weight * dispute_part * s.stake.array();
  const ArrayXXd backing_slope = claim * (1.0 + p.concession * deference) * p.defiance_efficacy *
                                 defiance * (1.0 - p.unbacked_efficacy) * (1.0 - u.backing.array());
  const VectorXd share = military_share(s);
  const MatrixXd rivalry_t = s.rivalry.transpose();
  const ArrayXXd d_help = by_column(share, n) * (loss_slope.matrix() * rivalry_t).array() +
                          (backing_slope.matrix() * rivalry_t).array();
  // ∂c*/∂σ = r_c (1 − c*), towards powers only.
  const ArrayXXd commit_slope = p.commitment_response * (1.0 - t.commitment.transpose().array());

  PolicyGradient gr;
  const ArrayXXd engagement_econ = d_benefit * value * 2.0 * (1.0 - engagement) * (1.0 + rho) *
                                       (1.0 - p.pressure_bite * pi) +
                                   p.irritation_weight_engagement * irr_econ;
  gr.engagement_economic = engagement_econ.matrix();
  gr.engagement_security = (p.irritation_weight_engagement * irr_sec).matrix();
  gr.engagement = gr.engagement_economic + gr.engagement_security;
  gr.engagement_curv = (-2.0 * d_benefit * value * (1.0 + rho) * (1.0 - p.pressure_bite * pi)).matrix();

  const ArrayXXd efficacy =
      p.defiance_efficacy * (p.unbacked_efficacy + (1 - p.unbacked_efficacy) * u.backing.array());
  const ArrayXXd conceding = -claim * p.concession * (1.0 - defiance * efficacy);
  gr.deference_economic =
      (through_alignment(g_x_econ) + p.irritation_weight_deference * irr_econ).matrix();
  gr.deference_security =
      (through_alignment(g_x_sec) + p.irritation_weight_deference * irr_sec + conceding).matrix();
  gr.deference = (gr.deference_economic.array() + gr.deference_security.array() -
                  2.0 * p.cost_deference * deference)
                     .matrix();
  gr.deference_curv = MatrixXd::Constant(n, n, -2.0 * p.cost_deference);

  gr.defiance_economic = (lam_pow * u_pi_econ * dpi_dz * p.pressure_defiance +
                          defiance_through_alignment(g_x_econ))
                             .matrix();
  gr.defiance_security = (lam_pow * u_pi_sec * dpi_dz * p.pressure_defiance +
                          defiance_through_alignment(g_x_sec) -
                          p.threat_weight * u.base_threat.array() * p.hostility_defiance *
                              (1.0 - p.deference_calming * x) * u.protection.array() +
                          claim * (1.0 + p.concession * deference) * efficacy)
                             .matrix();
  gr.defiance = (gr.defiance_economic.array() + gr.defiance_security.array() -
                 2.0 * p.cost_defiance * defiance)
                    .matrix();
  gr.defiance_curv = MatrixXd::Constant(n, n, -2.0 * p.cost_defiance);

  gr.security_economic = (p.irritation_weight_security * irr_econ).matrix();
  gr.security_security = (d_help * (commit + lam_pow * security * commit_slope) +
                          p.irritation_weight_security * irr_sec)
                             .matrix();
  gr.security = (gr.security_economic.array() + gr.security_security.array() -
                 2.0 * p.cost_security * security)
                    .matrix();
  gr.security_curv = MatrixXd::Constant(n, n, -2.0 * p.cost_security);

  // Defence: −1 per unit of GDP share, against protection from internal means log1p(d Y / M_j).
  const ArrayXXd own = by_row(s.gdp, n) / by_column(s.military, n);
  const ArrayXXd ratio = by_row(pol.defence_share, n) * own;
  gr.defence_share = ((loss_slope * own / (1.0 + ratio)).rowwise().sum() - 1.0).matrix();
  return gr;
}

}  // namespace alignsim::alignment
