#include "tools/cli/report_run.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "sim/error.hpp"
#include "sim/key_spec.hpp"
#include "sim/model_registry.hpp"
#include "sim/scenario_loader.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/report_input.hpp"
#include "tools/cli/vocabulary.hpp"
#include "tools/cli/web_assets.hpp"

namespace alignsim::cli {

namespace fs = std::filesystem;

namespace {


// The largest tick a report reads from timeseries.csv or labels.csv (ticks are ints).
constexpr long long kMaxTick = 1000000000;

// Six significant digits are plenty for a plot and keep the report small; the CSV keeps full precision.
double for_display(double v) {
  if (!std::isfinite(v)) return v;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return std::strtod(buf, nullptr);
}

const nlohmann::json& member(const nlohmann::json& j, const std::string& key, const std::string& path,
                             const std::string& where) {
  if (!j.is_object() || !j.contains(key)) fail_in_file(path, 0, 0, where + "missing key '" + key + "'");
  return j[key];
}

std::string text_member(const nlohmann::json& j, const std::string& key, const std::string& path,
                        const std::string& where) {
  const auto& v = member(j, key, path, where);
  if (!v.is_string()) fail_in_file(path, 0, 0, where + "'" + key + "' must be a string");
  return v.get<std::string>();
}

std::string require_file(const fs::path& dir, const char* name) {
  const fs::path p = dir / name;
  if (!fs::is_regular_file(p))
    throw UsageError("'" + dir.string() + "' has no " + name +
                     "; a run directory written by `alignsim run SCENARIO --out DIR` has "
                     "timeseries.csv, summary.json and scenario.resolved.yaml");
  return p.string();
}

}  // namespace

nlohmann::ordered_json report_palette() {
  const WebAsset* a = find_web_asset("palette.json");
  if (!a) throw RuntimeError("palette.json is missing from the embedded web files");
  nlohmann::ordered_json p = nlohmann::ordered_json::parse(a->data);
  p.erase("_comment");
  return p;
}

std::string explain_json(const Scenario& s, const Engine& run) {
  nlohmann::ordered_json j;
  j["scenario"] = s.name;
  j["seed"] = run.seed();
  j["ticks"] = run.tick();
  j["units"] = schema_of_model(s).explain_units;
  j["states"] = nlohmann::ordered_json::array();
  for (const auto& o : run.model().classify()) {
    const Explanation e = run.model().explain(o.state);
    nlohmann::ordered_json st;
    st["name"] = s.state_names[o.state];
    st["terms"] = nlohmann::ordered_json::object();
    for (const auto& [term, v] : e.terms) st["terms"][term] = v;
    st["by_partner"] = nlohmann::ordered_json::object();
    for (const auto& [term, values] : e.by_partner) {
      nlohmann::ordered_json row = nlohmann::ordered_json::object();
      for (std::size_t k = 0; k < values.size() && k < e.partner_columns.size(); ++k)
        if (k != o.state) row[e.partner_columns[k]] = values[k];
      st["by_partner"][term] = row;
    }
    st["reasons"] = e.reasons;
    j["states"].push_back(st);
  }
  return j.dump(2) + "\n";
}

LabelHistory::LabelHistory(const ModelSchema& schema) : csv_("tick,state,label") {
  for (const QualifierSpec& q : schema.qualifiers) csv_ += "," + q.name;
  csv_ += "\n";
}

void LabelHistory::record(const Scenario& s, const Engine& run) {
  // The recording stores tick t's observables after the step that ends at clock t + 1.
  const std::string tick = std::to_string(run.tick() - 1);
  for (const auto& o : run.model().classify()) {
    csv_ += tick + "," + s.state_names[o.state] + "," + o.label;
    for (const auto& q : o.qualifiers) csv_ += "," + q.second;
    csv_ += "\n";
  }
}

bool looks_like_run_dir(const std::string& dir) {
  for (const char* f : {"timeseries.csv", "summary.json", "scenario.resolved.yaml"})
    if (fs::exists(fs::path(dir) / f)) return true;
  return false;
}

nlohmann::ordered_json run_report_data(const std::string& dir_text) {
  const fs::path dir = dir_text;
  const std::string ts_path = require_file(dir, "timeseries.csv");
  const std::string summary_path = require_file(dir, "summary.json");
  const std::string yaml_path = require_file(dir, "scenario.resolved.yaml");

  const Scenario s = load_scenario(yaml_path);
  const ModelSchema& schema = schema_of_model(s);
  const nlohmann::json summary = read_json_file(summary_path);

  nlohmann::ordered_json d;
  d["kind"] = "run";
  nlohmann::ordered_json sc;
  sc["name"] = text_member(summary, "scenario", summary_path, "");
  sc["description"] = s.description;
  sc["model"] = s.model;
  const auto& seed = member(summary, "seed", summary_path, "");
  const auto& ticks = member(summary, "ticks", summary_path, "");
  if (!seed.is_number_unsigned() || !ticks.is_number_integer())
    fail_in_file(summary_path, 0, 0, "'seed' and 'ticks' must be non-negative integers");
  sc["seed"] = seed.get<std::uint64_t>();
  sc["ticks"] = ticks.get<int>();
  // The named agents (e.g. the focal power), as summary.json has them.
  for (const AgentRefSpec& ref : schema.agent_refs) sc[ref.key] = text_member(summary, ref.key, summary_path, "");
  const auto window = s.classifier.find("window");
  sc["window"] = window == s.classifier.end() ? 0 : static_cast<int>(window->second);
  sc["time"] = s.time.start.empty() ? nlohmann::ordered_json()
                                    : nlohmann::ordered_json{{"start", s.time.start}, {"tick", s.time.tick}};
  d["scenario"] = sc;
  d["palette"] = report_palette();
  d["schema"] = schema_json(s);

  d["states"] = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < s.size(); ++i) d["states"].push_back(agent_json(schema, s, i));
  d["labels"] = schema.labels;
  d["units"] = nlohmann::ordered_json::object();
  for (const auto& k : schema.policy_keys) d["units"][k.key] = k.unit;

  // Outcomes: every labelled state of summary.json (`name` there, `state` here as in every
  // outcome alignsim shows), with the fields the label table shows.
  const auto& states = member(summary, "states", summary_path, "");
  if (!states.is_array()) fail_in_file(summary_path, 0, 0, "'states' must be an array");
  d["outcomes"] = nlohmann::ordered_json::array();
  for (std::size_t k = 0; k < states.size(); ++k) {
    const std::string where = "states[" + std::to_string(k) + "]: ";
    nlohmann::ordered_json o;
    o["state"] = text_member(states[k], "name", summary_path, where);
    o["label"] = text_member(states[k], "label", summary_path, where);
    for (const QualifierSpec& q : schema.qualifiers) o[q.name] = text_member(states[k], q.name, summary_path, where);
    o["reason"] = text_member(states[k], "reason", summary_path, where);
    if (!s.find_state(o["state"].get<std::string>()))
      fail_in_file(summary_path, 0, 0, where + "state '" + o["state"].get<std::string>() + "' is not in scenario.resolved.yaml");
    o["features"] = nlohmann::ordered_json::object();
    if (states[k].contains("features") && states[k]["features"].is_object())
      for (const auto& [f, v] : states[k]["features"].items())
        if (v.is_number()) o["features"][f] = for_display(v.get<double>());
    d["outcomes"].push_back(o);
  }
  d["events"] = nlohmann::ordered_json::array();
  if (summary.contains("events") && summary["events"].is_array())
    for (const auto& e : summary["events"])
      if (e.is_object() && e.contains("tick") && e.contains("name")) {
        // The label and description people read come from the scenario's event of that name.
        nlohmann::ordered_json ev = {{"tick", e["tick"]}, {"name", e["name"]}, {"label", e["name"]}, {"description", ""}};
        for (const Event& se : s.events)
          if (e["name"].is_string() && se.name == e["name"].get<std::string>()) {
            if (!se.label.empty()) ev["label"] = se.label;
            ev["description"] = se.description;
          }
        d["events"].push_back(ev);
      }

  // Trajectories, one series per (state, partner, quantity), aligned on the sorted ticks.
  const CsvTable ts = CsvTable::read(ts_path);
  const std::size_t c_tick = ts.column("tick"), c_state = ts.column("state"),
                    c_partner = ts.column("partner"), c_quantity = ts.column("quantity"),
                    c_value = ts.column("value");
  std::map<int, std::size_t> tick_index;
  std::vector<int> tick_of_row(ts.rows());
  for (std::size_t r = 0; r < ts.rows(); ++r) {
    const double t = ts.number(r, c_tick);
    if (!(t >= 0) || t != std::floor(t) || t > kMaxTick)
      ts.fail_at(r, c_tick, "column 'tick': expected a tick number >= 0, got '" + ts.cell(r, c_tick) + "'");
    tick_of_row[r] = static_cast<int>(t);
    tick_index.emplace(tick_of_row[r], 0);
  }
  std::vector<int> tick_values;
  for (auto& [t, idx] : tick_index) {
    idx = tick_values.size();
    tick_values.push_back(t);
  }
  // What a run report plots (docs/reports.md): the dyadic quantities each kind of agent chooses
  // towards the other kinds (the schema's kinds.chosen); with no kinds, every per-agent
  // quantity; and the model-level quantities (scalars), one curve each.
  const bool by_kind = !schema.kinds.chosen.empty();
  auto wanted = [&](std::size_t from, std::size_t to, const std::string& q) {
    if (!by_kind) return true;
    if (s.kinds[from] == s.kinds[to]) return false;
    const auto& list = schema.kinds.chosen.at(s.kinds[from]);
    return std::find(list.begin(), list.end(), q) != list.end();
  };
  const auto is_scalar = [&](const std::string& q) {
    return std::find(schema.scalars.begin(), schema.scalars.end(), q) != schema.scalars.end();
  };
  std::vector<std::string> known = schema.quantities;
  known.insert(known.end(), schema.scalars.begin(), schema.scalars.end());
  constexpr std::size_t kMonadic = static_cast<std::size_t>(-1);  // the partner of a monadic series
  std::map<std::tuple<std::size_t, std::size_t, std::string>, std::vector<double>> series;
  std::map<std::string, std::vector<double>> scalars;
  for (std::size_t r = 0; r < ts.rows(); ++r) {
    const std::string& q = ts.cell(r, c_quantity);
    if (std::find(known.begin(), known.end(), q) == known.end())
      ts.fail_at(r, c_quantity, "unknown quantity '" + q + "'" + did_you_mean(q, known));
    const double v = ts.number(r, c_value);
    if (is_scalar(q)) {
      auto& values = scalars[q];
      if (values.empty()) values.assign(tick_values.size(), std::nan(""));
      values[tick_index[tick_of_row[r]]] = for_display(v);
      continue;
    }
    const auto from = s.find_state(ts.cell(r, c_state));
    if (!from) ts.fail_at(r, c_state, "unknown state '" + ts.cell(r, c_state) + "' (not in scenario.resolved.yaml)");
    std::size_t to = kMonadic;
    if (!ts.cell(r, c_partner).empty()) {
      const auto partner = s.find_state(ts.cell(r, c_partner));
      if (!partner) ts.fail_at(r, c_partner, "unknown state '" + ts.cell(r, c_partner) + "' (not in scenario.resolved.yaml)");
      if (!wanted(*from, *partner, q)) continue;
      to = *partner;
    } else if (by_kind) {
      continue;  // a model with kinds: the report plots what the kinds choose towards each other
    }
    auto& values = series[{*from, to, q}];
    if (values.empty()) values.assign(tick_values.size(), std::nan(""));
    values[tick_index[tick_of_row[r]]] = for_display(v);
  }
  if (series.empty() && scalars.empty())
    fail_in_file(ts_path, 0, 0, "no rows of the quantities a report plots; is it a timeseries.csv written by `alignsim run --out`?");
  const auto values_json = [](const std::vector<double>& values) {
    nlohmann::ordered_json v = nlohmann::ordered_json::array();
    for (double x : values) v.push_back(std::isfinite(x) ? nlohmann::ordered_json(x) : nlohmann::ordered_json());
    return v;
  };
  d["ticks"] = tick_values;
  // One series per (state, partner, quantity); a monadic series has no partner.
  d["series"] = nlohmann::ordered_json::array();
  for (const auto& [key, values] : series) {
    nlohmann::ordered_json one = {{"state", s.state_names[std::get<0>(key)]}};
    if (std::get<1>(key) != kMonadic) one["partner"] = s.state_names[std::get<1>(key)];
    one["quantity"] = std::get<2>(key);
    one["values"] = values_json(values);
    d["series"].push_back(std::move(one));
  }
  d["scalars"] = nlohmann::ordered_json::array();
  for (const std::string& q : schema.scalars)
    if (scalars.count(q)) d["scalars"].push_back({{"quantity", q}, {"values", values_json(scalars.at(q))}});

  // Optional extras written by newer `alignsim run --out`.
  d["explain"] = nullptr;
  if (fs::exists(dir / "explain.json")) {
    const std::string p = (dir / "explain.json").string();
    const nlohmann::json e = read_json_file(p);
    const auto& es = member(e, "states", p, "");
    if (!es.is_array()) fail_in_file(p, 0, 0, "'states' must be an array");
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (std::size_t k = 0; k < es.size(); ++k) {
      const std::string where = "states[" + std::to_string(k) + "]: ";
      nlohmann::ordered_json st;
      st["state"] = text_member(es[k], "name", p, where);
      const auto& terms = member(es[k], "terms", p, where);
      if (!terms.is_object()) fail_in_file(p, 0, 0, where + "'terms' must be an object");
      st["terms"] = nlohmann::ordered_json::object();
      for (const auto& [t, v] : terms.items())
        if (v.is_number()) st["terms"][t] = for_display(v.get<double>());
      st["by_partner"] = nlohmann::ordered_json::object();
      if (es[k].contains("by_partner") && es[k]["by_partner"].is_object())
        for (const auto& [t, row] : es[k]["by_partner"].items()) {
          st["by_partner"][t] = nlohmann::ordered_json::object();
          if (row.is_object())
            for (const auto& [partner, v] : row.items())
              if (v.is_number()) st["by_partner"][t][partner] = for_display(v.get<double>());
        }
      st["reasons"] = nlohmann::ordered_json::array();
      if (es[k].contains("reasons") && es[k]["reasons"].is_array())
        for (const auto& r : es[k]["reasons"])
          if (r.is_string()) st["reasons"].push_back(r.get<std::string>());
      out.push_back(st);
    }
    std::string units = "utility per tick";
    if (e.contains("units")) {
      if (!e["units"].is_string()) fail_in_file(p, 0, 0, "'units' must be a string");
      units = e["units"].get<std::string>();
    }
    d["explain"] = {{"units", units}, {"states", out}};
  }
  d["label_history"] = nullptr;
  if (fs::exists(dir / "labels.csv")) {
    const CsvTable lt = CsvTable::read((dir / "labels.csv").string());
    const std::size_t c_t = lt.column("tick"), c_s = lt.column("state"), c_l = lt.column("label");
    std::map<std::string, std::vector<std::pair<int, std::string>>> by_state;
    for (std::size_t r = 0; r < lt.rows(); ++r) {
      // A whole number in range, never a double cast to int (a tick of 1e300 is undefined).
      const int t = static_cast<int>(lt.integer(r, c_t, 0, kMaxTick));
      if (!s.find_state(lt.cell(r, c_s))) lt.fail_at(r, c_s, "unknown state '" + lt.cell(r, c_s) + "'");
      const std::string& label = lt.cell(r, c_l);
      if (std::find(schema.labels.begin(), schema.labels.end(), label) == schema.labels.end())
        lt.fail_at(r, c_l, "unknown label '" + label + "'" + did_you_mean(label, schema.labels));
      by_state[lt.cell(r, c_s)].emplace_back(static_cast<int>(t), label);
    }
    nlohmann::ordered_json h = nlohmann::ordered_json::object();
    for (const auto& name : s.state_names) {
      const auto it = by_state.find(name);
      if (it == by_state.end()) continue;
      nlohmann::ordered_json rows = nlohmann::ordered_json::array();
      for (const auto& [t, label] : it->second) rows.push_back(nlohmann::ordered_json::array({t, label}));
      h[name] = rows;
    }
    d["label_history"] = h;
  }
  d["resolved_yaml"] = read_file(yaml_path);
  return d;
}

}  // namespace alignsim::cli
