#include "tools/cli/calibrate.hpp"

#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "sim/atomic_file.hpp"
#include "experiment/calibration.hpp"
#include "experiment/calibration_files.hpp"
#include "experiment/calibration_spec.hpp"
#include "sim/error.hpp"
#include "sim/model_registry.hpp"

namespace po = boost::program_options;

namespace alignsim::cli {

namespace {

std::string duration_text(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, (s / 60) % 60);
  else if (s >= 60)
    std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%lds", s);
  return buf;
}

// `refine      [#########.........]  4500/10000 runs  812 runs/s  ETA 7s`, redrawn in place. The
// total is an upper bound (refinement may stop early), so the ETA is one too.
void draw_progress(std::ostream& err, const CalibrationProgress& p) {
  constexpr int kWidth = 30;
  const double frac = p.runs_planned ? static_cast<double>(p.runs_done) / p.runs_planned : 1.0;
  const int filled = static_cast<int>(frac * kWidth);
  const double rate = p.seconds > 0 ? p.runs_done / p.seconds : 0.0;
  const double eta = rate > 0 ? (p.runs_planned - p.runs_done) / rate : 0.0;
  char buf[200];
  std::snprintf(buf, sizeof buf, "\r%-10s [%s%s] %llu/%llu runs  %.0f runs/s  ETA %s   ",
                p.phase.c_str(), std::string(static_cast<std::size_t>(filled), '#').c_str(),
                std::string(static_cast<std::size_t>(kWidth - filled), '.').c_str(),
                static_cast<unsigned long long>(p.runs_done),
                static_cast<unsigned long long>(p.runs_planned), rate, duration_text(eta).c_str());
  err << buf << std::flush;
}

}  // namespace

int calibrate_command(const Args& args, std::ostream& out, std::ostream& err) {
  po::options_description opts(
      "usage: alignsim calibrate SPEC --out DIR [--threads N] [--quiet]\n\n"
      "Pattern-oriented calibration (docs/calibration.md, \"The calibrate command\"): samples\n"
      "the parameters of SPEC with a Latin hypercube or Sobol' design, scores each point by\n"
      "the share of the scenarios' expect: patterns that hold over K seeds (the seeds of\n"
      "alignsim check --seeds K), refines the best points with an NLopt derivative-free\n"
      "optimiser, and writes into DIR the best point (best.yaml, best.json), every sample\n"
      "(samples.csv), the patterns at the best point (patterns.csv), the regions where every\n"
      "pattern holds (regions.csv, scan.csv), the one-at-a-time robustness table\n"
      "(robustness.csv), summary.json, calibration.md and manifest.json. Prints best.yaml.\n"
      "Every file but manifest.json is byte-identical whatever --threads is.\n\noptions");
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  opts.add_options()("spec", po::value<std::string>()->required(), "calibration spec YAML file")(
      "out", po::value<std::string>()->required(), "output folder (created if missing; files in it are replaced)")(
      "threads", po::value<int>()->default_value(static_cast<int>(cores)), "worker threads (default: cores)")(
      "quiet,q", "no progress bar");
  opts.add_options()("help,h", "show this help");
  po::positional_options_description pos;
  pos.add("spec", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(opts).positional(pos).run(), vm);
    if (vm.count("help")) {
      out << opts << '\n';
      return 0;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(std::string(e.what()) + " (see alignsim calibrate --help)");
  }
  const int threads = vm["threads"].as<int>();
  if (threads < 1 || threads > 4096)
    throw UsageError("--threads must be in [1, 4096], got " + std::to_string(threads));
  // Everything is validated before --out is touched, so a bad spec creates nothing.
  const CalibrationSpec spec = load_calibration_spec_file(vm["spec"].as<std::string>(), model_registry());
  const std::string dir = vm["out"].as<std::string>();
  if (std::filesystem::exists(dir) && !std::filesystem::is_directory(dir))
    throw UsageError("--out: '" + dir + "' exists and is not a folder");

  const bool tty = &err == &std::cerr && ::isatty(STDERR_FILENO) && !vm.count("quiet");
  CalibrationOptions options;
  options.threads = threads;
  auto last_draw = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  if (tty)
    options.progress = [&](const CalibrationProgress& p) {
      const auto now = std::chrono::steady_clock::now();
      if (now - last_draw < std::chrono::milliseconds(100)) return;
      last_draw = now;
      draw_progress(err, p);
    };
  const auto t0 = std::chrono::steady_clock::now();
  const CalibrationResult result = run_calibration(spec, model_registry(), options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (tty) err << '\n';

  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw RuntimeError("cannot create '" + dir + "': " + ec.message());
  write_calibration_files(spec, result, dir);
  nlohmann::ordered_json m;
  m["tool"] = "alignsim calibrate";
  m["version"] = ALIGNSIM_VERSION;
  m["spec"] = spec.file;
  for (const auto& cs : spec.scenarios) m["scenario_files"].push_back(cs.path);
  m["threads"] = threads;
  m["runs"] = result.runs;
  m["failed_runs"] = result.failed_runs;
  m["seconds"] = seconds;
  m["runs_per_second"] = seconds > 0 ? static_cast<double>(result.runs) / seconds : 0.0;
  write_file_atomically((std::filesystem::path(dir) / "manifest.json").string(), m.dump(2) + "\n");

  out << best_point_yaml(spec, result);
  if (tty)
    err << result.runs << " runs in " << duration_text(seconds) << ", written to " << dir << '\n';
  if (result.failed_runs > 0) {
    err << "alignsim: error: " << result.failed_runs << " of " << result.runs
        << " runs failed (the model threw; they count as misses; see samples.csv failed_runs)\n";
    return 1;
  }
  return 0;
}

}  // namespace alignsim::cli
