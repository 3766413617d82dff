// `alignsim bench`: the speed benchmark of docs/performance.md (a benchmark, not a test).
#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <nlohmann/json.hpp>

#include "sim/engine.hpp"
#include "sim/error.hpp"
#include "sim/model_registry.hpp"
#include "sim/random_stream.hpp"
#include "tools/cli/commands.hpp"

namespace po = boost::program_options;

namespace alignsim::cli {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

}  // namespace

Scenario synthetic_scenario(std::size_t n, std::uint64_t seed) {
  const ModelSchema& schema = *model_registry().find("alignment")->schema;
  Scenario s;
  s.name = "synthetic_" + std::to_string(n);
  s.ticks = 1000000;
  RandomStream rng(seed, 0, 0, 0);
  const auto nn = static_cast<Eigen::Index>(n);
  for (std::size_t i = 0; i < n; ++i) {
    s.state_names.push_back("s" + std::to_string(i));
    // One power in ten, at least two.
    s.roles.push_back(i % 10 == 0 || i == 1 ? Role::great_power : Role::small_state);
  }
  for (const auto& k : schema.params) s.params[k.key] = k.default_value;
  for (const auto& k : schema.classifier) s.classifier[k.key] = k.default_value;
  for (const auto& k : schema.state_keys) s.state_keys[k.key] = Eigen::VectorXd::Constant(nn, k.default_value);
  auto random_matrix = [&](double scale, double density) {
    Eigen::MatrixXd m = Eigen::MatrixXd::Zero(nn, nn);
    for (Eigen::Index i = 0; i < nn; ++i)
      for (Eigen::Index j = 0; j < nn; ++j)
        if (i != j && rng.uniform() < density) m(i, j) = scale * rng.uniform();
    return m;
  };
  for (const auto& k : schema.relation_keys) s.relation_keys[k.key] = Eigen::MatrixXd::Zero(nn, nn);
  for (const auto& k : schema.policy_keys) {
    Eigen::MatrixXd m = Eigen::MatrixXd::Constant(nn, nn, k.default_value);
    m.diagonal().setZero();
    s.policy_keys[k.key] = m;
  }
  for (Eigen::Index i = 0; i < nn; ++i) {
    s.state_keys["gdp"](i) = 10 + 1000 * rng.uniform();
    s.state_keys["military"](i) = 1 + 100 * rng.uniform();
    s.state_keys["assertiveness"](i) = rng.uniform();
  }
  s.relation_keys["economic_value"] = random_matrix(0.1, 1.0);
  s.relation_keys["proximity"] = random_matrix(1.0, 0.3);
  s.relation_keys["dispute"] = random_matrix(1.0, 0.05);
  s.relation_keys["stake"] = random_matrix(0.5, 0.05);
  Eigen::MatrixXd rivalry = random_matrix(1.0, 0.2);
  s.relation_keys["rivalry"] = 0.5 * (rivalry + rivalry.transpose());
  s.focal = 0;
  return s;
}

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
      "synthetic world sizes")("json", "print JSON instead of a table")("help,h", "show this help");
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
    const Scenario s = synthetic_scenario(static_cast<std::size_t>(n), 7);
    RunOptions o;
    o.record = false;
    Engine e(s, model_registry(), o);
    e.step();  // warm-up: first-touch allocations
    const int ticks = n >= 1000 ? 5 : n >= 300 ? 11 : 51;
    std::vector<double> tick_times;
    for (int t = 0; t < ticks; ++t) {
      const auto t0 = Clock::now();
      e.step();
      tick_times.push_back(seconds_since(t0));
    }
    const Eigen::MatrixXd a = Eigen::MatrixXd::Random(n, n), b = Eigen::MatrixXd::Random(n, n);
    Eigen::MatrixXd c(n, n);
    std::vector<double> product_times;
    for (int t = 0; t < std::max(3, ticks); ++t) {
      const auto t0 = Clock::now();
      c.noalias() = a * b;
      product_times.push_back(seconds_since(t0));
    }
    const double tick = median(tick_times), product = median(product_times);
    j["sizes"].push_back({{"n", n}, {"tick_median_ms", tick * 1e3}, {"matmul_median_ms", product * 1e3},
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
  out << std::setw(6) << "N" << std::setw(16) << "tick (ms)" << std::setw(16) << "N^3 matmul (ms)"
      << std::setw(12) << "ratio\n";
  for (const auto& row : j["sizes"])
    out << std::setw(6) << row["n"].get<int>() << std::setw(16) << row["tick_median_ms"].get<double>()
        << std::setw(16) << row["matmul_median_ms"].get<double>() << std::setw(11)
        << row["tick_over_matmul"].get<double>() << '\n';
  out << "\nfitted exponent of tick time in N (N >= 100): " << exponent << '\n';
  (void)err;
  return 0;
}

}  // namespace alignsim::cli
