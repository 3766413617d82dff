#include "tools/cli/sweep.hpp"

#include <boost/program_options.hpp>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "sim/bundled.hpp"
#include "sim/error.hpp"
#include "sim/model_registry.hpp"
#include "sim/scenario_loader.hpp"
#include "experiment/sweep.hpp"
#include "experiment/sweep_spec.hpp"
#ifdef ALIGNSIM_WITH_MPI
#include "tools/cli/sweep_mpi.hpp"
#endif

namespace po = boost::program_options;

namespace alignsim::cli {

namespace {

// Set by SIGINT/SIGTERM while a sweep runs; the sweep commits what is complete and returns.
std::atomic<bool> g_cancel{false};
volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_signal(int sig) {
  g_signal = sig;
  g_cancel.store(true);
}

// Installs the handlers for the lifetime of one sweep and restores the previous ones.
class SignalGuard {
 public:
  SignalGuard() {
    g_cancel.store(false);
    g_signal = 0;
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~SignalGuard() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  SignalGuard(const SignalGuard&) = delete;
  SignalGuard& operator=(const SignalGuard&) = delete;

 private:
  struct sigaction old_int_ {}, old_term_ {};
};

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

// `[#########.........]  4500/10000 runs  812 runs/s  ETA 7s`, redrawn in place.
void draw_progress(std::ostream& err, const SweepProgress& p) {
  constexpr int kWidth = 30;
  const double frac = p.runs_total ? static_cast<double>(p.runs_done) / p.runs_total : 1.0;
  const int filled = static_cast<int>(frac * kWidth);
  const double rate = p.seconds > 0 ? p.runs_this_session / p.seconds : 0.0;
  const double eta = rate > 0 ? (p.runs_total - p.runs_done) / rate : 0.0;
  char buf[160];
  std::snprintf(buf, sizeof buf, "\r[%s%s] %llu/%llu runs  %.0f runs/s  ETA %s   ",
                std::string(static_cast<std::size_t>(filled), '#').c_str(),
                std::string(static_cast<std::size_t>(kWidth - filled), '.').c_str(),
                static_cast<unsigned long long>(p.runs_done),
                static_cast<unsigned long long>(p.runs_total), rate, duration_text(eta).c_str());
  err << buf << std::flush;
}

}  // namespace

namespace {

constexpr const char* kParamHelp = "--param PATH=LO:HI:STEPS (a grid range) or PATH=v1,v2,... (values)";

// The number `text` spells in full, or nullopt.
std::optional<double> number(const std::string& text) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0') return std::nullopt;
  return v;
}

// The sweep spec of `alignsim sweep SCENARIO --param ...`: a grid over the --param levels, as
// YAML text for load_sweep_spec_text, so spec-less sweeps are validated, run and recorded
// exactly like spec files (manifest.json holds the resolved spec). Syntax problems of the
// --param values are InputError diagnostics `--param: error: PATH: message`.
std::string spec_from_params(const std::string& scenario, const std::vector<std::string>& params,
                             int replications, const std::optional<std::uint64_t>& seed) {
  std::vector<Diagnostic> problems;
  std::ostringstream y;
  y << "scenario: \"" << std::filesystem::absolute(find_scenario(scenario)).lexically_normal().string() << "\"\n"
    << "design: grid\nreplications: " << replications << "\n";
  if (seed) y << "seed: " << *seed << "\n";
  y << "parameters:\n";
  for (const std::string& p : params) {
    Diagnostic d;
    d.pos.file = "--param";
    const auto eq = p.find('=');
    d.path = p.substr(0, eq);
    auto fail = [&](const std::string& message) {
      d.message = message;
      problems.push_back(d);
    };
    if (eq == std::string::npos || eq == 0) {
      fail(std::string("expected ") + kParamHelp);
      continue;
    }
    if (d.path.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") !=
        std::string::npos) {
      fail("not a scenario path (params.K, states.S.K, states.S.K.T, relations.S.T.K, ...)");
      continue;
    }
    const std::string levels = p.substr(eq + 1);
    std::vector<std::string> parts;
    const char sep = levels.find(':') != std::string::npos ? ':' : ',';
    std::string::size_type start = 0;
    while (true) {
      const auto at = levels.find(sep, start);
      parts.push_back(levels.substr(start, at == std::string::npos ? std::string::npos : at - start));
      if (at == std::string::npos) break;
      start = at + 1;
    }
    if (sep == ':') {
      const auto lo = parts.size() == 3 ? number(parts[0]) : std::nullopt;
      const auto hi = parts.size() == 3 ? number(parts[1]) : std::nullopt;
      const auto steps = parts.size() == 3 ? number(parts[2]) : std::nullopt;
      if (!lo || !hi || !steps || *steps != static_cast<double>(static_cast<long>(*steps))) {
        fail("expected LO:HI:STEPS with numbers LO, HI and a whole number STEPS, got '" + levels + "'");
        continue;
      }
      y << "  \"" << d.path << "\": {range: [" << format_number(*lo) << ", " << format_number(*hi)
        << "], steps: " << static_cast<long>(*steps) << "}\n";
    } else {
      std::string list;
      bool ok = true;
      for (const std::string& v : parts) {
        const auto x = number(v);
        if (!x) {
          fail("expected a comma-separated list of numbers, got '" + levels + "'");
          ok = false;
          break;
        }
        list += (list.empty() ? "" : ", ") + format_number(*x);
      }
      if (ok) y << "  \"" << d.path << "\": {values: [" << list << "]}\n";
    }
  }
  if (!problems.empty()) throw InputError(problems);
  return y.str();
}

// Diagnostics of the generated spec point at `--param` itself, not at lines the user never saw.
SweepSpec load_param_spec(const std::string& text) {
  try {
    return load_sweep_spec_text(text, "--param", model_registry());
  } catch (const InputError& e) {
    std::vector<Diagnostic> ds = e.diagnostics();
    for (Diagnostic& d : ds)
      if (d.pos.file == "--param") {
        d.pos.line = d.pos.column = 0;
        if (d.path.rfind("parameters.", 0) == 0) d.path = d.path.substr(11);
      }
    throw InputError(ds);
  }
}

struct SweepRequest {
  bool help = false;
  std::string help_text;
  SweepSpec spec;
  SweepOptions options;
  bool quiet = false;
};

// Parses the command line and loads the spec; validates everything before --out is touched,
// so a bad spec creates nothing.
SweepRequest parse_request(const Args& args) {
  po::options_description opts(
      "usage: alignsim sweep SPEC --out DIR [--threads N] [--resume] [--quiet]\n"
      "       alignsim sweep SCENARIO --param PATH=LO:HI:STEPS [--param PATH=v1,v2 ...]\n"
      "                      [--replications N] [--seed S] --out DIR [...]\n"
      "       mpirun -n K alignsim sweep SPEC --out DIR [--threads N]   (MPI build)\n\n"
      "Runs a parameter sweep (docs/sweeps.md): every design point of SPEC times its\n"
      "replications, streamed into DIR as runs.csv, points.csv, manifest.json (and\n"
      "sensitivity.csv for sobol designs). Ctrl-C keeps every completed point; --resume\n"
      "continues to the same files an uninterrupted sweep writes. In the MPI build\n"
      "(cmake -DALIGNSIM_MPI=ON) under mpirun, rank 0 writes and the other ranks compute\n"
      "runs as they ask for them; the files are the same as with threads. With --param,\n"
      "the first argument is a scenario and the sweep is the grid over the --param levels\n"
      "(no spec file).\n\noptions");
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::string> params;
  opts.add_options()("spec", po::value<std::string>()->required(), "sweep spec YAML file (with --param: the scenario)")(
      "param", po::value<std::vector<std::string>>(&params)->composing(),
      "sweep PATH over LO:HI:STEPS (a grid range) or v1,v2,... (repeatable; the first argument is then a scenario)")(
      "replications", po::value<int>(), "with --param: seeds per grid point (default 1)")(
      "seed", po::value<std::uint64_t>(), "with --param: master seed (default: the scenario's seed)")(
      "out", po::value<std::string>()->required(), "output folder (created; must be new or empty)")(
      "threads", po::value<int>()->default_value(static_cast<int>(cores)),
      "worker threads (default: cores; under mpirun: threads of rank 0, the other ranks use one)")(
      "resume", "continue the sweep already in --out, skipping completed runs")(
      "quiet,q", "no progress bar");
  opts.add_options()("help,h", "show this help");
  po::positional_options_description pos;
  pos.add("spec", 1);
  po::variables_map vm;
  SweepRequest r;
  try {
    po::store(po::command_line_parser(args).options(opts).positional(pos).run(), vm);
    if (vm.count("help")) {
      std::ostringstream text;
      text << opts << '\n';
      r.help = true;
      r.help_text = text.str();
      return r;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(std::string(e.what()) + " (see alignsim sweep --help)");
  }
  const int threads = vm["threads"].as<int>();
  if (threads < 1 || threads > 4096)
    throw UsageError("--threads must be in [1, 4096], got " + std::to_string(threads));
  if (params.empty()) {
    if (vm.count("replications") || vm.count("seed"))
      throw UsageError("--replications and --seed go with --param; a spec file sets them itself");
    r.spec = load_sweep_spec_file(vm["spec"].as<std::string>(), model_registry());
  } else {
    const int replications = vm.count("replications") ? vm["replications"].as<int>() : 1;
    std::optional<std::uint64_t> seed;
    if (vm.count("seed")) seed = vm["seed"].as<std::uint64_t>();
    r.spec = load_param_spec(spec_from_params(vm["spec"].as<std::string>(), params, replications, seed));
  }
  r.quiet = vm.count("quiet") > 0;
  r.options.out_dir = vm["out"].as<std::string>();
  r.options.threads = threads;
  r.options.resume = vm.count("resume") > 0;
  r.options.cancel = &g_cancel;
  r.options.version = ALIGNSIM_VERSION;
  return r;
}

// Runs the parsed sweep in this process (rank 0 under MPI) and reports; the exit code.
int run_request(SweepRequest& r, std::ostream& err) {
  SweepOptions& o = r.options;
  const bool tty = &err == &std::cerr && ::isatty(STDERR_FILENO) && !r.quiet;
  auto last_draw = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  if (tty) {
    o.progress = [&](const SweepProgress& p) {
      const auto now = std::chrono::steady_clock::now();
      if (now - last_draw < std::chrono::milliseconds(100) && p.runs_done < p.runs_total) return;
      last_draw = now;
      draw_progress(err, p);
    };
  }

  SweepSummary summary;
  {
    SignalGuard guard;
    summary = run_sweep(r.spec, model_registry(), o);
  }
  if (tty) err << '\n';
  if (summary.interrupted) {
    if (!r.quiet)
      err << "alignsim: interrupted: " << summary.runs_done << " of " << summary.runs_total
          << " runs kept in " << o.out_dir << "; rerun with --resume to continue\n";
    return g_signal == SIGTERM ? 143 : 130;
  }
  if (tty)
    err << summary.runs_total << " runs (" << summary.runs_resumed << " resumed) in "
        << duration_text(summary.seconds) << ", written to " << o.out_dir << '\n';
  if (summary.runs_failed > 0) {
    err << "alignsim: error: " << summary.runs_failed << " of " << summary.runs_total
        << " runs failed (label 'failed' in runs.csv; messages in manifest.json)\n";
    return 1;
  }
  return 0;
}

#ifdef ALIGNSIM_WITH_MPI
// Every rank parses the same command line; rank 0 reports problems, the others stay silent.
// The collective all_ok keeps the ranks in step whatever fails where.
int mpi_sweep(MpiSweep& mpi, const Args& args, std::ostream& out, std::ostream& err) {
  if (mpi.rank() != 0) {
    SweepRequest r;
    bool ok = true;
    try {
      r = parse_request(args);
    } catch (const std::exception&) {
      ok = false;
    }
    if (!mpi.all_ok(ok && !r.help)) return ok ? 0 : 2;
    // Ctrl-C reaches every rank; rank 0 decides when to stop, so the workers let it.
    std::signal(SIGINT, SIG_IGN);
    mpi.work(SweepRunComputer(r.spec, model_registry()));
    return 0;
  }
  SweepRequest r;
  try {
    r = parse_request(args);
  } catch (...) {
    mpi.all_ok(false);
    throw;
  }
  if (!mpi.all_ok(!r.help)) {
    if (r.help) {
      out << r.help_text;
      return 0;
    }
    throw RuntimeError("another MPI rank could not load the sweep spec (is it on a filesystem every node sees?)");
  }
  r.options.remote = mpi.workers();
  return run_request(r, err);
}
#endif

}  // namespace

int sweep_command(const Args& args, std::ostream& out, std::ostream& err) {
#ifdef ALIGNSIM_WITH_MPI
  MpiSweep mpi;
  if (mpi.size() > 1) return mpi_sweep(mpi, args, out, err);
#endif
  SweepRequest r = parse_request(args);
  if (r.help) {
    out << r.help_text;
    return 0;
  }
  return run_request(r, err);
}

}  // namespace alignsim::cli
