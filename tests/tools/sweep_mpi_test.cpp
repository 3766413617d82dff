// The MPI build (-DALIGNSIM_MPI=ON; tests/CMakeLists.txt compiles this file only there):
// `mpirun -n K alignsim sweep` writes the same bytes as a threads-only sweep.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <chrono>
#include <csignal>
#include <thread>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "test_support.hpp"

namespace alignsim {
namespace {

namespace fs = std::filesystem;
using testing::slurp;

class SweepMpi : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::make_temp_dir("alignsim_sweep_mpi");
    // CI runs as root; Open MPI refuses that unless told (harmless for other users).
    ::setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
    ::setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write_spec(const std::string& name, const std::string& body) {
    std::ofstream(dir_ / name) << "scenario: " << ALIGNSIM_SOURCE_DIR << "/scenarios/asean_2016.yaml\n"
                               << body;
    return (dir_ / name).string();
  }

  // Runs `[mpirun -n ranks --oversubscribe] alignsim sweep ARGS`; ranks 0 means no mpirun.
  int sweep(int ranks, const std::string& args) {
    std::string cmd;
    if (ranks > 0) cmd = std::string(ALIGNSIM_MPIEXEC) + " -n " + std::to_string(ranks) + " --oversubscribe ";
    cmd += std::string(ALIGNSIM_BINARY) + " sweep " + args + " -q >" + (dir_ / "stdout").string() +
           " 2>" + (dir_ / "stderr").string();
    const int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  }
  std::string err() { return slurp(dir_ / "stderr"); }

  fs::path dir_;
};

const char* const kGrid = R"(ticks: 60
seed: 11
design: grid
replications: 3
parameters:
  states.cambodia.dependence_aversion: {range: [0, 12], steps: 5}
  states.china.assertiveness: {range: [0, 1], steps: 4}
outputs:
  policies: true
)";

TEST_F(SweepMpi, TwoAndThreeRanksWriteTheBytesOfOneThread) {
  const std::string spec = write_spec("grid.yaml", kGrid);
  ASSERT_EQ(sweep(0, spec + " --out " + (dir_ / "t1").string() + " --threads 1"), 0) << err();
  ASSERT_EQ(sweep(2, spec + " --out " + (dir_ / "m2").string() + " --threads 1"), 0) << err();
  ASSERT_EQ(sweep(3, spec + " --out " + (dir_ / "m3").string() + " --threads 2"), 0) << err();
  for (const char* file : {"runs.csv", "points.csv"}) {
    const std::string one = slurp(dir_ / "t1" / file);
    ASSERT_GT(one.size(), 1000u) << file;
    EXPECT_EQ(slurp(dir_ / "m2" / file), one) << file;
    EXPECT_EQ(slurp(dir_ / "m3" / file), one) << file;
  }
  EXPECT_NE(slurp(dir_ / "m2" / "manifest.json").find("\"processes\": 2"), std::string::npos);
  EXPECT_NE(slurp(dir_ / "m3" / "manifest.json").find("\"processes\": 3"), std::string::npos);
}

TEST_F(SweepMpi, SobolIndicesMatchThreads) {
  const std::string spec = write_spec("sobol.yaml", R"(ticks: 40
seed: 3
design: sobol
points: 8
replications: 2
parameters:
  states.cambodia.dependence_aversion: {range: [0, 12]}
  states.china.assertiveness: {range: [0, 1]}
outputs:
  states: [cambodia]
)");
  ASSERT_EQ(sweep(0, spec + " --out " + (dir_ / "t").string() + " --threads 2"), 0) << err();
  ASSERT_EQ(sweep(2, spec + " --out " + (dir_ / "m").string() + " --threads 1"), 0) << err();
  EXPECT_EQ(slurp(dir_ / "m" / "sensitivity.csv"), slurp(dir_ / "t" / "sensitivity.csv"));
  EXPECT_EQ(slurp(dir_ / "m" / "runs.csv"), slurp(dir_ / "t" / "runs.csv"));
}

TEST_F(SweepMpi, BadSpecFailsOnEveryRankWithOneMessageAndCreatesNothing) {
  const std::string spec = write_spec("bad.yaml", "design: grid\nreplications: 0\nparameters:\n  states.cambodia.nope: {range: [0, 1], steps: 2}\n");
  EXPECT_EQ(sweep(2, spec + " --out " + (dir_ / "out").string()), 2);
  const std::string e = err();
  EXPECT_NE(e.find("bad.yaml:3:15: error: replications: must be in [1, 1000000]"), std::string::npos) << e;
  // Rank 1 parsed the same spec but stays silent: the message appears once.
  EXPECT_EQ(e.find("replications:"), e.rfind("replications:")) << e;
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

TEST_F(SweepMpi, OutputFolderInUseStopsEveryRank) {
  const std::string spec = write_spec("grid.yaml", kGrid);
  ASSERT_EQ(sweep(0, spec + " --out " + (dir_ / "o").string() + " --threads 1"), 0) << err();
  const std::string before = slurp(dir_ / "o" / "runs.csv");
  // Rank 0 refuses after every rank loaded the spec; the workers waiting for runs are released.
  EXPECT_EQ(sweep(2, spec + " --out " + (dir_ / "o").string()), 2);
  EXPECT_NE(err().find("already holds a sweep"), std::string::npos) << err();
  EXPECT_EQ(slurp(dir_ / "o" / "runs.csv"), before);
}

// Ctrl-C on mpirun (or a job's time limit) stops every rank at once; what rank 0 committed
// stays, and --resume, under MPI again, finishes to the bytes of an uninterrupted sweep.
// The sweep must outlast its first commit (0.25 s) by far on any machine: 8,000 runs take
// seconds on two ranks, where 1,000 once finished before the interrupt reached them.
TEST_F(SweepMpi, InterruptedSweepResumesToTheSameFiles) {
  const std::string spec = write_spec("long.yaml", R"(ticks: 150
seed: 4
design: grid
replications: 40
parameters:
  states.cambodia.dependence_aversion: {range: [0, 4.5], steps: 20}
  states.china.assertiveness: {range: [0, 1], steps: 10}
)");
  ASSERT_EQ(sweep(0, spec + " --out " + (dir_ / "full").string() + " --threads 2"), 0) << err();

  const fs::path cut = dir_ / "cut";
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execl(ALIGNSIM_MPIEXEC, ALIGNSIM_MPIEXEC, "-n", "2", "--oversubscribe", ALIGNSIM_BINARY, "sweep",
            spec.c_str(), "--out", cut.c_str(), "--threads", "1", "-q", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ASSERT_GT(pid, 0);
  // Wait for the first commit (points.csv grows past its header), then interrupt.
  const std::uintmax_t header = slurp(dir_ / "full" / "points.csv").find('\n') + 1;
  bool grew = false;
  for (int k = 0; k < 5000 && !grew; ++k) {
    std::error_code ec;
    grew = fs::exists(cut / "points.csv", ec) && fs::file_size(cut / "points.csv", ec) > header;
    if (!grew) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_TRUE(grew) << "no commit within 10 s";
  ::kill(pid, SIGINT);
  int status = 0;
  ::waitpid(pid, &status, 0);
  const std::string full_points = slurp(dir_ / "full" / "points.csv");
  ASSERT_LT(slurp(cut / "points.csv").size(), full_points.size()) << "finished before the interrupt";

  ASSERT_EQ(sweep(2, spec + " --out " + cut.string() + " --threads 1 --resume"), 0) << err();
  EXPECT_EQ(slurp(cut / "runs.csv"), slurp(dir_ / "full" / "runs.csv"));
  EXPECT_EQ(slurp(cut / "points.csv"), full_points);
  EXPECT_NE(slurp(cut / "manifest.json").find("\"status\": \"complete\""), std::string::npos);
}

}  // namespace
}  // namespace alignsim
