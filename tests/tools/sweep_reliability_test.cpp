// A sweep folder under hostile conditions: a second sweep on it, a resume after a kill that left
// temporaries or before the first manifest, rows damaged between the sweep and its resume.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include "test_support.hpp"
#include "tools/process_support.hpp"

namespace alignsim {
namespace {

namespace fs = std::filesystem;
using testing::slurp;

class SweepFolder : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::make_temp_dir("alignsim_sweep_folder"); }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write_spec(const std::string& body) {
    std::ofstream(dir_ / "spec.yaml")
        << "scenario: " << ALIGNSIM_SOURCE_DIR << "/scenarios/asean_2016.yaml\n" << body;
    return (dir_ / "spec.yaml").string();
  }
  int run(const std::vector<std::string>& args) {
    return testing::wait_exit_code(testing::spawn_alignsim(args, dir_));
  }
  std::string err() { return slurp(dir_ / "stderr"); }

  // Every file of the sweep in `a` equals the one in `b`, manifest.json aside (timings).
  void expect_same_sweep(const fs::path& a, const fs::path& b) {
    for (const char* f : {"runs.csv", "points.csv", "timeseries.csv", "sensitivity.csv"}) {
      EXPECT_EQ(fs::exists(a / f), fs::exists(b / f)) << f;
      EXPECT_EQ(slurp(a / f), slurp(b / f)) << f;
    }
  }
  static std::vector<std::string> temporaries(const fs::path& d) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(d))
      if (e.path().filename().string().find(".tmp.") != std::string::npos)
        out.push_back(e.path().filename().string());
    return out;
  }

  fs::path dir_;
};

const char* const kSmallSobol = R"(design: sobol
points: 4
ticks: 12
seed: 9
replications: 2
parameters:
  states.cambodia.dependence_aversion: {range: [0, 3]}
  states.china.assertiveness: {range: [0.1, 0.9]}
outputs:
  states: [cambodia, laos]
)";

// Several seconds on one thread: long enough to start a second sweep beside it.
const char* const kLong = R"(ticks: 100
seed: 5
replications: 4
parameters:
  states.cambodia.dependence_aversion: {range: [0, 3], steps: 12}
  states.china.assertiveness: {range: [0, 1], steps: 12}
outputs:
  states: [cambodia, vietnam]
)";

std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST_F(SweepFolder, SecondSweepOnALockedFolderExitsTwoAndLeavesTheFirstIntact) {
  const std::string spec = write_spec(kLong);
  const fs::path out = dir_ / "out";
  fs::create_directories(dir_ / "first");
  const pid_t first = testing::spawn_alignsim({"sweep", spec, "--out", out.string(), "--threads", "1"}, dir_ / "first");
  bool started = false;
  for (int k = 0; k < 3000 && !started; ++k) {
    started = fs::exists(out / "manifest.json");
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_TRUE(started);
  EXPECT_EQ(run({"sweep", spec, "--out", out.string(), "--threads", "1", "--resume"}), 2);
  EXPECT_EQ(err(), "alignsim: error: '" + out.string() +
                       "' is in use by another sweep (it holds .sweep.lock); wait for that sweep to end, or choose another --out\n");
  ASSERT_EQ(testing::wait_exit_code(first), 0) << slurp(dir_ / "first" / "stderr");
  // 12 × 12 points × 4 replications × 2 states, once each, plus the header.
  EXPECT_EQ(lines(slurp(out / "runs.csv")), 12u * 12u * 4u * 2u + 1u);
  EXPECT_EQ(lines(slurp(out / "points.csv")), 12u * 12u * 2u + 1u);
}

TEST_F(SweepFolder, ResumeOfASweepKilledBeforeItsFirstManifestStartsAfresh) {
  const std::string spec = write_spec(kSmallSobol);
  ASSERT_EQ(run({"sweep", spec, "--out", (dir_ / "full").string()}), 0) << err();
  // What a kill between writing the first manifest and renaming it leaves.
  fs::create_directories(dir_ / "cut");
  std::ofstream(dir_ / "cut" / "manifest.json.tmp.4242") << "{\"tool\": \"alig";
  ASSERT_EQ(run({"sweep", spec, "--out", (dir_ / "cut").string(), "--resume"}), 0) << err();
  expect_same_sweep(dir_ / "cut", dir_ / "full");
  EXPECT_EQ(temporaries(dir_ / "cut"), std::vector<std::string>{});
}

TEST_F(SweepFolder, ResumeRemovesTemporariesOfAKilledSweep) {
  const std::string spec = write_spec(kSmallSobol);
  ASSERT_EQ(run({"sweep", spec, "--out", (dir_ / "full").string()}), 0) << err();
  fs::copy(dir_ / "full", dir_ / "cut");
  for (const char* t : {"manifest.json.tmp.77", "sensitivity.csv.tmp.78", "runs.csv.tmp.79"})
    std::ofstream(dir_ / "cut" / t) << "half";
  ASSERT_EQ(run({"sweep", spec, "--out", (dir_ / "cut").string(), "--resume"}), 0) << err();
  expect_same_sweep(dir_ / "cut", dir_ / "full");
  EXPECT_EQ(temporaries(dir_ / "cut"), std::vector<std::string>{});
}

TEST_F(SweepFolder, FolderWithOtherFilesAndNoManifestIsRefused) {
  const std::string spec = write_spec(kSmallSobol);
  fs::create_directories(dir_ / "out");
  std::ofstream(dir_ / "out" / "notes.txt") << "mine";
  EXPECT_EQ(run({"sweep", spec, "--out", (dir_ / "out").string(), "--resume"}), 2);
  EXPECT_EQ(err(), "alignsim: error: '" + (dir_ / "out").string() +
                       "' is not empty and holds no sweep; choose an empty or new folder for --out\n");
  EXPECT_EQ(slurp(dir_ / "out" / "notes.txt"), "mine");
}

// Replaces line `n` (0 = header) of `file` with `text`.
void replace_line(const fs::path& file, std::size_t n, const std::string& text) {
  std::istringstream in(slurp(file));
  std::string out, line;
  for (std::size_t k = 0; std::getline(in, line); ++k) out += (k == n ? text : line) + "\n";
  std::ofstream(file, std::ios::binary | std::ios::trunc) << out;
}

std::string line_at(const fs::path& file, std::size_t n) {
  std::istringstream in(slurp(file));
  std::string line;
  for (std::size_t k = 0; k <= n; ++k) std::getline(in, line);
  return line;
}

TEST_F(SweepFolder, ResumeRecomputesFromARowWithTooFewFields) {
  const std::string spec = write_spec(kSmallSobol);
  ASSERT_EQ(run({"sweep", spec, "--out", (dir_ / "full").string()}), 0) << err();
  fs::copy(dir_ / "full", dir_ / "cut");
  // Row 9 is the first state of point 4: it keeps its id, loses its fields.
  replace_line(dir_ / "cut" / "points.csv", 9, "4,");
  ASSERT_EQ(run({"sweep", spec, "--out", (dir_ / "cut").string(), "--resume"}), 0) << err();
  expect_same_sweep(dir_ / "cut", dir_ / "full");
}

TEST_F(SweepFolder, ResumeRecomputesFromARowWithAWrongField) {
  const std::string spec = write_spec(kSmallSobol);
  ASSERT_EQ(run({"sweep", spec, "--out", (dir_ / "full").string()}), 0) << err();
  const std::string good_points = line_at(dir_ / "full" / "points.csv", 5);
  const std::string good_run = line_at(dir_ / "full" / "runs.csv", 7);
  const struct {
    const char* file;
    std::size_t line;
    std::string text;
  } damage[] = {
      {"points.csv", 5, good_points + ",7"},                                    // a field too many
      {"points.csv", 5, good_points.substr(0, good_points.rfind(',')) + ",x"},  // not a number
      {"runs.csv", 7, good_run.substr(0, good_run.find(',')) + ",0,0,1,2,3"},   // wrong point
      {"runs.csv", 7, good_run.substr(0, good_run.rfind(','))},                 // a field short
  };
  for (const auto& d : damage) {
    fs::remove_all(dir_ / "cut");
    fs::copy(dir_ / "full", dir_ / "cut");
    replace_line(dir_ / "cut" / d.file, d.line, d.text);
    ASSERT_EQ(run({"sweep", spec, "--out", (dir_ / "cut").string(), "--resume"}), 0) << err();
    expect_same_sweep(dir_ / "cut", dir_ / "full");
  }
}

}  // namespace
}  // namespace alignsim
