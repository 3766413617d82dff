// `alignsim run --out` writes a folder that reruns its run, names the build that made it, and
// is all there or not there at all.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "tools/process_support.hpp"

namespace alignsim {
namespace {

namespace fs = std::filesystem;
using testing::run_cli;
using testing::slurp;

const char* const kSmall = R"(name: t
focal_power: china
ticks: 15
seed: 1
states:
  - name: china
    role: great_power
  - name: usa
    role: great_power
  - name: cambodia
    role: small_state
  - name: laos
    role: small_state
)";

class RunRecord : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::make_temp_dir("alignsim_run_record");
    std::ofstream(dir_ / "s.yaml") << kSmall;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string scenario() const { return (dir_ / "s.yaml").string(); }
  fs::path dir_;
};

TEST_F(RunRecord, ResolvedScenarioRecordsTheSeedGivenOnTheCommandLine) {
  ASSERT_EQ(run_cli({"run", scenario(), "--seed", "7", "--out", (dir_ / "a").string()}).code, 0);
  EXPECT_NE(slurp(dir_ / "a" / "scenario.resolved.yaml").find("\nseed: 7\n"), std::string::npos);
  // Rerunning the recorded scenario, with no --seed, is the same run.
  ASSERT_EQ(run_cli({"run", (dir_ / "a" / "scenario.resolved.yaml").string(), "--out", (dir_ / "b").string()}).code, 0);
  EXPECT_EQ(slurp(dir_ / "a" / "timeseries.csv"), slurp(dir_ / "b" / "timeseries.csv"));
  EXPECT_EQ(nlohmann::json::parse(slurp(dir_ / "b" / "summary.json"))["seed"], 7);
}

TEST_F(RunRecord, SummaryAndManifestNameTheBuildsCommitAndDirtyFlag) {
  ASSERT_EQ(run_cli({"run", scenario(), "--out", (dir_ / "a").string()}).code, 0);
  const auto summary = nlohmann::json::parse(slurp(dir_ / "a" / "summary.json"));
  ASSERT_TRUE(summary.contains("alignsim"));
  EXPECT_EQ("alignsim " + summary["alignsim"]["version"].get<std::string>() + "\n", run_cli({"--version"}).out);
  EXPECT_TRUE(summary["alignsim"]["commit"].is_string());
  EXPECT_TRUE(summary["alignsim"]["dirty"].is_boolean() || summary["alignsim"]["dirty"].is_null());
  std::ofstream(dir_ / "spec.yaml") << "scenario: s.yaml\nparameters:\n  params.foresight: {values: [0.5]}\n";
  ASSERT_EQ(run_cli({"sweep", (dir_ / "spec.yaml").string(), "--out", (dir_ / "sw").string()}).code, 0);
  const auto manifest = nlohmann::json::parse(slurp(dir_ / "sw" / "manifest.json"));
  EXPECT_EQ(manifest["git"], summary["alignsim"]["commit"]);
  EXPECT_EQ(manifest["git_dirty"], summary["alignsim"]["dirty"]);
}

TEST_F(RunRecord, FileSizeLimitLeavesNoFolderAndNoTemporaries) {
  const fs::path out = dir_ / "runs" / "a";
  fs::create_directories(dir_ / "runs");
  const int code = testing::wait_exit_code(
      testing::spawn_alignsim({"run", scenario(), "--out", out.string()}, dir_, {}, 2048));
  EXPECT_EQ(code, 1) << slurp(dir_ / "stderr");
  EXPECT_NE(slurp(dir_ / "stderr").find("alignsim: error: cannot write"), std::string::npos) << slurp(dir_ / "stderr");
  EXPECT_FALSE(fs::exists(out));
  EXPECT_TRUE(fs::is_empty(dir_ / "runs"));  // no half-written folder, no .a.tmp.PID
}

TEST_F(RunRecord, RerunReplacesAPreviousRunFolderWhole) {
  const fs::path out = dir_ / "a";
  ASSERT_EQ(run_cli({"run", scenario(), "--seed", "3", "--out", out.string()}).code, 0);
  ASSERT_EQ(run_cli({"run", scenario(), "--seed", "4", "--out", out.string()}).code, 0);
  EXPECT_NE(slurp(out / "scenario.resolved.yaml").find("\nseed: 4\n"), std::string::npos);
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename().string());
  for (const auto& n : names) EXPECT_EQ(n.find(".tmp."), std::string::npos) << n;
}

TEST_F(RunRecord, FolderHoldingOtherFilesIsNotReplaced) {
  fs::create_directories(dir_ / "mine");
  std::ofstream(dir_ / "mine" / "thesis.tex") << "precious";
  const auto r = run_cli({"run", scenario(), "--out", (dir_ / "mine").string()});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "alignsim: error: --out '" + (dir_ / "mine").string() +
                       "' holds 'thesis.tex', which is not a file of a run; choose a new or empty folder, or remove it\n");
  EXPECT_EQ(slurp(dir_ / "mine" / "thesis.tex"), "precious");
}

}  // namespace
}  // namespace alignsim
