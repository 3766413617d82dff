// `alignsim sweep` as a user runs it: the real binary, spawned, killed and resumed.
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tools/cli/cli.hpp"
#include "test_support.hpp"

namespace alignsim {
namespace {

namespace fs = std::filesystem;
using testing::slurp;

// Starts the alignsim binary with `args`, stdout and stderr to files in `dir`; returns its pid.
pid_t spawn(const std::vector<std::string>& args, const fs::path& dir) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int out = ::open((dir / "stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open((dir / "stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(out, 1);
    ::dup2(err, 2);
    std::vector<char*> argv;
    std::string binary = ALIGNSIM_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

class SweepCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::make_temp_dir("alignsim_sweep_cli");
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes spec.yaml: the ASEAN scenario with `body`.
  std::string write_spec(const std::string& body) {
    std::ofstream(dir_ / "spec.yaml")
        << "scenario: " << ALIGNSIM_SOURCE_DIR << "/scenarios/asean_2016.yaml\n" << body;
    return (dir_ / "spec.yaml").string();
  }
  int run(const std::vector<std::string>& args) { return wait_exit(spawn(args, dir_)); }
  std::string err() { return slurp(dir_ / "stderr"); }
  std::string out() { return slurp(dir_ / "stdout"); }

  fs::path dir_;
};

// ~1 s of work on one thread: long enough to be killed mid-way.
const char* const kLong = R"(ticks: 100
seed: 5
replications: 4
parameters:
  states.cambodia.dependence_aversion: {range: [0, 3], steps: 10}
  states.china.assertiveness: {range: [0, 1], steps: 10}
outputs:
  states: [cambodia, vietnam]
)";

TEST_F(SweepCli, MalformedSpecExitsTwoAndCreatesNothing) {
  const std::string spec = write_spec(R"(design: sobol
points: 12
replications: 0
parameters:
  states.cambodia.dependance_aversion: {range: [0, 3]}
)");
  EXPECT_EQ(run({"sweep", spec, "--out", (dir_ / "out").string()}), 2);
  EXPECT_EQ(err(), spec + ":3:9: error: points: sobol designs need a power of two >= 2 (N, the base rows), got 12; try 16\n" +
                       spec + ":4:15: error: replications: must be in [1, 1000000] (seeds per design point), got 0\n" +
                       spec + ":6:3: error: parameters.states.cambodia.dependance_aversion: unknown state key 'dependance_aversion' (did you mean 'dependence_aversion'?)\n");
  EXPECT_EQ(out(), "");
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

TEST_F(SweepCli, RejectsZeroThreads) {
  std::ostringstream o, e;
  EXPECT_EQ(cli::main({"sweep", write_spec(kLong), "--out", (dir_ / "out").string(), "--threads", "0"}, o, e), 2);
  EXPECT_EQ(e.str(), "alignsim: error: --threads must be in [1, 4096], got 0\n");
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

TEST_F(SweepCli, QuietSweepWritesNothingToStdoutOrStderr) {
  const std::string spec = write_spec("ticks: 10\nparameters:\n  params.foresight: {values: [0.3, 0.7]}\n");
  EXPECT_EQ(run({"sweep", spec, "--out", (dir_ / "out").string(), "--threads", "2"}), 0);
  EXPECT_EQ(out(), "");
  EXPECT_EQ(err(), "");  // not a terminal: no progress bar
  EXPECT_TRUE(fs::exists(dir_ / "out" / "manifest.json"));
}

TEST_F(SweepCli, OneAndTwoThreadsGiveByteIdenticalRuns) {
  const std::string spec = write_spec(R"(ticks: 20
replications: 3
parameters:
  states.cambodia.dependence_aversion: {range: [0, 3], steps: 4}
  states.china.assertiveness: {range: [0, 1], steps: 4}
)");
  ASSERT_EQ(run({"sweep", spec, "--out", (dir_ / "one").string(), "--threads", "1"}), 0);
  ASSERT_EQ(run({"sweep", spec, "--out", (dir_ / "two").string(), "--threads", "2"}), 0);
  EXPECT_EQ(slurp(dir_ / "one" / "runs.csv"), slurp(dir_ / "two" / "runs.csv"));
  EXPECT_EQ(slurp(dir_ / "one" / "points.csv"), slurp(dir_ / "two" / "points.csv"));
}

// Waits until `file` has more than `bytes` bytes or `pid` exited; false if it exited.
bool wait_for_growth(const fs::path& file, std::uintmax_t bytes, pid_t pid) {
  for (int k = 0; k < 2000; ++k) {
    std::error_code ec;
    if (fs::exists(file, ec) && fs::file_size(file, ec) > bytes) return true;
    int status;
    if (::waitpid(pid, &status, WNOHANG) == pid) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

TEST_F(SweepCli, SigkilledSweepResumesToTheSameFiles) {
  const std::string spec = write_spec(kLong);
  ASSERT_EQ(run({"sweep", spec, "--out", (dir_ / "full").string(), "--threads", "2"}), 0);

  const fs::path cut = dir_ / "cut";
  const pid_t pid = spawn({"sweep", spec, "--out", cut.string(), "--threads", "1"}, dir_);
  // After the first commit (points.csv grows past its header), kill it without warning.
  const std::uintmax_t header = slurp(dir_ / "full" / "points.csv").find('\n') + 1;
  ASSERT_TRUE(wait_for_growth(cut / "points.csv", header, pid)) << "finished before the kill";
  ::kill(pid, SIGKILL);
  EXPECT_EQ(wait_exit(pid), 128 + SIGKILL);
  EXPECT_NE(slurp(cut / "manifest.json").find("\"status\": \"running\""), std::string::npos);
  EXPECT_LT(slurp(cut / "points.csv").size(), slurp(dir_ / "full" / "points.csv").size());

  ASSERT_EQ(run({"sweep", spec, "--out", cut.string(), "--threads", "2", "--resume"}), 0) << err();
  EXPECT_EQ(slurp(cut / "runs.csv"), slurp(dir_ / "full" / "runs.csv"));
  EXPECT_EQ(slurp(cut / "points.csv"), slurp(dir_ / "full" / "points.csv"));
  EXPECT_NE(slurp(cut / "manifest.json").find("\"status\": \"complete\""), std::string::npos);
}

TEST_F(SweepCli, CtrlCFlushesAndExits130) {
  const std::string spec = write_spec(kLong);
  const fs::path cut = dir_ / "cut";
  const pid_t pid = spawn({"sweep", spec, "--out", cut.string(), "--threads", "1"}, dir_);
  ASSERT_TRUE(wait_for_growth(cut / "runs.csv", 400, pid)) << "finished before the signal";
  ::kill(pid, SIGINT);
  EXPECT_EQ(wait_exit(pid), 130);
  EXPECT_NE(err().find("alignsim: interrupted: "), std::string::npos);
  EXPECT_NE(err().find("rerun with --resume to continue"), std::string::npos);
  EXPECT_NE(slurp(cut / "manifest.json").find("\"status\": \"interrupted\""), std::string::npos);
  const std::string runs = slurp(cut / "runs.csv");
  EXPECT_EQ(runs.back(), '\n');  // no torn line
}

}  // namespace
}  // namespace alignsim
