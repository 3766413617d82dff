#include "models/alignment/classifier.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace alignsim::alignment {

Features measure_features(const World& w, const UtilityTerms& u, const PolicyGradient& g) {
  const auto n = static_cast<Eigen::Index>(w.size());
  const auto p = static_cast<Eigen::Index>(w.focal);
  const Policies& pol = w.policies;
  // Rivalry of P with each k, excluding i itself (a rival does not balance with itself).
  const Eigen::VectorXd rivalry = w.structure.rivalry.row(p).transpose();
  Features f;
  f.deference = pol.deference.col(p);
  f.defiance = pol.defiance.col(p);
  f.security_ties = Eigen::VectorXd::Zero(n);
  f.diversification = Eigen::VectorXd::Zero(n);
  f.rival_engagement = Eigen::VectorXd::Zero(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    // Security ties add up: Σ_k R_Pk σ_ik, capped at 1 (how much of i's security
    // cooperation is aimed at P). Engagement is a rivalry-weighted mean.
    f.security_ties(i) = std::min(1.0, pol.security.row(i).dot(rivalry) - pol.security(i, i) * rivalry(i));
    const double weight = rivalry.sum() - rivalry(i);
    if (weight > 0)
      f.rival_engagement(i) =
          (pol.engagement.row(i).dot(rivalry) - pol.engagement(i, i) * rivalry(i)) / weight;
    double from_rivals = 0;
    for (Eigen::Index k = 0; k < n; ++k)
      if (k != i && rivalry(k) > 0) from_rivals += u.benefit(i, k);
    if (u.total_benefit(i) > 0) f.diversification(i) = from_rivals / u.total_benefit(i);
  }
  f.internal = pol.defence_share - w.structure.defence_floor;
  f.gain_economic = g.deference_economic.col(p);
  f.gain_security = g.deference_security.col(p);
  return f;
}

namespace {
std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}
}  // namespace

Classification classify_features(double deference, double defiance, double security_ties,
                                 double diversification, double internal, double gain_economic,
                                 double gain_security, const ClassifierParams& c) {
  Classification out;
  const double opposition = std::max(defiance, security_ties);
  const bool defiant = opposition >= c.defiance_high;
  const bool arming = internal >= c.internal_margin;
  const bool balancing_element = defiant || arming;
  const std::string def = "deference " + fmt(deference);
  const std::string opp = "defiance " + fmt(defiance) + ", security ties with rivals " + fmt(security_ties);

  if (deference >= c.deference_high && !balancing_element) {
    const bool diversified = diversification >= c.diversification_min;
    out.label = diversified ? "soft_bandwagoning" : "bandwagoning";
    out.reason = def + " >= " + fmt(c.deference_high) + " with no defiance (" + opp + " < " +
                 fmt(c.defiance_high) + "); " + fmt(100 * diversification) +
                 "% of economic benefit from the focal power's rivals " +
                 (diversified ? ">= " : "< ") + fmt(100 * c.diversification_min) + "%";
  } else if (balancing_element && deference >= c.deference_hedge) {
    out.label = "hedging";
    out.reason = def + " >= " + fmt(c.deference_hedge) + " together with balancing (" + opp +
                 ", defence above floor " + fmt(internal) + ")";
  } else if (balancing_element) {
    if (security_ties >= c.defiance_high) {
      out.label = "external_balancing";
      out.reason = "security ties with the focal power's rivals " + fmt(security_ties) + " >= " + fmt(c.defiance_high) + ", " + def;
    } else if (arming) {
      out.label = "internal_balancing";
      out.reason = "defence " + fmt(internal) + " of GDP above its floor >= " + fmt(c.internal_margin) + ", " + def;
    } else {
      out.label = "soft_balancing";
      out.reason = "defiance " + fmt(defiance) + " >= " + fmt(c.defiance_high) + " without security ties, " + def;
    }
  } else {
    out.label = "neutrality";
    out.reason = def + " < " + fmt(c.deference_high) + " and no defiance (" + opp + ")";
  }
  // Motive: which part of the marginal gain from deference dominates (Schweller vs Walt).
  out.motive = std::abs(gain_economic) >= std::abs(gain_security) ? "profit" : "security";
  return out;
}

}  // namespace alignsim::alignment
