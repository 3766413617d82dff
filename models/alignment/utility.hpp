#pragma once
// The alignment model's submodels as free functions over plain data (docs/model.md §4).
// Matrices are N×N with row = small state i, column = partner j unless noted "(j, i)", which
// means row = power j, column = target i (the layout of Policies::inducement and friends).
#include <Eigen/Dense>

#include "models/alignment/world.hpp"

namespace alignsim::alignment {

/// Concave returns to engagement g(ε) = 2ε − ε² (g(0) = 0, g(1) = 1, g'(1) = 0).
inline double engagement_returns(double e) { return 2.0 * e - e * e; }

/// Irritation of each power with each state, (j, i), before clipping to [0, 1]:
/// Σ_k R_jk (w_ε ε_ik + w_δ δ_ik + w_σ σ_ik), docs/model.md §4.1.
Eigen::MatrixXd raw_irritation(const World& w);

/// The powers' reaction targets, (j, i); rows of small states are zero.
struct ReactionTargets {
  Eigen::MatrixXd irritation;   // clipped to [0, 1]
  Eigen::MatrixXd inducement;   // ρ* = ρ0 + r_δ · logistic(k (δ_ij − irr_ji))
  Eigen::MatrixXd pressure;     // π* = (p_φ φ_ij + p_irr softplus(irr_ji − tol_j)) (1 − reassure δ_ij)
  Eigen::MatrixXd commitment;   // c* = c0 + r_c σ_ij
  Eigen::MatrixXd irritation_active;  // 1 where irritation is strictly inside (0, 1)
  Eigen::MatrixXd pressure_active;    // 1 where the pressure target is not clipped
};

/// Computes every power's reaction targets towards every state from current policies.
ReactionTargets reaction_targets(const World& w);

/// Moves each power's inducement, pressure and commitment a share κ towards its targets.
void react(Policies& p, const ReactionTargets& t, double reaction_rate, const Eigen::VectorXd& is_power);

/// Intermediate quantities of the small states' utility, all (i, j), computed once per tick.
struct UtilityTerms {
  // What state i expects from power j: (1 − λ)·current + λ·target, transposed to (i, j).
  Eigen::MatrixXd expected_inducement, expected_pressure, expected_commitment;
  Eigen::MatrixXd benefit;         // b_ij: economic benefit from partner j
  Eigen::VectorXd total_benefit;   // B_i
  Eigen::VectorXd hhi;             // concentration of benefits, Σ s_ij²
  Eigen::MatrixXd base_threat;     // share(M_j)^γ · prox_ij · proj_j
  Eigen::MatrixXd hostility;       // hostility of j towards i
  Eigen::MatrixXd protection;      // exp(−(internal + external)/scale)
  Eigen::MatrixXd threat_loss;     // w_sec Θ_ij · protection
  Eigen::MatrixXd backing;         // backing of i's claims against j by i's security partners
  Eigen::MatrixXd dispute_loss;    // expected loss on disputed claims against j
  Eigen::VectorXd economy, threat, disputes, costs, dependence;  // per-state utility parts
  Eigen::VectorXd total() const { return economy - threat - disputes - costs - dependence; }
};

/// Evaluates the utility terms of every state given current policies and the powers' targets.
UtilityTerms evaluate_utility(const World& w, const ReactionTargets& t);

/// Marginal utility of each small state with respect to each of its own policy variables.
struct PolicyGradient {
  Eigen::MatrixXd deference, defiance, engagement, security;  // (i, j)
  Eigen::VectorXd defence_share;
  // Curvature of the own (diagonal) terms, for the quadratic step estimate.
  Eigen::MatrixXd deference_curv, defiance_curv, engagement_curv, security_curv;
  // Economic and security parts of the marginal gain from deference (for the motive).
  Eigen::MatrixXd deference_economic, deference_security;
};

/// Computes the analytic gradient of every state's utility (chain rule through foresight and
/// the powers' reactions) in a handful of matrix products: O(N³) per call.
PolicyGradient utility_gradient(const World& w, const ReactionTargets& t, const UtilityTerms& u);

}  // namespace alignsim::alignment
