#include "experiment/calibration_spec.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "sim/key_spec.hpp"
#include "experiment/sampling.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/yaml_reader.hpp"

namespace alignsim {

const char* design_name(CalibrationDesign kind) {
  return kind == CalibrationDesign::sobol ? "sobol" : "lhs";
}

const char* algorithm_name(RefineAlgorithm kind) {
  switch (kind) {
    case RefineAlgorithm::neldermead:
      return "neldermead";
    case RefineAlgorithm::cobyla:
      return "cobyla";
    case RefineAlgorithm::bobyqa:
      return "bobyqa";
    case RefineAlgorithm::sbplx:
      return "sbplx";
  }
  return "neldermead";
}

namespace {

using Node = YAML::Node;
using yaml_input::describe;
using yaml_input::Field;
using yaml_input::MapView;
using yaml_input::read_text;

const std::vector<std::string> kTopKeys = {"scenarios", "parameters", "design",  "points",
                                           "seeds",     "seed",       "ticks",   "refine",
                                           "regions",   "robustness"};
const std::vector<std::string> kParameterKeys = {"range", "log"};
const std::vector<std::string> kRefineKeys = {"starts", "evaluations", "algorithm", "step"};
const std::vector<std::string> kRegionKeys = {"levels"};
const std::vector<std::string> kRobustnessKeys = {"factors"};
const std::vector<std::string> kDesigns = {"lhs", "sobol"};
const std::vector<std::string> kAlgorithms = {"neldermead", "cobyla", "bobyqa", "sbplx"};

// Runs beyond this are certainly a typo: at a millisecond a run, 10^9 runs take weeks.
constexpr double kMaxRuns = 1e9;

class CalibrationLoader : yaml_input::Reader {
 public:
  CalibrationLoader(std::string file, const ModelRegistry& models)
      : Reader(std::move(file), "; the accepted keys are listed in docs/calibration.md"),
        models_(models) {}

  CalibrationSpec load(const std::string& text);

 private:
  [[noreturn]] void throw_diagnostics();
  std::string resolve_relative(const std::string& path) const;
  std::optional<long long> read_count(const MapView& m, const std::string& key,
                                      const std::string& path, long long min, long long max);

  void read_scenarios(const MapView& top, const SourcePos& root_pos);
  void read_scenario(const Node& n, const std::string& path);
  void read_parameters(const MapView& top, const SourcePos& root_pos);
  void read_parameter(const Field& f);
  void read_refine(const MapView& top);
  void read_regions(const MapView& top);
  void read_robustness(const MapView& top);

  const ModelRegistry& models_;
  CalibrationSpec spec_;
  bool scenarios_ok_ = false;
};

void CalibrationLoader::throw_diagnostics() {
  // The spec's problems in file order first, then those of the scenarios as they were found.
  std::stable_sort(diags_.begin(), diags_.end(), [this](const Diagnostic& a, const Diagnostic& b) {
    const bool a_spec = a.pos.file == file_, b_spec = b.pos.file == file_;
    if (a_spec != b_spec) return a_spec;
    if (!a_spec) return false;
    return std::make_pair(a.pos.line, a.pos.column) < std::make_pair(b.pos.line, b.pos.column);
  });
  throw InputError(std::move(diags_));
}

std::string CalibrationLoader::resolve_relative(const std::string& path) const {
  const std::filesystem::path p(path);
  if (p.is_absolute()) return path;
  const std::filesystem::path folder = std::filesystem::path(file_).parent_path();
  return folder.empty() ? path : (folder / p).lexically_normal().string();
}

std::optional<long long> CalibrationLoader::read_count(const MapView& m, const std::string& key,
                                                       const std::string& path, long long min,
                                                       long long max) {
  const Field* f = m.find(key);
  if (!f) return std::nullopt;
  auto n = read_integer(f->value, pos(*f), path);
  if (!n) return std::nullopt;
  if (*n < min || *n > max) {
    error(pos(*f), path,
          "must be in [" + std::to_string(min) + ", " + std::to_string(max) + "], got " +
              std::to_string(*n));
    return std::nullopt;
  }
  return n;
}

void CalibrationLoader::read_scenario(const Node& n, const std::string& path) {
  auto name = read_string(n, pos(n), path);
  if (!name) return;
  CalibrationScenario cs;
  cs.path = resolve_relative(*name);
  cs.pos = pos(n);
  std::string reason;
  const auto text = read_text(cs.path, &reason);
  if (!text) {
    error(cs.pos, path,
          "cannot open '" + cs.path + "' (" + reason + "); the path is relative to the spec's folder");
    return;
  }
  try {
    cs.scenario = load_scenario_text(*text, cs.path, models_);
  } catch (const InputError& e) {
    for (const auto& d : e.diagnostics()) diags_.push_back(d);
    return;
  }
  spec_.scenarios.push_back(std::move(cs));
}

void CalibrationLoader::read_scenarios(const MapView& top, const SourcePos& root_pos) {
  const Field* f = top.find("scenarios");
  if (!f) {
    error(root_pos, "",
          "missing required key 'scenarios' (the scenario files whose expect: blocks are the "
          "patterns, relative to this spec)");
    return;
  }
  const std::size_t before = diags_.size();
  if (f->value.IsScalar()) {
    read_scenario(f->value, "scenarios");
  } else if (f->value.IsSequence() && f->value.size() > 0) {
    for (std::size_t k = 0; k < f->value.size(); ++k)
      read_scenario(f->value[k], "scenarios[" + std::to_string(k) + "]");
  } else {
    error(pos(*f), "scenarios",
          "expected a scenario file or a non-empty list of them like [../asean_2016.yaml], got " +
              describe(f->value));
  }
  scenarios_ok_ = diags_.size() == before && !spec_.scenarios.empty();
}

void CalibrationLoader::read_parameter(const Field& f) {
  CalibrationParameter p;
  p.path = f.key;
  p.pos = pos(f.key_node);
  const std::string path = "parameters." + f.key;
  bool ok = true;
  p.key_min = -HUGE_VAL;
  p.key_max = HUGE_VAL;
  if (scenarios_ok_) {
    for (const CalibrationScenario& cs : spec_.scenarios) {
      std::string why;
      const auto ref = resolve_path(cs.scenario, f.key, &why);
      if (!ref) {
        error(p.pos, path,
              why + (spec_.scenarios.size() > 1 ? " in " + cs.path : std::string()));
        ok = false;
        break;
      }
      p.ref.push_back(*ref);
      if (const KeySpec* ks = spec_of(*models_.find(cs.scenario.model)->schema, *ref)) {
        p.key_min = std::max(p.key_min, ks->min);
        p.key_max = std::min(p.key_max, ks->max);
      }
    }
  }
  auto m = open_map(f.value, pos(f), path, kParameterKeys,
                    "a mapping with 'range: [lo, hi]' (and optionally 'log: true')");
  if (!m) return;
  if (const Field* log = m->find("log")) {
    if (auto b = read_bool(log->value, pos(*log), path + ".log")) p.log = *b;
    else ok = false;
  }
  const Field* range = m->find("range");
  const std::string rpath = path + ".range";
  if (!range) {
    error(pos(f), path, "missing required key 'range' (the search interval [lo, hi])");
    return;
  }
  if (!range->value.IsSequence() || range->value.size() != 2) {
    error(pos(*range), rpath,
          "expected [lo, hi], two numbers, got " +
              (range->value.IsSequence() ? std::to_string(range->value.size()) + " values"
                                         : describe(range->value)));
    return;
  }
  const Node a = range->value[0], b = range->value[1];
  auto lo = read_number(a, pos(a), rpath);
  auto hi = read_number(b, pos(b), rpath);
  if (!lo || !hi) return;
  p.lo = *lo;
  p.hi = *hi;
  if (!(*lo < *hi)) {
    error(pos(*range), rpath,
          "empty range [" + a.Scalar() + ", " + b.Scalar() +
              "]; the low end must be below the high end");
    return;
  }
  if (p.log && *lo <= 0) {
    error(pos(*range), rpath, "a log range needs lo > 0, got [" + a.Scalar() + ", " + b.Scalar() + "]");
    return;
  }
  if (ok && scenarios_ok_ && (*lo < p.key_min || *hi > p.key_max)) {
    error(pos(*range), rpath,
          "must lie within [" + format_number(p.key_min) + ", " + format_number(p.key_max) +
              "] for " + p.path + ", got [" + a.Scalar() + ", " + b.Scalar() + "]");
    return;
  }
  if (ok && scenarios_ok_) spec_.parameters.push_back(std::move(p));
}

void CalibrationLoader::read_parameters(const MapView& top, const SourcePos& root_pos) {
  const Field* f = top.find("parameters");
  if (!f) {
    error(root_pos, "",
          "missing required key 'parameters' (scenario paths to calibrate, e.g. "
          "params.threat_weight: {range: [0.2, 3], log: true})");
    return;
  }
  auto m = open_map(f->value, pos(*f), "parameters", {},
                    "a mapping of scenario paths to '{range: [lo, hi]}'");
  if (!m) return;
  if (m->fields.empty()) {
    error(pos(*f), "parameters", "expected at least one parameter to calibrate");
    return;
  }
  for (const Field& p : m->fields) read_parameter(p);
  if (m->fields.size() > static_cast<std::size_t>(kMaxSobolDims))
    error(pos(*f), "parameters",
          "at most " + std::to_string(kMaxSobolDims) + " parameters, got " +
              std::to_string(m->fields.size()));
}

void CalibrationLoader::read_refine(const MapView& top) {
  const Field* f = top.find("refine");
  if (!f) return;
  auto m = open_map(f->value, pos(*f), "refine", kRefineKeys, "a mapping of refinement options");
  if (!m) return;
  RefineSettings& r = spec_.refine;
  if (auto n = read_count(*m, "starts", "refine.starts", 0, 1000)) r.starts = static_cast<int>(*n);
  if (auto n = read_count(*m, "evaluations", "refine.evaluations", 1, 1000000))
    r.evaluations = static_cast<int>(*n);
  if (const Field* a = m->find("algorithm"))
    if (auto k = read_choice(a->value, pos(*a), "refine.algorithm", kAlgorithms))
      r.algorithm = static_cast<RefineAlgorithm>(*k);
  if (const Field* s = m->find("step")) {
    if (auto v = read_number(s->value, pos(*s), "refine.step")) {
      if (!(*v > 0 && *v <= 1))
        error(pos(*s), "refine.step",
              "must be in (0, 1] (a share of each parameter's range), got " + s->value.Scalar());
      else
        r.step = *v;
    }
  }
}

void CalibrationLoader::read_regions(const MapView& top) {
  const Field* f = top.find("regions");
  if (!f) return;
  auto m = open_map(f->value, pos(*f), "regions", kRegionKeys, "a mapping like {levels: 11}");
  if (!m) return;
  if (auto n = read_count(*m, "levels", "regions.levels", 2, 10000)) spec_.levels = static_cast<int>(*n);
}

void CalibrationLoader::read_robustness(const MapView& top) {
  const Field* f = top.find("robustness");
  if (!f) return;
  auto m = open_map(f->value, pos(*f), "robustness", kRobustnessKeys,
                    "a mapping like {factors: [0.75, 1.25]}");
  if (!m) return;
  const Field* fa = m->find("factors");
  if (!fa) return;
  if (!fa->value.IsSequence()) {
    error(pos(*fa), "robustness.factors",
          "expected a list of factors like [0.75, 1.25] (or [] for none), got " + describe(fa->value));
    return;
  }
  spec_.robustness.clear();
  for (std::size_t k = 0; k < fa->value.size(); ++k) {
    const Node v = fa->value[k];
    const std::string path = "robustness.factors[" + std::to_string(k) + "]";
    if (auto x = read_number(v, pos(v), path)) {
      if (!(*x > 0))
        error(pos(v), path, "must be > 0 (a factor applied to the best value), got " + v.Scalar());
      else
        spec_.robustness.push_back(*x);
    }
  }
}

CalibrationSpec CalibrationLoader::load(const std::string& text) {
  spec_.file = file_;
  const std::optional<Node> parsed = parse(
      text, "calibration spec is empty (expected a mapping with 'scenarios', 'parameters', ...; "
            "see docs/calibration.md)");
  if (!parsed) throw_diagnostics();
  const Node& root = *parsed;
  const SourcePos root_pos = pos(root);
  auto top = open_map(root, root_pos, "", kTopKeys,
                      "a mapping of calibration keys ('scenarios', 'parameters', ...)");
  if (!top) throw_diagnostics();

  read_scenarios(*top, root_pos);
  if (const Field* f = top->find("ticks")) {
    if (auto n = read_integer(f->value, pos(*f), "ticks")) {
      if (*n < 1 || *n > 100000000)
        error(pos(*f), "ticks", "must be in [1, 100000000], got " + std::to_string(*n));
      else
        spec_.ticks = static_cast<int>(*n);
    }
  }
  if (scenarios_ok_) {
    for (CalibrationScenario& cs : spec_.scenarios) {
      if (spec_.ticks > 0) shorten(cs.scenario, spec_.ticks);
      const Expectations& e = cs.scenario.expect;
      if (e.labels.empty() && e.facts.empty())
        error(cs.pos, "scenarios",
              "'" + cs.path + "' has no expectations" +
                  (spec_.ticks > 0 ? " within " + std::to_string(spec_.ticks) + " ticks" : "") +
                  "; its expect: block holds the patterns a calibration scores");
    }
  }
  if (const Field* f = top->find("design"))
    if (auto k = read_choice(f->value, pos(*f), "design", kDesigns))
      spec_.design = static_cast<CalibrationDesign>(*k);
  if (auto n = read_count(*top, "points", "points", 1, 10000000)) spec_.points = static_cast<int>(*n);
  if (auto n = read_count(*top, "seeds", "seeds", 1, 1000000)) spec_.seeds = static_cast<int>(*n);
  if (const Field* f = top->find("seed")) {
    if (auto n = read_integer(f->value, pos(*f), "seed")) {
      if (*n < 0)
        error(pos(*f), "seed", "must be >= 0, got " + std::to_string(*n));
      else
        spec_.seed = static_cast<std::uint64_t>(*n);
    }
  }
  read_parameters(*top, root_pos);
  read_refine(*top);
  read_regions(*top);
  read_robustness(*top);

  if (diags_.empty()) {
    const double per_point = static_cast<double>(spec_.seeds) * static_cast<double>(spec_.scenarios.size());
    const double points = spec_.points +
                          static_cast<double>(spec_.refine.starts) * spec_.refine.evaluations +
                          static_cast<double>(spec_.parameters.size()) *
                              (spec_.levels + static_cast<double>(spec_.robustness.size()));
    if (points * per_point > kMaxRuns)
      error(root_pos, "",
            "the calibration has up to " + format_number(points * per_point) +
                " runs, more than 1000000000; use fewer points, seeds or evaluations");
  }
  if (!diags_.empty()) throw_diagnostics();
  return std::move(spec_);
}

}  // namespace

CalibrationSpec load_calibration_spec_text(const std::string& text, const std::string& file_name,
                                           const ModelRegistry& models) {
  return CalibrationLoader(file_name, models).load(text);
}

CalibrationSpec load_calibration_spec_file(const std::string& path, const ModelRegistry& models) {
  std::string reason;
  const auto text = read_text(path, &reason);
  if (!text)
    throw InputError({Diagnostic{SourcePos{path, 0, 0}, "",
                                 "cannot open the calibration spec (" + reason + "); check the path"}});
  return load_calibration_spec_text(*text, path, models);
}

}  // namespace alignsim
