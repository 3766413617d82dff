// `alignsim bench`: the speed benchmark of docs/performance.md (a benchmark, not a test).
#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sys/resource.h>

#include "sim/engine.hpp"
#include "sim/error.hpp"
#include "sim/model_registry.hpp"
#include "models/alignment/synthetic.hpp"
#include "tools/cli/commands.hpp"

namespace po = boost::program_options;

namespace alignsim::cli {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Page faults of this process so far (minor and major), for faults per tick.
long page_faults() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_minflt + u.ru_majflt;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

}  // namespace

int bench_command(const Args& args, std::ostream& out, std::ostream& err) {
  po::options_description opts(
      "usage: alignsim bench [options]\n\n"
      "Times one run of a scenario (median of repeats) and the per-tick cost of synthetic\n"
      "worlds of growing size, against one N×N×N Eigen matrix product measured in the same\n"
      "run. Results go in docs/performance.md.\n\noptions");
  opts.add_options()("scenario", po::value<std::string>()->default_value("scenarios/asean_2016.yaml"),
                     "scenario timed as a whole run")(
      "ticks", po::value<int>()->default_value(200), "ticks of the timed run")(
      "repeats", po::value<int>()->default_value(51), "repeats of the timed run")(
      "sizes", po::value<std::vector<int>>()->multitoken()->default_value({10, 30, 100, 300, 1000}, "10 30 100 300 1000"),
      "synthetic world sizes")("rivalry", po::value<std::string>()->default_value("plausible"),
                               "rivalry of the synthetic worlds: plausible (among great powers and a few "
                               "neighbours) or dense (20% of all pairs: the general path)")(
      "json", "print JSON instead of a table")("help,h", "show this help");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(opts).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(std::string(e.what()) + " (see alignsim bench --help)");
  }
  if (vm.count("help")) {
    out << opts << '\n';
    return 0;
  }
  const int repeats = std::max(1, vm["repeats"].as<int>());
  const std::string layout = vm["rivalry"].as<std::string>();
  if (layout != "plausible" && layout != "dense")
    throw UsageError("--rivalry must be 'plausible' or 'dense', got '" + layout + "'");
  const auto rivalry = layout == "dense" ? alignment::SyntheticRivalry::dense : alignment::SyntheticRivalry::plausible;
  Scenario scenario = load_scenario(vm["scenario"].as<std::string>());
  scenario.ticks = vm["ticks"].as<int>();
  if (scenario.ticks < 1) throw UsageError("--ticks must be at least 1");

  std::vector<double> run_times;
  for (int r = 0; r < repeats; ++r) {
    RunOptions o;
    o.seed = static_cast<std::uint64_t>(r + 1);
    o.record = false;
    const auto t0 = Clock::now();
    Engine e(scenario, model_registry(), o);
    e.run_to_end();
    run_times.push_back(seconds_since(t0));
  }
  const double run_median = median(run_times);

  nlohmann::ordered_json j;
  j["scenario"] = scenario.name;
  j["ticks"] = scenario.ticks;
  j["repeats"] = repeats;
  j["run_median_ms"] = run_median * 1e3;
  j["run_min_ms"] = *std::min_element(run_times.begin(), run_times.end()) * 1e3;
  j["sizes"] = nlohmann::ordered_json::array();

  std::vector<double> log_n, log_t;
  double last_tick = 0, last_product = 0;
  for (int n : vm["sizes"].as<std::vector<int>>()) {
    if (n < 2) throw UsageError("--sizes must be at least 2");
    Scenario s = alignment::synthetic_world(static_cast<std::size_t>(n), 7, rivalry);
    s.ticks = 1000000;
    RunOptions o;
    o.record = false;
    Engine e(s, model_registry(), o);
    e.step();  // warm-up: first-touch allocations
    const int ticks = n >= 1000 ? 5 : n >= 300 ? 11 : 51;
    std::vector<double> tick_times;
    tick_times.reserve(static_cast<std::size_t>(ticks));
    const long faults_before = page_faults();
    for (int t = 0; t < ticks; ++t) {
      const auto t0 = Clock::now();
      e.step();
      tick_times.push_back(seconds_since(t0));
    }
    const double faults = static_cast<double>(page_faults() - faults_before) / ticks;
    const Eigen::MatrixXd a = Eigen::MatrixXd::Random(n, n), b = Eigen::MatrixXd::Random(n, n);
    Eigen::MatrixXd c(n, n);
    std::vector<double> product_times;
    for (int t = 0; t < std::max(3, ticks); ++t) {
      const auto t0 = Clock::now();
      c.noalias() = a * b;
      product_times.push_back(seconds_since(t0));
    }
    const double tick = median(tick_times), product = median(product_times);
    j["sizes"].push_back({{"n", n}, {"tick_median_ms", tick * 1e3}, {"page_faults_per_tick", faults},
                          {"matmul_median_ms", product * 1e3},
                          {"tick_over_matmul", tick / product}, {"checksum", c(0, 0)}});
    log_n.push_back(std::log(n));
    log_t.push_back(std::log(tick));
    last_tick = tick;
    last_product = product;
  }
  // Least-squares slope of log(tick time) on log(N) over the sizes >= 100 (small N is
  // dominated by fixed overheads, not by the asymptotic cost).
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  int m = 0;
  for (std::size_t k = 0; k < log_n.size(); ++k) {
    if (std::exp(log_n[k]) < 99) continue;
    sx += log_n[k], sy += log_t[k], sxx += log_n[k] * log_n[k], sxy += log_n[k] * log_t[k];
    ++m;
  }
  const double exponent = m >= 2 ? (m * sxy - sx * sy) / (m * sxx - sx * sx) : NAN;
  j["fitted_exponent_n_ge_100"] = exponent;
  j["largest_tick_over_matmul"] = last_tick / last_product;

  if (vm.count("json")) {
    out << j.dump(2) << '\n';
    return 0;
  }
  out << std::fixed << std::setprecision(3);
  out << "run of " << scenario.name << ", " << scenario.ticks << " ticks: median " << run_median * 1e3
      << " ms over " << repeats << " repeats\n\n";
  out << "synthetic worlds, " << layout << " rivalry:\n";
  out << std::setw(6) << "N" << std::setw(16) << "tick (ms)" << std::setw(14) << "faults/tick" << std::setw(16)
      << "N^3 matmul (ms)" << std::setw(12) << "ratio\n";
  for (const auto& row : j["sizes"])
    out << std::setw(6) << row["n"].get<int>() << std::setw(16) << row["tick_median_ms"].get<double>()
        << std::setw(14) << std::setprecision(1) << row["page_faults_per_tick"].get<double>() << std::setprecision(3)
        << std::setw(16) << row["matmul_median_ms"].get<double>() << std::setw(11)
        << row["tick_over_matmul"].get<double>() << '\n';
  out << "\nfitted exponent of tick time in N (N >= 100): " << exponent << '\n';
  (void)err;
  return 0;
}

}  // namespace alignsim::cli
