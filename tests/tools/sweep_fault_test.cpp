// Fault injection: a sweep killed (SIGKILL, by the LD_PRELOAD shim tests/tools/fault_shim.cpp)
// at each of its first write/rename/fsync/truncate calls in turn, then resumed, ends with the
// same files as an uninterrupted sweep and no temporaries; with threads, and in the MPI build
// under mpirun with rank 0 killed.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include <sstream>

#include <sys/wait.h>

#include "test_support.hpp"

namespace alignsim {
namespace {

namespace fs = std::filesystem;
using testing::slurp;

constexpr int kFaults = 40;

class SweepFault : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::make_temp_dir("alignsim_sweep_fault"); }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write_spec(const std::string& body) {
    std::ofstream(dir_ / "spec.yaml")
        << "scenario: " << ALIGNSIM_SOURCE_DIR << "/scenarios/asean_2016.yaml\n" << body;
    return (dir_ / "spec.yaml").string();
  }

  // The command line of a sweep: the binary itself, or under `mpirun -n ranks` with the
  // shim's variables passed to the ranks only (mpirun itself must not be killed).
  std::string command(const std::string& args, int ranks, const std::string& env) const {
    std::string cmd;
#ifdef ALIGNSIM_MPIEXEC
    if (ranks > 0) {
      cmd = std::string(ALIGNSIM_MPIEXEC) + " -n " + std::to_string(ranks) + " --oversubscribe";
      std::istringstream vars(env);
      for (std::string v; vars >> v;) cmd += " -x " + v;
      cmd += " ";
    }
#endif
    if (ranks == 0) cmd = env + " ";
    return cmd + ALIGNSIM_BINARY + " sweep " + args + " >" + (dir_ / "stdout").string() + " 2>" +
           (dir_ / "stderr").string();
  }
  int shell(const std::string& cmd) const {
    const int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  // Kills `sweep SPEC --out cut --threads T` (under `mpirun -n ranks` if ranks > 0) at its
  // k-th call for k = 1..kFaults, resumes each, and compares with an uninterrupted sweep.
  void kill_at_every_call_then_resume(const std::string& body, int threads, int ranks = 0) {
    const std::string spec = write_spec(body);
    const std::string args = spec + " --threads " + std::to_string(threads) + " --out ";
    ASSERT_EQ(shell(command(args + (dir_ / "full").string(), 0, "")), 0) << slurp(dir_ / "stderr");
    const fs::path cut = dir_ / "cut", mark = dir_ / "killed";
    int killed = 0;
    for (int k = 1; k <= kFaults; ++k) {
      fs::remove_all(cut);
      fs::remove(mark);
      // The sanitizer build's runtime must come first unless told otherwise.
      const std::string env = std::string("LD_PRELOAD=") + ALIGNSIM_FAULT_SHIM + " ALIGNSIM_FAULT_AT=" +
                              std::to_string(k) + " ALIGNSIM_FAULT_MARK=" + mark.string() +
                              " ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=0";
      const int code = shell(command(args + cut.string(), ranks, env));
      if (fs::exists(mark)) ++killed;
      else ASSERT_EQ(code, 0) << "fault " << k << ": " << slurp(dir_ / "stderr");
      // A kill before the output folder exists leaves nothing to resume: the rerun starts afresh.
      ASSERT_EQ(shell(command(args + cut.string() + " --resume", ranks, "")), 0)
          << "fault " << k << ": " << slurp(dir_ / "stderr");
      for (const char* f : {"runs.csv", "points.csv", "timeseries.csv", "sensitivity.csv"}) {
        EXPECT_EQ(fs::exists(cut / f), fs::exists(dir_ / "full" / f)) << "fault " << k << ": " << f;
        EXPECT_TRUE(slurp(cut / f) == slurp(dir_ / "full" / f)) << "fault " << k << ": " << f << " differs";
      }
      for (const auto& e : fs::directory_iterator(cut))
        EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos)
            << "fault " << k << ": stray " << e.path().filename();
      EXPECT_NE(slurp(cut / "manifest.json").find("\"status\": \"complete\""), std::string::npos) << "fault " << k;
    }
    // The sweep makes fewer calls than kFaults (21 for the grid on this machine): every call it
    // makes was killed in turn; at least 20 of them, so the test cannot pass vacuously.
    EXPECT_GE(killed, 20);
  }

  fs::path dir_;
};

// With time series every run writes tens of kilobytes, so the sweep writes out its buffers
// several times before it ends: more than kFaults calls.
TEST_F(SweepFault, GridKilledAtEachOfItsFirstCallsResumesToTheSameFiles) {
  kill_at_every_call_then_resume(R"(ticks: 12
seed: 3
replications: 3
parameters:
  states.cambodia.dependence_aversion: {range: [0, 3], steps: 4}
  states.china.assertiveness: {values: [0.2, 0.9]}
outputs:
  states: [cambodia, laos]
  timeseries: true
)", 2);
}

TEST_F(SweepFault, SobolKilledAtEachOfItsFirstCallsResumesToTheSameFiles) {
  kill_at_every_call_then_resume(R"(design: sobol
points: 4
ticks: 12
seed: 9
replications: 2
parameters:
  states.cambodia.dependence_aversion: {range: [0, 3]}
  states.china.assertiveness: {range: [0.1, 0.9]}
outputs:
  states: [cambodia, laos]
  timeseries: true
)", 2);
}

#ifdef ALIGNSIM_MPIEXEC
TEST_F(SweepFault, MpiSweepWithRankZeroKilledAtEachOfItsFirstCallsResumesToTheSameFiles) {
  ::setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);  // CI runs as root
  ::setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
  kill_at_every_call_then_resume(R"(ticks: 12
seed: 3
replications: 3
parameters:
  states.cambodia.dependence_aversion: {range: [0, 3], steps: 4}
  states.china.assertiveness: {values: [0.2, 0.9]}
outputs:
  states: [cambodia, laos]
  timeseries: true
)", 1, 2);
}
#endif

}  // namespace
}  // namespace alignsim
