// Exhaustive search of the landscape theory's local minima (models/landscape): random worlds of
// n actors, 2^(n−1) configurations each. Linked into alignsim_benchmarks, whose main runs it.
#include <benchmark/benchmark.h>

#include "models/landscape/landscape.hpp"
#include "sim/random_stream.hpp"

namespace alignsim {
namespace {

// n actors with sizes in [0.5, 2) and symmetric propensities uniform in [−1, 1).
landscape::Landscape random_landscape(int n) {
  RandomStream rng(1, 0, 0, 0);
  landscape::Landscape l{Eigen::VectorXd(n), Eigen::MatrixXd::Zero(n, n)};
  for (int i = 0; i < n; ++i) l.size(i) = 0.5 + 1.5 * rng.uniform();
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) l.propensity(i, j) = l.propensity(j, i) = 2.0 * rng.uniform() - 1.0;
  }
  return l;
}

// Every local minimum of one world; configurations visited per second as a counter.
void LandscapeExhaustiveMinima(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const landscape::Landscape l = random_landscape(n);
  std::size_t minima = 0;
  for (auto _ : state) {
    const auto found = landscape::exhaustive_minima(l);
    minima = found.size();
    benchmark::DoNotOptimize(found.data());
  }
  state.counters["minima"] = static_cast<double>(minima);
  state.counters["configurations"] = benchmark::Counter(static_cast<double>(1ull << (n - 1)),
                                                        benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(LandscapeExhaustiveMinima)->Arg(16)->Arg(20)->Arg(24)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace alignsim
