#include "models/alignment/classifier.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace alignsim::alignment {

void measure_features(const World& w, const UtilityTerms& u, Features& f) {
  const auto n = static_cast<Eigen::Index>(w.size());
  const auto p = static_cast<Eigen::Index>(w.focal);
  const Policies& pol = w.policies;
  const auto rivalry = w.structure.rivalry.row(p);
  f.alignment = u.alignment.col(p);
  f.deference = pol.deference.col(p);
  f.defiance = pol.defiance.col(p);
  for (Eigen::VectorXd* v : {&f.rival_alignment, &f.security_ties, &f.diversification, &f.rival_engagement,
                             &f.internal})
    v->setZero(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    // Only small states are classified: the powers' features stay zero.
    if (w.structure.is_power(i) > 0) continue;
    // A rival does not balance with itself: k = i is left out of every sum.
    double ties = 0, engaged = 0, weight = 0, from_rivals = 0;
    for (Eigen::Index k = 0; k < n; ++k) {
      if (k == i || rivalry(k) <= 0) continue;
      f.rival_alignment(i) = std::max(f.rival_alignment(i), u.alignment(i, k));
      ties += rivalry(k) * pol.security(i, k);
      engaged += rivalry(k) * pol.engagement(i, k);
      weight += rivalry(k);
      from_rivals += u.benefit(i, k);
    }
    f.security_ties(i) = std::min(1.0, ties);
    if (weight > 0) f.rival_engagement(i) = engaged / weight;
    if (u.total_benefit(i) > 0) f.diversification(i) = from_rivals / u.total_benefit(i);
    // Internal balancing is against a threat: the part of the build-up that P's threat explains.
    const double threat = u.threat_loss.row(i).sum();
    const double share = threat > 0 ? u.threat_loss(i, p) / threat : 0.0;
    f.internal(i) = (pol.defence_share(i) - w.structure.defence_floor(i)) * share;
  }
}

StrategyGain strategy_gain(const World& w, Eigen::Index i, const UtilityTerms& actual) {
  World scratch = w;
  Workspace ws;
  ws.prepare(scratch);
  return strategy_gain(w, i, actual, scratch, ws);
}

StrategyGain strategy_gain(const World& w, Eigen::Index i, const UtilityTerms& actual, World& scratch,
                           Workspace& ws) {
  const auto p = static_cast<Eigen::Index>(w.focal);
  const auto rivalry = w.structure.rivalry.row(p);
  Policies& ref = scratch.policies;
  // The counterfactual: nothing towards P or P's rivals, defence at its floor. Commitments are
  // untouched, so the workspace's preparation (which looks at them) still holds.
  for (Eigen::Index k = 0; k < static_cast<Eigen::Index>(w.size()); ++k) {
    if (k == i || (k != p && rivalry(k) <= 0)) continue;
    ref.deference(i, k) = 0;
    ref.defiance(i, k) = 0;
    ref.security(i, k) = 0;
  }
  ref.defence_share(i) = w.structure.defence_floor(i);
  ws.compute_targets(scratch);
  ws.compute_terms(scratch);
  const UtilityTerms& none = ws.terms;
  StrategyGain g;
  g.economic = actual.economic()(i) - none.economic()(i);
  g.security = actual.security()(i) - none.security()(i);
  // Back to w's policies, for the next state.
  ref.deference.row(i) = w.policies.deference.row(i);
  ref.defiance.row(i) = w.policies.defiance.row(i);
  ref.security.row(i) = w.policies.security.row(i);
  ref.defence_share(i) = w.policies.defence_share(i);
  return g;
}

namespace {
std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}
}  // namespace

std::string signed4(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.4f", v == 0.0 ? 0.0 : v);
  return buf;
}

Classification classify_features(const FeatureValues& f, const StrategyGain& gain,
                                 const ClassifierParams& c) {
  Classification out;
  const bool opposing = f.defiance >= c.defiance_high;
  const bool external = f.security_ties >= c.security_high;
  const bool arming = f.internal >= c.internal_margin;
  const bool balancing_element = opposing || external || arming;
  const bool aligned = f.alignment >= c.alignment_high && f.alignment > f.rival_alignment;
  const std::string al = "alignment " + fmt(f.alignment) + " (its rivals' highest " +
                         fmt(f.rival_alignment) + ")";
  const std::string opp = "defiance " + fmt(f.defiance) + ", security ties with its rivals " +
                          fmt(f.security_ties) + ", defence above floor against it " +
                          fmt(100 * f.internal) + "% of GDP";

  if (aligned && !balancing_element) {
    const bool diversified = f.diversification >= c.diversification_min;
    out.label = diversified ? "soft_bandwagoning" : "bandwagoning";
    out.reason = al + " >= " + fmt(c.alignment_high) + " with no balancing element (" + opp +
                 "); " + fmt(100 * f.diversification) +
                 "% of economic benefit from the focal power's rivals " +
                 (diversified ? ">= " : "< ") + fmt(100 * c.diversification_min) + "%";
  } else if (balancing_element && f.deference >= c.deference_hedge) {
    out.label = "hedging";
    out.reason = "deference " + fmt(f.deference) + " >= " + fmt(c.deference_hedge) +
                 " together with balancing (" + opp + "); " + al;
  } else if (balancing_element) {
    const std::string def = "deference " + fmt(f.deference) + " < " + fmt(c.deference_hedge);
    if (external) {
      out.label = "external_balancing";
      out.reason = "security ties with the focal power's rivals " + fmt(f.security_ties) +
                   " >= " + fmt(c.security_high) + ", " + def;
    } else if (arming) {
      out.label = "internal_balancing";
      out.reason = "defence above floor against the focal power " + fmt(100 * f.internal) +
                   "% of GDP >= " + fmt(100 * c.internal_margin) + "%, " + def;
    } else {
      out.label = "soft_balancing";
      out.reason = "defiance " + fmt(f.defiance) + " >= " + fmt(c.defiance_high) +
                   " without security ties or arms, " + def;
    }
  } else {
    out.label = "neutrality";
    out.reason = al + (f.alignment >= c.alignment_high ? " not above its rivals'" : " < " + fmt(c.alignment_high)) +
                 " and no balancing element (" + opp + ")";
  }
  // Motive (Schweller vs Walt): which part of utility the whole strategy towards the focal
  // power and its rivals gains more on, signs included.
  out.motive = gain.security > gain.economic ? "security" : "profit";
  out.reason += "; the strategy gains " + signed4(gain.economic) + " economically and " +
                signed4(gain.security) + " in security (share of GDP per tick) → " + out.motive;
  return out;
}

}  // namespace alignsim::alignment
