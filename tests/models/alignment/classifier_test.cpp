#include "models/alignment/classifier.hpp"

#include <gtest/gtest.h>

namespace alignsim::alignment {
namespace {

ClassifierParams defaults() { return {20, 0.4, 0.3, 0.3, 0.35, 0.005}; }

std::string label(double deference, double defiance, double ties, double diversification, double internal) {
  return classify_features(deference, defiance, ties, diversification, internal, 1, 0, defaults()).label;
}

TEST(Classifier, DeferenceWithoutDefianceIsBandwagoningSoftWhenDiversified) {
  EXPECT_EQ(label(0.6, 0.0, 0.0, 0.2, 0.0), "bandwagoning");
  EXPECT_EQ(label(0.6, 0.0, 0.0, 0.5, 0.0), "soft_bandwagoning");
  EXPECT_EQ(label(0.6, 0.29, 0.29, 0.35, 0.0), "soft_bandwagoning");
}

TEST(Classifier, DeferenceWithAnyBalancingElementIsHedging) {
  EXPECT_EQ(label(0.5, 0.4, 0.0, 0.5, 0.0), "hedging");
  EXPECT_EQ(label(0.5, 0.0, 0.4, 0.5, 0.0), "hedging");
  EXPECT_EQ(label(0.35, 0.0, 0.0, 0.5, 0.02), "hedging");
}

TEST(Classifier, BalancingSubtypesFollowTheMeans) {
  EXPECT_EQ(label(0.1, 0.5, 0.6, 0.5, 0.0), "external_balancing");
  EXPECT_EQ(label(0.1, 0.0, 0.0, 0.5, 0.02), "internal_balancing");
  EXPECT_EQ(label(0.1, 0.5, 0.1, 0.5, 0.0), "soft_balancing");
}

TEST(Classifier, NeitherDeferenceNorDefianceIsNeutrality) {
  EXPECT_EQ(label(0.2, 0.1, 0.1, 0.5, 0.0), "neutrality");
  EXPECT_EQ(label(0.35, 0.0, 0.0, 0.5, 0.0), "neutrality");
}

TEST(Classifier, ThresholdsAreParameters) {
  ClassifierParams strict = defaults();
  strict.deference_high = 0.7;
  EXPECT_EQ(classify_features(0.6, 0, 0, 0.5, 0, 1, 0, strict).label, "neutrality");
  strict.diversification_min = 0.9;
  strict.deference_high = 0.4;
  EXPECT_EQ(classify_features(0.6, 0, 0, 0.5, 0, 1, 0, strict).label, "bandwagoning");
}

TEST(Classifier, MotiveComparesEconomicAndSecurityGains) {
  EXPECT_EQ(classify_features(0.6, 0, 0, 0.5, 0, 0.05, 0.01, defaults()).motive, "profit");
  EXPECT_EQ(classify_features(0.6, 0, 0, 0.5, 0, 0.01, -0.05, defaults()).motive, "security");
}

TEST(Classifier, ReasonNamesTheNumbers) {
  const auto c = classify_features(0.62, 0.0, 0.0, 0.51, 0, 1, 0, defaults());
  EXPECT_NE(c.reason.find("deference 0.62"), std::string::npos) << c.reason;
  EXPECT_NE(c.reason.find("51.00%"), std::string::npos) << c.reason;
}

}  // namespace
}  // namespace alignsim::alignment
