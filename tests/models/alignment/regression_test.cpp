// The optimised tick (docs/performance.md) against the model as it was before the optimisation:
// with noise 0 no random draw enters, so every value of the flagship's last tick must equal the
// one the straightforward implementation wrote (tests/models/alignment/data, from commit e992399),
// up to the rounding of a different order of summation.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "test_support.hpp"

namespace alignsim {
namespace {

// One row of a reference file: tick,state,partner,quantity,value (header skipped).
struct ReferenceRow {
  std::string tick, state, partner, quantity, value;
};
std::vector<ReferenceRow> read_reference(const std::string& csv) {
  std::vector<ReferenceRow> rows;
  std::ifstream in(testing::source_path(csv));
  EXPECT_TRUE(in) << csv << " missing";
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::stringstream row(line);
    ReferenceRow r;
    std::getline(row, r.tick, ',');
    std::getline(row, r.state, ',');
    std::getline(row, r.partner, ',');
    std::getline(row, r.quantity, ',');
    std::getline(row, r.value, ',');
    rows.push_back(std::move(r));
  }
  return rows;
}

TEST(Regression, OptimisedTickMatchesTheStraightforwardModelWithoutNoise) {
  Scenario s = testing::bundled("scenarios/asean_2016.yaml");
  s.params["noise"] = 0.0;
  const auto engine = testing::run(s, s.seed, false);
  std::map<std::string, Eigen::MatrixXd> now;
  for (Observable& o : engine->model().observe()) now[o.quantity] = std::move(o.values);

  int compared = 0;
  double worst = 0;
  for (const auto& [tick, state, partner, quantity, value] :
       read_reference("tests/models/alignment/data/asean_noise0_tick149.csv")) {
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

// Every value of `csv` (tick,state,partner,quantity,value, values in the shortest form that
// reads back to the same double) must equal the run's exactly. Returns how many were compared.
int expect_bit_identical(const Scenario& s, const Engine& e, const std::string& csv) {
  std::map<int, std::size_t> frame_of_tick;
  const Recording& rec = e.recording();
  for (std::size_t k = 0; k < rec.size(); ++k) frame_of_tick[rec.tick_at(k)] = k;
  int compared = 0;
  for (const auto& [tick, state, partner, quantity, value] : read_reference(csv)) {
    const auto frame = frame_of_tick.find(std::stoi(tick));
    if (frame == frame_of_tick.end()) {
      ADD_FAILURE() << "tick " << tick << " not recorded";
      return compared;
    }
    const Observable* o = nullptr;
    for (const Observable& x : rec.frame_at(frame->second))
      if (x.quantity == quantity) o = &x;
    if (o == nullptr) {
      ADD_FAILURE() << quantity << " not recorded";
      return compared;
    }
    const auto i = static_cast<Eigen::Index>(*s.find_state(state));
    const auto j = partner.empty() ? Eigen::Index{0} : static_cast<Eigen::Index>(*s.find_state(partner));
    EXPECT_EQ(o->values(i, j), std::stod(value)) << "tick " << tick << " " << state << " " << partner << " " << quantity;
    ++compared;
  }
  return compared;
}

// The speed work after the second round (docs/performance.md, third round) changed no number:
// the flagship with its noise, and its random-order variant (the per-state decision path), at
// seed 7, equal to the last bit what the binary before it wrote (commit ae2bc0e; `alignsim run
// --seed 7 --out`, rows of the ticks kept).
TEST(Regression, NoisyFlagshipRunIsBitIdenticalToTheCommittedOutput) {
  const Scenario s = testing::bundled("scenarios/asean_2016.yaml");
  const auto engine = testing::run(s, 7, true);
  EXPECT_EQ(expect_bit_identical(s, *engine, "tests/models/alignment/data/asean_seed7_ticks74_149.csv"), 1170);
}

TEST(Regression, NoisyRandomOrderRunIsBitIdenticalToTheCommittedOutput) {
  Scenario s = testing::bundled("scenarios/asean_2016.yaml");
  s.update = UpdateOrder::random_order;
  const auto engine = testing::run(s, 7, true);
  EXPECT_EQ(expect_bit_identical(s, *engine, "tests/models/alignment/data/asean_random_order_seed7_tick149.csv"),
            585);
}

}  // namespace
}  // namespace alignsim
