// Direction-of-effect tests for each utility term and an exact check of the analytic gradient.
#include "models/alignment/utility.hpp"

#include <gtest/gtest.h>

#include "models/alignment/alignment_model.hpp"
#include "test_support.hpp"

namespace alignsim::alignment {
namespace {

using testing::bundled;

// A world a few ticks into the ASEAN scenario, so policies are off their initial values.
World asean_world(int ticks = 30) {
  static const Scenario s = bundled("scenarios/asean_2016.yaml");
  RunOptions o;
  o.record = false;
  Engine e(s, model_registry(), o);
  for (int t = 0; t < ticks; ++t) e.step();
  return dynamic_cast<const AlignmentModel&>(e.model()).world();
}

std::size_t id(const char* name) {
  static const Scenario s = bundled("scenarios/asean_2016.yaml");
  return *s.find_state(name);
}

double utility_of(const World& w, std::size_t i) {
  const ReactionTargets t = reaction_targets(w);
  return evaluate_utility(w, t).total()(static_cast<Eigen::Index>(i));
}

// Central finite difference of state i's utility in one of its own policy variables.
double numeric_slope(World w, Eigen::MatrixXd Policies::*m, std::size_t i, std::size_t j) {
  const double h = 1e-6;
  double& x = (w.policies.*m)(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
  const double x0 = x;
  x = x0 + h;
  const double up = utility_of(w, i);
  x = x0 - h;
  const double down = utility_of(w, i);
  return (up - down) / (2 * h);
}

TEST(UtilityGradient, MatchesFiniteDifferences) {
  const World w = asean_world();
  const ReactionTargets t = reaction_targets(w);
  const PolicyGradient g = utility_gradient(w, t, evaluate_utility(w, t));
  int checked = 0;
  for (const char* state : {"cambodia", "vietnam", "singapore", "philippines"}) {
    for (const char* partner : {"china", "usa", "japan", "vietnam", "laos"}) {
      const std::size_t i = id(state), j = id(partner);
      if (i == j) continue;
      const auto ii = static_cast<Eigen::Index>(i), jj = static_cast<Eigen::Index>(j);
      EXPECT_NEAR(g.deference(ii, jj), numeric_slope(w, &Policies::deference, i, j), 1e-5) << state << "→" << partner;
      EXPECT_NEAR(g.defiance(ii, jj), numeric_slope(w, &Policies::defiance, i, j), 1e-5) << state << "→" << partner;
      EXPECT_NEAR(g.engagement(ii, jj), numeric_slope(w, &Policies::engagement, i, j), 1e-5) << state << "→" << partner;
      EXPECT_NEAR(g.security(ii, jj), numeric_slope(w, &Policies::security, i, j), 1e-5) << state << "→" << partner;
      ++checked;
    }
  }
  EXPECT_GT(checked, 15);
}

TEST(UtilityGradient, DefenceShareMatchesFiniteDifference) {
  World w = asean_world();
  const ReactionTargets t = reaction_targets(w);
  const PolicyGradient g = utility_gradient(w, t, evaluate_utility(w, t));
  const auto i = static_cast<Eigen::Index>(id("vietnam"));
  const double h = 1e-7, d0 = w.policies.defence_share(i);
  w.policies.defence_share(i) = d0 + h;
  const double up = utility_of(w, static_cast<std::size_t>(i));
  w.policies.defence_share(i) = d0 - h;
  const double down = utility_of(w, static_cast<std::size_t>(i));
  EXPECT_NEAR(g.defence_share(i), (up - down) / (2 * h), 1e-5);
}

// Each test moves one input and checks the sign of the change of one term.
TEST(Economy, RisesWithEngagementAndInducementFallsWithPressure) {
  World w = asean_world(0);
  const auto i = static_cast<Eigen::Index>(id("cambodia")), j = static_cast<Eigen::Index>(id("china"));
  const double base = evaluate_utility(w, reaction_targets(w)).economy(i);
  World more = w;
  more.policies.engagement(i, j) += 0.2;
  EXPECT_GT(evaluate_utility(more, reaction_targets(more)).economy(i), base);
  World induced = w;
  induced.policies.inducement(j, i) += 0.3;
  EXPECT_GT(evaluate_utility(induced, reaction_targets(induced)).economy(i), base);
  World pressed = w;
  pressed.policies.pressure(j, i) += 0.5;
  EXPECT_LT(evaluate_utility(pressed, reaction_targets(pressed)).economy(i), base);
}

TEST(Threat, RisesWithProximityPowerAndHostility) {
  World w = asean_world(0);
  const auto i = static_cast<Eigen::Index>(id("cambodia")), j = static_cast<Eigen::Index>(id("china"));
  auto threat = [&](const World& x) { return evaluate_utility(x, reaction_targets(x)).threat_loss(i, j); };
  const double base = threat(w);
  World near = w;
  near.structure.proximity(i, j) = 1.0;
  EXPECT_GT(threat(near), base);
  World stronger = w;
  stronger.structure.military(j) *= 2;
  EXPECT_GT(threat(stronger), base);
  World projecting = w;
  projecting.structure.projection(j) = 1.0;
  EXPECT_GT(threat(projecting), base);
  World hostile = w;
  hostile.structure.hostility(j) += 0.3;
  EXPECT_GT(threat(hostile), base);
}

TEST(Threat, FallsWithDefenceAndBackedSecurityTies) {
  World w = asean_world(0);
  const auto i = static_cast<Eigen::Index>(id("vietnam")), j = static_cast<Eigen::Index>(id("china"));
  const auto us = static_cast<Eigen::Index>(id("usa"));
  auto threat = [&](const World& x) { return evaluate_utility(x, reaction_targets(x)).threat_loss(i, j); };
  const double base = threat(w);
  World armed = w;
  armed.policies.defence_share(i) = 0.2;
  EXPECT_LT(threat(armed), base);
  World allied = w;
  allied.policies.security(i, us) = 0.8;
  allied.policies.commitment(us, i) = 0.8;
  EXPECT_LT(threat(allied), base);
}

TEST(Threat, DeferenceCalmsOnlyTheNonDisputePart) {
  World w = asean_world(0);
  const auto i = static_cast<Eigen::Index>(id("vietnam")), j = static_cast<Eigen::Index>(id("china"));
  World deferent = w;
  deferent.policies.deference(i, j) = 1.0;
  deferent.policies.pressure.setZero();
  deferent.structure.hostility(j) = 0.0;
  const UtilityTerms u = evaluate_utility(deferent, reaction_targets(deferent));
  // With no general hostility left, the dispute part (X·assert) remains whatever the deference.
  EXPECT_GT(u.hostility(i, j), 0.9 * w.structure.dispute(i, j) * w.structure.assertiveness(j));
}

TEST(Disputes, DefianceProtectsAndBackingHelpsDeferenceConcedes) {
  World w = asean_world(0);
  const auto i = static_cast<Eigen::Index>(id("vietnam")), j = static_cast<Eigen::Index>(id("china"));
  const auto us = static_cast<Eigen::Index>(id("usa"));
  auto loss = [&](const World& x) { return evaluate_utility(x, reaction_targets(x)).dispute_loss(i, j); };
  World w0 = w;
  w0.policies.defiance(i, j) = 0.0;
  w0.policies.deference(i, j) = 0.0;
  w0.policies.security(i, us) = 0.0;
  const double base = loss(w0);
  ASSERT_GT(base, 0.0);
  World defiant = w0;
  defiant.policies.defiance(i, j) = 0.8;
  EXPECT_LT(loss(defiant), base);
  World backed = defiant;
  backed.policies.security(i, us) = 0.9;
  backed.policies.commitment(us, i) = 0.9;
  EXPECT_LT(loss(backed), loss(defiant));
  World conceding = w0;
  conceding.policies.deference(i, j) = 0.8;
  EXPECT_GT(loss(conceding), base);
}

TEST(Dependence, PenaltyFallsWhenBenefitsDiversify) {
  World w = asean_world(0);
  const auto i = static_cast<Eigen::Index>(id("cambodia"));
  const auto china = static_cast<Eigen::Index>(id("china")), us = static_cast<Eigen::Index>(id("usa"));
  World concentrated = w;
  concentrated.policies.engagement.row(i).setZero();
  concentrated.policies.engagement(i, china) = 1.0;
  World diversified = concentrated;
  diversified.policies.engagement(i, us) = 1.0;
  const double a = evaluate_utility(concentrated, reaction_targets(concentrated)).dependence(i);
  const double b = evaluate_utility(diversified, reaction_targets(diversified)).dependence(i);
  EXPECT_GT(a, b);
  World averse = concentrated;
  averse.structure.dependence_aversion(i) *= 2;
  EXPECT_GT(evaluate_utility(averse, reaction_targets(averse)).dependence(i), a);
}

TEST(Costs, RiseWithEveryPolicyLevel) {
  World w = asean_world(0);
  const auto i = static_cast<Eigen::Index>(id("cambodia")), j = static_cast<Eigen::Index>(id("usa"));
  const double base = evaluate_utility(w, reaction_targets(w)).costs(i);
  for (Eigen::MatrixXd Policies::*m : {&Policies::deference, &Policies::defiance, &Policies::security}) {
    World more = w;
    (more.policies.*m)(i, j) += 0.3;
    EXPECT_GT(evaluate_utility(more, reaction_targets(more)).costs(i), base);
  }
  World armed = w;
  armed.policies.defence_share(i) += 0.01;
  EXPECT_GT(evaluate_utility(armed, reaction_targets(armed)).costs(i), base);
}

TEST(Reaction, RewardsDeferencePunishesDefianceAndRivalTies) {
  World w = asean_world(0);
  const auto i = static_cast<Eigen::Index>(id("malaysia")), china = static_cast<Eigen::Index>(id("china"));
  const auto us = static_cast<Eigen::Index>(id("usa"));
  const ReactionTargets base = reaction_targets(w);
  World deferent = w;
  deferent.policies.deference(i, china) += 0.3;
  EXPECT_GT(reaction_targets(deferent).inducement(china, i), base.inducement(china, i));
  EXPECT_LT(reaction_targets(deferent).pressure(china, i), base.pressure(china, i) + 1e-12);
  World defiant = w;
  defiant.policies.defiance(i, china) += 0.5;
  EXPECT_GT(reaction_targets(defiant).pressure(china, i), base.pressure(china, i));
  World flirting = w;
  flirting.policies.security(i, us) += 0.5;
  EXPECT_GT(reaction_targets(flirting).irritation(china, i), base.irritation(china, i));
  EXPECT_GT(reaction_targets(flirting).pressure(china, i), base.pressure(china, i));
  EXPECT_GT(reaction_targets(flirting).commitment(us, i), base.commitment(us, i));
}

TEST(Reaction, MovesPowersPartWayTowardsTargets) {
  World w = asean_world(0);
  const ReactionTargets t = reaction_targets(w);
  Policies p = w.policies;
  react(p, t, 0.3, w.structure.is_power);
  const auto china = static_cast<Eigen::Index>(id("china")), i = static_cast<Eigen::Index>(id("laos"));
  EXPECT_NEAR(p.inducement(china, i),
              w.policies.inducement(china, i) + 0.3 * (t.inducement(china, i) - w.policies.inducement(china, i)), 1e-12);
  // Small states do not run the patron reaction.
  EXPECT_EQ(p.inducement.row(i), w.policies.inducement.row(i));
}

}  // namespace
}  // namespace alignsim::alignment
