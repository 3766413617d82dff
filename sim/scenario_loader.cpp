#include "sim/scenario_loader.hpp"

#include <charconv>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cassert>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <map>
#include <ostream>
#include <sstream>
#include <utility>

#include "sim/yaml_reader.hpp"

namespace alignsim {

// ---------------------------------------------------------------------------------------------
// Small text helpers shared by the loader, the writer and resolve_path.

namespace {

// Optimal string alignment distance (Levenshtein plus adjacent transpositions), so that the
// common typo 'aversoin' is one edit from 'aversion'.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

}  // namespace

std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates) {
  // Only for names a person types: the edit distance costs length × length.
  if (name.size() > kMaxNameLength) return std::string();
  // A third of the word's length, at least one edit: close enough to be a typo, far enough
  // not to suggest 'gdp' for 'war'.
  const std::size_t limit = std::max<std::size_t>(1, (name.size() + 2) / 3);
  const std::string* best = nullptr;
  std::size_t best_distance = limit + 1;
  for (const auto& c : candidates) {
    if (c == name) continue;
    if (c.size() > name.size() + limit || name.size() > c.size() + limit) continue;  // too far
    const std::size_t dist = edit_distance(yaml_input::lower(name), yaml_input::lower(c));
    if (dist < best_distance) {
      best_distance = dist;
      best = &c;
    }
  }
  return best ? " (did you mean '" + *best + "'?)" : std::string();
}

std::optional<double> parse_decimal(const std::string& text) {
  // strtod also reads hex floats (0x0.8p0), inf and nan: not numbers a scenario writes.
  if (text.empty() || text.find_first_of("xXiInN") != std::string::npos ||
      std::isspace(static_cast<unsigned char>(text.front())))
    return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || errno != 0 || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string format_number(double x) {
  if (x == 0.0) return "0";  // also folds -0
  if (std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 1e15) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", x);
    return buf;
  }
  // The shortest %g-style text that reads back to exactly x (std::to_chars without a precision).
  char buf[40];
  char* end = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::general).ptr;
  return std::string(buf, end);
}

namespace {

using Node = YAML::Node;
using yaml_input::describe;
using yaml_input::Field;
using yaml_input::MapView;
using yaml_input::or_list;

// The top-level keys of every scenario; a model's schema adds its choices, agent references
// and pair sections.
const char* const kTopKeys[] = {"name",      "description",      "model",  "ticks",
                                "seed",      "update",           "states", "relations",
                                "initial_policies", "params",    "classifier", "events",
                                "controls",  "expect",           "time"};

const std::vector<std::string> kUpdateOrders = {"simultaneous", "random_order"};
const std::vector<std::string> kOps = {"set", "add", "scale"};
const std::vector<std::string> kTimeTicks = {"month", "quarter", "year"};

// "YYYY-MM" with a month in 1..12 (the date of tick 0 in `time: {start: ...}`).
bool is_year_month(const std::string& s) {
  if (s.size() != 7 || s[4] != '-') return false;
  for (std::size_t k : {0, 1, 2, 3, 5, 6})
    if (s[k] < '0' || s[k] > '9') return false;
  const int month = (s[5] - '0') * 10 + (s[6] - '0');
  return month >= 1 && month <= 12;
}
const std::vector<std::string> kFactKinds = {"rises_after", "falls_after", "stays_below",
                                             "stays_above", "exceeds"};

std::string join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string at(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

bool is_state_name(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

std::vector<std::string> names_of(const std::vector<KeySpec>& specs) {
  std::vector<std::string> names;
  for (const auto& s : specs) names.push_back(s.key);
  return names;
}

// Builds the validated, frozen Scenario, collecting every problem on the way.
class Loader : yaml_input::Reader {
 public:
  Loader(std::string file, const ModelRegistry& models)
      : Reader(std::move(file), "; the accepted keys are listed in docs/scenario-format.md"),
        models_(models) {}

  Scenario load(const std::string& text);

 private:
  [[noreturn]] void throw_diagnostics();

  // ---- structure
  const Field* require(const MapView& m, const std::string& key, const SourcePos& parent,
                       const std::string& path, const std::string& hint = "");
  bool is_sequence_or_absent(const Field* f, const std::string& path, const std::string& what);

  // ---- scalars (the node forms come from yaml_input::Reader)
  using Reader::read_choice;
  using Reader::read_in_range;
  using Reader::read_integer;
  using Reader::read_number;
  using Reader::read_string;
  std::optional<std::size_t> read_state(const Node& n, const SourcePos& where,
                                        const std::string& path);
  std::optional<std::string> read_string(const Field& f, const std::string& path) {
    return read_string(f.value, pos(f), path);
  }
  std::optional<double> read_number(const Field& f, const std::string& path) {
    return read_number(f.value, pos(f), path);
  }
  std::optional<double> read_in_range(const Field& f, const std::string& path, double min,
                                      double max) {
    return read_in_range(f.value, pos(f), path, min, max);
  }
  std::optional<long long> read_integer(const Field& f, const std::string& path) {
    return read_integer(f.value, pos(f), path);
  }
  std::optional<std::size_t> read_choice(const Field& f, const std::string& path,
                                         const std::vector<std::string>& options) {
    return read_choice(f.value, pos(f), path, options);
  }
  std::optional<std::size_t> read_state(const Field& f, const std::string& path) {
    return read_state(f.value, pos(f), path);
  }

  // ---- sections
  void read_header(const MapView& top);
  void read_states(const MapView& top, const SourcePos& root_pos);
  void read_choices(const MapView& top);
  void read_agent_refs(const MapView& top, const SourcePos& root_pos);
  void read_pair_sections(const MapView& top);
  void read_key_table(const MapView& top, const std::string& section,
                      const std::vector<KeySpec>& specs, std::map<std::string, double>& into);
  void read_dyadic(const MapView& top, const std::string& section,
                   const std::vector<KeySpec>& specs, std::map<std::string, Eigen::MatrixXd>& into,
                   bool directed, const std::map<std::string, std::string>& excluded);
  std::vector<std::pair<std::size_t, std::size_t>> read_endpoints(const MapView& m,
                                                                  const SourcePos& entry,
                                                                  const std::string& path,
                                                                  bool directed);
  void read_events(const MapView& top);
  void read_controls(const MapView& top);
  void read_expect(const MapView& top);
  void read_label_expectations(const Field& f, const std::string& path);
  void read_fact_expectations(const Field& f, const std::string& path);

  const ModelRegistry& models_;
  const ModelSchema* schema_ = nullptr;
  Scenario sc_;
  bool ticks_valid_ = true;
  std::vector<int> state_lines_;            // line of each state's name, for duplicate messages
  std::map<std::string, int> event_lines_;  // event name -> line
};

void Loader::throw_diagnostics() {
  // File order reads best; line 0 ("the whole file") first.
  std::stable_sort(diags_.begin(), diags_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::make_pair(a.pos.line, a.pos.column) < std::make_pair(b.pos.line, b.pos.column);
  });
  throw InputError(std::move(diags_));
}

const Field* Loader::require(const MapView& m, const std::string& key, const SourcePos& parent,
                             const std::string& path, const std::string& hint) {
  const Field* f = m.find(key);
  if (!f)
    error(parent, path,
          "missing required key '" + key + "'" + (hint.empty() ? "" : " (" + hint + ")"));
  return f;
}

bool Loader::is_sequence_or_absent(const Field* f, const std::string& path,
                                   const std::string& what) {
  if (!f || f->value.IsNull() || f->value.IsSequence()) return true;
  error(
      pos(*f), path,
      "expected a sequence of " + what + " (lines starting with '- '), got " + describe(f->value));
  return false;
}

std::optional<std::size_t> Loader::read_state(const Node& n, const SourcePos& where,
                                              const std::string& path) {
  auto name = read_string(n, where, path);
  if (!name) return std::nullopt;
  if (auto i = sc_.find_state(*name)) return i;
  error(where, path,
        "unknown state '" + *name + "'" + did_you_mean(*name, sc_.state_names) +
            "; declare it under 'states'");
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------

void Loader::read_header(const MapView& top) {
  sc_.name = std::filesystem::path(file_).stem().string();
  if (sc_.name.empty()) sc_.name = "scenario";
  if (const Field* f = top.find("name"))
    if (auto v = read_string(*f, "name")) sc_.name = *v;
  if (const Field* f = top.find("description"))
    if (auto v = read_string(*f, "description")) sc_.description = *v;
  if (const Field* f = top.find("time")) {
    if (auto m = open_map(f->value, pos(*f), "time", {"start", "tick"},
                          "a mapping like {start: 2010-01, tick: month}")) {
      const Field* start = require(*m, "start", pos(*f), "time", "the date of tick 0, YYYY-MM");
      const Field* tick = require(*m, "tick", pos(*f), "time", "month, quarter or year");
      std::optional<std::string> s;
      if (start && (s = read_string(*start, "time.start")) && !is_year_month(*s)) {
        error(pos(*start), "time.start", "expected a year and month YYYY-MM (e.g. 2010-01), got '" + *s + "'");
        s.reset();
      }
      std::optional<std::size_t> t;
      if (tick) t = read_choice(*tick, "time.tick", kTimeTicks);
      if (s && t) sc_.time = TimeAxis{*s, kTimeTicks[*t]};
    }
  }
  if (const Field* f = top.find("ticks")) {
    auto v = read_integer(*f, "ticks");
    ticks_valid_ = false;
    if (v && *v < 1) {
      error(pos(*f), "ticks", "must be >= 1, got " + f->value.Scalar());
    } else if (v && *v > std::numeric_limits<int>::max()) {
      error(pos(*f), "ticks",
            "must be <= " + std::to_string(std::numeric_limits<int>::max()) + ", got " +
                f->value.Scalar());
    } else if (v) {
      sc_.ticks = static_cast<int>(*v);
      ticks_valid_ = true;
    }
  }
  if (const Field* f = top.find("seed")) {
    const std::string& text = f->value.IsScalar() ? f->value.Scalar() : std::string();
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
    if (f->value.IsScalar() && f->value.Tag() != "!" && !text.empty() && text[0] != '-' &&
        end == text.c_str() + text.size() && errno == 0 && v <= kMaxSeed) {
      sc_.seed = v;
    } else {
      error(pos(*f), "seed",
            "expected a whole number in [0, 9007199254740991] (2^53 - 1), got " + describe(f->value));
    }
  }
  if (const Field* f = top.find("update"))
    if (auto v = read_choice(*f, "update", kUpdateOrders))
      sc_.update = static_cast<UpdateOrder>(*v);
}

void Loader::read_choices(const MapView& top) {
  for (const ChoiceSpec& c : schema_->choices) {
    sc_.choices[c.key] = 0;
    if (const Field* f = top.find(c.key))
      if (auto v = read_choice(*f, c.key, c.choices)) sc_.choices[c.key] = *v;
  }
}

void Loader::read_states(const MapView& top, const SourcePos& root_pos) {
  const ModelSchema& schema = *schema_;
  const AgentKinds& kinds = schema.kinds;
  const Field* f = require(top, "states", root_pos, "",
                           kinds.key.empty() ? "a sequence of the states in the scenario, each with a name"
                                             : "a sequence of the states in the scenario, each with a name and a " + kinds.key);
  const Node list = f ? f->value : Node();
  if (f && (!list.IsSequence() || list.size() == 0)) {
    error(pos(*f), "states",
          "expected a non-empty sequence of states (lines starting with '- name: ...'), got " +
              (list.IsSequence() ? std::string("an empty sequence") : describe(list)));
  }
  std::size_t n = list.IsSequence() ? list.size() : 0;
  if (n > kMaxStates) {
    // Checked before the N × N tables are allocated: 100,000 states would need terabytes.
    error(pos(*f), "states",
          "has " + std::to_string(n) + " states, more than " + std::to_string(kMaxStates) +
              ", the limit (docs/reliability.md)");
    n = 0;
  }
  const auto N = static_cast<Eigen::Index>(n);

  for (const auto& spec : schema.state_keys)
    sc_.state_keys[spec.key] = Eigen::VectorXd::Constant(N, spec.default_value);
  for (const auto& spec : schema.relation_keys) {
    sc_.relation_keys[spec.key] = Eigen::MatrixXd::Constant(N, N, spec.default_value);
    sc_.relation_keys[spec.key].diagonal().setZero();
  }
  for (const auto& spec : schema.policy_keys) {
    sc_.policy_keys[spec.key] = Eigen::MatrixXd::Constant(N, N, spec.default_value);
    sc_.policy_keys[spec.key].diagonal().setZero();
  }
  sc_.state_names.assign(n, std::string());
  sc_.display_names.assign(n, std::string());
  sc_.kinds.assign(n, 0);
  state_lines_.assign(n, 0);

  std::vector<std::string> allowed = {"name", "display_name"};
  if (!kinds.key.empty()) allowed.insert(allowed.begin() + 1, kinds.key);
  for (const auto& k : names_of(schema.state_keys)) allowed.push_back(k);

  // First the names, so that duplicates are found whatever else is wrong with an entry.
  std::vector<std::optional<MapView>> views(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string path = at("states", i);
    const Node entry = list[i];
    views[i] = open_map(entry, pos(entry), path, allowed,
                        kinds.key.empty() ? "a mapping with 'name' and state keys"
                                          : "a mapping with 'name', '" + kinds.key + "' and state keys");
    if (!views[i]) continue;
    const MapView& m = *views[i];
    if (const Field* name = require(m, "name", pos(entry), path)) {
      auto v = read_string(*name, join(path, "name"));
      if (v && v->size() > kMaxNameLength) {
        error(pos(*name), join(path, "name"),
              "expected a name of at most " + std::to_string(kMaxNameLength) + " characters, got one of " +
                  std::to_string(v->size()));
      } else if (v && !is_state_name(*v)) {
        error(pos(*name), join(path, "name"),
              "expected a name of lower-case letters, digits and '_' (e.g. viet_nam), got " +
                  describe(name->value));
      } else if (v) {
        if (auto first = sc_.find_state(*v)) {
          error(pos(*name), join(path, "name"),
                "duplicate state '" + *v + "' (first declared at line " +
                    std::to_string(state_lines_[*first]) + "); give each state its own name");
        } else {
          sc_.state_names[i] = *v;
          state_lines_[i] = pos(*name).line;
        }
      }
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!views[i]) continue;
    const std::string path = at("states", i);
    const MapView& m = *views[i];
    if (!kinds.key.empty())
      if (const Field* kind = require(m, kinds.key, pos(list[i]), path, or_list(kinds.kinds)))
        if (auto r = read_choice(*kind, join(path, kinds.key), kinds.kinds)) sc_.kinds[i] = *r;
    if (const Field* d = m.find("display_name"))
      if (auto v = read_string(*d, join(path, "display_name"))) sc_.display_names[i] = *v;
    for (const auto& field : m.fields) {
      const KeySpec* spec = find_key(schema.state_keys, field.key);
      if (!spec) continue;
      if (auto v = read_in_range(field, join(path, field.key), spec->min, spec->max))
        sc_.state_keys[field.key](static_cast<Eigen::Index>(i)) = *v;
    }
  }
}

void Loader::read_agent_refs(const MapView& top, const SourcePos& root_pos) {
  for (const AgentRefSpec& ref : schema_->agent_refs) {
    sc_.agents[ref.key] = 0;
    const Field* f = require(top, ref.key, root_pos, "", ref.doc);
    // With no states declared the 'states' error already says everything.
    if (!f || sc_.size() == 0) continue;
    auto i = read_state(*f, ref.key);
    if (!i) continue;
    sc_.agents[ref.key] = *i;
    const std::string& kind = schema_->kinds.kinds.empty() ? ref.kind : schema_->kinds.kinds[sc_.kinds[*i]];
    if (!ref.kind.empty() && kind != ref.kind) {
      error(pos(*f), ref.key,
            "'" + sc_.state_names[*i] + "' has " + schema_->kinds.key + " " + kind + "; the " + ref.key +
                " must be a state with " + schema_->kinds.key + " " + ref.kind);
    }
  }
}

void Loader::read_pair_sections(const MapView& top) {
  for (const PairSection& section : schema_->pair_sections) {
    std::vector<KeySpec> specs;
    for (const std::string& key : section.keys) specs.push_back(*find_key(schema_->relation_keys, key));
    read_dyadic(top, section.section, specs, sc_.relation_keys, false, {});
    const Field* f = top.find(section.section);
    if (!section.required || !f || !f->value.IsSequence()) continue;
    for (std::size_t i = 0; i < f->value.size(); ++i) {
      const Node entry = f->value[i];
      for (const KeySpec& spec : specs)
        if (entry.IsMap() && !entry[spec.key])
          error(pos(entry), at(section.section, i),
                "missing required key '" + spec.key + "' (a number in [" + format_number(spec.min) +
                    ", " + format_number(spec.max) + "])");
    }
  }
}

void Loader::read_key_table(const MapView& top, const std::string& section,
                            const std::vector<KeySpec>& specs,
                            std::map<std::string, double>& into) {
  for (const auto& spec : specs) into[spec.key] = spec.default_value;
  const Field* f = top.find(section);
  if (!f || f->value.IsNull()) return;
  auto m = open_map(f->value, pos(*f), section, names_of(specs),
                    "a mapping of " + section + " keys (key: value)");
  if (!m) return;
  for (const auto& field : m->fields) {
    const KeySpec* spec = find_key(specs, field.key);
    if (auto v = read_in_range(field, join(section, field.key), spec->min, spec->max))
      into[field.key] = *v;
  }
}

std::vector<std::pair<std::size_t, std::size_t>> Loader::read_endpoints(const MapView& m,
                                                                        const SourcePos& entry,
                                                                        const std::string& path,
                                                                        bool directed) {
  const Field* from = m.find("from");
  const Field* to = m.find("to");
  const Field* between = m.find("between");
  const std::string self_message = "a state has no relation with itself; name two different states";
  if (between && (from || to)) {
    error(pos(*between), join(path, "between"),
          "give either 'between: [a, b]' (both directions) or 'from' and 'to', not both");
    return {};
  }
  if (between) {
    const std::string bpath = join(path, "between");
    if (!between->value.IsSequence() || between->value.size() != 2) {
      error(pos(*between), bpath,
            "expected a pair of states such as [vietnam, china], got " +
                (between->value.IsSequence()
                     ? "a sequence of " + std::to_string(between->value.size())
                     : describe(between->value)));
      return {};
    }
    const Node a_node = between->value[0], b_node = between->value[1];
    auto a = read_state(a_node, pos(a_node), at(bpath, 0));
    auto b = read_state(b_node, pos(b_node), at(bpath, 1));
    if (!a || !b) return {};
    if (*a == *b) {
      error(pos(b_node), at(bpath, 1), "'" + sc_.state_names[*a] + "' twice: " + self_message);
      return {};
    }
    return {{*a, *b}, {*b, *a}};
  }
  if (!directed) {
    error(entry, path,
          "missing required key 'between' (the pair of states, e.g. between: [vietnam, china])");
    return {};
  }
  if (!from && !to) {
    error(entry, path,
          "missing 'from' and 'to'; give both, or 'between: [a, b]' for both directions");
    return {};
  }
  if (!from) error(entry, path, "missing required key 'from'");
  if (!to) error(entry, path, "missing required key 'to'");
  std::optional<std::size_t> a, b;
  if (from) a = read_state(*from, join(path, "from"));
  if (to) b = read_state(*to, join(path, "to"));
  if (!a || !b) return {};
  if (*a == *b) {
    error(pos(*to), join(path, "to"),
          "'" + sc_.state_names[*a] + "' is also 'from': " + self_message);
    return {};
  }
  return {{*a, *b}};
}

void Loader::read_dyadic(const MapView& top, const std::string& section,
                         const std::vector<KeySpec>& specs,
                         std::map<std::string, Eigen::MatrixXd>& into, bool directed,
                         const std::map<std::string, std::string>& excluded) {
  const Field* f = top.find(section);
  if (!f || !is_sequence_or_absent(f, section, "entries") || f->value.IsNull()) return;
  std::vector<std::string> allowed = directed ? std::vector<std::string>{"from", "to", "between"}
                                              : std::vector<std::string>{"between"};
  for (const auto& spec : specs)
    if (!excluded.count(spec.key)) allowed.push_back(spec.key);
  std::map<std::string, std::string> special = excluded;
  if (!directed) {
    for (const char* key : {"from", "to"})
      special[key] = std::string("'") + key + "' does not apply: " + section +
                     " are symmetric, so name the pair with 'between: [a, b]'";
  }
  for (std::size_t i = 0; i < f->value.size(); ++i) {
    const Node entry = f->value[i];
    const std::string path = at(section, i);
    auto m = open_map(entry, pos(entry), path, allowed,
                      directed ? "a mapping with 'from' and 'to' (or 'between') and values"
                               : "a mapping with 'between' and values",
                      special);
    if (!m) continue;
    const auto pairs = read_endpoints(*m, pos(entry), path, directed);
    for (const auto& field : m->fields) {
      const KeySpec* spec = find_key(specs, field.key);
      if (!spec) continue;
      auto v = read_in_range(field, join(path, field.key), spec->min, spec->max);
      if (!v) continue;
      for (const auto& [a, b] : pairs)
        into[field.key](static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) = *v;
    }
  }
}

void Loader::read_events(const MapView& top) {
  const Field* f = top.find("events");
  if (!f || !is_sequence_or_absent(f, "events", "events") || f->value.IsNull()) return;
  for (std::size_t i = 0; i < f->value.size(); ++i) {
    const Node entry = f->value[i];
    const std::string path = at("events", i);
    auto m = open_map(entry, pos(entry), path,
                      {"tick", "name", "path", "op", "value", "label", "description"},
                      "a mapping with 'tick', 'name', 'path', 'op' and 'value' (and optionally 'label' and 'description')");
    if (!m) continue;
    Event ev;
    ev.pos = pos(entry);
    bool ok = true;
    if (const Field* t = require(*m, "tick", pos(entry), path)) {
      auto v = read_integer(*t, join(path, "tick"));
      if (v && ticks_valid_ && (*v < 0 || *v >= sc_.ticks)) {
        error(pos(*t), join(path, "tick"),
              "must be in [0, " + std::to_string(sc_.ticks - 1) + "] because the run has " +
                  std::to_string(sc_.ticks) + " ticks, got " + t->value.Scalar());
        ok = false;
      } else if (v && ticks_valid_) {
        ev.tick = static_cast<int>(*v);
      } else {
        ok = false;
      }
    } else {
      ok = false;
    }
    if (const Field* name =
            require(*m, "name", pos(entry), path, "expectations refer to events by name")) {
      auto v = read_string(*name, join(path, "name"));
      if (v && v->empty()) {
        error(pos(*name), join(path, "name"), "expected a name, got empty text");
        ok = false;
      } else if (v && event_lines_.count(*v)) {
        error(pos(*name), join(path, "name"),
              "duplicate event name '" + *v + "' (first used at line " +
                  std::to_string(event_lines_[*v]) + "); give each event its own name");
        ok = false;
      } else if (v) {
        ev.name = *v;
        event_lines_[*v] = pos(*name).line;
      } else {
        ok = false;
      }
    } else {
      ok = false;
    }
    if (const Field* l = m->find("label"))
      if (auto v = read_string(*l, join(path, "label"))) ev.label = *v;
    if (const Field* d = m->find("description"))
      if (auto v = read_string(*d, join(path, "description"))) ev.description = *v;
    std::optional<ParamRef> target;
    if (const Field* p = require(*m, "path", pos(entry), path,
                                 "what the event changes, e.g. params.foresight")) {
      if (auto text = read_string(*p, join(path, "path"))) {
        ev.path = *text;
        std::string why;
        target = resolve_path(sc_, *text, &why);
        if (!target) error(pos(*p), join(path, "path"), why);
      }
    }
    if (!target)
      ok = false;
    else
      ev.target = *target;
    std::optional<std::size_t> op;
    if (const Field* f_op = require(*m, "op", pos(entry), path, "set, add or scale"))
      op = read_choice(*f_op, join(path, "op"), kOps);
    if (op)
      ev.op = static_cast<EventOp>(*op);
    else
      ok = false;
    if (const Field* value = require(*m, "value", pos(entry), path)) {
      auto v = read_number(*value, join(path, "value"));
      const KeySpec* spec = target ? spec_of(*schema_, *target) : nullptr;
      if (v && spec && op && ev.op == EventOp::set && (*v < spec->min || *v > spec->max)) {
        error(pos(*value), join(path, "value"),
              "must be in [" + format_number(spec->min) + ", " + format_number(spec->max) +
                  "], the range of '" + spec->key + "', got " + value->value.Scalar());
        ok = false;
      } else if (v) {
        ev.value = *v;
      } else {
        ok = false;
      }
    } else {
      ok = false;
    }
    if (ok) sc_.events.push_back(std::move(ev));
  }
  std::stable_sort(sc_.events.begin(), sc_.events.end(),
                   [](const Event& a, const Event& b) { return a.tick < b.tick; });
}

void Loader::read_controls(const MapView& top) {
  const Field* f = top.find("controls");
  if (!f || !is_sequence_or_absent(f, "controls", "controls") || f->value.IsNull()) return;
  for (std::size_t i = 0; i < f->value.size(); ++i) {
    const Node entry = f->value[i];
    const std::string path = at("controls", i);
    auto m = open_map(entry, pos(entry), path, {"path", "label", "min", "max"},
                      "a mapping with 'path', 'label', 'min' and 'max'");
    if (!m) continue;
    Control c;
    const Field* p =
        require(*m, "path", pos(entry), path, "what the slider changes, e.g. params.foresight");
    if (!p) continue;
    auto text = read_string(*p, join(path, "path"));
    if (!text) continue;
    c.path = *text;
    c.label = *text;
    std::string why;
    auto target = resolve_path(sc_, *text, &why);
    if (!target) {
      error(pos(*p), join(path, "path"), why);
      continue;
    }
    c.target = *target;
    const KeySpec* spec = spec_of(*schema_, *target);
    assert(spec && "resolve_path only returns keys of the schema");
    c.min = spec->min;
    c.max = spec->max;
    bool ok = true;
    if (const Field* label = m->find("label")) {
      if (auto v = read_string(*label, join(path, "label")))
        c.label = *v;
      else
        ok = false;
    }
    const Field* mn = m->find("min");
    const Field* mx = m->find("max");
    if (mn) {
      if (auto v = read_in_range(*mn, join(path, "min"), spec->min, spec->max))
        c.min = *v;
      else
        ok = false;
    }
    if (mx) {
      if (auto v = read_in_range(*mx, join(path, "max"), spec->min, spec->max))
        c.max = *v;
      else
        ok = false;
    }
    if (ok && !(c.min < c.max)) {
      error(mx ? pos(*mx) : pos(entry), join(path, "max"),
            "must be greater than min (" + format_number(c.min) + "), got " + format_number(c.max));
      ok = false;
    }
    if (ok) sc_.controls.push_back(std::move(c));
  }
}

void Loader::read_label_expectations(const Field& f, const std::string& section) {
  if (!is_sequence_or_absent(&f, section, "label expectations") || f.value.IsNull()) return;
  for (std::size_t i = 0; i < f.value.size(); ++i) {
    const Node entry = f.value[i];
    const std::string path = at(section, i);
    std::vector<std::string> allowed = {"state", "label", "not"};
    std::string alternatives = "'not'";
    for (const QualifierSpec& q : schema_->qualifiers) {
      allowed.push_back(q.name);
      alternatives += ", or '" + q.name + "'";
    }
    allowed.push_back("rate");
    auto m = open_map(entry, pos(entry), path, allowed,
                      "a mapping with 'state', 'label' (or " + alternatives + ") and 'rate'");
    if (!m) continue;
    LabelExpectation e;
    e.pos = pos(entry);
    bool ok = true;
    if (const Field* s = require(*m, "state", pos(entry), path)) {
      if (auto v = read_state(*s, join(path, "state")))
        e.state = sc_.state_names[*v];
      else
        ok = false;
    } else {
      ok = false;
    }
    // `label: L` or `label: [L1, L2]` (any of them); `not: ...` (none of them).
    const Field* l = m->find("label");
    const Field* n = m->find("not");
    if (l && n) {
      error(pos(*n), join(path, "not"), "give either 'label' or 'not', not both");
      ok = false;
    } else if (!l && !n &&
               std::none_of(schema_->qualifiers.begin(), schema_->qualifiers.end(),
                            [&](const QualifierSpec& q) { return m->find(q.name) != nullptr; })) {
      error(pos(entry), path, "missing key 'label' (or " + alternatives + ")");
      ok = false;
    } else if (l || n) {
      const Field& f = l ? *l : *n;
      const std::string key = join(path, l ? "label" : "not");
      e.negated = n != nullptr;
      if (f.value.IsSequence()) {
        if (f.value.size() == 0) {
          error(pos(f), key, "expected at least one label");
          ok = false;
        }
        for (std::size_t k = 0; k < f.value.size(); ++k) {
          if (auto v = read_choice(f.value[k], pos(f.value[k]), at(key, k), schema_->labels))
            e.labels.push_back(schema_->labels[*v]);
          else
            ok = false;
        }
      } else if (auto v = read_choice(f, key, schema_->labels)) {
        e.labels.push_back(schema_->labels[*v]);
      } else {
        ok = false;
      }
      if (!e.labels.empty()) e.label = e.labels.front();
    }
    for (const QualifierSpec& q : schema_->qualifiers) {
      if (const Field* qf = m->find(q.name)) {
        if (auto v = read_choice(*qf, join(path, q.name), q.values))
          e.qualifiers.emplace_back(q.name, q.values[*v]);
        else
          ok = false;
      }
    }
    if (const Field* r = m->find("rate")) {
      if (auto v = read_in_range(*r, join(path, "rate"), 0, 1))
        e.rate = *v;
      else
        ok = false;
    }
    if (ok) sc_.expect.labels.push_back(std::move(e));
  }
}

void Loader::read_fact_expectations(const Field& f, const std::string& section) {
  if (!is_sequence_or_absent(&f, section, "fact expectations") || f.value.IsNull()) return;
  for (std::size_t i = 0; i < f.value.size(); ++i) {
    const Node entry = f.value[i];
    const std::string path = at(section, i);
    auto m = open_map(entry, pos(entry), path,
                      {"name", "kind", "state", "partner", "quantity", "event", "within", "by",
                       "value", "from_tick", "than_state", "than_partner", "rate"},
                      "a mapping with 'kind', 'state', 'quantity' and the kind's keys");
    if (!m) continue;
    FactExpectation e;
    e.kind = FactExpectation::Kind::rises_after;
    e.pos = pos(entry);
    bool ok = true;
    if (const Field* n = m->find("name")) {
      if (auto v = read_string(*n, join(path, "name")))
        e.name = *v;
      else
        ok = false;
    }
    std::optional<std::size_t> kind;
    if (const Field* k = require(*m, "kind", pos(entry), path, or_list(kFactKinds)))
      kind = read_choice(*k, join(path, "kind"), kFactKinds);
    if (!kind) {
      ok = false;
    } else {
      e.kind = static_cast<FactExpectation::Kind>(*kind);
    }
    const bool after = kind && (e.kind == FactExpectation::Kind::rises_after ||
                                e.kind == FactExpectation::Kind::falls_after);
    const bool stays = kind && !after;

    std::optional<std::size_t> state;
    if (const Field* s = require(*m, "state", pos(entry), path))
      state = read_state(*s, join(path, "state"));
    if (state)
      e.state = sc_.state_names[*state];
    else
      ok = false;

    std::optional<std::size_t> quantity;
    if (const Field* q = require(*m, "quantity", pos(entry), path, "e.g. deference"))
      quantity = read_choice(*q, join(path, "quantity"), schema_->quantities);
    if (quantity)
      e.quantity = schema_->quantities[*quantity];
    else
      ok = false;

    // A quantity that is also a state key (defence_share) belongs to one state; the others are
    // measured from `state` towards `partner`.
    const bool monadic = quantity && find_key(schema_->state_keys, e.quantity) != nullptr;
    const Field* partner = m->find("partner");
    if (quantity && monadic && partner) {
      error(pos(*partner), join(path, "partner"),
            "'" + e.quantity + "' belongs to one state and has no partner; remove 'partner'");
      ok = false;
    } else if (quantity && !monadic && !partner) {
      error(pos(entry), path,
            "missing required key 'partner' ('" + e.quantity +
                "' is measured towards another state)");
      ok = false;
    } else if (partner) {
      auto p = read_state(*partner, join(path, "partner"));
      if (p && state && *p == *state) {
        error(pos(*partner), join(path, "partner"),
              "the partner must differ from the state ('" + e.state + "')");
        ok = false;
      } else if (p) {
        e.partner = sc_.state_names[*p];
      } else {
        ok = false;
      }
    }

    auto not_for_kind = [&](const char* key, const char* used_by) {
      if (const Field* x = m->find(key)) {
        error(pos(x->key_node), join(path, key),
              std::string("does not apply to kind ") + kFactKinds[*kind] + "; it is used by " +
                  used_by);
        ok = false;
        return true;
      }
      return false;
    };
    if (after) {
      not_for_kind("value", "stays_below and stays_above");
      not_for_kind("from_tick", "stays_below and stays_above");
      if (const Field* ev =
              require(*m, "event", pos(entry), path, "the name of the event the change follows")) {
        auto name = read_string(*ev, join(path, "event"));
        if (name && event_lines_.count(*name)) {
          e.event = *name;
        } else if (name) {
          std::vector<std::string> known;
          for (const auto& kv : event_lines_) known.push_back(kv.first);
          error(pos(*ev), join(path, "event"),
                "unknown event '" + *name + "'" + did_you_mean(*name, known) +
                    "; name an event declared under 'events'");
          ok = false;
        } else {
          ok = false;
        }
      } else {
        ok = false;
      }
      if (const Field* w = m->find("within")) {
        auto v = read_integer(*w, join(path, "within"));
        if (v && (*v < 1 || (ticks_valid_ && *v > sc_.ticks))) {
          error(pos(*w), join(path, "within"),
                "must be in [1, " + std::to_string(sc_.ticks) + "], got " + w->value.Scalar());
          ok = false;
        } else if (v) {
          e.within = static_cast<int>(*v);
        } else {
          ok = false;
        }
      }
      if (const Field* b = m->find("by")) {
        if (auto v = read_number(*b, join(path, "by")))
          e.by = *v;
        else
          ok = false;
      }
    }
    const bool exceeds = kind && e.kind == FactExpectation::Kind::exceeds;
    if (kind && !exceeds) {
      not_for_kind("than_state", "exceeds");
      not_for_kind("than_partner", "exceeds");
    }
    if (exceeds) {
      // The series compared against: than_state (default: state) towards than_partner
      // (default: partner); one of them must differ.
      e.than_state = e.state;
      e.than_partner = e.partner;
      if (const Field* t = m->find("than_state")) {
        if (auto v = read_state(*t, join(path, "than_state")))
          e.than_state = sc_.state_names[*v];
        else
          ok = false;
      }
      if (const Field* t = m->find("than_partner")) {
        if (auto v = read_state(*t, join(path, "than_partner")))
          e.than_partner = sc_.state_names[*v];
        else
          ok = false;
      }
      if (ok && e.than_state == e.state && e.than_partner == e.partner) {
        error(pos(entry), path, "an 'exceeds' fact needs 'than_state' or 'than_partner' to name another series");
        ok = false;
      } else if (ok && !e.than_partner.empty() && e.than_partner == e.than_state) {
        error(pos(entry), path, "the compared series must have a partner other than its state");
        ok = false;
      }
    }
    if (stays) {
      not_for_kind("event", "rises_after and falls_after");
      not_for_kind("within", "rises_after and falls_after");
      not_for_kind("by", "rises_after and falls_after");
      if (const Field* v = require(*m, "value", pos(entry), path, "the threshold")) {
        if (auto x = read_number(*v, join(path, "value")))
          e.value = *x;
        else
          ok = false;
      } else {
        ok = false;
      }
      if (const Field* t = m->find("from_tick")) {
        auto v = read_integer(*t, join(path, "from_tick"));
        if (v && (*v < 0 || (ticks_valid_ && *v >= sc_.ticks))) {
          error(pos(*t), join(path, "from_tick"),
                "must be in [0, " + std::to_string(sc_.ticks - 1) + "] because the run has " +
                    std::to_string(sc_.ticks) + " ticks, got " + t->value.Scalar());
          ok = false;
        } else if (v) {
          e.from_tick = static_cast<int>(*v);
        } else {
          ok = false;
        }
      }
    }
    if (const Field* r = m->find("rate")) {
      if (auto v = read_in_range(*r, join(path, "rate"), 0, 1))
        e.rate = *v;
      else
        ok = false;
    }
    if (ok) sc_.expect.facts.push_back(std::move(e));
  }
}

void Loader::read_expect(const MapView& top) {
  const Field* f = top.find("expect");
  if (!f || f->value.IsNull()) return;
  auto m = open_map(f->value, pos(*f), "expect", {"labels", "facts"},
                    "a mapping with 'labels' and/or 'facts'");
  if (!m) return;
  if (const Field* l = m->find("labels")) read_label_expectations(*l, "expect.labels");
  if (const Field* x = m->find("facts")) read_fact_expectations(*x, "expect.facts");
}

Scenario Loader::load(const std::string& text) {
  sc_.file = file_;
  const std::optional<Node> parsed =
      parse(text, "scenario is empty (expected a mapping with 'model', 'states', ...; see "
                  "docs/scenario-format.md)");
  if (!parsed) throw_diagnostics();
  const Node& root = *parsed;
  const SourcePos root_pos = pos(root);

  // The model comes first: its schema says which other keys exist. Without `model` the first
  // registered model is meant.
  std::vector<std::string> model_names;
  for (const ModelInfo& m : models_.all()) model_names.push_back(m.name);
  const Node model_node = root.IsMap() ? root["model"] : Node();
  if (model_node && model_node.IsScalar()) {
    sc_.model = model_node.Scalar();
  } else if (!model_node && !models_.all().empty()) {
    sc_.model = models_.all().front().name;
  }
  const ModelInfo* info = models_.find(sc_.model);
  schema_ = info ? info->schema : nullptr;
  if (!schema_ && model_node && model_node.IsScalar()) {
    error(pos(model_node), "model",
          "unknown model '" + sc_.model + "'" + did_you_mean(sc_.model, model_names) +
              "; the models are " + or_list(model_names));
    // Without the model's schema the other keys cannot be checked.
    throw_diagnostics();
  }
  std::vector<std::string> top_keys(std::begin(kTopKeys), std::end(kTopKeys));
  if (schema_) {
    for (const ChoiceSpec& c : schema_->choices) top_keys.push_back(c.key);
    for (const AgentRefSpec& r : schema_->agent_refs) top_keys.push_back(r.key);
    for (const PairSection& p : schema_->pair_sections) top_keys.push_back(p.section);
  }
  auto top = open_map(root, root_pos, "", top_keys, "a mapping of scenario keys ('model', 'states', ...)");
  if (!top) throw_diagnostics();
  if (const Field* f = top->find("model")) read_string(*f, "model");
  if (!schema_) throw_diagnostics();  // `model` is not a string: reported just above

  read_header(*top);
  read_choices(*top);
  read_states(*top, root_pos);
  read_agent_refs(*top, root_pos);
  read_key_table(*top, "params", schema_->params, sc_.params);
  read_key_table(*top, "classifier", schema_->classifier, sc_.classifier);
  std::map<std::string, std::string> symmetric;
  for (const PairSection& p : schema_->pair_sections)
    for (const std::string& key : p.keys)
      symmetric[key] = "set '" + key + "' under '" + p.section +
                       ":' (with 'between: [a, b]'), which keeps it symmetric";
  read_dyadic(*top, "relations", schema_->relation_keys, sc_.relation_keys, true, symmetric);
  read_pair_sections(*top);
  read_dyadic(*top, "initial_policies", schema_->policy_keys, sc_.policy_keys, true, {});
  read_events(*top);
  read_controls(*top);
  read_expect(*top);

  if (!diags_.empty()) throw_diagnostics();
  return std::move(sc_);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Writer

Scenario load_scenario_text(const std::string& text, const std::string& file_name,
                            const ModelRegistry& models) {
  return Loader(file_name, models).load(text);
}

Scenario load_scenario_file(const std::string& path, const ModelRegistry& models) {
  std::string reason;
  const std::optional<std::string> text = yaml_input::read_text(path, &reason);
  if (!text)
    throw InputError({Diagnostic{SourcePos{path, 0, 0}, "",
                                 reason == yaml_input::kIsADirectory
                                     ? "is a directory; expected a scenario file (.yaml)"
                                 : reason == yaml_input::kTooLarge
                                     ? reason + " (docs/reliability.md); expected a scenario file (.yaml)"
                                     : "cannot open the scenario file (" + reason + "); check the path"}});
  return load_scenario_text(*text, path, models);
}

void write_resolved_yaml(const Scenario& s, const ModelSchema& schema, std::ostream& out) {
  const auto N = static_cast<Eigen::Index>(s.size());
  const auto state = [&](Eigen::Index i) -> const std::string& {
    return s.state_names[static_cast<std::size_t>(i)];
  };
  YAML::Emitter y(out);
  // yaml-cpp writes numeric-looking text plain, so the shortest round-trip text of a number
  // loads back as exactly the same double (YAML::Precision(17) would write 0.1 as
  // 0.10000000000000001).
  const auto num = [](double x) { return format_number(x); };
  const auto begin_entry = [&] { y << YAML::Flow << YAML::BeginMap; };
  // An empty sequence or map as `key: []` or `key: {}` on one line (yaml-cpp puts a block
  // one's `[]` on the next line).
  const auto begin_seq = [&](const char* key, bool empty) {
    y << YAML::Key << key << YAML::Value;
    if (empty) y << YAML::Flow;
    y << YAML::BeginSeq;
  };
  const auto begin_map = [&](const char* key, bool empty) {
    y << YAML::Key << key << YAML::Value;
    if (empty) y << YAML::Flow;
    y << YAML::BeginMap;
  };
  const auto dyadic_entries = [&](const char* section, const std::vector<KeySpec>& specs,
                                  const std::map<std::string, Eigen::MatrixXd>& table,
                                  const std::vector<std::string>& excluded) {
    begin_seq(section, N < 2);
    for (Eigen::Index i = 0; i < N; ++i) {
      for (Eigen::Index j = 0; j < N; ++j) {
        if (i == j) continue;
        begin_entry();
        y << YAML::Key << "from" << YAML::Value << state(i) << YAML::Key << "to" << YAML::Value << state(j);
        for (const auto& spec : specs)
          if (std::find(excluded.begin(), excluded.end(), spec.key) == excluded.end())
            y << YAML::Key << spec.key << YAML::Value << num(table.at(spec.key)(i, j));
        y << YAML::EndMap;
      }
    }
    y << YAML::EndSeq;
  };

  y << YAML::Comment("Fully resolved scenario: every key with its value, defaults filled in.");
  y << YAML::BeginMap;
  y << YAML::Key << "name" << YAML::Value << s.name;
  y << YAML::Key << "description" << YAML::Value << s.description;
  y << YAML::Key << "model" << YAML::Value << s.model;
  for (const AgentRefSpec& ref : schema.agent_refs)
    y << YAML::Key << ref.key << YAML::Value << s.state_names.at(s.agents.at(ref.key));
  y << YAML::Key << "ticks" << YAML::Value << s.ticks;
  y << YAML::Key << "seed" << YAML::Value << s.seed;
  y << YAML::Key << "update" << YAML::Value << kUpdateOrders[static_cast<std::size_t>(s.update)];
  for (const ChoiceSpec& c : schema.choices)
    y << YAML::Key << c.key << YAML::Value << c.choices.at(s.choices.at(c.key));
  if (!s.time.start.empty()) {
    y << YAML::Key << "time" << YAML::Value << YAML::Flow << YAML::BeginMap;
    y << YAML::Key << "start" << YAML::Value << s.time.start << YAML::Key << "tick" << YAML::Value << s.time.tick;
    y << YAML::EndMap;
  }

  begin_seq("states", s.size() == 0);
  for (std::size_t i = 0; i < s.size(); ++i) {
    y << YAML::BeginMap << YAML::Key << "name" << YAML::Value << s.state_names[i];
    if (!schema.kinds.key.empty())
      y << YAML::Key << schema.kinds.key << YAML::Value << schema.kinds.kinds.at(s.kinds.at(i));
    if (i < s.display_names.size() && !s.display_names[i].empty())
      y << YAML::Key << "display_name" << YAML::Value << s.display_names[i];
    for (const auto& spec : schema.state_keys)
      y << YAML::Key << spec.key << YAML::Value
        << num(s.state_keys.at(spec.key)(static_cast<Eigen::Index>(i)));
    y << YAML::EndMap;
  }
  y << YAML::EndSeq;

  dyadic_entries("relations", schema.relation_keys, s.relation_keys, schema.symmetric_keys());
  for (const PairSection& section : schema.pair_sections) {
    // Pair keys are symmetric by construction (their section sets both directions); the upper
    // triangle holds every value.
    begin_seq(section.section.c_str(), N < 2);
    for (Eigen::Index i = 0; i < N; ++i) {
      for (Eigen::Index j = i + 1; j < N; ++j) {
        begin_entry();
        y << YAML::Key << "between" << YAML::Value << YAML::Flow << YAML::BeginSeq << state(i) << state(j)
          << YAML::EndSeq;
        for (const std::string& key : section.keys) {
          const Eigen::MatrixXd& r = s.relation_keys.at(key);
          assert(r(i, j) == r(j, i) && "a pair key must be symmetric");
          y << YAML::Key << key << YAML::Value << num(r(i, j));
        }
        y << YAML::EndMap;
      }
    }
    y << YAML::EndSeq;
  }
  dyadic_entries("initial_policies", schema.policy_keys, s.policy_keys, {});

  begin_map("params", schema.params.empty());
  for (const auto& spec : schema.params) y << YAML::Key << spec.key << YAML::Value << num(s.params.at(spec.key));
  y << YAML::EndMap;
  begin_map("classifier", schema.classifier.empty());
  for (const auto& spec : schema.classifier)
    y << YAML::Key << spec.key << YAML::Value << num(s.classifier.at(spec.key));
  y << YAML::EndMap;

  begin_seq("events", s.events.empty());
  for (const auto& e : s.events) {
    begin_entry();
    y << YAML::Key << "tick" << YAML::Value << e.tick << YAML::Key << "name" << YAML::Value << e.name
      << YAML::Key << "path" << YAML::Value << e.path << YAML::Key << "op" << YAML::Value
      << kOps[static_cast<std::size_t>(e.op)] << YAML::Key << "value" << YAML::Value << num(e.value);
    if (!e.label.empty()) y << YAML::Key << "label" << YAML::Value << e.label;
    if (!e.description.empty()) y << YAML::Key << "description" << YAML::Value << e.description;
    y << YAML::EndMap;
  }
  y << YAML::EndSeq;

  begin_seq("controls", s.controls.empty());
  for (const auto& c : s.controls) {
    begin_entry();
    y << YAML::Key << "path" << YAML::Value << c.path << YAML::Key << "label" << YAML::Value << c.label
      << YAML::Key << "min" << YAML::Value << num(c.min) << YAML::Key << "max" << YAML::Value << num(c.max);
    y << YAML::EndMap;
  }
  y << YAML::EndSeq;

  y << YAML::Key << "expect" << YAML::Value << YAML::BeginMap;
  begin_seq("labels", s.expect.labels.empty());
  for (const auto& l : s.expect.labels) {
    begin_entry();
    y << YAML::Key << "state" << YAML::Value << l.state;
    for (const auto& [name, value] : l.qualifiers) y << YAML::Key << name << YAML::Value << value;
    if (l.labels.size() == 1 && !l.negated) {
      y << YAML::Key << "label" << YAML::Value << l.labels.front();
    } else if (!l.labels.empty()) {
      y << YAML::Key << (l.negated ? "not" : "label") << YAML::Value << YAML::Flow << l.labels;
    }
    y << YAML::Key << "rate" << YAML::Value << num(l.rate) << YAML::EndMap;
  }
  y << YAML::EndSeq;
  begin_seq("facts", s.expect.facts.empty());
  for (const auto& f : s.expect.facts) {
    const bool after = f.kind == FactExpectation::Kind::rises_after ||
                       f.kind == FactExpectation::Kind::falls_after;
    begin_entry();
    y << YAML::Key << "name" << YAML::Value << f.name << YAML::Key << "kind" << YAML::Value
      << kFactKinds[static_cast<std::size_t>(f.kind)] << YAML::Key << "state" << YAML::Value << f.state;
    if (!f.partner.empty()) y << YAML::Key << "partner" << YAML::Value << f.partner;
    y << YAML::Key << "quantity" << YAML::Value << f.quantity;
    if (f.kind == FactExpectation::Kind::exceeds) {
      y << YAML::Key << "than_state" << YAML::Value << f.than_state;
      if (!f.than_partner.empty()) y << YAML::Key << "than_partner" << YAML::Value << f.than_partner;
    }
    if (after)
      y << YAML::Key << "event" << YAML::Value << f.event << YAML::Key << "within" << YAML::Value << f.within
        << YAML::Key << "by" << YAML::Value << num(f.by);
    else
      y << YAML::Key << "value" << YAML::Value << num(f.value) << YAML::Key << "from_tick" << YAML::Value
        << f.from_tick;
    y << YAML::Key << "rate" << YAML::Value << num(f.rate) << YAML::EndMap;
  }
  y << YAML::EndSeq;
  y << YAML::EndMap;  // expect
  y << YAML::EndMap;
  assert(y.good() && "the writer's begins and ends must pair");
  out << "\n";
}

}  // namespace alignsim
