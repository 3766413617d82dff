#include "experiment/sweep_spec.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/model_registry.hpp"
#include "sim/scenario_loader.hpp"
#include "test_support.hpp"

namespace alignsim {
namespace {

namespace fs = std::filesystem;

// A fresh folder holding base.yaml (four states); removed at the end of the test.
class SweepSpecTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::make_temp_dir("alignsim_spec");
    write("base.yaml", R"(name: t
focal_power: china
ticks: 20
states:
  - name: china
    role: great_power
    gdp: 11000
  - name: usa
    role: great_power
  - name: cambodia
    role: small_state
  - name: vietnam
    role: small_state
)");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  SweepSpec load(const std::string& yaml) {
    return load_sweep_spec_text(yaml, (dir_ / "spec.yaml").string(), model_registry());
  }
  // The InputError text for `yaml`, with the temporary folder removed from file names.
  std::string error_of(const std::string& yaml) {
    try {
      load(yaml);
    } catch (const InputError& e) {
      std::string text = e.what();
      const std::string prefix = dir_.string() + "/";
      for (auto k = text.find(prefix); k != std::string::npos; k = text.find(prefix))
        text.erase(k, prefix.size());
      return text;
    }
    return "<no error>";
  }

  fs::path dir_;
};

TEST_F(SweepSpecTest, LoadsAGridSpec) {
  const SweepSpec s = load(R"(scenario: base.yaml
design: grid
replications: 3
seed: 7
ticks: 5
parameters:
  states.cambodia.dependence_aversion: {range: [0.5, 2], steps: 4}
  states.china.assertiveness: {values: [0.2, 0.8]}
outputs:
  states: [cambodia]
  features: [deference, defiance]
)");
  EXPECT_EQ(s.design, DesignKind::grid);
  EXPECT_EQ(s.replications, 3);
  EXPECT_EQ(s.seed, 7u);
  EXPECT_EQ(s.base.ticks, 5);
  ASSERT_EQ(s.parameters.size(), 2u);
  EXPECT_EQ(s.parameters[0].path, "states.cambodia.dependence_aversion");
  EXPECT_EQ(s.parameters[0].steps, 4);
  EXPECT_EQ(s.parameters[1].values, (std::vector<double>{0.2, 0.8}));
  EXPECT_EQ(s.outputs.states, (std::vector<std::size_t>{2}));
  EXPECT_EQ(s.outputs.features, (std::vector<std::string>{"deference", "defiance"}));
}

TEST_F(SweepSpecTest, DefaultsToEverySmallStateAndFeatureAndTheScenarioSeed) {
  const SweepSpec s = load(R"(scenario: base.yaml
parameters:
  params.foresight: {values: [0.5]}
)");
  EXPECT_EQ(s.design, DesignKind::grid);
  EXPECT_EQ(s.replications, 1);
  EXPECT_EQ(s.seed, 1u);
  EXPECT_EQ(s.outputs.states, (std::vector<std::size_t>{2, 3}));
  EXPECT_FALSE(s.outputs.features.empty());
  EXPECT_EQ(s.outputs.features, s.all_features);
}

TEST_F(SweepSpecTest, RejectsUnknownParameterPathWithSuggestion) {
  EXPECT_EQ(error_of(R"(scenario: base.yaml
parameters:
  states.cambodia.dependance_aversion: {values: [1]}
)"),
            "spec.yaml:3:3: error: parameters.states.cambodia.dependance_aversion: unknown state "
            "key 'dependance_aversion' (did you mean 'dependence_aversion'?)");
}

TEST_F(SweepSpecTest, RejectsEmptyRange) {
  EXPECT_EQ(error_of(R"(scenario: base.yaml
parameters:
  states.china.assertiveness: {range: [0.8, 0.2], steps: 3}
)"),
            "spec.yaml:3:39: error: parameters.states.china.assertiveness.range: empty range "
            "[0.8, 0.2]; the low end must be below the high end (use 'values: [x]' for one value)");
}

TEST_F(SweepSpecTest, RejectsSobolNotAPowerOfTwo) {
  EXPECT_EQ(error_of(R"(scenario: base.yaml
design: sobol
points: 100
parameters:
  states.china.assertiveness: {range: [0, 1]}
)"),
            "spec.yaml:3:9: error: points: sobol designs need a power of two >= 2 (N, the base "
            "rows), got 100; try 128");
}

TEST_F(SweepSpecTest, RejectsReplicationsBelowOne) {
  EXPECT_EQ(error_of(R"(scenario: base.yaml
replications: 0
parameters:
  states.china.assertiveness: {values: [0.5]}
)"),
            "spec.yaml:2:15: error: replications: must be in [1, 1000000] (seeds per design "
            "point), got 0");
}

TEST_F(SweepSpecTest, RejectsMissingBaseScenario) {
  EXPECT_EQ(error_of(R"(scenario: nowhere.yaml
parameters:
  states.china.assertiveness: {values: [0.5]}
)"),
            "spec.yaml:1:11: error: scenario: cannot open 'nowhere.yaml' (no such file or "
            "directory); the path is relative to the spec's folder");
}

TEST_F(SweepSpecTest, RejectsMissingScenarioKeyAtTheTop) {
  EXPECT_EQ(error_of(R"(parameters:
  params.foresight: {values: [0.5]}
)"),
            "spec.yaml:1:1: error: missing required key 'scenario' (the base scenario file, "
            "relative to this spec)");
}

TEST_F(SweepSpecTest, RejectsUnknownKeyWithSuggestion) {
  EXPECT_EQ(error_of(R"(scenario: base.yaml
replicatons: 3
parameters:
  params.foresight: {values: [0.5]}
)"),
            "spec.yaml:2:1: error: unknown key 'replicatons' (did you mean 'replications'?)");
}

TEST_F(SweepSpecTest, RejectsRangeOutsideTheKeysRange) {
  EXPECT_EQ(error_of(R"(scenario: base.yaml
parameters:
  states.china.assertiveness: {range: [0, 2], steps: 3}
)"),
            "spec.yaml:3:39: error: parameters.states.china.assertiveness.range: must lie within "
            "[0, 1] for states.china.assertiveness, got [0, 2]");
}

TEST_F(SweepSpecTest, RejectsGridRangeWithoutSteps) {
  EXPECT_EQ(error_of(R"(scenario: base.yaml
parameters:
  states.china.assertiveness: {range: [0, 1]}
)"),
            "spec.yaml:3:31: error: parameters.states.china.assertiveness: missing required key "
            "'steps' (the number of grid levels across the range)");
}

TEST_F(SweepSpecTest, RejectsStepsOutsideGrids) {
  EXPECT_EQ(error_of(R"(scenario: base.yaml
design: lhs
points: 10
parameters:
  states.china.assertiveness: {range: [0, 1], steps: 4}
)"),
            "spec.yaml:5:47: error: parameters.states.china.assertiveness.steps: only grid "
            "designs use 'steps' (this design is lhs); remove it");
}

TEST_F(SweepSpecTest, RejectsUnknownDesignWithSuggestion) {
  EXPECT_EQ(error_of(R"(scenario: base.yaml
design: sobool
parameters:
  params.foresight: {values: [0.5]}
)"),
            "spec.yaml:2:9: error: design: expected grid, random, lhs, sobol or samples, got "
            "'sobool' (did you mean 'sobol'?)");
}

TEST_F(SweepSpecTest, ReportsEveryProblemInFileOrder) {
  EXPECT_EQ(error_of(R"(scenario: base.yaml
replications: -2
parameters:
  states.laos.assertiveness: {values: [0.5]}
  params.foresight: {values: []}
outputs:
  states: [china]
)"),
            "spec.yaml:2:15: error: replications: must be in [1, 1000000] (seeds per design "
            "point), got -2\n"
            "spec.yaml:4:3: error: parameters.states.laos.assertiveness: unknown state 'laos'\n"
            "spec.yaml:5:30: error: parameters.params.foresight.values: expected at least one "
            "value, got an empty list\n"
            "spec.yaml:7:12: error: outputs.states[0]: 'china' has role great_power; the model "
            "labels only states with role small_state");
}

TEST_F(SweepSpecTest, ReportsTheBaseScenariosOwnErrors) {
  write("bad.yaml", "focal_power: china\nstates: 3\n");
  EXPECT_EQ(error_of(R"(scenario: bad.yaml
parameters:
  params.foresight: {values: [0.5]}
)"),
            "bad.yaml:2:9: error: states: expected a non-empty sequence of states (lines starting "
            "with '- name: ...'), got '3'");
}

TEST_F(SweepSpecTest, ReadsASamplesFile) {
  write("rows.txt", "# SALib sample output\n0.1 0.5\n0.9 1.5\n");
  const SweepSpec s = load(R"(scenario: base.yaml
design: samples
samples: rows.txt
parameters:
  states.china.assertiveness:
  states.cambodia.dependence_aversion:
)");
  ASSERT_EQ(s.samples.rows(), 2);
  EXPECT_EQ(s.samples(1, 0), 0.9);
  EXPECT_EQ(s.samples(1, 1), 1.5);
}

TEST_F(SweepSpecTest, RejectsSamplesOutOfRangeAtTheirPosition) {
  write("rows.txt", "0.1 0.5\n1.9 1.5\n");
  EXPECT_EQ(error_of(R"(scenario: base.yaml
design: samples
samples: rows.txt
parameters:
  states.china.assertiveness:
  states.cambodia.dependence_aversion:
)"),
            "rows.txt:2:1: error: states.china.assertiveness: must be in [0, 1] for "
            "states.china.assertiveness, got 1.9");
}

TEST_F(SweepSpecTest, RejectsSamplesWithTheWrongNumberOfColumns) {
  write("rows.txt", "0.1\n0.2\n");
  EXPECT_EQ(error_of(R"(scenario: base.yaml
design: samples
samples: rows.txt
parameters:
  states.china.assertiveness:
  states.cambodia.dependence_aversion:
)"),
            "rows.txt:1:1: error: expected 2 numbers per row (one per parameter, in the order of "
            "'parameters'), got 1");
}

TEST_F(SweepSpecTest, RejectsAnUnreadableSpecFile) {
  try {
    load_sweep_spec_file((dir_ / "missing.yaml").string(), model_registry());
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              (dir_ / "missing.yaml").string() +
                  ": error: cannot open the sweep spec (no such file or directory); check the path");
  }
}

}  // namespace
}  // namespace alignsim

namespace alignsim {
namespace {

// A spec's `ticks:` shortens the base scenario the way `alignsim run --ticks` does: the
// expectations past the new end go, so the base scenario kept in manifest.json loads again.
TEST(SweepSpecTicks, ShortenedBaseScenarioStaysLoadable) {
  const std::string dir = std::string(ALIGNSIM_SOURCE_DIR) + "/scenarios/";
  const SweepSpec s = load_sweep_spec_text(
      "scenario: asean_2016.yaml\nticks: 40\nparameters:\n  states.china.assertiveness: {values: [0, 1]}\n",
      dir + "short.yaml", model_registry());
  EXPECT_EQ(s.base.ticks, 40);
  EXPECT_TRUE(s.base.expect.facts.empty());  // every ASEAN fact starts at tick 50
  std::ostringstream yaml;
  write_resolved_yaml(s.base, *model_registry().find(s.base.model)->schema, yaml);
  EXPECT_NO_THROW(load_scenario_text(yaml.str(), "resolved.yaml", model_registry()));
}

}  // namespace
}  // namespace alignsim
