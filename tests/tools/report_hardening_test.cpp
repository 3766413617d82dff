// `alignsim report` on folders a hostile user or a crash made: JSON nested to overflow the
// stack, values of the wrong type, a sweep with time series, -o on a link or a device.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "test_support.hpp"

namespace alignsim {
namespace {

namespace fs = std::filesystem;
using testing::run_cli;
using testing::slurp;

const char* const kSmall = R"(name: t
focal_power: china
ticks: 12
states:
  - name: china
    role: great_power
  - name: usa
    role: great_power
  - name: cambodia
    role: small_state
)";

class ReportHardening : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::make_temp_dir("alignsim_report_hardening");
    std::ofstream(dir_ / "s.yaml") << kSmall;
    ASSERT_EQ(run_cli({"run", (dir_ / "s.yaml").string(), "--out", (dir_ / "run").string()}).code, 0);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(ReportHardening, DeeplyNestedJsonIsAPositionedErrorNotACrash) {
  std::ofstream(dir_ / "run" / "summary.json", std::ios::trunc) << std::string(200000, '[') << std::string(200000, ']');
  const auto r = run_cli({"report", (dir_ / "run").string(), "-o", (dir_ / "r.html").string()});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, (dir_ / "run" / "summary.json").string() +
                       ":1:65: error: nested deeper than 64 levels; not a file alignsim wrote\n");
  EXPECT_FALSE(fs::exists(dir_ / "r.html"));
}

// nlohmann reads 1e400 as out_of_range, not a parse_error (found by fuzz_report_readers).
TEST_F(ReportHardening, NumberBeyondADoubleIsAPositionedErrorNotACrash) {
  std::ofstream(dir_ / "run" / "summary.json", std::ios::trunc) << "{\n  \"seed\": 1.5e533\n}\n";
  const auto r = run_cli({"report", (dir_ / "run").string(), "-o", (dir_ / "r.html").string()});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(r.err, (dir_ / "run" / "summary.json").string() +
                       ":2:11: error: not valid JSON: 1.5e533 is too large for a double\n");
  EXPECT_FALSE(fs::exists(dir_ / "r.html"));
}

TEST_F(ReportHardening, ValueOfTheWrongTypeIsExitTwo) {
  std::string explain = slurp(dir_ / "run" / "explain.json");
  std::ofstream(dir_ / "run" / "explain.json", std::ios::trunc) << R"({"units": 5, "states": []})";
  const auto r = run_cli({"report", (dir_ / "run").string(), "-o", (dir_ / "r.html").string()});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "r.html"));
}

TEST_F(ReportHardening, UnitsThatAreNotTextArePositionedExitTwo) {
  std::ofstream(dir_ / "run" / "explain.json", std::ios::trunc) << R"({"units": ["a"], "states": []})";
  const auto r = run_cli({"report", (dir_ / "run").string(), "-o", (dir_ / "r.html").string()});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(r.err, (dir_ / "run" / "explain.json").string() + ": error: 'units' must be a string\n");
  EXPECT_FALSE(fs::exists(dir_ / "r.html"));
}

TEST_F(ReportHardening, LabelTickOutOfRangeIsAPositionedErrorNotACast) {
  for (const char* tick : {"1e300", "-1", "2.5", "1000000001"}) {
    std::ofstream(dir_ / "run" / "labels.csv", std::ios::trunc)
        << "tick,state,label,motive\n0,cambodia,hedging,profit\n" << tick << ",cambodia,hedging,profit\n";
    const auto r = run_cli({"report", (dir_ / "run").string(), "-o", (dir_ / "r.html").string()});
    EXPECT_EQ(r.code, 2) << tick << ": " << r.err;
    EXPECT_EQ(r.err, (dir_ / "run" / "labels.csv").string() +
                         ":3:1: error: column 'tick': expected a whole number in [0, 1000000000], got '" + tick + "'\n")
        << tick;
    EXPECT_FALSE(fs::exists(dir_ / "r.html"));
  }
}

TEST_F(ReportHardening, SweepWithTimeSeriesIsReportedAsASweep) {
  std::ofstream(dir_ / "spec.yaml") << "scenario: s.yaml\nparameters:\n  params.foresight: {values: [0.3, 0.7]}\n"
                                       "outputs:\n  timeseries: true\n";
  ASSERT_EQ(run_cli({"sweep", (dir_ / "spec.yaml").string(), "--out", (dir_ / "sw").string()}).code, 0);
  ASSERT_TRUE(fs::exists(dir_ / "sw" / "timeseries.csv"));
  const auto r = run_cli({"report", (dir_ / "sw").string(), "-o", (dir_ / "sw.html").string()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("sweep report"), std::string::npos) << r.out;
}

TEST_F(ReportHardening, OutputThroughASymlinkWritesItsTargetAndKeepsTheLink) {
  std::ofstream(dir_ / "target.html") << "old";
  fs::create_symlink(dir_ / "target.html", dir_ / "link.html");
  ASSERT_EQ(run_cli({"report", (dir_ / "run").string(), "-o", (dir_ / "link.html").string()}).code, 0);
  EXPECT_TRUE(fs::is_symlink(dir_ / "link.html"));
  EXPECT_NE(slurp(dir_ / "target.html").find("<html"), std::string::npos);
}

TEST_F(ReportHardening, OutputOnADeviceIsRefusedAndTheDeviceKept) {
  const auto r = run_cli({"report", (dir_ / "run").string(), "-o", "/dev/null"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "alignsim: error: cannot write '/dev/null': it is not a regular file (a device, a pipe or a socket); "
                   "choose a file name\n");
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
}

}  // namespace
}  // namespace alignsim
