#include "models/alignment/utility.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace alignsim::alignment {

namespace {

using Eigen::ArrayXXd;
using Eigen::MatrixXd;
using Eigen::VectorXd;

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

// ---- the free functions: one workspace, used once ---------------------------------------------

ReactionTargets reaction_targets(const World& w) {
  Workspace ws;
  ws.prepare(w);
  ws.compute_targets(w);
  return std::move(ws.targets);
}

UtilityTerms evaluate_utility(const World& w, const ReactionTargets& t) {
  Workspace ws;
  ws.prepare(w);
  ws.targets = t;
  ws.compute_terms(w);
  return std::move(ws.terms);
}

PolicyGradient utility_gradient(const World& w, const ReactionTargets& t, const UtilityTerms& u) {
  Workspace ws;
  ws.prepare(w);
  ws.targets = t;
  ws.terms = u;
  ws.compute_gradient(w);
  return std::move(ws.gradient);
}

void react(Policies& pol, const ReactionTargets& t, double rate, const VectorXd& is_power) {
  for (Eigen::Index j = 0; j < is_power.size(); ++j) {
    if (is_power(j) <= 0) continue;
    pol.inducement.row(j) += rate * (t.inducement.row(j) - pol.inducement.row(j));
    pol.pressure.row(j) += rate * (t.pressure.row(j) - pol.pressure.row(j));
    pol.commitment.row(j) += rate * (t.commitment.row(j) - pol.commitment.row(j));
  }
}

// ---- the workspace ---------------------------------------------------------------------------

namespace {

// Rows `rows` of m, gathered: (rows.size(), m.cols()).
MatrixXd gather_rows(const MatrixXd& m, const std::vector<Eigen::Index>& rows) {
  MatrixXd out(static_cast<Eigen::Index>(rows.size()), m.cols());
  for (std::size_t q = 0; q < rows.size(); ++q) out.row(static_cast<Eigen::Index>(q)) = m.row(rows[q]);
  return out;
}

// Operands with at most this share of non-zeros are multiplied entry by entry (N multiply-adds
// per entry, along contiguous columns); denser ones go to Eigen's blocked product, which does
// N per entry of the whole matrix but several times faster per operation.
constexpr double kSparseShare = 0.1;
constexpr Eigen::Index kAlwaysSparse = 64 * 64;

}  // namespace

void Workspace::Operand::set(const MatrixXd& m) {
  entries.clear();
  for (Eigen::Index c = 0; c < m.cols(); ++c)
    for (Eigen::Index r = 0; r < m.rows(); ++r)
      if (m(r, c) != 0) entries.push_back({r, c, m(r, c)});
  // Small operands always: there the entry loop beats any dense product (measured).
  sparse = m.size() <= kAlwaysSparse || static_cast<double>(entries.size()) <= kSparseShare * static_cast<double>(m.size());
  dense = m;
}

template <typename A>
void Workspace::multiply(MatrixXd& out, const A& a, const Operand& s) {
  if (s.sparse) {
    out.setZero();
    for (const Operand::Entry& e : s.entries) out.col(e.col) += e.value * a.col(e.row);
  } else if (a.rows() + a.cols() + s.dense.cols() <= 48) {
    out.noalias() = a.lazyProduct(s.dense);  // Eigen's coefficient-based product: small sizes
  } else {
    out.noalias() = a * s.dense;
  }
}

namespace {
}  // namespace

void Workspace::prepare(const World& w, Rows rows) {
  const Params& p = w.params;
  const Structure& s = w.structure;
  const auto n = static_cast<Eigen::Index>(w.size());
  // The rows whose transcendental functions are evaluated (see compute_terms).
  rows_begin_ = 0;
  rows_end_ = n;
  if (rows == Rows::small_states) {
    rows_begin_ = n;
    rows_end_ = 0;
    for (Eigen::Index k = 0; k < n; ++k)
      if (s.is_power(k) == 0) {
        rows_begin_ = std::min(rows_begin_, k);
        rows_end_ = k + 1;
      }
    rows_begin_ = std::min(rows_begin_, rows_end_);
  }
  powers_.clear();
  committers_.clear();
  for (Eigen::Index k = 0; k < n; ++k) {
    if (s.is_power(k) > 0) powers_.push_back(k);
    // A small state's commitment row never reacts; it counts only if the scenario gave it one.
    if (s.is_power(k) > 0 || w.policies.commitment.row(k).cwiseAbs().sum() > 0) committers_.push_back(k);
  }
  const auto np = static_cast<Eigen::Index>(powers_.size());
  const auto nc = static_cast<Eigen::Index>(committers_.size());
  const MatrixXd rivalry_norm = normalised_rivalry(s.rivalry);
  rivalry_norm_.set(rivalry_norm);
  rivalry_norm_t_.set(rivalry_norm.transpose());
  rivalry_of_powers_.set(gather_rows(s.rivalry, powers_));
  rivalry_of_powers_t_.set(rivalry_of_powers_.dense.transpose());
  rivalry_norm_of_powers_.set(gather_rows(rivalry_norm, powers_));
  rivalry_of_committers_.set(gather_rows(s.rivalry, committers_));
  rivalry_of_committers_t_.set(rivalry_of_committers_.dense.transpose());
  share_ = military_share(s);

  const ArrayXXd assertive = by_column(s.assertiveness, n);
  dispute_part_ = s.dispute.array() * assertive;
  claim_ = p.claim_weight * dispute_part_ * s.stake.array();
  // Claims on the waters i's trade crosses threaten it whether or not i has a claim itself;
  // unlike a dispute over i's own claim, a power's friends need not fear for their shipping,
  // so alignment calms this part with the rest of the general hostility.
  general_base_ = by_column(s.hostility, n) + s.sea_lane_exposure.array() * assertive;
  own_ = by_row(s.gdp, n) / by_column(s.military, n);
  internal_.setZero(n, n);
  internal_defence_.setConstant(n, std::numeric_limits<double>::quiet_NaN());  // never equal: computed at first use

  if (n_ != n) {
    n_ = n;
    ReactionTargets& t = targets;
    for (MatrixXd* m : {&t.irritation, &t.rival_support, &t.alignment, &t.inducement, &t.pressure_drive,
                        &t.threshold_slope, &t.pressure_slack, &t.pressure, &t.commitment})
      m->setZero(n, n);
    UtilityTerms& u = terms;
    for (MatrixXd* m : {&u.expected_inducement, &u.expected_pressure, &u.expected_commitment,
                        &u.alignment, &u.benefit, &u.base_threat, &u.hostility, &u.general_hostility,
                        &u.protection, &u.threat_loss, &u.backing, &u.dispute_loss})
      m->setZero(n, n);
    for (VectorXd* v : {&u.total_benefit, &u.hhi, &u.economy, &u.threat, &u.disputes, &u.costs,
                        &u.dependence})
      v->setZero(n);
    PolicyGradient& g = gradient;
    for (MatrixXd* m : {&g.deference, &g.defiance, &g.engagement, &g.security, &g.engagement_curv,
                        &g.deference_economic, &g.deference_security, &g.defiance_economic,
                        &g.defiance_security, &g.engagement_economic, &g.engagement_security,
                        &g.security_economic, &g.security_security})
      m->setZero(n, n);
    g.defence_share.setZero(n);
    for (MatrixXd* m : {&ties_, &product_, &irr_econ_, &irr_sec_, &through_econ_, &through_sec_}) m->setZero(n, n);
    for (ArrayXXd* a : {&d_benefit_, &u_rho_, &u_pi_econ_, &u_pi_sec_, &g_x_econ_, &g_x_sec_,
                        &calming_, &dpi_dz_, &loss_slope_, &backing_slope_, &efficacy_})
      a->setZero(n, n);
    row_.setZero(n);
    col_.setZero(n);
  }
  // Sizes that depend on who the powers and committers are (events can add commitments).
  irritation_t_.setZero(n, np);
  for (MatrixXd* m : {&help_, &help_shared_, &product_c_, &product_c2_}) m->setZero(n, nc);
  slope_p_.setZero(n, np);
  for (ArrayXXd* a : {&g_irr_econ_, &g_irr_sec_}) a->setZero(n, np);

  // What depends on structure alone: Walt's aggregate power, proximity and offensive power.
  const VectorXd share_gamma = share_.array().pow(p.power_exponent).matrix();
  terms.base_threat = (by_column(share_gamma, n) * s.proximity.array() * by_column(s.projection, n)).matrix();
  PolicyGradient& g = gradient;
  g.deference_curv.setConstant(n, n, -2.0 * p.cost_deference);
  g.defiance_curv.setConstant(n, n, -2.0 * p.cost_defiance);
  g.security_curv.setConstant(n, n, -2.0 * p.cost_security);
}

void Workspace::compute_targets(const World& w) {
  const Params& p = w.params;
  const Structure& s = w.structure;
  const Policies& pol = w.policies;
  ReactionTargets& t = targets;

  // Irritation Σ_k R_jk (w_ε ε_ik + w_δ δ_ik + w_σ σ_ik), needed for the powers' rows only.
  ties_ = p.irritation_weight_engagement * pol.engagement + p.irritation_weight_deference * pol.deference +
          p.irritation_weight_security * pol.security;
  multiply(irritation_t_, ties_, rivalry_of_powers_t_);
  // Exclusive alignment x_ij = δ_ij (1 − m_ij)(1 − φ_ij), m = D R̃ᵀ: the general rivalry path.
  multiply(t.rival_support, pol.deference, rivalry_norm_t_);
  product_ = (pol.deference.array() * (1.0 - t.rival_support.array()) * (1.0 - pol.defiance.array())).matrix();
  t.alignment = product_.transpose();

  for (std::size_t q = 0; q < powers_.size(); ++q) {
    const Eigen::Index j = powers_[q];
    const auto x = product_.col(j).transpose().array();
    t.irritation.row(j) = irritation_t_.col(static_cast<Eigen::Index>(q)).transpose();
    // Powers pay for exclusive alignment: the base offer, the reward and any conditional offer.
    // Diminishing returns: a power values the first steps of a state's alignment most.
    t.inducement.row(j) =
        (s.base_inducement.row(j).array() + (p.reward_deference + s.conditional_offer.row(j).array()) * x * (2.0 - x))
            .matrix();
    // Defiance is punished whatever else the state does; alignment buys tolerance for its ties
    // with the power's rivals (the seed's Hor Namhong visit "to comfort Beijing"). The smooth
    // threshold is softplus_w(v) = w·log(1 + exp(v/w)), written to avoid overflow.
    row_ = ((t.irritation.row(j).array() - s.tolerance(j) - p.reassurance * x) / p.pressure_smoothness).matrix();
    for (Eigen::Index i = 0; i < row_.size(); ++i) {
      const double a = row_(i), e = std::exp(-std::abs(a));
      const double softplus = p.pressure_smoothness * (std::max(a, 0.0) + std::log1p(e));
      t.threshold_slope(j, i) = a >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
      const double z = p.pressure_defiance * pol.defiance(i, j) + p.pressure_irritation * softplus;
      t.pressure_drive(j, i) = z;
      t.pressure_slack(j, i) = std::exp(-z);
      t.pressure(j, i) = 1.0 - t.pressure_slack(j, i);
      const double sigma = pol.security(i, j);
      // exp(−r_c·0) = 1 exactly: most states have no security ties with most powers.
      t.commitment(j, i) =
          1.0 - (1.0 - s.base_commitment(j, i)) * (sigma == 0 ? 1.0 : std::exp(-p.commitment_response * sigma));
    }
  }
}

void Workspace::compute_terms(const World& w) {
  const Params& p = w.params;
  const Structure& s = w.structure;
  const Policies& pol = w.policies;
  const ReactionTargets& t = targets;
  UtilityTerms& u = terms;
  const double lambda = p.foresight;

  u.expected_inducement = (1 - lambda) * pol.inducement.transpose() + lambda * t.inducement.transpose();
  u.expected_pressure = (1 - lambda) * pol.pressure.transpose() + lambda * t.pressure.transpose();
  u.expected_commitment = (1 - lambda) * pol.commitment.transpose() + lambda * t.commitment.transpose();
  u.alignment = t.alignment.transpose();
  const auto rho = u.expected_inducement.array();
  const auto pi = u.expected_pressure.array();
  const auto x = u.alignment.array();
  const auto engagement = pol.engagement.array();
  const auto deference = pol.deference.array();
  const auto defiance = pol.defiance.array();

  // Economy, docs/model.md §4.2: E_ij g(ε_ij) (1 + ρ_ji) (1 − s_π π_ji).
  u.benefit = (s.economic_value.array() * engagement * (2.0 - engagement) * (1.0 + rho) * (1.0 - p.pressure_bite * pi))
                  .matrix();
  u.total_benefit = u.benefit.rowwise().sum();
  for (Eigen::Index i = 0; i < u.hhi.size(); ++i) {
    const double total = u.total_benefit(i);
    u.hhi(i) = total > 0 ? (u.benefit.row(i) / total).squaredNorm() : 0.0;
  }
  u.economy = u.total_benefit;
  u.dependence = (s.dependence_aversion.array() * p.dependence_weight * u.hhi.array()).matrix();

  // Security, Walt's four factors: aggregate power, proximity, offensive power (base_threat,
  // from prepare()), and intentions (hostility).
  u.general_hostility = (general_base_ + p.hostility_pressure * pi + p.hostility_defiance * defiance).matrix();
  u.hostility = (dispute_part_ + u.general_hostility.array() * (1.0 - p.deference_calming * x)).matrix();

  // Partner k's committed help to i, K_ik = σ_ik c_ki, carried against j by rivalry R_kj; only
  // committers k have c_ki ≠ 0, so the product runs over them.
  for (std::size_t q = 0; q < committers_.size(); ++q) {
    const Eigen::Index k = committers_[q];
    const auto c = static_cast<Eigen::Index>(q);
    help_.col(c) = pol.security.col(k).cwiseProduct(u.expected_commitment.col(k));
    help_shared_.col(c) = help_.col(c) * share_(k);
  }
  multiply(product_, help_shared_, rivalry_of_committers_);  // external protection (i, j)
  // Protection matters only against a threat: where j poses none to i it is left at 1.
  // Internal protection log1p(d_i Y_i / M_j) changes only when i's defence share does, which
  // the incremental rule leaves alone once it has settled: recomputed for those rows only.
  // The element-wise loops with a transcendental function run over the rows of `rows`
  // (prepare()) only; Eigen's expressions over whole matrices, which is faster than over a
  // block of rows at these sizes (measured). With Rows::small_states the powers' rows of the
  // terms and the gradient are then computed from stale inputs and never read.
  const Eigen::Index r0 = rows_begin_, r1 = rows_end_;
  const auto defence = pol.defence_share.array();
  for (Eigen::Index i = r0; i < r1; ++i) {
    if (defence(i) == internal_defence_(i)) continue;
    internal_defence_(i) = defence(i);
    for (Eigen::Index j = 0; j < internal_.cols(); ++j) internal_(i, j) = std::log1p(defence(i) * own_(i, j));
  }
  for (Eigen::Index j = 0; j < u.protection.cols(); ++j)
    for (Eigen::Index i = r0; i < r1; ++i)
      u.protection(i, j) = u.base_threat(i, j) == 0
                               ? 1.0
                               : std::exp(-(internal_(i, j) + product_(i, j)) / p.protection_scale);
  u.threat_loss = (p.threat_weight * u.base_threat.array() * u.hostility.array() * u.protection.array()).matrix();
  u.threat = u.threat_loss.rowwise().sum();

  // Disputes: w_claim X V assert_j (1 + concede δ)(1 − e_φ φ (b0 + (1 − b0) backing)).
  multiply(product_, help_, rivalry_of_committers_);  // backing of i's claims against j
  for (Eigen::Index j = 0; j < product_.cols(); ++j)
    for (Eigen::Index i = r0; i < r1; ++i)
      u.backing(i, j) = product_(i, j) == 0 ? 0.0 : -std::expm1(-product_(i, j));
  update_efficacy(p);
  u.dispute_loss = (claim_ * (1.0 + p.concession * deference) * (1.0 - defiance * efficacy_)).matrix();
  u.disputes = u.dispute_loss.rowwise().sum();

  u.costs = (p.cost_deference * deference.square() + p.cost_defiance * defiance.square() +
             p.cost_security * pol.security.array().square())
                .rowwise()
                .sum()
                .matrix() +
            pol.defence_share;
}

void Workspace::update_efficacy(const Params& p) {
  efficacy_ = p.defiance_efficacy * (p.unbacked_efficacy + (1 - p.unbacked_efficacy) * terms.backing.array());
}

void Workspace::compute_gradient(const World& w) {
  const Params& p = w.params;
  const Structure& s = w.structure;
  const Policies& pol = w.policies;
  const ReactionTargets& t = targets;
  const UtilityTerms& u = terms;
  PolicyGradient& g = gradient;
  const double lambda = p.foresight;
  const auto deference = pol.deference.array(), defiance = pol.defiance.array();
  const auto engagement = pol.engagement.array(), security = pol.security.array();
  const auto rho = u.expected_inducement.array(), pi = u.expected_pressure.array();
  const auto value = s.economic_value.array();
  const auto x = u.alignment.array();
  const auto support = t.rival_support.array();  // m_ij

  // ∂U/∂b_ij: one unit of benefit, less its effect on the concentration penalty.
  d_benefit_.setOnes();
  for (Eigen::Index i = 0; i < d_benefit_.rows(); ++i) {
    const double total = u.total_benefit(i);
    if (total <= 0) continue;
    const double k = s.dependence_aversion(i) * p.dependence_weight * 2.0 / total;
    d_benefit_.row(i) -= k * (u.benefit.row(i).array() / total - u.hhi(i));
  }
  // Marginal utility of what power j gives i: inducement; pressure, economic and security.
  u_pi_econ_ = d_benefit_ * value * engagement * (2.0 - engagement);  // ∂U/∂b · ∂b/∂(1 + ρ)…
  u_rho_ = u_pi_econ_ * (1.0 - p.pressure_bite * pi);
  u_pi_econ_ = -u_pi_econ_ * (1.0 + rho) * p.pressure_bite;
  u_pi_sec_ = -p.threat_weight * p.hostility_pressure * u.base_threat.array() * (1.0 - p.deference_calming * x) *
              u.protection.array();
  calming_ = p.threat_weight * p.deference_calming * u.base_threat.array() * u.general_hostility.array() *
             u.protection.array();

  // ∂U/∂irritation_ji and ∂U/∂x_ij, each split into economic and security parts. Only the
  // powers' targets move with i's policies, so these are columns of the powers only; the
  // columns of small states stay zero (∂π*/∂z too, which makes every power-only term exact).
  g_x_sec_ = calming_;
  for (std::size_t q = 0; q < powers_.size(); ++q) {
    const Eigen::Index j = powers_[q];
    const auto c = static_cast<Eigen::Index>(q);
    dpi_dz_.col(j) = t.pressure_slack.row(j).transpose();
    // ∂π*/∂z · p_irr · softplus′(irr − tol − reassure·x).
    col_ = (p.pressure_irritation * dpi_dz_.col(j) * t.threshold_slope.row(j).transpose().array()).matrix();
    g_irr_econ_.col(c) = lambda * u_pi_econ_.col(j) * col_.array();
    g_irr_sec_.col(c) = lambda * u_pi_sec_.col(j) * col_.array();
    g_x_econ_.col(j) = lambda * u_rho_.col(j) * (p.reward_deference + s.conditional_offer.row(j).transpose().array()) *
                           2.0 * (1.0 - x.col(j)) -
                       p.reassurance * g_irr_econ_.col(c);
    g_x_sec_.col(j) -= p.reassurance * g_irr_sec_.col(c);
  }
  // Irritation of j rises with i's ties to j's rivals k: ∂irr_ji/∂v_ik = w_v R_jk, so the
  // slope of v_ik collects Σ_j ∂U/∂irr_ji R_jk = (G R)_ik, over the powers j.
  multiply(irr_econ_, g_irr_econ_.matrix(), rivalry_of_powers_);
  multiply(irr_sec_, g_irr_sec_.matrix(), rivalry_of_powers_);
  // x_ij = δ_ij (1 − m_ij)(1 − φ_ij): ∂x_ij/∂δ_ij = (1 − m_ij)(1 − φ_ij),
  // ∂x_ik/∂δ_ij = −δ_ik (1 − φ_ik) R̃_kj and ∂x_ij/∂φ_ij = −δ_ij (1 − m_ij). The economic part
  // is non-zero in the powers' columns only (N×P work); the security part is the dense product.
  for (std::size_t q = 0; q < powers_.size(); ++q) {
    const Eigen::Index j = powers_[q];
    slope_p_.col(static_cast<Eigen::Index>(q)) =
        (g_x_econ_.col(j) * deference.col(j) * (1.0 - defiance.col(j))).matrix();
  }
  multiply(through_econ_, slope_p_, rivalry_norm_of_powers_);
  product_ = (g_x_sec_ * deference * (1.0 - defiance)).matrix();
  multiply(through_sec_, product_, rivalry_norm_);

  // Security cooperation and commitment: help K_ik = σ_ik c_ki protects against j via R_kj.
  loss_slope_ = u.threat_loss.array() / p.protection_scale;
  update_efficacy(p);
  backing_slope_ = claim_ * (1.0 + p.concession * deference) * p.defiance_efficacy * defiance *
                   (1.0 - p.unbacked_efficacy) * (1.0 - u.backing.array());
  multiply(product_c_, loss_slope_.matrix(), rivalry_of_committers_t_);
  multiply(product_c2_, backing_slope_.matrix(), rivalry_of_committers_t_);

  g.engagement_economic = (d_benefit_ * value * 2.0 * (1.0 - engagement) * (1.0 + rho) * (1.0 - p.pressure_bite * pi) +
                           p.irritation_weight_engagement * irr_econ_.array())
                              .matrix();
  g.engagement_security = p.irritation_weight_engagement * irr_sec_;
  g.engagement = g.engagement_economic + g.engagement_security;
  g.engagement_curv = (-2.0 * d_benefit_ * value * (1.0 + rho) * (1.0 - p.pressure_bite * pi)).matrix();

  g.deference_economic = (g_x_econ_ * (1.0 - support) * (1.0 - defiance) - through_econ_.array() +
                          p.irritation_weight_deference * irr_econ_.array())
                             .matrix();
  g.deference_security = (g_x_sec_ * (1.0 - support) * (1.0 - defiance) - through_sec_.array() +
                          p.irritation_weight_deference * irr_sec_.array() -
                          claim_ * p.concession * (1.0 - defiance * efficacy_))
                             .matrix();
  g.deference = (g.deference_economic.array() + g.deference_security.array() - 2.0 * p.cost_deference * deference)
                    .matrix();

  g.defiance_economic =
      (lambda * p.pressure_defiance * u_pi_econ_ * dpi_dz_ - g_x_econ_ * deference * (1.0 - support)).matrix();
  g.defiance_security =
      (lambda * p.pressure_defiance * u_pi_sec_ * dpi_dz_ - g_x_sec_ * deference * (1.0 - support) -
       p.threat_weight * p.hostility_defiance * u.base_threat.array() * (1.0 - p.deference_calming * x) *
           u.protection.array() +
       claim_ * (1.0 + p.concession * deference) * efficacy_)
          .matrix();
  g.defiance = (g.defiance_economic.array() + g.defiance_security.array() - 2.0 * p.cost_defiance * defiance).matrix();

  g.security_economic = p.irritation_weight_security * irr_econ_;
  g.security_security = p.irritation_weight_security * irr_sec_;
  for (std::size_t q = 0; q < committers_.size(); ++q) {
    const Eigen::Index k = committers_[q];
    const auto c = static_cast<Eigen::Index>(q);
    // ∂c*/∂σ = r_c (1 − c*), towards powers only (a small state's commitment does not react).
    col_ = u.expected_commitment.col(k);
    if (s.is_power(k) > 0)
      col_.array() += lambda * security.col(k) * p.commitment_response * (1.0 - t.commitment.row(k).transpose().array());
    g.security_security.col(k).array() +=
        (share_(k) * product_c_.col(c).array() + product_c2_.col(c).array()) * col_.array();
  }
  g.security = (g.security_economic.array() + g.security_security.array() - 2.0 * p.cost_security * security).matrix();

  // Defence: −1 per unit of GDP share, against protection from internal means log1p(d Y / M_j).
  g.defence_share =
      ((loss_slope_ * own_ / (1.0 + own_.colwise() * pol.defence_share.array())).rowwise().sum() - 1.0).matrix();
}

}  // namespace alignsim::alignment
