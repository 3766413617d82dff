#include "tools/cli/commands.hpp"

#include <algorithm>
#include <boost/program_options.hpp>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <map>
#include <optional>
#include <sstream>

#include <fcntl.h>  // renameat2, RENAME_EXCHANGE (glibc >= 2.28)
#include <stdio.h>
#include <unistd.h>

#include "sim/atomic_file.hpp"
#include "sim/bundled.hpp"
#include "sim/build_info.hpp"
#include "sim/error.hpp"
#include "sim/expectation.hpp"
#include "sim/model_registry.hpp"
#include "sim/scenario_loader.hpp"
#include "tools/cli/vocabulary.hpp"
#include "tools/cli/report_run.hpp"

namespace po = boost::program_options;

namespace alignsim::cli {

namespace {

struct Parsed {
  po::variables_map vm;
  bool help = false;
};

// Parses one subcommand's options; a malformed command line is a UsageError (exit 2).
Parsed parse(const std::string& command, const Args& args, po::options_description& opts,
             const po::positional_options_description& pos) {
  opts.add_options()("help,h", "show this help");
  Parsed p;
  try {
    po::store(po::command_line_parser(args).options(opts).positional(pos).run(), p.vm);
    p.help = p.vm.count("help") > 0;
    if (!p.help) po::notify(p.vm);
  } catch (const po::required_option& e) {
    // The scenario is positional: name it as the usage line does, not as '--scenario'.
    if (e.get_option_name() == "--scenario")
      throw UsageError("missing the scenario file: alignsim " + command + " SCENARIO [options] (see alignsim " +
                       command + " --help)");
    throw UsageError(std::string(e.what()) + " (see alignsim " + command + " --help)");
  } catch (const po::error& e) {
    throw UsageError(std::string(e.what()) + " (see alignsim " + command + " --help)");
  }
  return p;
}

std::string fixed(double v, int digits = 3) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << v;
  return s.str();
}

std::string seed_help() { return "random seed (default: the scenario's seed)"; }

// Runs one scenario to its end, recording the labels of every tick into `labels` if given.
std::unique_ptr<Engine> run_to_end(const Scenario& s, std::uint64_t seed, bool record,
                                   LabelHistory* labels = nullptr) {
  RunOptions o;
  o.seed = seed;
  o.record = record;
  auto engine = std::make_unique<Engine>(s, model_registry(), o);
  while (!engine->done()) {
    engine->step();
    if (labels) labels->record(s, *engine);
  }
  return engine;
}

double feature(const StateOutcome& o, const std::string& name) {
  for (const auto& [k, v] : o.features)
    if (k == name) return v;
  return 0.0;
}

void print_table(const Scenario& s, const Engine& run, std::ostream& out) {
  const ModelSchema& schema = schema_of_model(s);
  out << "scenario " << s.name << ", seed " << run.seed() << ", " << run.tick() << " ticks; "
      << outcome_title(schema, s) << ":\n\n";
  // The model's features, in its order (the first six: the ones its labels are read from).
  const auto outcomes = run.model().classify();
  std::vector<std::string> shown;
  if (!outcomes.empty())
    for (const auto& [k, v] : outcomes.front().features)
      if (shown.size() < 6) shown.push_back(k);
  std::size_t width = 14;  // the state column: wide enough for every name
  for (const auto& o : outcomes) width = std::max(width, s.state_names[o.state].size() + 2);
  const int w = static_cast<int>(width);
  out << std::left << std::setw(w) << "state" << std::setw(20) << "label";
  for (const QualifierSpec& q : schema.qualifiers) out << std::setw(10) << q.name;
  out << std::right;
  for (const auto& k : shown) out << std::setw(std::max<int>(10, static_cast<int>(k.size()) + 2)) << k;
  out << '\n';
  for (const auto& o : outcomes) {
    out << std::left << std::setw(w) << s.state_names[o.state] << std::setw(20) << o.label;
    for (const auto& q : o.qualifiers) out << std::setw(10) << q.second;
    out << std::right;
    for (const auto& k : shown)
      out << std::setw(std::max<int>(10, static_cast<int>(k.size()) + 2)) << fixed(feature(o, k), 2);
    out << '\n';
  }
}

// --seed as a scenario's `seed:` is read: digits only (boost would wrap -1 to 2^64 - 1),
// at most kMaxSeed.
std::uint64_t seed_option(const po::variables_map& vm, const Scenario& s) {
  if (!vm.count("seed")) return s.seed;
  const std::string text = vm["seed"].as<std::string>();
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
      errno != 0 || v > kMaxSeed)
    throw UsageError("--seed must be a whole number in [0, 9007199254740991] (2^53 - 1), got '" + text + "'");
  return v;
}

// Writes `files` (name -> content) as the folder `dir`, all or nothing: into a temporary
// folder beside it, then renamed into place, so a failure (disk full, a file size limit)
// leaves no folder a reader would take for a run. An existing `dir` is replaced only if it
// holds nothing but a run's files.
void write_folder_atomically(const std::filesystem::path& dir_in,
                             const std::vector<std::pair<std::string, std::string>>& files) {
  namespace fs = std::filesystem;
  fs::path dir = dir_in.lexically_normal();
  if (dir.filename().empty()) dir = dir.parent_path();  // "runs/asean/"
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) throw UsageError("--out '" + dir.string() + "' is not a folder; choose a new or empty folder");
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      const std::string name = entry.path().filename().string();
      const bool ours = std::any_of(files.begin(), files.end(), [&](const auto& f) { return f.first == name; });
      if (!ours || !entry.is_regular_file())
        throw UsageError("--out '" + dir.string() + "' holds '" + name +
                         "', which is not a file of a run; choose a new or empty folder, or remove it");
    }
  }
  const fs::path parent = dir.has_parent_path() ? dir.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  if (ec) throw RuntimeError("cannot create '" + parent.string() + "': " + ec.message());
  const fs::path tmp = parent / ("." + dir.filename().string() + ".tmp." + std::to_string(::getpid()));
  fs::remove_all(tmp, ec);
  fs::create_directory(tmp, ec);
  if (ec) throw RuntimeError("cannot create '" + tmp.string() + "': " + ec.message());
  try {
    for (const auto& [name, content] : files) write_file_atomically((tmp / name).string(), content);
    if (fs::exists(dir)) {
      // Swap the two folders in one step where the file system can; else old aside, new in.
      if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE) != 0) {
        const fs::path old = parent / ("." + dir.filename().string() + ".old." + std::to_string(::getpid()));
        fs::rename(dir, old);
        fs::rename(tmp, dir);
        fs::remove_all(old, ec);
      }
    } else {
      fs::rename(tmp, dir);
    }
  } catch (const fs::filesystem_error& e) {
    fs::remove_all(tmp, ec);
    throw RuntimeError("cannot write the run folder '" + dir.string() + "': " + e.code().message());
  } catch (...) {
    fs::remove_all(tmp, ec);
    throw;
  }
  fs::remove_all(tmp, ec);  // after a swap: the previous run
}

}  // namespace

Scenario load_scenario(const std::string& path) {
  // A relative path that does not exist here may name a bundled scenario, so `asean_2016.yaml`
  // and `scenarios/asean_2016.yaml` work from any folder, installed too (sim/bundled.hpp).
  return load_scenario_file(find_scenario(path), model_registry());
}

std::optional<std::string> range_error(const Scenario& s, const ParamRef& ref, double value) {
  const KeySpec* spec = spec_of(schema_of_model(s), ref);
  if (!spec || (value >= spec->min && value <= spec->max)) return std::nullopt;
  return "must be in [" + format_number(spec->min) + ", " + format_number(spec->max) + "]";
}

void apply_overrides(Scenario& s, const std::vector<std::string>& sets) {
  std::vector<Diagnostic> problems;
  for (const std::string& set : sets) {
    const auto eq = set.find('=');
    Diagnostic d;
    d.pos.file = "--set";
    d.path = set.substr(0, eq);
    if (eq == std::string::npos) {
      d.path = set;
      d.message = "expected PATH=VALUE, e.g. --set params.foresight=0.5";
      problems.push_back(d);
      continue;
    }
    std::string error;
    const auto ref = resolve_path(s, d.path, &error);
    const std::string text = set.substr(eq + 1);
    const std::optional<double> parsed = parse_decimal(text);
    const double value = parsed.value_or(0.0);
    if (!ref) {
      d.message = error;
    } else if (!parsed) {
      d.message = "expected a decimal number, got '" + text + "'";
    } else if (const auto range = range_error(s, *ref, value)) {
      d.message = *range + ", got " + text;
    } else {
      for (const ParamRef& r : setting_targets(schema_of_model(s), *ref)) apply_op(s, r, EventOp::set, value);
      continue;
    }
    problems.push_back(d);
  }
  if (!problems.empty()) throw InputError(problems);
}

std::string summary_json(const Scenario& s, const Engine& run) {
  nlohmann::ordered_json j;
  j["scenario"] = s.name;
  j["seed"] = run.seed();
  const BuildInfo& build = build_info();
  j["alignsim"] = {{"version", build.version},
                   {"commit", build.commit},
                   {"dirty", build.dirty ? nlohmann::ordered_json(*build.dirty) : nlohmann::ordered_json(nullptr)}};
  j["ticks"] = run.tick();
  for (const AgentRefSpec& ref : schema_of_model(s).agent_refs) j[ref.key] = s.state_names[s.agents.at(ref.key)];
  j["states"] = nlohmann::ordered_json::array();
  for (const auto& o : run.model().classify()) {
    nlohmann::ordered_json st;
    st["name"] = s.state_names[o.state];
    st["label"] = o.label;
    for (const auto& [name, value] : o.qualifiers) st[name] = value;
    st["reason"] = o.reason;
    st["features"] = nlohmann::ordered_json::object();
    for (const auto& [k, v] : o.features) st["features"][k] = v;
    j["states"].push_back(st);
  }
  j["events"] = nlohmann::ordered_json::array();
  for (const auto& [tick, name] : run.applied_events())
    j["events"].push_back({{"tick", tick}, {"name", name}});
  return j.dump(2) + "\n";
}

int run_command(const Args& args, std::ostream& out, std::ostream&) {
  po::options_description opts(
      "usage: alignsim run SCENARIO [options]\n\n"
      "Runs a scenario and prints the label the model gives each state (for the alignment\n"
      "model: each small state's strategy towards the focal power, its motive and the\n"
      "features behind it; for the landscape model: each state's side).\n\noptions");
  std::vector<std::string> sets;
  opts.add_options()("scenario", po::value<std::string>()->required(), "scenario YAML file")(
      "seed", po::value<std::string>(), seed_help().c_str())(
      "ticks", po::value<int>(), "number of ticks (default: the scenario's)")(
      "set", po::value<std::vector<std::string>>(&sets)->composing(),
      "override PATH=VALUE before the run, e.g. states.cambodia.dependence_aversion=2 (repeatable)")(
      "out", po::value<std::string>(), "write timeseries.csv, summary.json, scenario.resolved.yaml, labels.csv and explain.json to DIR")(
      "json", "print the result as one JSON object instead of a table");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  const Parsed p = parse("run", args, opts, pos);
  if (p.help) {
    out << opts << '\n';
    return 0;
  }
  Scenario s = load_scenario(p.vm["scenario"].as<std::string>());
  apply_overrides(s, sets);
  if (p.vm.count("ticks")) {
    const int ticks = p.vm["ticks"].as<int>();
    if (ticks < 1) throw UsageError("--ticks must be at least 1, got " + std::to_string(ticks));
    shorten(s, ticks);
  }
  const bool write = p.vm.count("out") > 0;
  // The seed the run uses is the scenario's, so scenario.resolved.yaml reruns this very run.
  s.seed = seed_option(p.vm, s);
  LabelHistory labels(schema_of_model(s));
  const auto run = run_to_end(s, s.seed, write, write ? &labels : nullptr);
  if (write) {
    // Past `ulimit -f` a write fails (and the folder is not written) instead of killing us.
    std::signal(SIGXFSZ, SIG_IGN);
    std::ostringstream csv, yaml;
    write_timeseries_csv(run->recording(), s.state_names, csv);
    write_resolved_yaml(s, schema_of_model(s), yaml);
    write_folder_atomically(p.vm["out"].as<std::string>(),
                            {{"timeseries.csv", csv.str()},
                             {"summary.json", summary_json(s, *run)},
                             {"scenario.resolved.yaml", yaml.str()},
                             {"explain.json", explain_json(s, *run)},  // for alignsim report
                             {"labels.csv", labels.csv()}});
  }
  if (p.vm.count("json"))
    out << summary_json(s, *run);
  else
    print_table(s, *run, out);
  return 0;
}

int check_command(const Args& args, std::ostream& out, std::ostream&) {
  po::options_description opts(
      "usage: alignsim check SCENARIO [options]\n\n"
      "Runs the scenario's expect: block over many seeds and prints each expectation's hit\n"
      "rate. Exits 0 when every expectation holds at its stated rate, 1 when not.\n\noptions");
  std::vector<std::string> sets;
  opts.add_options()("scenario", po::value<std::string>()->required(), "scenario YAML file")(
      "seeds", po::value<int>()->default_value(20), "number of seeds (the scenario's seed, +1, +2, ...)")(
      "set", po::value<std::vector<std::string>>(&sets)->composing(), "override PATH=VALUE (repeatable)");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  const Parsed p = parse("check", args, opts, pos);
  if (p.help) {
    out << opts << '\n';
    return 0;
  }
  Scenario s = load_scenario(p.vm["scenario"].as<std::string>());
  apply_overrides(s, sets);
  const int seeds = p.vm["seeds"].as<int>();
  if (seeds < 1) throw UsageError("--seeds must be at least 1, got " + std::to_string(seeds));
  const auto& labels = s.expect.labels;
  const auto& facts = s.expect.facts;
  if (labels.empty() && facts.empty()) {
    out << s.name << ": no expect: block, nothing to check\n";
    return 0;
  }
  std::vector<int> label_hits(labels.size()), fact_hits(facts.size());
  for (int k = 0; k < seeds; ++k) {
    const auto run = run_to_end(s, s.seed + static_cast<std::uint64_t>(k), !facts.empty());
    const auto outcomes = run->model().classify();
    for (std::size_t e = 0; e < labels.size(); ++e) label_hits[e] += label_holds(labels[e], s, outcomes);
    for (std::size_t e = 0; e < facts.size(); ++e) fact_hits[e] += fact_holds(facts[e], s, *run);
  }
  bool all = true;
  int failed_labels = 0;
  out << s.name << ": " << seeds << " seeds\n\n";
  out << std::left << std::setw(60) << "expectation" << std::right << std::setw(8) << "hits"
      << std::setw(10) << "required" << "  result\n";
  auto row = [&](const std::string& what, int hits, double rate) {
    const bool ok = hits >= rate * seeds - 1e-9;
    all = all && ok;
    out << std::left << std::setw(60) << what << std::right << std::setw(8)
        << (std::to_string(hits) + "/" + std::to_string(seeds)) << std::setw(10) << fixed(rate, 2)
        << "  " << (ok ? "ok" : "FAIL") << '\n';
  };
  for (std::size_t e = 0; e < labels.size(); ++e) {
    row(describe(labels[e]), label_hits[e], labels[e].rate);
    failed_labels += label_hits[e] < labels[e].rate * seeds - 1e-9;
  }
  for (std::size_t e = 0; e < facts.size(); ++e) row(describe(facts[e]), fact_hits[e], facts[e].rate);
  out << '\n';
  if (failed_labels > 0)
    out << failed_labels << " of " << labels.size() << " label expectations do not hold (states misplaced)\n";
  out << (all ? "all expectations hold\n" : "some expectations do not hold\n");
  return all ? 0 : 1;
}

int validate_command(const Args& args, std::ostream& out, std::ostream&) {
  po::options_description opts(
      "usage: alignsim validate SCENARIO\n\nLoads and validates a scenario; prints every problem "
      "as file:line:col: error: ...\n\noptions");
  opts.add_options()("scenario", po::value<std::string>()->required(), "scenario YAML file");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  const Parsed p = parse("validate", args, opts, pos);
  if (p.help) {
    out << opts << '\n';
    return 0;
  }
  const Scenario s = load_scenario(p.vm["scenario"].as<std::string>());
  out << p.vm["scenario"].as<std::string>() << ": ok (" << s.size() << " states, "
      << s.events.size() << " events, " << s.ticks << " ticks, model " << s.model << ")\n";
  return 0;
}

int explain_command(const Args& args, std::ostream& out, std::ostream&) {
  po::options_description opts(
      "usage: alignsim explain SCENARIO --state NAME [options]\n\n"
      "Runs the scenario to a tick and shows what drives one state's choice, and the reasons\n"
      "behind its label: for the alignment model its utility decomposition (economy, threat,\n"
      "disputes, costs, dependence); for the landscape model its frustration by partner and\n"
      "factor.\n\noptions");
  std::vector<std::string> sets;
  opts.add_options()("scenario", po::value<std::string>()->required(), "scenario YAML file")(
      "state", po::value<std::string>()->required(), "the state to explain")(
      "tick", po::value<int>(), "explain after this many ticks (default: the end)")(
      "seed", po::value<std::string>(), seed_help().c_str())(
      "set", po::value<std::vector<std::string>>(&sets)->composing(), "override PATH=VALUE (repeatable)");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  const Parsed p = parse("explain", args, opts, pos);
  if (p.help) {
    out << opts << '\n';
    return 0;
  }
  Scenario s = load_scenario(p.vm["scenario"].as<std::string>());
  apply_overrides(s, sets);
  const std::string name = p.vm["state"].as<std::string>();
  const auto state = s.find_state(name);
  if (!state)
    throw UsageError("--state: unknown state '" + name + "'" + did_you_mean(name, s.state_names));
  int ticks = s.ticks;
  if (p.vm.count("tick")) {
    ticks = p.vm["tick"].as<int>();
    if (ticks < 1 || ticks > s.ticks)
      throw UsageError("--tick must be in [1, " + std::to_string(s.ticks) + "], got " + std::to_string(ticks));
  }
  RunOptions o;
  o.seed = seed_option(p.vm, s);
  o.record = false;
  Engine run(s, model_registry(), o);
  while (run.tick() < ticks) run.step();
  const Explanation e = run.model().explain(*state);
  out << name << " after " << ticks << " ticks (seed " << o.seed << ")\n\n" << e.title << ":\n";
  for (const auto& [term, v] : e.terms) out << "  " << std::left << std::setw(20) << term << std::right << std::setw(10) << fixed(v, 4) << '\n';
  std::size_t width = 12;  // a partner column: wide enough for every partner's name
  for (const auto& name : e.partner_columns) width = std::max(width, name.size() + 1);
  const int w = static_cast<int>(width);
  out << "\nby partner:\n  " << std::left << std::setw(27) << "";
  for (std::size_t j = 0; j < e.partner_columns.size(); ++j)
    if (j != *state) out << std::right << std::setw(w) << e.partner_columns[j];
  out << '\n';
  for (const auto& [term, values] : e.by_partner) {
    out << "  " << std::left << std::setw(27) << term;
    for (std::size_t j = 0; j < values.size(); ++j)
      if (j != *state) out << std::right << std::setw(w) << fixed(values[j], 4);
    out << '\n';
  }
  out << "\nwhy:\n";
  for (const auto& o2 : run.model().classify())
    if (o2.state == *state) {
      out << "  label " << o2.label;
      for (const auto& [q, value] : o2.qualifiers) out << " (" << q << " " << value << ")";
      out << ": " << o2.reason << '\n';
    }
  for (const auto& r : e.reasons) out << "  " << r << '\n';
  return 0;
}

int equilibria_command(const Args& args, std::ostream& out, std::ostream&) {
  po::options_description opts(
      "usage: alignsim equilibria SCENARIO [options]\n\n"
      "Lists every equilibrium of the scenario's model, for models that can enumerate them (the\n"
      "landscape model: every local minimum of the energy, by exhaustive search), with its basin\n"
      "of attraction (the share of random starts whose dynamics end there), and compares them\n"
      "with where runs of the scenario itself end over --seeds seeds.\n\noptions");
  std::vector<std::string> sets;
  opts.add_options()("scenario", po::value<std::string>()->required(), "scenario YAML file")(
      "starts", po::value<int>()->default_value(10000), "random starts for the basins")(
      "seeds", po::value<int>()->default_value(20), "runs of the scenario to compare (the scenario's seed, +1, ...)")(
      "set", po::value<std::vector<std::string>>(&sets)->composing(), "override PATH=VALUE (repeatable)");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  const Parsed p = parse("equilibria", args, opts, pos);
  if (p.help) {
    out << opts << '\n';
    return 0;
  }
  Scenario s = load_scenario(p.vm["scenario"].as<std::string>());
  apply_overrides(s, sets);
  const int starts = p.vm["starts"].as<int>(), seeds = p.vm["seeds"].as<int>();
  if (starts < 1) throw UsageError("--starts must be at least 1, got " + std::to_string(starts));
  if (seeds < 0) throw UsageError("--seeds must be at least 0, got " + std::to_string(seeds));
  Engine start(s, model_registry(), RunOptions{s.seed, 0, false});
  const std::optional<Equilibria> eq = start.model().equilibria(s.seed, starts);
  if (!eq)
    throw UsageError("model '" + s.model + "' cannot enumerate its equilibria (for this scenario)");
  // Where the scenario's own runs end: the labels of every state at the last tick.
  std::vector<int> ended(eq->items.size(), 0);
  int elsewhere = 0;
  for (int k = 0; k < seeds; ++k) {
    const auto run = run_to_end(s, s.seed + static_cast<std::uint64_t>(k), false);
    std::vector<std::string> labels(s.size());
    for (const auto& o : run->model().classify()) labels[o.state] = o.label;
    std::size_t m = 0;
    while (m < eq->items.size() && eq->items[m].labels != labels) ++m;
    if (m < eq->items.size()) ++ended[m]; else ++elsewhere;
  }
  out << s.name << ": " << eq->items.size() << " equilibria (" << eq->method << ")\n\n";
  for (std::size_t m = 0; m < eq->items.size(); ++m) {
    const Equilibrium& e = eq->items[m];
    out << "equilibrium " << m + 1 << ": " << eq->value_name << " " << fixed(e.value, 6) << ", basin "
        << fixed(100 * e.basin, 1) << "% of starts, " << ended[m] << "/" << seeds << " runs end here\n";
    std::map<std::string, std::vector<std::string>> by_label;
    for (std::size_t i = 0; i < s.size(); ++i) by_label[e.labels[i]].push_back(s.state_names[i]);
    for (const auto& [label, names] : by_label) {
      out << "  " << std::left << std::setw(20) << label << std::right;
      for (std::size_t k = 0; k < names.size(); ++k) out << (k ? ", " : "") << names[k];
      out << '\n';
    }
    // Against the scenario's expect: block, where it names one label per state.
    int misplaced = 0, expected = 0;
    std::string names;
    for (const LabelExpectation& x : s.expect.labels) {
      const auto i = s.find_state(x.state);
      if (!i || x.labels.size() != 1 || x.negated) continue;
      ++expected;
      if (e.labels[*i] != x.labels.front()) {
        ++misplaced;
        names += (names.empty() ? "" : ", ") + x.state;
      }
    }
    if (expected > 0)
      out << "  against expect: " << misplaced << " of " << expected << " misplaced" << (names.empty() ? "" : " (" + names + ")") << '\n';
    out << '\n';
  }
  if (eq->elsewhere > 0) out << "starts that ended elsewhere: " << fixed(100 * eq->elsewhere, 2) << "%\n";
  if (elsewhere > 0) out << "runs that did not end at an equilibrium (too few ticks to settle?): " << elsewhere << "/" << seeds << '\n';
  return 0;
}

int models_command(const Args& args, std::ostream& out, std::ostream&) {
  po::options_description opts("usage: alignsim models\n\nLists the registered models.\n\noptions");
  const Parsed p = parse("models", args, opts, {});
  if (p.help) {
    out << opts << '\n';
    return 0;
  }
  for (const auto& m : model_registry().all()) out << m.name << "  " << m.description << '\n';
  return 0;
}

}  // namespace alignsim::cli
