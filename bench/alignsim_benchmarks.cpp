// The speed benchmark (Google Benchmark): one ASEAN run, the per-tick cost of synthetic worlds
// of growing size beside one N×N×N matrix product, and a 193-state world. Not a test: results
// and how to read them are in docs/performance.md. `alignsim bench` prints a short summary.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <Eigen/Dense>
#include <string>

#include "models/alignment/synthetic.hpp"
#include "sim/engine.hpp"
#include "sim/model_registry.hpp"
#include "sim/scenario_loader.hpp"

namespace alignsim {
namespace {

long page_faults() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_minflt + u.ru_majflt;
}

const Scenario& asean() {
  static const Scenario kScenario = [] {
    Scenario s = load_scenario_file(ALIGNSIM_SOURCE_DIR "/scenarios/asean_2016.yaml", model_registry());
    s.ticks = 200;
    return s;
  }();
  return kScenario;
}

// One whole run of the flagship: 9 states, 200 ticks, recording off (as in a sweep).
void AseanRun(benchmark::State& state) {
  std::uint64_t seed = 1;
  for (auto _ : state) {
    RunOptions o;
    o.seed = seed++;
    o.record = false;
    Engine e(asean(), model_registry(), o);
    e.run_to_end();
    benchmark::DoNotOptimize(e.tick());
  }
}
BENCHMARK(AseanRun)->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);

// What one run of a sweep costs its worker: the flagship at its own 150 ticks, then the
// classification that labels every small state (runs.csv's rows are formatted on top of this).
void AseanSweepRun(benchmark::State& state) {
  Scenario s = asean();
  s.ticks = 150;
  std::uint64_t seed = 1;
  for (auto _ : state) {
    RunOptions o;
    o.seed = seed++;
    o.record = false;
    Engine e(s, model_registry(), o);
    e.run_to_end();
    benchmark::DoNotOptimize(e.model().classify());
  }
}
BENCHMARK(AseanSweepRun)->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);

// The classification alone, at the end of a flagship run.
void AseanClassify(benchmark::State& state) {
  Scenario s = asean();
  s.ticks = 150;
  RunOptions o;
  o.record = false;
  Engine e(s, model_registry(), o);
  e.run_to_end();
  for (auto _ : state) benchmark::DoNotOptimize(e.model().classify());
}
BENCHMARK(AseanClassify)->Unit(benchmark::kMicrosecond);

// One tick of a synthetic world; page faults per tick as a counter.
void tick(benchmark::State& state, alignment::SyntheticRivalry rivalry) {
  Scenario s = alignment::synthetic_world(static_cast<std::size_t>(state.range(0)), 7, rivalry);
  s.ticks = 1 << 30;
  RunOptions o;
  o.record = false;
  Engine e(s, model_registry(), o);
  e.step();  // first touch of the workspace
  const long before = page_faults();
  for (auto _ : state) e.step();
  state.counters["faults_per_tick"] =
      benchmark::Counter(static_cast<double>(page_faults() - before), benchmark::Counter::kAvgIterations);
}
void SyntheticTick(benchmark::State& state) { tick(state, alignment::SyntheticRivalry::plausible); }
void SyntheticTickDenseRivalry(benchmark::State& state) { tick(state, alignment::SyntheticRivalry::dense); }
BENCHMARK(SyntheticTick)->Arg(10)->Arg(30)->Arg(100)->Arg(300)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK(SyntheticTickDenseRivalry)->Arg(10)->Arg(30)->Arg(100)->Arg(300)->Arg(1000)->Unit(benchmark::kMillisecond);

// The yardstick: one dense N×N×N product with Eigen, as in the tick's general path.
void Product(benchmark::State& state) {
  const auto n = static_cast<Eigen::Index>(state.range(0));
  const Eigen::MatrixXd a = Eigen::MatrixXd::Random(n, n), b = Eigen::MatrixXd::Random(n, n);
  Eigen::MatrixXd c(n, n);
  for (auto _ : state) {
    c.noalias() = a * b;
    benchmark::DoNotOptimize(c.data());
  }
}
BENCHMARK(Product)->Arg(10)->Arg(30)->Arg(100)->Arg(300)->Arg(1000)->Unit(benchmark::kMillisecond);

// Every UN member: 193 states (19 great powers), plausible relations, 150 ticks.
void World193Run(benchmark::State& state) {
  const Scenario s = alignment::synthetic_world(193, 11);
  for (auto _ : state) {
    RunOptions o;
    o.record = false;
    Engine e(s, model_registry(), o);
    e.run_to_end();
    benchmark::DoNotOptimize(e.tick());
  }
}
BENCHMARK(World193Run)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace alignsim

BENCHMARK_MAIN();
