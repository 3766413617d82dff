#include "experiment/sweep.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/engine.hpp"
#include "sim/model_registry.hpp"
#include "sim/random_stream.hpp"
#include "test_support.hpp"

namespace alignsim {
namespace {

namespace fs = std::filesystem;
using testing::slurp;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// A temporary folder with spec files next to a copy-free reference to the ASEAN scenario.
class SweepTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::make_temp_dir("alignsim_sweep");
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Loads `body` as a spec whose base scenario is scenarios/asean_2016.yaml.
  SweepSpec spec(const std::string& body) {
    const std::string text =
        std::string("scenario: ") + ALIGNSIM_SOURCE_DIR + "/scenarios/asean_2016.yaml\n" + body;
    return load_sweep_spec_text(text, (dir_ / "spec.yaml").string(), model_registry());
  }
  SweepSummary run(const SweepSpec& s, const std::string& out, int threads = 1,
                   bool resume = false) {
    SweepOptions o;
    o.out_dir = (dir_ / out).string();
    o.threads = threads;
    o.resume = resume;
    return run_sweep(s, model_registry(), o);
  }
  std::string file(const std::string& out, const std::string& name) {
    return slurp(dir_ / out / name);
  }

  fs::path dir_;
};

const char* const kGrid = R"(ticks: 30
seed: 11
replications: 3
parameters:
  states.cambodia.dependence_aversion: {range: [0, 3], steps: 3}
  states.china.assertiveness: {values: [0.2, 0.9]}
outputs:
  states: [cambodia, laos]
  features: [deference, defiance]
)";

TEST(SweepDesign, GridVariesTheLastParameterFastest) {
  SweepSpec s;
  s.design = DesignKind::grid;
  SweepParameter a, b;
  a.lo = 0;
  a.hi = 2;
  a.steps = 3;
  b.values = {5, 7};
  s.parameters = {a, b};
  Eigen::MatrixXd expected(6, 2);
  expected << 0, 5, 0, 7, 1, 5, 1, 7, 2, 5, 2, 7;
  EXPECT_EQ(design_values(s), expected);
}

TEST(SweepDesign, LogGridLevelsAreGeometric) {
  SweepSpec s;
  SweepParameter a;
  a.lo = 0.01;
  a.hi = 1;
  a.steps = 3;
  a.log = true;
  s.parameters = {a};
  const Eigen::MatrixXd v = design_values(s);
  EXPECT_EQ(v(0, 0), 0.01);
  EXPECT_NEAR(v(1, 0), 0.1, 1e-12);
  EXPECT_EQ(v(2, 0), 1.0);
}

TEST(SweepDesign, SobolHasNTimesDPlusTwoPointsInsideTheRanges) {
  SweepSpec s;
  s.design = DesignKind::sobol;
  s.points = 8;
  SweepParameter a, b;
  a.lo = 1;
  a.hi = 2;
  b.values = {3, 4, 5};
  s.parameters = {a, b};
  const Eigen::MatrixXd v = design_values(s);
  ASSERT_EQ(v.rows(), 8 * 4);
  for (Eigen::Index r = 0; r < v.rows(); ++r) {
    EXPECT_TRUE(v(r, 0) >= 1 && v(r, 0) <= 2);
    EXPECT_TRUE(v(r, 1) == 3 || v(r, 1) == 4 || v(r, 1) == 5);
  }
}

TEST_F(SweepTest, WritesOneRowPerRunAndStateWithDerivedSeeds) {
  const SweepSpec s = spec(kGrid);
  const SweepSummary sum = run(s, "out");
  EXPECT_EQ(sum.points, 6u);
  EXPECT_EQ(sum.runs_total, 18u);
  EXPECT_FALSE(sum.interrupted);
  const auto rows = lines_of(file("out", "runs.csv"));
  ASSERT_EQ(rows.size(), 1u + 18 * 2);
  EXPECT_EQ(rows[0],
            "run_id,point_id,replicate,seed,states.cambodia.dependence_aversion,"
            "states.china.assertiveness,state,label,motive,deference,defiance");
  // run 4 = point 1, replicate 1; cambodia then laos.
  EXPECT_EQ(rows[1 + 4 * 2].rfind("4,1,1," + std::to_string(derive_seed(11, 4) & kMaxSeed) + ",0,0.9,cambodia,", 0), 0u);
  EXPECT_EQ(rows[2 + 4 * 2].rfind("4,1,1," + std::to_string(derive_seed(11, 4) & kMaxSeed) + ",0,0.9,laos,", 0), 0u);
  const auto points = lines_of(file("out", "points.csv"));
  ASSERT_EQ(points.size(), 1u + 6 * 2);
  EXPECT_EQ(points[0],
            "point_id,states.cambodia.dependence_aversion,states.china.assertiveness,state,runs,"
            "p_bandwagoning,p_soft_bandwagoning,p_hedging,p_internal_balancing,"
            "p_external_balancing,p_soft_balancing,p_neutrality,modal_label,mean_deference,"
            "mean_defiance");
  EXPECT_EQ(points[11].rfind("5,3,0.9,cambodia,3,", 0), 0u);
}

TEST_F(SweepTest, LabelFrequenciesOfAPointSumToOne) {
  const SweepSpec s = spec(kGrid);
  run(s, "out");
  const auto points = lines_of(file("out", "points.csv"));
  for (std::size_t r = 1; r < points.size(); ++r) {
    std::vector<std::string> f;
    std::stringstream ss(points[r]);
    for (std::string cell; std::getline(ss, cell, ',');) f.push_back(cell);
    double sum = 0;
    for (std::size_t k = 5; k < 12; ++k) sum += std::stod(f[k]);
    EXPECT_NEAR(sum, 1.0, 1e-12) << points[r];
  }
}

TEST_F(SweepTest, ARowIsReproducedByOneRunWithItsSeed) {
  const SweepSpec s = spec(kGrid);
  run(s, "out");
  const auto rows = lines_of(file("out", "runs.csv"));
  // Row of run 13 (point 4: dependence aversion 3, assertiveness 0.2), cambodia.
  Scenario sc = s.base;
  sc.state_keys.at("dependence_aversion")(static_cast<Eigen::Index>(*sc.find_state("cambodia"))) = 3;
  sc.state_keys.at("assertiveness")(static_cast<Eigen::Index>(*sc.find_state("china"))) = 0.2;
  Engine e(sc, model_registry(), RunOptions{derive_seed(11, 13) & kMaxSeed, 0, false});
  e.run_to_end();
  std::string label;
  for (const auto& o : e.model().classify())
    if (sc.state_names[o.state] == "cambodia") label = o.label;
  EXPECT_NE(rows[1 + 13 * 2].find(",cambodia," + label + ","), std::string::npos);
}

TEST_F(SweepTest, OneAndTwoThreadsWriteIdenticalBytes) {
  const SweepSpec s = spec(std::string(kGrid) + "  timeseries: true\n  timeseries_every: 10\n");
  run(s, "one", 1);
  run(s, "two", 2);
  EXPECT_EQ(file("one", "runs.csv"), file("two", "runs.csv"));
  EXPECT_EQ(file("one", "points.csv"), file("two", "points.csv"));
  EXPECT_EQ(file("one", "timeseries.csv"), file("two", "timeseries.csv"));
  EXPECT_EQ(lines_of(file("one", "timeseries.csv"))[0], "run_id,tick,state,partner,quantity,value");
}

TEST_F(SweepTest, ResumesATornFolderToTheSameBytes) {
  const SweepSpec s = spec(std::string(kGrid) + "  timeseries: true\n");
  run(s, "full");
  // A folder as a kill leaves it: runs.csv torn mid-line, points.csv behind it.
  fs::copy(dir_ / "full", dir_ / "torn");
  const std::string runs = file("full", "runs.csv"), points = file("full", "points.csv"),
                    ts = file("full", "timeseries.csv");
  std::ofstream(dir_ / "torn" / "runs.csv", std::ios::binary | std::ios::trunc)
      << runs.substr(0, runs.size() / 2 + 7);
  std::ofstream(dir_ / "torn" / "points.csv", std::ios::binary | std::ios::trunc)
      << points.substr(0, points.size() / 3);
  std::ofstream(dir_ / "torn" / "timeseries.csv", std::ios::binary | std::ios::trunc)
      << ts.substr(0, ts.size() / 4 + 3);
  const SweepSummary sum = run(s, "torn", 2, true);
  EXPECT_GT(sum.runs_resumed, 0u);
  EXPECT_LT(sum.runs_resumed, sum.runs_total);
  EXPECT_EQ(file("torn", "runs.csv"), runs);
  EXPECT_EQ(file("torn", "points.csv"), points);
  EXPECT_EQ(file("torn", "timeseries.csv"), ts);
}

TEST_F(SweepTest, CancelKeepsCompletedPointsAndResumeFinishesThem) {
  // Runs long enough (600 ticks, about 1 ms each) that the cancel lands while runs remain: at
  // 30 ticks the workers finish all 18 before the writer has reported 6.
  std::string grid = kGrid;
  grid.replace(grid.find("ticks: 30"), 9, "ticks: 600");
  const SweepSpec s = spec(grid.c_str());
  run(s, "full");
  std::atomic<bool> cancel{false};
  SweepOptions o;
  o.out_dir = (dir_ / "cut").string();
  o.cancel = &cancel;
  o.commit_interval = 0;  // commit every point, so the cancel lands mid-sweep
  o.progress = [&](const SweepProgress& p) {
    if (p.runs_done >= 6) cancel = true;
  };
  const SweepSummary cut = run_sweep(s, model_registry(), o);
  EXPECT_TRUE(cut.interrupted);
  EXPECT_LT(cut.runs_done, cut.runs_total);
  EXPECT_NE(file("cut", "manifest.json").find("\"status\": \"interrupted\""), std::string::npos);
  const SweepSummary rest = run(s, "cut", 1, true);
  EXPECT_FALSE(rest.interrupted);
  EXPECT_EQ(rest.runs_resumed, cut.runs_done);
  EXPECT_EQ(file("cut", "runs.csv"), file("full", "runs.csv"));
  EXPECT_EQ(file("cut", "points.csv"), file("full", "points.csv"));
  EXPECT_NE(file("cut", "manifest.json").find("\"status\": \"complete\""), std::string::npos);
}

TEST_F(SweepTest, RefusesAnExistingSweepWithoutResume) {
  const SweepSpec s = spec(kGrid);
  run(s, "out");
  try {
    run(s, "out");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()),
              "'" + (dir_ / "out").string() +
                  "' already holds a sweep (manifest.json); pass --resume to continue it, or "
                  "choose another --out");
  }
}

TEST_F(SweepTest, RefusesToResumeAnotherSpecsSweep) {
  run(spec(kGrid), "out");
  const SweepSpec other = spec(std::string(kGrid) + "  policies: true\n");
  EXPECT_THROW(run(other, "out", 1, true), UsageError);
}

TEST_F(SweepTest, SobolWritesIndicesPerStateOutputAndParameter) {
  const SweepSpec s = spec(R"(ticks: 30
design: sobol
points: 8
parameters:
  states.cambodia.dependence_aversion: {range: [0, 3]}
  states.china.assertiveness: {range: [0, 1]}
outputs:
  states: [cambodia]
  features: [deference]
)");
  run(s, "out");
  const auto rows = lines_of(file("out", "sensitivity.csv"));
  ASSERT_EQ(rows.size(), 1u + (7 + 1) * 2);
  EXPECT_EQ(rows[0], "state,output,parameter,S1,S1_conf,ST,ST_conf");
  EXPECT_EQ(rows[1].rfind("cambodia,p_bandwagoning,states.cambodia.dependence_aversion,", 0), 0u);
  EXPECT_EQ(rows[16].rfind("cambodia,mean_deference,states.china.assertiveness,", 0), 0u);
}

TEST_F(SweepTest, FinalPoliciesAreKeptWhenAsked) {
  const SweepSpec s = spec(std::string(kGrid) + "  policies: true\n");
  run(s, "out");
  const auto rows = lines_of(file("out", "runs.csv"));
  EXPECT_NE(rows[0].find(",final_deference,"), std::string::npos);
  EXPECT_NE(rows[0].find(",final_defence_share"), std::string::npos);
}

// scenarios/sweeps/*.yaml are sweep specs, skipped by the scenario smoke test: each loads and
// runs here with 5 ticks and one replication, so none can rot.
TEST_F(SweepTest, BundledSpecsLoadAndRun) {
  int specs = 0;
  for (const auto& e : fs::directory_iterator(fs::path(ALIGNSIM_SOURCE_DIR) / "scenarios" / "sweeps")) {
    if (e.path().extension() != ".yaml") continue;
    SCOPED_TRACE(e.path().string());
    SweepSpec s = load_sweep_spec_file(e.path().string(), model_registry());
    s.base.ticks = 5;
    s.replications = 1;
    const SweepSummary sum = run(s, e.path().stem().string());
    EXPECT_EQ(sum.runs_done, sum.runs_total);
    ++specs;
  }
  EXPECT_GE(specs, 2);
}

}  // namespace
}  // namespace alignsim
