#include "experiment/calibration.hpp"

#include <nlopt.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "sim/engine.hpp"
#include "sim/error.hpp"
#include "sim/expectation.hpp"
#include "sim/random_stream.hpp"
#include "experiment/sampling.hpp"

namespace alignsim {

bool rate_met(int hits, int seeds, double rate) { return hits >= rate * seeds - 1e-9; }

namespace {

// A fixed set of threads that runs `task(i)` for i in [0, n) and returns when all are done; the
// calling thread works too. Which thread runs which i does not matter: every task writes only
// its own slot. Each call is a Job of its own, so a slow worker can never take an index of the
// next call.
class WorkPool {
 public:
  explicit WorkPool(int threads) {
    for (int t = 1; t < threads; ++t) workers_.emplace_back([this] { work(); });
  }
  ~WorkPool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
  }
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  void run(std::size_t n, const std::function<void(std::size_t)>& task) {
    if (n == 0) return;
    Job job{&task, n};
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = &job;
      ++generation_;
    }
    wake_.notify_all();
    drain(job);
    std::unique_lock<std::mutex> lock(mutex_);
    finished_.wait(lock, [&] { return job.done == job.n && job.active == 0; });
    job_ = nullptr;
  }

 private:
  struct Job {
    const std::function<void(std::size_t)>* task;
    std::size_t n;
    std::atomic<std::size_t> next{0};
    std::size_t done = 0;    // guarded by mutex_
    int active = 0;          // workers inside drain(), guarded by mutex_
  };

  // Takes indices of `job` until none are left; counts the ones it ran.
  void drain(Job& job) {
    std::size_t ran = 0;
    for (std::size_t i; (i = job.next.fetch_add(1)) < job.n;) {
      (*job.task)(i);
      ++ran;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    job.done += ran;
    if (job.done == job.n) finished_.notify_all();
  }

  void work() {
    std::uint64_t seen = 0;
    for (;;) {
      Job* job = nullptr;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
        if (stop_) return;
        seen = generation_;
        job = job_;
        if (!job) continue;
        ++job->active;
      }
      drain(*job);
      std::lock_guard<std::mutex> lock(mutex_);
      --job->active;
      finished_.notify_all();
    }
  }

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_, finished_;
  Job* job_ = nullptr;
  std::uint64_t generation_ = 0;
  bool stop_ = false;
};

double to_value(const CalibrationParameter& p, double u) {
  Eigen::MatrixXd m(1, 1);
  m(0, 0) = u;
  return scale_to_ranges(m, Eigen::VectorXd::Constant(1, p.lo), Eigen::VectorXd::Constant(1, p.hi),
                         {p.log})(0, 0);
}

Eigen::VectorXd to_values(const CalibrationSpec& spec, const Eigen::VectorXd& unit) {
  Eigen::VectorXd x(unit.size());
  for (Eigen::Index d = 0; d < unit.size(); ++d)
    x(d) = to_value(spec.parameters[static_cast<std::size_t>(d)], unit(d));
  return x;
}

// Scores points: every (point, scenario, seed) is one task on the pool.
class Evaluator {
 public:
  Evaluator(const CalibrationSpec& spec, const ModelRegistry& models, const CalibrationOptions& options)
      : spec_(spec), models_(models), options_(options), pool_(options.threads),
        start_(std::chrono::steady_clock::now()) {
    for (const CalibrationScenario& cs : spec.scenarios) {
      offsets_.push_back(expectations_);
      expectations_ += cs.scenario.expect.labels.size() + cs.scenario.expect.facts.size();
      labels_ += cs.scenario.expect.labels.size();
    }
  }

  std::size_t expectations() const { return expectations_; }
  std::uint64_t runs_per_point() const {
    return static_cast<std::uint64_t>(spec_.seeds) * spec_.scenarios.size();
  }
  std::uint64_t runs() const { return runs_; }
  std::uint64_t failed() const { return failed_; }

  void set_phase(const std::string& phase, std::uint64_t planned) {
    phase_ = phase;
    planned_ = planned;
  }

  /// Scores `points`, in batches of about 64 runs per thread so that progress is reported.
  std::vector<PointScore> evaluate(const std::vector<Eigen::VectorXd>& points) {
    const std::size_t batch = std::max<std::size_t>(
        1, static_cast<std::size_t>(64 * std::max(1, options_.threads)) / runs_per_point());
    std::vector<PointScore> scores;
    scores.reserve(points.size());
    for (std::size_t p0 = 0; p0 < points.size(); p0 += batch) {
      const std::vector<Eigen::VectorXd> part(points.begin() + static_cast<long>(p0),
                                              points.begin() + static_cast<long>(std::min(points.size(), p0 + batch)));
      for (PointScore& sc : evaluate_batch(part)) scores.push_back(std::move(sc));
    }
    return scores;
  }

 private:
  std::vector<PointScore> evaluate_batch(const std::vector<Eigen::VectorXd>& points) {
    const std::size_t S = spec_.scenarios.size(), K = static_cast<std::size_t>(spec_.seeds);
    std::vector<Scenario> worlds;
    worlds.reserve(points.size() * S);
    for (const Eigen::VectorXd& x : points) {
      for (std::size_t s = 0; s < S; ++s) {
        Scenario w = spec_.scenarios[s].scenario;
        for (std::size_t d = 0; d < spec_.parameters.size(); ++d)
          for (const ParamRef& r : setting_targets(*models_.find(w.model)->schema, spec_.parameters[d].ref[s]))
            apply_op(w, r, EventOp::set, x(static_cast<Eigen::Index>(d)));
        worlds.push_back(std::move(w));
      }
    }
    // hits[task * E + e]: expectation e held in that task's run (only its scenario's slots).
    const std::size_t tasks = points.size() * S * K;
    std::vector<char> hits(tasks * expectations_, 0), failed(tasks, 0);
    pool_.run(tasks, [&](std::size_t t) {
      const std::size_t s = (t / K) % S, k = t % K;
      const Scenario& w = worlds[t / K];
      const Expectations& ex = w.expect;
      char* slot = &hits[t * expectations_ + offsets_[s]];
      try {
        RunOptions o;
        o.seed = w.seed + k;  // the seeds `alignsim check --seeds K` uses
        o.record = !ex.facts.empty();
        Engine run(w, models_, o);
        run.run_to_end();
        const auto outcomes = run.model().classify();
        for (std::size_t e = 0; e < ex.labels.size(); ++e) slot[e] = label_holds(ex.labels[e], w, outcomes);
        for (std::size_t e = 0; e < ex.facts.size(); ++e)
          slot[ex.labels.size() + e] = fact_holds(ex.facts[e], w, run);
      } catch (const std::exception&) {
        failed[t] = 1;  // the model threw: every pattern of this run counts as a miss
      }
    });
    std::vector<PointScore> scores(points.size());
    for (std::size_t p = 0; p < points.size(); ++p) {
      PointScore& sc = scores[p];
      sc.hits.assign(expectations_, 0);
      for (std::size_t s = 0; s < S; ++s)
        for (std::size_t k = 0; k < K; ++k) {
          const std::size_t t = (p * S + s) * K + k;
          sc.failed_runs += failed[t];
          for (std::size_t e = 0; e < expectations_; ++e) sc.hits[e] += hits[t * expectations_ + e];
        }
      finish(sc);
      failed_ += static_cast<std::uint64_t>(sc.failed_runs);
    }
    runs_ += tasks;
    if (options_.progress) {
      CalibrationProgress pr;
      pr.phase = phase_;
      pr.runs_done = runs_;
      pr.runs_planned = std::max(planned_, runs_);
      pr.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
      options_.progress(pr);
    }
    return scores;
  }

  void finish(PointScore& sc) const {
    const double K = spec_.seeds;
    double hit_sum = 0, short_sum = 0, label_sum = 0;
    std::size_t e = 0;
    for (const CalibrationScenario& cs : spec_.scenarios) {
      const Expectations& ex = cs.scenario.expect;
      for (std::size_t i = 0; i < ex.labels.size() + ex.facts.size(); ++i, ++e) {
        const bool is_label = i < ex.labels.size();
        const double rate = is_label ? ex.labels[i].rate : ex.facts[i - ex.labels.size()].rate;
        const double h = sc.hits[e] / K;
        hit_sum += h;
        short_sum += std::max(0.0, rate - h);
        if (is_label) label_sum += h;
        if (rate_met(sc.hits[e], spec_.seeds, rate)) {
          ++sc.met;
          if (is_label) ++sc.labels_met;
        }
      }
    }
    const double E = static_cast<double>(expectations_);
    sc.score = hit_sum / E;
    sc.shortfall = short_sum / E;
    sc.label_hit_rate = labels_ ? label_sum / static_cast<double>(labels_) : 1.0;
    sc.all_hold = sc.met == static_cast<int>(expectations_);
    // Ranked first by the number of patterns met; among equals, by the tie-breaker in [0, 1]
    // that rewards hit rates and punishes shortfalls below the required rates.
    sc.objective = (sc.met + (1.0 + sc.score - sc.shortfall) / 2.0) / (E + 1.0);
  }

  const CalibrationSpec& spec_;
  const ModelRegistry& models_;
  const CalibrationOptions& options_;
  WorkPool pool_;
  std::chrono::steady_clock::time_point start_;
  std::vector<std::size_t> offsets_;
  std::size_t expectations_ = 0, labels_ = 0;
  std::uint64_t runs_ = 0, failed_ = 0, planned_ = 0;
  std::string phase_;
};

Eigen::MatrixXd unit_design(const CalibrationSpec& spec) {
  const int D = static_cast<int>(spec.parameters.size());
  if (spec.design == CalibrationDesign::lhs) return latin_hypercube(spec.points, D, spec.seed);
  // Sobol' points 0 .. n-1 with a random digital shift per column (XOR of the 32-bit
  // coordinates), which keeps the net property of every power-of-two block and moves point 0 off
  // the corner of the box.
  Eigen::MatrixXd u = sobol_sequence(spec.points, D, 0);
  RandomStream shifts(spec.seed, 0, 0, 0);
  for (int d = 0; d < D; ++d) {
    const std::uint32_t shift = shifts.next_u32();
    for (Eigen::Index r = 0; r < u.rows(); ++r) {
      const auto bits = static_cast<std::uint32_t>(std::ldexp(u(r, d), 32));
      u(r, d) = std::ldexp(static_cast<double>(bits ^ shift), -32);
    }
  }
  return u;
}

// Better first: more patterns met (via the objective), then the earlier sample.
bool better(const CalibrationSample& a, const CalibrationSample& b) {
  if (a.score.objective != b.score.objective) return a.score.objective > b.score.objective;
  return a.id < b.id;
}

// The refinement's objective as NLopt calls it (a C callback with a data pointer).
struct RefineObjective {
  std::function<double(const std::vector<double>&)> f;
  static double call(const std::vector<double>& u, std::vector<double>& /*grad*/, void* data) {
    return static_cast<RefineObjective*>(data)->f(u);
  }
};

nlopt::algorithm nlopt_algorithm(RefineAlgorithm a) {
  switch (a) {
    case RefineAlgorithm::neldermead:
      return nlopt::LN_NELDERMEAD;
    case RefineAlgorithm::cobyla:
      return nlopt::LN_COBYLA;
    case RefineAlgorithm::bobyqa:
      return nlopt::LN_BOBYQA;
    case RefineAlgorithm::sbplx:
      return nlopt::LN_SBPLX;
  }
  return nlopt::LN_NELDERMEAD;
}

}  // namespace

Eigen::MatrixXd calibration_design(const CalibrationSpec& spec) {
  const Eigen::MatrixXd u = unit_design(spec);
  Eigen::MatrixXd x(u.rows(), u.cols());
  for (Eigen::Index r = 0; r < u.rows(); ++r) x.row(r) = to_values(spec, u.row(r).transpose()).transpose();
  return x;
}

CalibrationResult run_calibration(const CalibrationSpec& spec, const ModelRegistry& models,
                                  const CalibrationOptions& options) {
  CalibrationResult result;
  for (const CalibrationScenario& cs : spec.scenarios) {
    for (const auto& e : cs.scenario.expect.labels)
      result.patterns.push_back({cs.scenario.name, "label", describe(e), e.rate});
    for (const auto& e : cs.scenario.expect.facts)
      result.patterns.push_back({cs.scenario.name, "fact", describe(e), e.rate});
  }
  Evaluator eval(spec, models, options);
  const std::uint64_t R = eval.runs_per_point();
  const std::size_t D = spec.parameters.size();
  const std::uint64_t scan_points = D * static_cast<std::uint64_t>(spec.levels);
  const std::uint64_t robust_points = D * spec.robustness.size();
  const std::uint64_t refine_points =
      static_cast<std::uint64_t>(std::min(spec.refine.starts, spec.points)) * spec.refine.evaluations;
  // Runs done plus those still to come (refinement may stop early, so this is an upper bound).
  auto planned = [&](std::uint64_t points_left) { return eval.runs() + points_left * R; };

  // 1. The design, in batches so the progress bar moves.
  const Eigen::MatrixXd unit = unit_design(spec);
  std::vector<Eigen::VectorXd> units;
  eval.set_phase("design", planned(spec.points + refine_points + scan_points + robust_points));
  const std::size_t batch = std::max<std::size_t>(
      1, static_cast<std::size_t>(64 * std::max(1, options.threads)) / std::max<std::uint64_t>(1, R));
  for (Eigen::Index r0 = 0; r0 < unit.rows(); r0 += static_cast<Eigen::Index>(batch)) {
    const Eigen::Index r1 = std::min(unit.rows(), r0 + static_cast<Eigen::Index>(batch));
    std::vector<Eigen::VectorXd> xs;
    for (Eigen::Index r = r0; r < r1; ++r) {
      units.push_back(unit.row(r).transpose());
      xs.push_back(to_values(spec, units.back()));
    }
    const auto scores = eval.evaluate(xs);
    for (std::size_t k = 0; k < xs.size(); ++k) {
      CalibrationSample s;
      s.id = static_cast<int>(result.samples.size());
      s.phase = "design";
      s.values = xs[k];
      s.score = scores[k];
      result.design_all_hold += s.score.all_hold;
      result.samples.push_back(std::move(s));
    }
  }

  // 2. Refinement from the best design points, in the unit cube (log parameters on a log
  // scale). A point already evaluated (NLopt evaluates its start again) reuses its score.
  std::map<std::vector<double>, double> seen;
  auto key_of = [](const Eigen::VectorXd& u) { return std::vector<double>(u.data(), u.data() + u.size()); };
  for (std::size_t i = 0; i < units.size(); ++i) seen.emplace(key_of(units[i]), result.samples[i].score.objective);
  std::vector<std::size_t> order(result.samples.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return better(result.samples[a], result.samples[b]);
  });
  const int starts = std::min(spec.refine.starts, static_cast<int>(order.size()));
  for (int st = 0; st < starts; ++st) {
    const std::size_t from = order[static_cast<std::size_t>(st)];
    if (result.samples[from].score.objective >= 1.0) break;  // every pattern in every seed already
    eval.set_phase("refine", planned(static_cast<std::uint64_t>(starts - st) * spec.refine.evaluations +
                                     scan_points + robust_points));
    // The objective is a step function of the point (hit counts change in steps of 1/K), on
    // whose plateaus a simplex collapses. So the optimiser restarts from the best point of this
    // start with a fresh simplex until the budget is spent: with the same step after an
    // improvement, with half of it otherwise, until the step is below the tolerance.
    int calls = 0;
    std::vector<double> best_u = key_of(units[from]);
    double best_objective = result.samples[from].score.objective;
    RefineObjective objective{[&](const std::vector<double>& u) {
      ++calls;
      Eigen::VectorXd uv(static_cast<Eigen::Index>(D));
      for (std::size_t d = 0; d < D; ++d) uv(static_cast<Eigen::Index>(d)) = std::clamp(u[d], 0.0, 1.0);
      const auto key = key_of(uv);
      if (auto it = seen.find(key); it != seen.end()) return it->second;
      CalibrationSample s;
      s.id = static_cast<int>(result.samples.size());
      s.phase = "refine";
      s.start = st;
      s.values = to_values(spec, uv);
      s.score = eval.evaluate({s.values})[0];
      seen.emplace(key, s.score.objective);
      const double value = s.score.objective;
      if (value > best_objective) {
        best_objective = value;
        best_u = key;
      }
      result.samples.push_back(std::move(s));
      return value;
    }};
    constexpr double kTolerance = 1e-4;  // a ten-thousandth of each (log-)range
    for (double step = spec.refine.step; calls < spec.refine.evaluations && step >= kTolerance &&
                                         best_objective < 1.0;) {
      const double before = best_objective;
      nlopt::opt opt(nlopt_algorithm(spec.refine.algorithm), static_cast<unsigned>(D));
      opt.set_lower_bounds(std::vector<double>(D, 0.0));
      opt.set_upper_bounds(std::vector<double>(D, 1.0));
      opt.set_maxeval(spec.refine.evaluations - calls);
      opt.set_stopval(1.0);  // every pattern in every seed: the objective's maximum
      opt.set_xtol_abs(kTolerance);
      opt.set_initial_step(step);
      opt.set_max_objective(&RefineObjective::call, &objective);
      std::vector<double> x = best_u;
      double value = 0;
      try {
        opt.optimize(x, value);
      } catch (const nlopt::roundoff_limited&) {
        // Stalled on a plateau; every point it tried is kept, and the next round restarts.
      } catch (const std::exception& e) {
        throw RuntimeError(std::string("refinement with ") + algorithm_name(spec.refine.algorithm) +
                           " failed: " + e.what());
      }
      if (!(best_objective > before)) step /= 2;
    }
  }
  eval.set_phase("regions", planned(scan_points + robust_points));
  result.best = 0;
  for (std::size_t i = 1; i < result.samples.size(); ++i)
    if (better(result.samples[i], result.samples[result.best])) result.best = i;
  const CalibrationSample best = result.samples[result.best];

  // 3. Regions: the range of every parameter over the samples where every pattern holds, and the
  // one-at-a-time scan around the best point.
  result.regions.resize(D);
  for (std::size_t d = 0; d < D; ++d) {
    ParameterRegion& g = result.regions[d];
    for (const CalibrationSample& s : result.samples) {
      if (!s.score.all_hold) continue;
      const double v = s.values(static_cast<Eigen::Index>(d));
      g.all_hold_min = g.all_hold_samples ? std::min(g.all_hold_min, v) : v;
      g.all_hold_max = g.all_hold_samples ? std::max(g.all_hold_max, v) : v;
      ++g.all_hold_samples;
    }
  }
  std::vector<Eigen::VectorXd> scan;
  std::vector<std::pair<std::size_t, double>> scan_at;  // parameter, value
  for (std::size_t d = 0; d < D; ++d) {
    const CalibrationParameter& p = spec.parameters[d];
    for (int k = 0; k < spec.levels; ++k) {
      const double v = to_value(p, static_cast<double>(k) / (spec.levels - 1));
      if (v == best.values(static_cast<Eigen::Index>(d))) continue;
      Eigen::VectorXd x = best.values;
      x(static_cast<Eigen::Index>(d)) = v;
      scan.push_back(x);
      scan_at.emplace_back(d, v);
    }
  }
  const std::vector<PointScore> scan_scores = eval.evaluate(scan);
  for (std::size_t d = 0; d < D; ++d) {
    ParameterRegion& g = result.regions[d];
    std::vector<std::pair<double, bool>> levels;
    levels.emplace_back(best.values(static_cast<Eigen::Index>(d)), best.score.all_hold);
    for (std::size_t i = 0; i < scan.size(); ++i)
      if (scan_at[i].first == d) levels.emplace_back(scan_at[i].second, scan_scores[i].all_hold);
    std::sort(levels.begin(), levels.end());
    std::size_t at = 0;
    while (levels[at].first != best.values(static_cast<Eigen::Index>(d))) ++at;
    for (const auto& [v, holds] : levels) {
      g.levels.push_back(v);
      g.level_holds.push_back(holds);
    }
    g.oat_holds = best.score.all_hold;
    if (!g.oat_holds) continue;
    std::size_t a = at, b = at;
    while (a > 0 && levels[a - 1].second) --a;
    while (b + 1 < levels.size() && levels[b + 1].second) ++b;
    g.oat_lo = levels[a].first;
    g.oat_hi = levels[b].first;
    g.oat_lo_at_edge = a == 0;
    g.oat_hi_at_edge = b + 1 == levels.size();
  }

  // 4. Robustness: each parameter times each factor, one at a time, the others at the best point.
  eval.set_phase("robustness", planned(robust_points));
  std::vector<Eigen::VectorXd> robust;
  for (std::size_t d = 0; d < D; ++d) {
    const CalibrationParameter& p = spec.parameters[d];
    for (double f : spec.robustness) {
      RobustnessRow row;
      row.parameter = d;
      row.factor = f;
      row.value = best.values(static_cast<Eigen::Index>(d)) * f;
      row.in_range = row.value >= p.key_min && row.value <= p.key_max;
      if (row.in_range) {
        Eigen::VectorXd x = best.values;
        x(static_cast<Eigen::Index>(d)) = row.value;
        robust.push_back(x);
      }
      result.robustness.push_back(row);
    }
  }
  const std::vector<PointScore> robust_scores = eval.evaluate(robust);
  std::size_t next = 0;
  for (RobustnessRow& row : result.robustness)
    if (row.in_range) row.score = robust_scores[next++];
  result.runs = eval.runs();
  result.failed_runs = eval.failed();
  return result;
}

}  // namespace alignsim
