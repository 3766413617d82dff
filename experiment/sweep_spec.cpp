#include "experiment/sweep_spec.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>

#include "sim/engine.hpp"
#include "sim/key_spec.hpp"
#include "experiment/sampling.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/yaml_reader.hpp"

namespace alignsim {

const char* design_name(DesignKind kind) {
  switch (kind) {
    case DesignKind::grid:
      return "grid";
    case DesignKind::random:
      return "random";
    case DesignKind::lhs:
      return "lhs";
    case DesignKind::sobol:
      return "sobol";
    case DesignKind::samples:
      return "samples";
  }
  return "grid";
}

std::uint64_t fnv1a(const std::string& text, std::uint64_t h) {
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

namespace {

using Node = YAML::Node;
using yaml_input::describe;
using yaml_input::Field;
using yaml_input::MapView;
using yaml_input::or_list;
using yaml_input::read_text;

const std::vector<std::string> kTopKeys = {"scenario", "design",       "parameters", "points",
                                           "samples",  "replications", "seed",       "ticks",
                                           "outputs"};
const std::vector<std::string> kParameterKeys = {"values", "range", "steps", "log"};
const std::vector<std::string> kOutputKeys = {"states", "features", "policies", "timeseries",
                                              "timeseries_every"};
const std::vector<std::string> kDesigns = {"grid", "random", "lhs", "sobol", "samples"};

// Runs beyond this are certainly a typo (2^31: run ids stay exact in every tool that reads them).
constexpr double kMaxRuns = 2147483648.0;
// Design points beyond this are a typo too: the design table alone (points × parameters
// doubles) would take gigabytes before the first run (docs/reliability.md "Limits").
constexpr double kMaxDesignPoints = 10000000.0;

bool same_ref(const ParamRef& a, const ParamRef& b) {
  return a.kind == b.kind && a.key == b.key && a.i == b.i && a.j == b.j;
}

// Whether setting `a` and setting `b` change a value in common (setting_targets mirrors).
bool shares_a_value(const ModelSchema& schema, const ParamRef& a, const ParamRef& b) {
  for (const ParamRef& x : setting_targets(schema, a))
    for (const ParamRef& y : setting_targets(schema, b))
      if (same_ref(x, y)) return true;
  return false;
}

bool is_power_of_two(long long n) { return n >= 1 && (n & (n - 1)) == 0; }

long long next_power_of_two(long long n) {
  long long p = 1;
  while (p < n) p <<= 1;
  return p;
}

class SpecLoader : yaml_input::Reader {
 public:
  SpecLoader(std::string file, const ModelRegistry& models)
      : Reader(std::move(file), "; the accepted keys are listed in docs/sweeps.md"), models_(models) {}

  SweepSpec load(const std::string& text);

 private:
  [[noreturn]] void throw_diagnostics();

  std::string resolve_relative(const std::string& path) const;

  void read_scenario(const MapView& top, const SourcePos& root_pos);
  void read_design(const MapView& top, const SourcePos& root_pos);
  void read_parameters(const MapView& top, const SourcePos& root_pos);
  void read_parameter(const Field& f);
  void read_outputs(const MapView& top);
  void read_samples_file(const Field& f);
  void check_in_schema_range(const SweepParameter& p, const SourcePos& where,
                             const std::string& path, double v, const std::string& text);

  const ModelRegistry& models_;
  SweepSpec spec_;
  bool scenario_ok_ = false;
  const ModelSchema* schema_ = nullptr;
  std::vector<std::vector<std::pair<int, std::string>>> sample_cells_;  // column, text per cell
  std::vector<int> sample_lines_;                                       // line of each row
};

void SpecLoader::throw_diagnostics() {
  // Spec problems in file order; problems of other files (the base scenario, the samples file)
  // keep the order they were found in, after the spec's.
  std::stable_sort(diags_.begin(), diags_.end(), [this](const Diagnostic& a, const Diagnostic& b) {
    const bool a_spec = a.pos.file == file_, b_spec = b.pos.file == file_;
    if (a_spec != b_spec) return a_spec;
    if (!a_spec) return false;
    return std::make_pair(a.pos.line, a.pos.column) < std::make_pair(b.pos.line, b.pos.column);
  });
  throw InputError(std::move(diags_));
}

std::string SpecLoader::resolve_relative(const std::string& path) const {
  const std::filesystem::path p(path);
  if (p.is_absolute()) return path;
  const std::filesystem::path folder = std::filesystem::path(file_).parent_path();
  return folder.empty() ? path : (folder / p).lexically_normal().string();
}

void SpecLoader::read_scenario(const MapView& top, const SourcePos& root_pos) {
  const Field* f = top.find("scenario");
  if (!f) {
    error(root_pos, "", "missing required key 'scenario' (the base scenario file, relative to this spec)");
    return;
  }
  auto name = read_string(f->value, pos(*f), "scenario");
  if (!name) return;
  spec_.scenario_path = resolve_relative(*name);
  std::string reason;
  const auto text = read_text(spec_.scenario_path, &reason);
  if (!text) {
    error(pos(*f), "scenario",
          "cannot open '" + spec_.scenario_path + "' (" + reason +
              "); the path is relative to the spec's folder");
    return;
  }
  try {
    spec_.base = load_scenario_text(*text, spec_.scenario_path, models_);
  } catch (const InputError& e) {
    for (const auto& d : e.diagnostics()) diags_.push_back(d);
    return;
  }
  const ModelInfo* info = models_.find(spec_.base.model);
  schema_ = info->schema;
  spec_.schema = schema_;
  spec_.labels = schema_->labels;
  for (const QualifierSpec& q : schema_->qualifiers) spec_.qualifiers.push_back(q.name);
  spec_.policy_names = schema_->quantities;
  spec_.all_features = schema_->features;
  if (!schema_->outputs_towards.empty())
    spec_.towards = static_cast<long>(spec_.base.agents.at(schema_->outputs_towards));
  scenario_ok_ = true;
}

void SpecLoader::read_design(const MapView& top, const SourcePos& root_pos) {
  if (const Field* f = top.find("design")) {
    if (auto name = read_string(f->value, pos(*f), "design")) {
      const auto it = std::find(kDesigns.begin(), kDesigns.end(), *name);
      if (it == kDesigns.end())
        error(pos(*f), "design",
              "expected " + or_list(kDesigns) + ", got '" + *name + "'" +
                  did_you_mean(*name, kDesigns));
      else
        spec_.design = static_cast<DesignKind>(it - kDesigns.begin());
    }
  }
  const Field* points = top.find("points");
  const DesignKind d = spec_.design;
  if (d == DesignKind::random || d == DesignKind::lhs || d == DesignKind::sobol) {
    if (!points) {
      error(root_pos, "",
            std::string("missing required key 'points' (") +
                (d == DesignKind::sobol ? "N, the number of base rows, a power of two"
                                        : "the number of design points") +
                ")");
    } else if (auto n = read_integer(points->value, pos(*points), "points")) {
      if (d == DesignKind::sobol && !is_power_of_two(*n)) {
        error(pos(*points), "points",
              "sobol designs need a power of two >= 2 (N, the base rows), got " +
                  std::to_string(*n) + "; try " + std::to_string(next_power_of_two(std::max(2LL, *n))));
      } else if (d == DesignKind::sobol && *n < 2) {
        error(pos(*points), "points",
              "sobol designs need a power of two >= 2 (N, the base rows), got " +
                  std::to_string(*n) + "; try 2");
      } else if (*n < 1 || *n > kMaxDesignPoints) {
        error(pos(*points), "points", "must be in [1, 10000000], got " + std::to_string(*n));
      } else {
        spec_.points = static_cast<int>(*n);
      }
    }
  } else if (points) {
    error(pos(points->key_node), "points",
          std::string(d == DesignKind::grid
                          ? "grid designs take their size from 'steps' and 'values'"
                          : "samples designs take one point per row of the samples file") +
              "; remove 'points'");
  }
  const Field* samples = top.find("samples");
  if (d == DesignKind::samples) {
    if (!samples)
      error(root_pos, "", "missing required key 'samples' (a file with one row per run, one column per parameter)");
    else
      read_samples_file(*samples);
  } else if (samples) {
    error(pos(samples->key_node), "samples",
          std::string("only samples designs read a samples file (this design is ") +
              design_name(d) + "); remove 'samples' or set 'design: samples'");
  }
}

void SpecLoader::check_in_schema_range(const SweepParameter& p, const SourcePos& where,
                                       const std::string& path, double v,
                                       const std::string& text) {
  if (!schema_) return;
  const KeySpec* ks = spec_of(*schema_, p.target);
  if (ks && (v < ks->min || v > ks->max))
    error(where, path,
          "must be in [" + format_number(ks->min) + ", " + format_number(ks->max) + "] for " +
              p.path + ", got " + text);
}

void SpecLoader::read_parameter(const Field& f) {
  SweepParameter p;
  p.path = f.key;
  p.pos = pos(f.key_node);
  const std::string path = "parameters." + f.key;
  bool resolved = false;
  if (scenario_ok_) {
    std::string why;
    if (auto ref = resolve_path(spec_.base, f.key, &why)) {
      p.target = *ref;
      resolved = true;
      // relations.a.b.k and states.a.k.b (or a symmetric key's two directions) are one value: two
      // parameters for it would silently let the last one win.
      for (const SweepParameter& q : spec_.parameters)
        if (shares_a_value(*schema_, q.target, p.target)) {
          error(p.pos, path,
                "sets the same value as parameters." + q.path + " (line " + std::to_string(q.pos.line) +
                    "); keep one of the two");
          resolved = false;
        }
    } else {
      error(p.pos, path, why);
    }
  }
  const bool samples = spec_.design == DesignKind::samples;
  if (samples && (f.value.IsNull() || !f.value.IsDefined())) {
    if (resolved) spec_.parameters.push_back(p);
    return;
  }
  auto m = open_map(f.value, pos(f), path, kParameterKeys,
                    samples ? "a mapping ('range: [lo, hi]', optional) or nothing"
                            : "a mapping with 'values: [...]' or 'range: [lo, hi]'");
  if (!m) return;
  const Field* values = m->find("values");
  const Field* range = m->find("range");
  const Field* steps = m->find("steps");
  const Field* log = m->find("log");
  bool ok = true;
  if (values && samples) {
    error(pos(values->key_node), path + ".values",
          "samples designs read the values from the samples file; remove 'values'");
    ok = false;
  } else if (values && range) {
    error(pos(range->key_node), path, "give either 'values' or 'range', not both");
    ok = false;
  } else if (!values && !range && !samples) {
    error(pos(f), path, "missing 'values: [...]' or 'range: [lo, hi]'");
    ok = false;
  }
  if (log) {
    if (auto b = read_bool(log->value, pos(*log), path + ".log")) p.log = *b;
    else ok = false;
  }
  if (values) {
    if (!values->value.IsSequence()) {
      error(pos(*values), path + ".values", "expected a sequence of numbers like [0.5, 1, 2], got " + describe(values->value));
      ok = false;
    } else if (values->value.size() == 0) {
      error(pos(*values), path + ".values", "expected at least one value, got an empty list");
      ok = false;
    } else {
      for (std::size_t i = 0; i < values->value.size(); ++i) {
        const Node v = values->value[i];
        const std::string vpath = path + ".values[" + std::to_string(i) + "]";
        if (auto x = read_number(v, pos(v), vpath)) {
          if (resolved) check_in_schema_range(p, pos(v), vpath, *x, v.Scalar());
          p.values.push_back(*x);
        } else {
          ok = false;
        }
      }
    }
    if (log) {
      error(pos(log->key_node), path + ".log", "'log' spaces a range; with explicit 'values' remove it");
      ok = false;
    }
  }
  if (range) {
    const std::string rpath = path + ".range";
    if (!range->value.IsSequence() || range->value.size() != 2) {
      error(pos(*range), rpath, "expected [lo, hi], two numbers, got " +
                                    (range->value.IsSequence()
                                         ? std::to_string(range->value.size()) + " values"
                                         : describe(range->value)));
      ok = false;
    } else {
      const Node a = range->value[0], b = range->value[1];
      auto lo = read_number(a, pos(a), rpath);
      auto hi = read_number(b, pos(b), rpath);
      if (lo && hi) {
        p.lo = *lo;
        p.hi = *hi;
        if (!(*lo < *hi)) {
          error(pos(*range), rpath,
                "empty range [" + a.Scalar() + ", " + b.Scalar() +
                    "]; the low end must be below the high end (use 'values: [x]' for one value)");
          ok = false;
        } else if (p.log && *lo <= 0) {
          error(pos(*range), rpath,
                "a log range needs lo > 0, got [" + a.Scalar() + ", " + b.Scalar() + "]");
          ok = false;
        } else if (resolved && schema_) {
          const KeySpec* ks = spec_of(*schema_, p.target);
          if (ks && (*lo < ks->min || *hi > ks->max)) {
            error(pos(*range), rpath,
                  "must lie within [" + format_number(ks->min) + ", " + format_number(ks->max) +
                      "] for " + p.path + ", got [" + a.Scalar() + ", " + b.Scalar() + "]");
            ok = false;
          }
        }
      } else {
        ok = false;
      }
    }
  }
  if (steps) {
    if (spec_.design != DesignKind::grid) {
      error(pos(steps->key_node), path + ".steps",
            std::string("only grid designs use 'steps' (this design is ") +
                design_name(spec_.design) + "); remove it");
      ok = false;
    } else if (!range) {
      error(pos(steps->key_node), path + ".steps", "'steps' divides a range; with explicit 'values' remove it");
      ok = false;
    } else if (auto n = read_integer(steps->value, pos(*steps), path + ".steps")) {
      if (*n < 1 || *n > 1000000) {
        error(pos(*steps), path + ".steps", "must be in [1, 1000000], got " + std::to_string(*n));
        ok = false;
      } else {
        p.steps = static_cast<int>(*n);
      }
    } else {
      ok = false;
    }
  } else if (range && spec_.design == DesignKind::grid) {
    error(pos(f), path, "missing required key 'steps' (the number of grid levels across the range)");
    ok = false;
  }
  if (ok && resolved) spec_.parameters.push_back(p);
}

void SpecLoader::read_parameters(const MapView& top, const SourcePos& root_pos) {
  const Field* f = top.find("parameters");
  if (!f) {
    error(root_pos, "",
          "missing required key 'parameters' (scenario paths to sweep, e.g. "
          "states.cambodia.dependence_aversion: {range: [0, 3], steps: 10})");
    return;
  }
  auto m = open_map(f->value, pos(*f), "parameters", {},
                    "a mapping of scenario paths to 'values' or 'range'");
  if (!m) return;
  if (m->fields.empty()) {
    error(pos(*f), "parameters", "expected at least one parameter to sweep");
    return;
  }
  for (const Field& p : m->fields) read_parameter(p);
  if (spec_.design == DesignKind::sobol && m->fields.size() > static_cast<std::size_t>(kMaxSobolDims / 2))
    error(pos(*f), "parameters",
          "sobol designs take at most " + std::to_string(kMaxSobolDims / 2) + " parameters, got " +
              std::to_string(m->fields.size()));
}

void SpecLoader::read_samples_file(const Field& f) {
  auto name = read_string(f.value, pos(f), "samples");
  if (!name) return;
  spec_.samples_path = resolve_relative(*name);
  std::string reason;
  const auto text = read_text(spec_.samples_path, &reason);
  if (!text) {
    error(pos(f), "samples",
          "cannot open '" + spec_.samples_path + "' (" + reason +
              "); the path is relative to the spec's folder");
    return;
  }
  spec_.samples_hash = fnv1a(*text);
  // Rows as SALib's `sample` command writes them: numbers separated by spaces, tabs or commas;
  // blank lines and lines starting with '#' are skipped.
  std::vector<std::vector<double>> rows;
  std::vector<std::vector<std::pair<int, std::string>>> cells;  // column and text, for errors
  std::vector<int> lines;
  std::istringstream in(*text);
  std::string line;
  int line_no = 0;
  bool ok = true;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::size_t k = line.find_first_not_of(" \t");
    if (k == std::string::npos || line[k] == '#') continue;
    std::vector<double> row;
    std::vector<std::pair<int, std::string>> row_cells;
    while (k < line.size()) {
      const std::size_t end = line.find_first_of(" \t,", k);
      const std::string cell = line.substr(k, end == std::string::npos ? std::string::npos : end - k);
      const int column = static_cast<int>(k) + 1;
      char* stop = nullptr;
      errno = 0;
      const double v = std::strtod(cell.c_str(), &stop);
      if (cell.empty() || *stop != '\0' || errno != 0 || !std::isfinite(v)) {
        error(SourcePos{spec_.samples_path, line_no, column}, "",
              "expected a number, got '" + cell + "'");
        ok = false;
      }
      row.push_back(v);
      row_cells.emplace_back(column, cell);
      if (end == std::string::npos) break;
      k = line.find_first_not_of(" \t,", end);
    }
    rows.push_back(std::move(row));
    cells.push_back(std::move(row_cells));
    lines.push_back(line_no);
  }
  if (rows.empty()) {
    error(SourcePos{spec_.samples_path, 0, 0}, "", "no rows; expected one row of numbers per run");
    return;
  }
  if (!ok) return;
  spec_.samples.resize(static_cast<Eigen::Index>(rows.size()),
                       static_cast<Eigen::Index>(rows[0].size()));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (rows[r].size() != rows[0].size()) {
      error(SourcePos{spec_.samples_path, lines[r], 1}, "",
            "expected " + std::to_string(rows[0].size()) + " numbers like the first row, got " +
                std::to_string(rows[r].size()));
      spec_.samples.resize(0, 0);
      return;
    }
    for (std::size_t c = 0; c < rows[r].size(); ++c)
      spec_.samples(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = rows[r][c];
  }
  // Column count and value ranges are checked once the parameters are known (see load()).
  sample_cells_ = std::move(cells);
  sample_lines_ = std::move(lines);
}


void SpecLoader::read_outputs(const MapView& top) {
  SweepOutputs& o = spec_.outputs;
  // The agents the model labels: those of its labelled kind, or all.
  const auto labelled = [&](std::size_t i) { return is_labelled(*schema_, spec_.base, i); };
  if (scenario_ok_)
    for (std::size_t i = 0; i < spec_.base.size(); ++i)
      if (labelled(i)) o.states.push_back(i);
  o.features = spec_.all_features;
  if (scenario_ok_ && o.states.empty())
    error(SourcePos{spec_.scenario_path, 0, 0}, "",
          "the scenario has no state of " + schema_->kinds.key + " " + schema_->labelled_kind +
              ", so a sweep has no labels to report");
  const Field* f = top.find("outputs");
  if (!f) return;
  auto m = open_map(f->value, pos(*f), "outputs", kOutputKeys, "a mapping of output options");
  if (!m) return;
  if (const Field* st = m->find("states")) {
    if (!st->value.IsSequence() || st->value.size() == 0) {
      error(pos(*st), "outputs.states",
            "expected a non-empty sequence of states like [a, b], got " +
                describe(st->value));
    } else if (scenario_ok_) {
      std::vector<std::size_t> chosen;
      for (std::size_t k = 0; k < st->value.size(); ++k) {
        const Node n = st->value[k];
        const std::string path = "outputs.states[" + std::to_string(k) + "]";
        auto name = read_string(n, pos(n), path);
        if (!name) continue;
        const auto i = spec_.base.find_state(*name);
        if (!i)
          error(pos(n), path,
                "unknown state '" + *name + "'" + did_you_mean(*name, spec_.base.state_names));
        else if (!labelled(*i))
          error(pos(n), path,
                "'" + *name + "' has " + schema_->kinds.key + " " +
                    schema_->kinds.kinds[spec_.base.kinds[*i]] + "; the model labels only states with " +
                    schema_->kinds.key + " " + schema_->labelled_kind);
        else if (std::find(chosen.begin(), chosen.end(), *i) == chosen.end())
          chosen.push_back(*i);
      }
      std::sort(chosen.begin(), chosen.end());
      o.states = chosen;
    }
  }
  if (const Field* fe = m->find("features")) {
    if (fe->value.IsScalar() && fe->value.Scalar() == "all") {
      // the default
    } else if (fe->value.IsScalar() && fe->value.Scalar() == "none") {
      o.features.clear();
    } else if (!fe->value.IsSequence()) {
      error(pos(*fe), "outputs.features",
            "expected all, none or a sequence of feature names, got " + describe(fe->value));
    } else {
      std::vector<bool> keep(spec_.all_features.size(), false);
      for (std::size_t k = 0; k < fe->value.size(); ++k) {
        const Node n = fe->value[k];
        const std::string path = "outputs.features[" + std::to_string(k) + "]";
        auto name = read_string(n, pos(n), path);
        if (!name || !scenario_ok_) continue;
        const auto it = std::find(spec_.all_features.begin(), spec_.all_features.end(), *name);
        if (it == spec_.all_features.end())
          error(pos(n), path,
                "unknown feature '" + *name + "'" + did_you_mean(*name, spec_.all_features) +
                    "; expected one of: " + or_list(spec_.all_features));
        else
          keep[static_cast<std::size_t>(it - spec_.all_features.begin())] = true;
      }
      o.features.clear();
      for (std::size_t k = 0; k < keep.size(); ++k)
        if (keep[k]) o.features.push_back(spec_.all_features[k]);
    }
  }
  if (const Field* p = m->find("policies"))
    if (auto b = read_bool(p->value, pos(*p), "outputs.policies")) o.policies = *b;
  if (const Field* t = m->find("timeseries"))
    if (auto b = read_bool(t->value, pos(*t), "outputs.timeseries")) o.timeseries = *b;
  if (const Field* e = m->find("timeseries_every")) {
    if (auto n = read_integer(e->value, pos(*e), "outputs.timeseries_every")) {
      if (*n < 1)
        error(pos(*e), "outputs.timeseries_every", "must be at least 1, got " + std::to_string(*n));
      else
        o.timeseries_every = static_cast<int>(std::min<long long>(*n, 1000000000));
    }
  }
}

SweepSpec SpecLoader::load(const std::string& text) {
  spec_.file = file_;
  const std::optional<Node> parsed =
      parse(text, "sweep spec is empty (expected a mapping with 'scenario', 'parameters', ...; see "
                  "docs/sweeps.md)");
  if (!parsed) throw_diagnostics();
  const Node& root = *parsed;
  const SourcePos root_pos = pos(root);
  auto top = open_map(root, root_pos, "", kTopKeys,
                      "a mapping of sweep keys ('scenario', 'parameters', ...)");
  if (!top) throw_diagnostics();

  read_scenario(*top, root_pos);
  spec_.seed = scenario_ok_ ? spec_.base.seed : 1;
  if (const Field* f = top->find("seed")) {
    if (auto n = read_integer(f->value, pos(*f), "seed")) {
      if (*n < 0 || static_cast<unsigned long long>(*n) > kMaxSeed)
        error(pos(*f), "seed", "must be in [0, 9007199254740991] (2^53 - 1), got " + std::to_string(*n));
      else
        spec_.seed = static_cast<std::uint64_t>(*n);
    }
  }
  if (const Field* f = top->find("replications")) {
    if (auto n = read_integer(f->value, pos(*f), "replications")) {
      if (*n < 1 || *n > 1000000)
        error(pos(*f), "replications",
              "must be in [1, 1000000] (seeds per design point), got " + std::to_string(*n));
      else
        spec_.replications = static_cast<int>(*n);
    }
  }
  if (const Field* f = top->find("ticks")) {
    if (auto n = read_integer(f->value, pos(*f), "ticks")) {
      if (*n < 1 || *n > 100000000)
        error(pos(*f), "ticks", "must be in [1, 100000000], got " + std::to_string(*n));
      else if (scenario_ok_)
        shorten(spec_.base, static_cast<int>(*n));
    }
  }
  read_design(*top, root_pos);
  read_parameters(*top, root_pos);
  read_outputs(*top);

  if (spec_.design == DesignKind::samples && spec_.samples.rows() > 0 && diags_.empty()) {
    const auto D = static_cast<Eigen::Index>(spec_.parameters.size());
    if (spec_.samples.cols() != D) {
      error(SourcePos{spec_.samples_path, sample_lines_[0], 1}, "",
            "expected " + std::to_string(D) +
                " numbers per row (one per parameter, in the order of 'parameters'), got " +
                std::to_string(spec_.samples.cols()));
    } else {
      for (Eigen::Index r = 0; r < spec_.samples.rows(); ++r) {
        for (Eigen::Index c = 0; c < D; ++c) {
          const SweepParameter& p = spec_.parameters[static_cast<std::size_t>(c)];
          const auto& cell = sample_cells_[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)];
          const SourcePos where{spec_.samples_path, sample_lines_[static_cast<std::size_t>(r)],
                                cell.first};
          const double v = spec_.samples(r, c);
          const bool has_range = p.hi > p.lo;
          if (has_range && (v < p.lo || v > p.hi))
            error(where, p.path,
                  "must be in the spec's range [" + format_number(p.lo) + ", " +
                      format_number(p.hi) + "], got " + cell.second);
          else
            check_in_schema_range(p, where, p.path, v, cell.second);
        }
      }
    }
  }

  if (diags_.empty()) {
    double points = 0;
    switch (spec_.design) {
      case DesignKind::grid:
        points = 1;
        for (const auto& p : spec_.parameters)
          points *= p.values.empty() ? p.steps : static_cast<double>(p.values.size());
        break;
      case DesignKind::random:
      case DesignKind::lhs:
        points = spec_.points;
        break;
      case DesignKind::sobol:
        points = static_cast<double>(spec_.points) * static_cast<double>(spec_.parameters.size() + 2);
        break;
      case DesignKind::samples:
        points = static_cast<double>(spec_.samples.rows());
        break;
    }
    const double runs = points * spec_.replications;
    if (points > kMaxDesignPoints)
      error(root_pos, "",
            "the design has " + format_number(points) + " points, more than 10000000; use fewer steps, values or points");
    else if (runs >= kMaxRuns)
      error(root_pos, "",
            "the sweep has " + format_number(runs) + " runs, more than 2147483647; use fewer points or replications");
  }
  if (!diags_.empty()) throw_diagnostics();
  return std::move(spec_);
}

}  // namespace

SweepSpec load_sweep_spec_text(const std::string& text, const std::string& file_name,
                               const ModelRegistry& models) {
  return SpecLoader(file_name, models).load(text);
}

SweepSpec load_sweep_spec_file(const std::string& path, const ModelRegistry& models) {
  std::string reason;
  const auto text = read_text(path, &reason);
  if (!text)
    throw InputError({Diagnostic{SourcePos{path, 0, 0}, "",
                                 reason == yaml_input::kTooLarge
                                     ? reason + " (docs/reliability.md); expected a sweep spec (.yaml)"
                                     : "cannot open the sweep spec (" + reason + "); check the path"}});
  return load_sweep_spec_text(*text, path, models);
}

}  // namespace alignsim
