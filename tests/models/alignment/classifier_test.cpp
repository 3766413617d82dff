#include "models/alignment/classifier.hpp"

#include <gtest/gtest.h>

namespace alignsim::alignment {
namespace {

ClassifierParams defaults() {
  ClassifierParams c{};
  c.window = 20;
  c.alignment_high = 0.3;
  c.deference_hedge = 0.3;
  c.defiance_high = 0.3;
  c.security_high = 0.3;
  c.diversification_min = 0.35;
  c.internal_margin = 0.005;
  return c;
}

// Features: exclusive alignment with P, its rivals' highest, deference, defiance, security
// ties, diversification, defence above floor against P.
FeatureValues features(double alignment, double rival, double deference, double defiance,
                       double ties, double diversification, double internal) {
  FeatureValues f;
  f.alignment = alignment;
  f.rival_alignment = rival;
  f.deference = deference;
  f.defiance = defiance;
  f.security_ties = ties;
  f.diversification = diversification;
  f.internal = internal;
  return f;
}

std::string label(const FeatureValues& f) { return classify_features(f, {1, 0}, defaults()).label; }

TEST(Classifier, ExclusiveAlignmentWithoutBalancingIsBandwagoningSoftWhenDiversified) {
  EXPECT_EQ(label(features(0.5, 0.1, 0.6, 0.0, 0.0, 0.2, 0.0)), "bandwagoning");
  EXPECT_EQ(label(features(0.5, 0.1, 0.6, 0.0, 0.0, 0.5, 0.0)), "soft_bandwagoning");
  EXPECT_EQ(label(features(0.5, 0.1, 0.6, 0.29, 0.29, 0.35, 0.0)), "soft_bandwagoning");
}

TEST(Classifier, AlignmentMustExceedTheRivalsOwn) {
  // Deferring to P and to P's rival alike is not alignment with P.
  EXPECT_EQ(label(features(0.35, 0.4, 0.7, 0.0, 0.0, 0.5, 0.0)), "neutrality");
}

TEST(Classifier, DeferenceWithAnyBalancingElementIsHedging) {
  EXPECT_EQ(label(features(0.3, 0.2, 0.5, 0.4, 0.0, 0.5, 0.0)), "hedging");
  EXPECT_EQ(label(features(0.3, 0.2, 0.5, 0.0, 0.4, 0.5, 0.0)), "hedging");
  EXPECT_EQ(label(features(0.3, 0.2, 0.35, 0.0, 0.0, 0.5, 0.02)), "hedging");
}

TEST(Classifier, BalancingSubtypesFollowTheMeans) {
  EXPECT_EQ(label(features(0.05, 0.3, 0.1, 0.5, 0.6, 0.5, 0.0)), "external_balancing");
  EXPECT_EQ(label(features(0.05, 0.3, 0.1, 0.0, 0.0, 0.5, 0.02)), "internal_balancing");
  EXPECT_EQ(label(features(0.05, 0.3, 0.1, 0.5, 0.1, 0.5, 0.0)), "soft_balancing");
}

TEST(Classifier, NeitherAlignmentNorBalancingIsNeutrality) {
  EXPECT_EQ(label(features(0.2, 0.1, 0.2, 0.1, 0.1, 0.5, 0.0)), "neutrality");
  EXPECT_EQ(label(features(0.25, 0.0, 0.35, 0.0, 0.0, 0.5, 0.0)), "neutrality");
}

TEST(Classifier, ThresholdsAreParameters) {
  ClassifierParams strict = defaults();
  strict.alignment_high = 0.7;
  const FeatureValues f = features(0.6, 0.1, 0.6, 0, 0, 0.5, 0);
  EXPECT_EQ(classify_features(f, {1, 0}, strict).label, "neutrality");
  strict.diversification_min = 0.9;
  strict.alignment_high = 0.4;
  EXPECT_EQ(classify_features(f, {1, 0}, strict).label, "bandwagoning");
}

TEST(Classifier, MotiveComparesSignedEconomicAndSecurityGains) {
  const FeatureValues f = features(0.6, 0.1, 0.6, 0, 0, 0.5, 0);
  EXPECT_EQ(classify_features(f, {0.05, 0.01}, defaults()).motive, "profit");
  EXPECT_EQ(classify_features(f, {0.01, 0.05}, defaults()).motive, "security");
  // A balancer that pays economically for a security gain is balancing for security, although
  // the economic loss is larger in size (the sign counts).
  EXPECT_EQ(classify_features(f, {-0.05, 0.01}, defaults()).motive, "security");
}

TEST(Classifier, ReasonNamesTheNumbers) {
  const auto c = classify_features(features(0.62, 0.1, 0.7, 0.0, 0.0, 0.51, 0), {1, 0}, defaults());
  EXPECT_NE(c.reason.find("alignment 0.62"), std::string::npos) << c.reason;
  EXPECT_NE(c.reason.find("51.00%"), std::string::npos) << c.reason;
}

}  // namespace
}  // namespace alignsim::alignment
