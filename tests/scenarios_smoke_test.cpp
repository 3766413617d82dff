// Every bundled scenario loads, validates and runs a few ticks, so none can rot.
#include <gtest/gtest.h>

#include <filesystem>

#include "test_support.hpp"

namespace alignsim {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> bundled_scenarios() {
  std::vector<std::string> files;
  const fs::path root = fs::path(ALIGNSIM_SOURCE_DIR) / "scenarios";
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.path().extension() != ".yaml") continue;
    // scenarios/sweeps and scenarios/calibration hold sweep and calibration specs, smoke-tested
    // by the sweep and calibrate tests.
    if (e.path().parent_path().filename() == "sweeps") continue;
    if (e.path().parent_path().filename() == "calibration") continue;
    files.push_back(fs::relative(e.path(), ALIGNSIM_SOURCE_DIR).string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class BundledScenario : public ::testing::TestWithParam<std::string> {};

TEST_P(BundledScenario, LoadsAndRunsAFewTicks) {
  Scenario s = testing::bundled(GetParam());
  s.ticks = std::min(s.ticks, 10);
  s.events.erase(std::remove_if(s.events.begin(), s.events.end(), [&](const Event& e) { return e.tick >= s.ticks; }),
                 s.events.end());
  const auto e = testing::run(s, 1);
  EXPECT_EQ(e->tick(), s.ticks);
  EXPECT_FALSE(e->model().classify().empty());
}

INSTANTIATE_TEST_SUITE_P(Scenarios, BundledScenario, ::testing::ValuesIn(bundled_scenarios()),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

TEST(BundledScenarios, AtLeastTheFlagshipExists) {
  const auto files = bundled_scenarios();
  EXPECT_NE(std::find(files.begin(), files.end(), "scenarios/asean_2016.yaml"), files.end());
}

}  // namespace
}  // namespace alignsim
