// The optimised tick (docs/performance.md) against the model as it was before the optimisation:
// with noise 0 no random draw enters, so every value of the flagship's last tick must equal the
// one the straightforward implementation wrote (tests/models/alignment/data, from commit e992399),
// up to the rounding of a different order of summation.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "test_support.hpp"

namespace alignsim {
namespace {

TEST(Regression, OptimisedTickMatchesTheStraightforwardModelWithoutNoise) {
  Scenario s = testing::bundled("scenarios/asean_2016.yaml");
  s.params["noise"] = 0.0;
  const auto engine = testing::run(s, s.seed, false);
  std::map<std::string, Eigen::MatrixXd> now;
  for (Observable& o : engine->model().observe()) now[o.quantity] = std::move(o.values);

  std::ifstream in(testing::source_path("tests/models/alignment/data/asean_noise0_tick149.csv"));
  ASSERT_TRUE(in) << "reference file missing";
  std::string line;
  std::getline(in, line);  // header
  int compared = 0;
  double worst = 0;
  while (std::getline(in, line)) {
    std::stringstream row(line);
    std::string tick, state, partner, quantity, value;
    std::getline(row, tick, ',');
    std::getline(row, state, ',');
    std::getline(row, partner, ',');
    std::getline(row, quantity, ',');
    std::getline(row, value, ',');
    ASSERT_EQ(tick, "149");
    ASSERT_TRUE(now.count(quantity)) << quantity;
    const auto i = static_cast<Eigen::Index>(*s.find_state(state));
    const auto j = partner.empty() ? Eigen::Index{0} : static_cast<Eigen::Index>(*s.find_state(partner));
    const double diff = std::abs(now[quantity](i, j) - std::stod(value));
    worst = std::max(worst, diff);
    EXPECT_LT(diff, 1e-12) << state << " " << partner << " " << quantity;
    ++compared;
  }
  EXPECT_EQ(compared, 585);
  RecordProperty("largest_difference", std::to_string(worst));
}

}  // namespace
}  // namespace alignsim
