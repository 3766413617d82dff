#include "models/alignment/utility.hpp"

#include "models/alignment/multiversion.hpp"

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
    // out.col(c) += v · a.col(r) per entry, as a plain loop over contiguous columns (Eigen's
    // column expression costs more than the 9 to 30 multiply-adds of a column here).
    out.setZero();
    const Eigen::Index rows = out.rows();
    double* const o = out.data();
    const double* const in = a.derived().data();
    for (const Operand::Entry& e : s.entries) {
      double* __restrict to = o + e.col * rows;
      const double* __restrict from = in + e.row * rows;
      const double v = e.value;
      for (Eigen::Index k = 0; k < rows; ++k) to[k] += v * from[k];
    }
  } else if (a.rows() + a.cols() + s.dense.cols() <= 48) {
    out.noalias() = a.lazyProduct(s.dense);  // Eigen's coefficient-based product: small sizes
  } else {
    out.noalias() = a * s.dense;
  }
}

namespace {

// ---- fused element-wise loops of the utility terms and the gradient -----------------------
// Each computes what a chain of Eigen expressions computed, entry by entry, with the same
// operations in the same order (so the same bits): the Eigen form is in the comments. One
// pass instead of one per expression, and AVX2 where the machine has it.

// benefit = E·ε·(2 − ε)·(1 + ρ)·(1 − s_π π); general = base + h_π·π + h_φ·φ;
// hostility = dispute + general·(1 − calm·x).
ALIGNSIM_AVX2_CLONES void benefit_and_hostility(Eigen::Index size, const double* __restrict value,
                                                const double* __restrict engagement, const double* __restrict rho,
                                                const double* __restrict pi, const double* __restrict general_base,
                                                const double* __restrict defiance, const double* __restrict dispute,
                                                const double* __restrict alignment, double bite,
                                                double hostility_pressure, double hostility_defiance, double calm,
                                                double* __restrict benefit, double* __restrict general,
                                                double* __restrict hostility) {
  for (Eigen::Index k = 0; k < size; ++k) {
    benefit[k] = value[k] * engagement[k] * (2.0 - engagement[k]) * (1.0 + rho[k]) * (1.0 - bite * pi[k]);
    const double h = general_base[k] + hostility_pressure * pi[k] + hostility_defiance * defiance[k];
    general[k] = h;
    hostility[k] = dispute[k] + h * (1.0 - calm * alignment[k]);
  }
}

// ∂U/∂b·∂b/∂(1 + ρ) = d·E·ε·(2 − ε) = t; u_ρ = t·(1 − s_π π); u_π,econ = −t·(1 + ρ)·s_π;
// u_π,sec = (−w_sec h_π)·base·(1 − calm·x)·protection; calming = (w_sec calm)·base·hostility_gen·protection;
// g_x_sec = calming (the powers' columns are completed after).
ALIGNSIM_AVX2_CLONES void marginal_utilities(Eigen::Index size, const double* __restrict d, const double* __restrict value,
                                             const double* __restrict engagement, const double* __restrict pi,
                                             const double* __restrict rho, const double* __restrict base_threat,
                                             const double* __restrict alignment, const double* __restrict protection,
                                             const double* __restrict general_hostility, double bite,
                                             double sec_pressure, double calm, double calming_weight,
                                             double* __restrict u_pi_econ, double* __restrict u_rho,
                                             double* __restrict u_pi_sec, double* __restrict calming,
                                             double* __restrict g_x_sec) {
  for (Eigen::Index k = 0; k < size; ++k) {
    const double through = d[k] * value[k] * engagement[k] * (2.0 - engagement[k]);
    u_rho[k] = through * (1.0 - bite * pi[k]);
    u_pi_econ[k] = -through * (1.0 + rho[k]) * bite;
    u_pi_sec[k] = sec_pressure * base_threat[k] * (1.0 - calm * alignment[k]) * protection[k];
    const double c = calming_weight * base_threat[k] * general_hostility[k] * protection[k];
    calming[k] = c;
    g_x_sec[k] = c;
  }
}

// loss_slope = threat_loss / scale; efficacy = e_φ·(b0 + (1 − b0)·backing) (update_efficacy);
// backing_slope = claim·(1 + concession·δ)·e_φ·φ·(1 − b0)·(1 − backing).
ALIGNSIM_AVX2_CLONES void protection_slopes(Eigen::Index size, const double* __restrict threat_loss,
                                            const double* __restrict backing, const double* __restrict claim,
                                            const double* __restrict deference, const double* __restrict defiance,
                                            double scale, double defiance_efficacy, double unbacked,
                                            double concession, double* __restrict loss_slope,
                                            double* __restrict efficacy, double* __restrict backing_slope) {
  const double backed = 1 - unbacked;
  for (Eigen::Index k = 0; k < size; ++k) {
    loss_slope[k] = threat_loss[k] / scale;
    efficacy[k] = defiance_efficacy * (unbacked + backed * backing[k]);
    backing_slope[k] =
        claim[k] * (1.0 + concession * deference[k]) * defiance_efficacy * defiance[k] * backed * (1.0 - backing[k]);
  }
}

// engagement_economic = d·E·2·(1 − ε)·(1 + ρ)·(1 − s_π π) + w_ε·irr_econ
// engagement_security = w_ε·irr_sec; engagement = economic + security
// engagement_curv = −2·d·E·(1 + ρ)·(1 − s_π π)
ALIGNSIM_AVX2_CLONES void engagement_slopes(Eigen::Index size, const double* __restrict d, const double* __restrict value,
                                            const double* __restrict engagement, const double* __restrict rho,
                                            const double* __restrict pi, const double* __restrict irr_econ,
                                            const double* __restrict irr_sec, double bite, double weight,
                                            double* __restrict econ, double* __restrict sec, double* __restrict total,
                                            double* __restrict curv) {
  for (Eigen::Index k = 0; k < size; ++k) {
    const double kept = 1.0 - bite * pi[k];
    const double e = d[k] * value[k] * 2.0 * (1.0 - engagement[k]) * (1.0 + rho[k]) * kept + weight * irr_econ[k];
    const double s = weight * irr_sec[k];
    econ[k] = e;
    sec[k] = s;
    total[k] = e + s;
    curv[k] = -2.0 * d[k] * value[k] * (1.0 + rho[k]) * kept;
  }
}

// deference_economic = g_x_econ (1 − m)(1 − φ) − through_econ + w_δ·irr_econ
// deference_security = g_x_sec (1 − m)(1 − φ) − through_sec + w_δ·irr_sec − claim·concession·(1 − φ·efficacy)
// deference = economic + security − 2 c_δ δ
ALIGNSIM_AVX2_CLONES void deference_slopes(Eigen::Index size, const double* __restrict g_x_econ,
                                           const double* __restrict g_x_sec, const double* __restrict support,
                                           const double* __restrict defiance, const double* __restrict through_econ,
                                           const double* __restrict through_sec, const double* __restrict irr_econ,
                                           const double* __restrict irr_sec, const double* __restrict claim,
                                           const double* __restrict efficacy, const double* __restrict deference,
                                           double weight, double concession, double twice_cost,
                                           double* __restrict econ, double* __restrict sec, double* __restrict total) {
  for (Eigen::Index k = 0; k < size; ++k) {
    const double free_of_support = 1.0 - support[k], free_of_defiance = 1.0 - defiance[k];
    const double e = g_x_econ[k] * free_of_support * free_of_defiance - through_econ[k] + weight * irr_econ[k];
    const double s = g_x_sec[k] * free_of_support * free_of_defiance - through_sec[k] + weight * irr_sec[k] -
                     claim[k] * concession * (1.0 - defiance[k] * efficacy[k]);
    econ[k] = e;
    sec[k] = s;
    total[k] = e + s - twice_cost * deference[k];
  }
}

// defiance_economic = λ p_φ·u_π,econ·∂π/∂z − g_x_econ·δ·(1 − m)
// defiance_security = λ p_φ·u_π,sec·∂π/∂z − g_x_sec·δ·(1 − m) − w_sec h_φ·base·(1 − calm·x)·protection
//                     + claim·(1 + concession·δ)·efficacy
// defiance = economic + security − 2 c_φ φ
ALIGNSIM_AVX2_CLONES void defiance_slopes(Eigen::Index size, const double* __restrict u_pi_econ,
                                          const double* __restrict u_pi_sec, const double* __restrict dpi_dz,
                                          const double* __restrict g_x_econ, const double* __restrict g_x_sec,
                                          const double* __restrict deference, const double* __restrict support,
                                          const double* __restrict base_threat, const double* __restrict alignment,
                                          const double* __restrict protection, const double* __restrict claim,
                                          const double* __restrict efficacy, const double* __restrict defiance,
                                          double foresight_pressure, double threat_hostility, double calming,
                                          double concession, double twice_cost, double* __restrict econ,
                                          double* __restrict sec, double* __restrict total) {
  for (Eigen::Index k = 0; k < size; ++k) {
    const double free_of_support = 1.0 - support[k];
    const double e = foresight_pressure * u_pi_econ[k] * dpi_dz[k] - g_x_econ[k] * deference[k] * free_of_support;
    const double s = foresight_pressure * u_pi_sec[k] * dpi_dz[k] - g_x_sec[k] * deference[k] * free_of_support -
                     threat_hostility * base_threat[k] * (1.0 - calming * alignment[k]) * protection[k] +
                     claim[k] * (1.0 + concession * deference[k]) * efficacy[k];
    econ[k] = e;
    sec[k] = s;
    total[k] = e + s - twice_cost * defiance[k];
  }
}

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
    const double tolerance = s.tolerance(j);
    for (Eigen::Index i = 0; i < n_; ++i) {
      const double x = product_(i, j), irritation = irritation_t_(i, static_cast<Eigen::Index>(q));
      t.irritation(j, i) = irritation;
      // Powers pay for exclusive alignment: the base offer, the reward and any conditional
      // offer. Diminishing returns: a power values the first steps of a state's alignment most.
      t.inducement(j, i) = s.base_inducement(j, i) + (p.reward_deference + s.conditional_offer(j, i)) * x * (2.0 - x);
      // Defiance is punished whatever else the state does; alignment buys tolerance for its
      // ties with the power's rivals (the seed's Hor Namhong visit "to comfort Beijing"). The
      // smooth threshold is softplus_w(v) = w·log(1 + exp(v/w)), written to avoid overflow.
      const double a = (irritation - tolerance - p.reassurance * x) / p.pressure_smoothness;
      const double e = std::exp(-std::abs(a));
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

  // What i expects from j: (1 − λ)·current + λ·target, transposed to (i, j); and x_ij.
  const Eigen::Index n = n_;
  for (Eigen::Index i = 0; i < n; ++i)  // reading contiguous columns, writing rows
    for (Eigen::Index j = 0; j < n; ++j) {
      u.expected_inducement(i, j) = (1 - lambda) * pol.inducement(j, i) + lambda * t.inducement(j, i);
      u.expected_pressure(i, j) = (1 - lambda) * pol.pressure(j, i) + lambda * t.pressure(j, i);
      u.expected_commitment(i, j) = (1 - lambda) * pol.commitment(j, i) + lambda * t.commitment(j, i);
      u.alignment(i, j) = t.alignment(j, i);
    }
  const auto deference = pol.deference.array();
  const auto defiance = pol.defiance.array();

  // Economy, docs/model.md §4.2: E_ij g(ε_ij) (1 + ρ_ji) (1 − s_π π_ji). Security, Walt's four
  // factors: aggregate power, proximity, offensive power (base_threat, from prepare()), and
  // intentions (hostility): its general part, and the whole less what alignment calms.
  benefit_and_hostility(u.benefit.size(), s.economic_value.data(), pol.engagement.data(),
                        u.expected_inducement.data(), u.expected_pressure.data(), general_base_.data(),
                        pol.defiance.data(), dispute_part_.data(), u.alignment.data(), p.pressure_bite,
                        p.hostility_pressure, p.hostility_defiance, p.deference_calming, u.benefit.data(),
                        u.general_hostility.data(), u.hostility.data());
  u.total_benefit = u.benefit.rowwise().sum();
  for (Eigen::Index i = 0; i < u.hhi.size(); ++i) {
    const double total = u.total_benefit(i);
    u.hhi(i) = total > 0 ? (u.benefit.row(i) / total).squaredNorm() : 0.0;
  }
  u.economy = u.total_benefit;
  u.dependence = (s.dependence_aversion.array() * p.dependence_weight * u.hhi.array()).matrix();


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
  const auto security = pol.security.array();
  const auto x = u.alignment.array();

  // ∂U/∂b_ij: one unit of benefit, less its effect on the concentration penalty.
  d_benefit_.setOnes();
  for (Eigen::Index i = 0; i < d_benefit_.rows(); ++i) {
    const double total = u.total_benefit(i);
    if (total <= 0) continue;
    const double k = s.dependence_aversion(i) * p.dependence_weight * 2.0 / total;
    d_benefit_.row(i) -= k * (u.benefit.row(i).array() / total - u.hhi(i));
  }
  // Marginal utility of what power j gives i: inducement; pressure, economic and security.
  // (and g_x_sec_ starts as calming_: see below)
  marginal_utilities(d_benefit_.size(), d_benefit_.data(), s.economic_value.data(), pol.engagement.data(),
                     u.expected_pressure.data(), u.expected_inducement.data(), u.base_threat.data(),
                     u.alignment.data(), u.protection.data(), u.general_hostility.data(), p.pressure_bite,
                     -p.threat_weight * p.hostility_pressure, p.deference_calming,
                     p.threat_weight * p.deference_calming, u_pi_econ_.data(), u_rho_.data(), u_pi_sec_.data(),
                     calming_.data(), g_x_sec_.data());

  // ∂U/∂irritation_ji and ∂U/∂x_ij, each split into economic and security parts. Only the
  // powers' targets move with i's policies, so these are columns of the powers only; the
  // columns of small states stay zero (∂π*/∂z too, which makes every power-only term exact).
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
  protection_slopes(loss_slope_.size(), u.threat_loss.data(), u.backing.data(), claim_.data(), pol.deference.data(),
                    pol.defiance.data(), p.protection_scale, p.defiance_efficacy, p.unbacked_efficacy,
                    p.concession, loss_slope_.data(), efficacy_.data(), backing_slope_.data());
  multiply(product_c_, loss_slope_.matrix(), rivalry_of_committers_t_);
  multiply(product_c2_, backing_slope_.matrix(), rivalry_of_committers_t_);

  // The slopes of engagement, deference and defiance and their parts: one fused loop each
  // over all N² entries (plain arithmetic in the order of the Eigen expressions they replace,
  // multiversioned for AVX2).
  const Eigen::Index size = g.engagement.size();
  engagement_slopes(size, d_benefit_.data(), s.economic_value.data(), pol.engagement.data(),
                    u.expected_inducement.data(), u.expected_pressure.data(), irr_econ_.data(), irr_sec_.data(),
                    p.pressure_bite, p.irritation_weight_engagement, g.engagement_economic.data(),
                    g.engagement_security.data(), g.engagement.data(), g.engagement_curv.data());
  deference_slopes(size, g_x_econ_.data(), g_x_sec_.data(), t.rival_support.data(), pol.defiance.data(),
                   through_econ_.data(), through_sec_.data(), irr_econ_.data(), irr_sec_.data(), claim_.data(),
                   efficacy_.data(), pol.deference.data(), p.irritation_weight_deference, p.concession,
                   2.0 * p.cost_deference, g.deference_economic.data(), g.deference_security.data(),
                   g.deference.data());
  defiance_slopes(size, u_pi_econ_.data(), u_pi_sec_.data(), dpi_dz_.data(), g_x_econ_.data(), g_x_sec_.data(),
                  pol.deference.data(), t.rival_support.data(), u.base_threat.data(), u.alignment.data(),
                  u.protection.data(), claim_.data(), efficacy_.data(), pol.defiance.data(),
                  lambda * p.pressure_defiance, p.threat_weight * p.hostility_defiance, p.deference_calming,
                  p.concession, 2.0 * p.cost_defiance, g.defiance_economic.data(), g.defiance_security.data(),
                  g.defiance.data());

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
