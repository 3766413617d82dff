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
  Eigen::VectorXd deference;        // δ_iP
  Eigen::VectorXd defiance;         // φ_iP
  Eigen::VectorXd security_ties;    // Σ_k R_Pk σ_ik over P's rivals k, capped at 1
  Eigen::VectorXd diversification;  // share of economic benefit from P's rivals
  Eigen::VectorXd rival_engagement; // rivalry-weighted mean of ε_ik over P's rivals
  Eigen::VectorXd internal;         // defence share above the floor (share of GDP)
  Eigen::VectorXd gain_economic;    // economic part of the marginal gain from deference to P
  Eigen::VectorXd gain_security;    // security part of it
};

/// Measures the features of every state from the current world and its utility terms.
Features measure_features(const World& w, const UtilityTerms& u, const PolicyGradient& g);

/// Label, motive and the reason for one state from window-averaged features.
struct Classification {
  std::string label;
  std::string motive;
  std::string reason;
};

/// Classifies one state from its window-mean features. Pure function of numbers and thresholds.
Classification classify_features(double deference, double defiance, double security_ties,
                                 double diversification, double internal, double gain_economic,
                                 double gain_security, const ClassifierParams& c);

}  // namespace alignsim::alignment
