#pragma once
// The alignment model's submodels as free functions over plain data (docs/model.md §4).
// Matrices are N×N with row = small state i, column = partner j unless noted "(j, i)", which
// means row = power j, column = target i (the layout of Policies::inducement and friends).
#include <Eigen/Dense>
#include <vector>

#include "models/alignment/world.hpp"

namespace alignsim::alignment {

/// Concave returns to engagement g(ε) = 2ε − ε² (g(0) = 0, g(1) = 1, g'(1) = 0).
inline double engagement_returns(double e) { return 2.0 * e - e * e; }

/// Row-normalised rivalry R̃_jk = R_jk / Σ_k R_jk (rows of states without rivals are zero).
Eigen::MatrixXd normalised_rivalry(const Eigen::MatrixXd& rivalry);

/// Mean support of j's rivals, (i, j): m_ij = Σ_k R̃_jk δ_ik, docs/model.md §4.1.
Eigen::MatrixXd rival_support(const World& w);

/// Exclusive alignment of i with j, (i, j): x_ij = δ_ij (1 − m_ij)(1 − φ_ij) — support of j
/// not matched by support of j's rivals on what they contest, nor undone by defiance of j.
/// In [0, 1]; docs/model.md §4.1.
Eigen::MatrixXd alignment(const World& w);

/// Irritation of each power with each state, (j, i): Σ_k R_jk (w_ε ε_ik + w_δ δ_ik + w_σ σ_ik).
Eigen::MatrixXd raw_irritation(const World& w);

/// The powers' reaction targets, (j, i); rows of small states are zero. All smooth, no clips.
struct ReactionTargets {
  Eigen::MatrixXd irritation;   // raw irritation (unbounded, ≥ 0)
  Eigen::MatrixXd rival_support;  // m_ij, (i, j): what i gives j's rivals (rival_support())
  Eigen::MatrixXd alignment;    // x_ij transposed to (j, i)
  Eigen::MatrixXd inducement;   // ρ* = ρ0 + (r_δ + ω) x (2 − x)
  Eigen::MatrixXd pressure_drive;  // z = p_φ φ + p_irr softplus(irr − tol − reassure·x)
  Eigen::MatrixXd threshold_slope;  // softplus′(irr − tol − reassure·x), the logistic
  Eigen::MatrixXd pressure_slack;   // exp(−z) = 1 − π* = ∂π*/∂z
  Eigen::MatrixXd pressure;     // π* = 1 − exp(−z)
  Eigen::MatrixXd commitment;   // c* = 1 − (1 − c0) exp(−r_c σ)
};

/// Computes every power's reaction targets towards every state from current policies.
ReactionTargets reaction_targets(const World& w);

/// Moves each power's inducement, pressure and commitment a share κ towards its targets.
void react(Policies& p, const ReactionTargets& t, double reaction_rate, const Eigen::VectorXd& is_power);

/// Intermediate quantities of the small states' utility, all (i, j), computed once per tick.
struct UtilityTerms {
  // What state i expects from power j: (1 − λ)·current + λ·target, transposed to (i, j).
  Eigen::MatrixXd expected_inducement, expected_pressure, expected_commitment;
  Eigen::MatrixXd alignment;       // x_ij
  Eigen::MatrixXd benefit;         // b_ij: economic benefit from partner j
  Eigen::VectorXd total_benefit;   // B_i
  Eigen::VectorXd hhi;             // concentration of benefits, Σ s_ij²
  Eigen::MatrixXd base_threat;     // share(M_j)^γ · prox_ij · proj_j
  Eigen::MatrixXd hostility;       // hostility of j towards i
  Eigen::MatrixXd general_hostility;  // its part that alignment calms
  Eigen::MatrixXd protection;      // exp(−(internal + external)/scale) where j threatens i, else 1
  Eigen::MatrixXd threat_loss;     // w_sec Θ_ij H_ij · protection
  Eigen::MatrixXd backing;         // backing of i's claims against j by i's security partners
  Eigen::MatrixXd dispute_loss;    // expected loss on disputed claims against j
  Eigen::VectorXd economy, threat, disputes, costs, dependence;  // per-state utility parts
  Eigen::VectorXd total() const { return economy - threat - disputes - costs - dependence; }
  /// The economic part of utility (benefits less the dependence penalty).
  Eigen::VectorXd economic() const { return economy - dependence; }
  /// The security part of utility (threat and dispute losses, negative).
  Eigen::VectorXd security() const { return -threat - disputes; }
};

/// Evaluates the utility terms of every state given current policies and the powers' targets.
UtilityTerms evaluate_utility(const World& w, const ReactionTargets& t);

/// Marginal utility of each small state with respect to each of its own policy variables, and
/// its economic and security parts: total = economic + security + cost, for every variable.
struct PolicyGradient {
  Eigen::MatrixXd deference, defiance, engagement, security;  // (i, j)
  Eigen::VectorXd defence_share;
  // Curvature of the own (diagonal) terms, for the quadratic step estimate.
  Eigen::MatrixXd deference_curv, defiance_curv, engagement_curv, security_curv;
  // Parts of each slope: economic (benefits, rewards, economic bite of pressure, dependence)
  // and security (threat, protection, disputes); the rest is the variable's own cost.
  Eigen::MatrixXd deference_economic, deference_security;
  Eigen::MatrixXd defiance_economic, defiance_security;
  Eigen::MatrixXd engagement_economic, engagement_security;
  Eigen::MatrixXd security_economic, security_security;
};

/// Computes the analytic gradient of every state's utility (chain rule through foresight and
/// the powers' reactions) in a handful of matrix products: O(N³) per call.
PolicyGradient utility_gradient(const World& w, const ReactionTargets& t, const UtilityTerms& u);

/// Everything one evaluation of the model needs, sized once for a world of N states: the
/// constants of its structure, the reaction targets, the utility terms, the gradient and
/// scratch space. Evaluating into a prepared workspace allocates nothing (docs/performance.md).
/// The free functions above are this class used once.
class Workspace {
 public:
  /// Which rows of the utility terms and the gradient an evaluation must get right: every
  /// state's, or only those of the small states (all that a tick's decisions and features
  /// read). With `small_states` the powers' rows of `terms` and `gradient` are meaningless;
  /// every other number is the same either way.
  enum class Rows { all, small_states };
  /// Sizes the workspace and computes what depends only on structure and parameters; call it
  /// once before the first evaluation and again after anything but the policies changed.
  void prepare(const World& w, Rows rows = Rows::all);
  /// The powers' reaction targets from current policies (into `targets`).
  void compute_targets(const World& w);
  /// The utility terms from current policies and `targets` (into `terms`).
  void compute_terms(const World& w);
  /// The gradient from current policies, `targets` and `terms` (into `gradient`).
  void compute_gradient(const World& w);

  ReactionTargets targets;
  UtilityTerms terms;
  PolicyGradient gradient;

 private:
  /// A right-hand operand of the model's products: rivalry is usually sparse (a few great-power
  /// rivalries and disputes), so a product costs N per non-zero; a dense one goes to Eigen.
  struct Operand {
    struct Entry {
      Eigen::Index row, col;
      double value;
    };
    std::vector<Entry> entries;  // by column, then row
    Eigen::MatrixXd dense;
    bool sparse = true;
    void set(const Eigen::MatrixXd& m);
  };
  /// out = a · s, out sized (a.rows(), s.cols()).
  template <typename A>
  static void multiply(Eigen::MatrixXd& out, const A& a, const Operand& s);
  void update_efficacy(const Params& p);

  Eigen::Index n_ = -1;
  Eigen::Index rows_begin_ = 0, rows_end_ = 0;  // the rows of prepare()'s `rows`
  // The great powers (P of them), and the states whose commitment rows can be non-zero (C):
  // commitment enters every product only through them, so those products are N×P work.
  std::vector<Eigen::Index> powers_, committers_;
  // Rivalry R and its row-normalised R̃ as the operands of each product, named by their shape.
  Operand rivalry_of_powers_t_;       // R_Pᵀ (N, P): the powers' rows of R, transposed
  Operand rivalry_norm_t_;            // R̃ᵀ (N, N)
  Operand rivalry_of_committers_;     // R_C (C, N)
  Operand rivalry_of_committers_t_;   // R_Cᵀ (N, C)
  Operand rivalry_of_powers_;         // R_P (P, N)
  Operand rivalry_norm_of_powers_;    // R̃_P (P, N)
  Operand rivalry_norm_;              // R̃ (N, N)
  Eigen::VectorXd share_;             // military shares
  Eigen::ArrayXXd dispute_part_, claim_, general_base_, own_;  // (i, j), see compute_terms
  Eigen::MatrixXd internal_;          // log1p(d_i Y_i / M_j), for the defence shares in internal_defence_
  Eigen::VectorXd internal_defence_;
  // Scratch, (N, N) unless noted.
  Eigen::MatrixXd ties_, irritation_t_;  // irritation_t_ (N, P): the powers' irritation, transposed
  Eigen::MatrixXd help_, help_shared_, product_c_, product_c2_;  // (N, C)
  Eigen::MatrixXd product_, irr_econ_, irr_sec_, through_econ_, through_sec_;
  Eigen::MatrixXd slope_p_;                 // (N, P)
  Eigen::ArrayXXd d_benefit_, u_rho_, u_pi_econ_, u_pi_sec_, g_x_econ_, g_x_sec_, calming_,
      dpi_dz_, loss_slope_, backing_slope_, efficacy_;
  Eigen::ArrayXXd g_irr_econ_, g_irr_sec_;  // (N, P)
  Eigen::VectorXd col_;
};

}  // namespace alignsim::alignment
