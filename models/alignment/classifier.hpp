#pragma once
// The strategy classifier (docs/model.md §4.8): behaviour towards the focal power P, averaged
// over a trailing window, against configurable thresholds. It never looks at names or roles.
#include <Eigen/Dense>
#include <string>
#include <vector>

#include "models/alignment/params.hpp"
#include "models/alignment/utility.hpp"
#include "models/alignment/world.hpp"

namespace alignsim::alignment {

/// Per-tick behaviour of every state towards the focal power (N-vectors).
struct Features {
  Eigen::VectorXd alignment;        // x_iP = δ_iP (1 − m_iP)(1 − φ_iP): exclusive alignment with P
  Eigen::VectorXd rival_alignment;  // the largest x_ik over P's rivals k
  Eigen::VectorXd deference;        // δ_iP
  Eigen::VectorXd defiance;         // φ_iP
  Eigen::VectorXd security_ties;    // Σ_k R_Pk σ_ik over P's rivals k, capped at 1
  Eigen::VectorXd diversification;  // share of economic benefit from P's rivals
  Eigen::VectorXd rival_engagement; // rivalry-weighted mean of ε_ik over P's rivals
  Eigen::VectorXd internal;         // defence above the floor, times P's share of i's threat
};

/// Measures the features of every small state from the current world and its utility terms,
/// into `out` (resized only when the number of states changes; a power's entries are zero but
/// for alignment, deference and defiance, which are copied for every state).
void measure_features(const World& w, const UtilityTerms& u, Features& out);

/// Window means of one state's features (the classifier's input).
struct FeatureValues {
  double alignment = 0, rival_alignment = 0, deference = 0, defiance = 0, security_ties = 0,
         diversification = 0, rival_engagement = 0, internal = 0;
};

/// The gain of a state's whole strategy towards P and P's rivals, against the strategy of no
/// deference, defiance or security cooperation towards any of them and defence at its floor
/// (engagement unchanged): its economic and security parts (docs/model.md §4.8).
struct StrategyGain {
  double economic = 0;
  double security = 0;
};

/// Computes the strategy gain of state i in world w, whose utility terms are `actual` (one
/// more utility evaluation, of the counterfactual).
StrategyGain strategy_gain(const World& w, Eigen::Index i, const UtilityTerms& actual);

/// The same, evaluated in `ws`, already prepared for `scratch`: a copy of w whose policies
/// equal w's. Row i of scratch's policies is set to the counterfactual and restored, so one copy
/// and one workspace serve every state (classify() runs at the end of every sweep run). The
/// numbers are those of the overload above.
StrategyGain strategy_gain(const World& w, Eigen::Index i, const UtilityTerms& actual, World& scratch,
                           Workspace& ws);

/// A signed number with four decimals for reasons (−0 written as +0.0000).
std::string signed4(double v);

/// Label, motive and the reason for one state.
struct Classification {
  std::string label;
  std::string motive;
  std::string reason;
};

/// Classifies one state from its window-mean features and its strategy gain. Pure function of
/// numbers and thresholds.
Classification classify_features(const FeatureValues& f, const StrategyGain& gain,
                                 const ClassifierParams& c);

}  // namespace alignsim::alignment
