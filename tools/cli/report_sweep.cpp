#include "tools/cli/report_sweep.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "sim/error.hpp"
#include "sim/key_spec.hpp"
#include "sim/model_registry.hpp"
#include "sim/scenario_loader.hpp"
#include "tools/cli/report_input.hpp"
#include "tools/cli/report_run.hpp"
#include "tools/cli/vocabulary.hpp"

namespace alignsim::cli {

namespace fs = std::filesystem;

namespace {

std::string require_file(const fs::path& dir, const char* name) {
  const fs::path p = dir / name;
  if (!fs::is_regular_file(p))
    throw UsageError("'" + dir.string() + "' has no " + name +
                     "; a sweep directory written by `alignsim sweep SPEC --out DIR` has "
                     "manifest.json, points.csv and runs.csv (and sensitivity.csv for sobol designs)");
  return p.string();
}

nlohmann::ordered_json number_or_null(double v) {
  return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json();
}

// A member of the manifest, which must exist with the given JSON type.
const nlohmann::json& field(const nlohmann::json& j, const std::string& key, nlohmann::json::value_t type,
                            const std::string& path, const std::string& where = "") {
  if (!j.is_object() || !j.contains(key)) fail_in_file(path, 0, 0, "missing key '" + where + key + "'");
  const auto& v = j[key];
  const bool ok = type == nlohmann::json::value_t::number_float ? v.is_number() : v.type() == type ||
      (type == nlohmann::json::value_t::number_integer && v.is_number_integer());
  if (!ok) fail_in_file(path, 0, 0, "'" + where + key + "' has the wrong type");
  return v;
}

// A top-level `key: value` of the resolved YAML alignsim writes, unquoted; "" when absent.
std::string top_level_scalar(const std::string& yaml, const std::string& key) {
  const std::string needle = key + ": ";
  for (std::size_t k = 0; k < yaml.size();) {
    const std::size_t end = std::min(yaml.find('\n', k), yaml.size());
    if (yaml.compare(k, needle.size(), needle) == 0) {
      std::string v = yaml.substr(k + needle.size(), end - k - needle.size());
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
        std::string u;
        for (std::size_t i = 1; i + 1 < v.size(); ++i) {
          if (v[i] == '\\' && i + 2 < v.size()) {
            // YAML's escapes of a double-quoted scalar (the ones alignsim writes).
            ++i;
            u += v[i] == 'n' ? '\n' : v[i] == 't' ? '\t' : v[i];
            continue;
          }
          u += v[i];
        }
        v = u;
      }
      return v;
    }
    k = end + 1;
  }
  return "";
}

// The schema entry a sweep parameter path points at (docs/sweeps.md lists the forms), or nullptr.
const KeySpec* key_of_path(const ModelSchema& schema, const std::string& path) {
  std::vector<std::string> parts;
  for (std::size_t k = 0;;) {
    const std::size_t dot = path.find('.', k);
    parts.push_back(path.substr(k, dot == std::string::npos ? std::string::npos : dot - k));
    if (dot == std::string::npos) break;
    k = dot + 1;
  }
  if (parts.size() == 2 && parts[0] == "params") return find_key(schema.params, parts[1]);
  if (parts.size() == 2 && parts[0] == "classifier") return find_key(schema.classifier, parts[1]);
  if (parts.size() == 3 && parts[0] == "states") return find_key(schema.state_keys, parts[2]);
  if (parts.size() == 4 && parts[0] == "states") {
    const KeySpec* k = find_key(schema.relation_keys, parts[2]);
    return k ? k : find_key(schema.policy_keys, parts[2]);
  }
  if (parts.size() == 4 && parts[0] == "relations") return find_key(schema.relation_keys, parts[3]);
  return nullptr;
}

// Two-sided 95 % Student t quantile for `df` degrees of freedom (the confidence band of a mean
// over a few replications); the normal 1.96 from 30 on.
double t95(std::size_t df) {
  static constexpr double kT[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                  2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                                  2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045};
  return df == 0 ? std::nan("") : df <= 29 ? kT[df - 1] : 1.96;
}

// Running mean and variance of one output over the replications of a point (Welford).
struct Moments {
  std::size_t n = 0;
  double mean = 0.0, m2 = 0.0;
  void add(double x) {
    if (!std::isfinite(x)) return;
    ++n;
    const double d = x - mean;
    mean += d / static_cast<double>(n);
    m2 += d * (x - mean);
  }
  // Half-width of the 95 % confidence interval of the mean; NaN with fewer than two values.
  double half_width() const {
    return n < 2 ? std::nan("") : t95(n - 1) * std::sqrt(m2 / static_cast<double>(n - 1) / static_cast<double>(n));
  }
};

// What a state is called for people in the resolved YAML alignsim writes: its display_name, or "".
std::map<std::string, std::string> display_names_of(const std::string& yaml) {
  std::map<std::string, std::string> out;
  std::string current;
  for (std::size_t k = 0; k < yaml.size();) {
    const std::size_t end = std::min(yaml.find('\n', k), yaml.size());
    const std::string line = yaml.substr(k, end - k);
    if (line.rfind("  - name: ", 0) == 0) current = line.substr(10);
    else if (line.rfind("states:", 0) != 0 && !line.empty() && line[0] != ' ') current.clear();
    if (!current.empty() && line.rfind("    display_name: ", 0) == 0) {
      std::string v = top_level_scalar(line.substr(4) + "\n", "display_name");
      out[current] = v;
    }
    k = end + 1;
  }
  return out;
}

// A parameter path in words, with the scenario's display names: "US's base inducement towards
// Cambodia", "Cambodia's dependence aversion", "foresight".
std::string words_of_path(const std::string& path, const std::map<std::string, std::string>& names) {
  std::vector<std::string> parts;
  for (std::size_t k = 0;;) {
    const std::size_t dot = path.find('.', k);
    parts.push_back(path.substr(k, dot == std::string::npos ? std::string::npos : dot - k));
    if (dot == std::string::npos) break;
    k = dot + 1;
  }
  const auto name = [&](const std::string& s) {
    const auto it = names.find(s);
    return it != names.end() && !it->second.empty() ? it->second : s;
  };
  auto key = [](std::string k) {
    std::replace(k.begin(), k.end(), '_', ' ');
    return k;
  };
  if (parts.size() == 2) return key(parts[1]);
  if (parts.size() == 3 && parts[0] == "states") return name(parts[1]) + "'s " + key(parts[2]);
  if (parts.size() == 4 && parts[0] == "states") return name(parts[1]) + "'s " + key(parts[2]) + " towards " + name(parts[3]);
  if (parts.size() == 4 && parts[0] == "relations") return key(parts[3]) + " of " + name(parts[1]) + " towards " + name(parts[2]);
  return path;
}

}  // namespace

bool looks_like_sweep_dir(const std::string& dir) {
  for (const char* f : {"manifest.json", "points.csv", "runs.csv", "sensitivity.csv"})
    if (fs::exists(fs::path(dir) / f)) return true;
  return false;
}

nlohmann::ordered_json sweep_report_data(const std::string& dir_text) {
  using vt = nlohmann::json::value_t;
  const fs::path dir = dir_text;
  const std::string manifest_path = require_file(dir, "manifest.json");
  const std::string points_path = require_file(dir, "points.csv");
  const std::string runs_path = require_file(dir, "runs.csv");  // read for the confidence bands
  const nlohmann::json m = read_json_file(manifest_path);

  const auto& spec = field(m, "spec", vt::object, manifest_path);
  const std::string design = field(spec, "design", vt::string, manifest_path, "spec.").get<std::string>();
  const auto& params = field(spec, "parameters", vt::array, manifest_path, "spec.");
  const std::string status = field(m, "status", vt::string, manifest_path).get<std::string>();

  // The resolved base scenario (written by the sweep) names the scenario and its model. It is not
  // re-validated: a sweep's `ticks` may leave its expectations out of range, and the report
  // needs only these top-level scalars.
  const std::string base_text = field(m, "base_scenario", vt::string, manifest_path).get<std::string>();
  const std::string model = top_level_scalar(base_text, "model");
  const ModelInfo* model_info = model_registry().find(model.empty() ? "alignment" : model);
  if (!model_info) fail_in_file(manifest_path, 0, 0, "base_scenario: unknown model '" + model + "'");
  const ModelSchema& schema = *model_info->schema;
  std::vector<std::string> state_names;
  for (std::size_t k = 0; (k = base_text.find("\n  - name: ", k)) != std::string::npos; ++k) {
    const std::size_t from = k + 11, to = base_text.find('\n', from);
    state_names.push_back(base_text.substr(from, to == std::string::npos ? std::string::npos : to - from));
  }
  const std::map<std::string, std::string> display = display_names_of(base_text);

  nlohmann::ordered_json d;
  d["kind"] = "sweep";
  d["palette"] = report_palette();
  nlohmann::ordered_json info;
  info["scenario"] = top_level_scalar(base_text, "name");
  info["description"] = top_level_scalar(base_text, "description");
  // The named agents (e.g. the focal power), as the resolved scenario names them.
  std::map<std::string, std::string> agents;
  for (const AgentRefSpec& ref : schema.agent_refs) {
    agents[ref.key] = top_level_scalar(base_text, ref.key);
    info[ref.key] = agents[ref.key];
  }
  info["design"] = design;
  info["status"] = status;
  info["version"] = m.value("version", "");
  info["git"] = m.value("git", "");
  info["master_seed"] = m.value("master_seed", nlohmann::json());
  info["replications"] = spec.value("replications", nlohmann::json());
  info["ticks"] = spec.value("ticks", nlohmann::json(top_level_scalar(base_text, "ticks")));
  info["spec_file"] = spec.value("spec_file", "");
  info["counts"] = m.value("counts", nlohmann::json::object());
  info["timings"] = m.value("timings", nlohmann::json::object());
  info["failures"] = m.value("failures", nlohmann::json::array()).size();
  d["sweep"] = info;
  d["schema"] = schema_json(model_info->name, schema, agents);

  d["parameters"] = nlohmann::ordered_json::array();
  std::vector<std::string> paths;
  for (std::size_t k = 0; k < params.size(); ++k) {
    const std::string where = "spec.parameters[" + std::to_string(k) + "].";
    const std::string path = field(params[k], "path", vt::string, manifest_path, where).get<std::string>();
    paths.push_back(path);
    nlohmann::ordered_json p;
    p["path"] = path;
    const KeySpec* ks = key_of_path(schema, path);
    p["label"] = words_of_path(path, display);
    p["unit"] = ks ? ks->unit : "";
    p["doc"] = ks ? ks->doc : "";
    p["log"] = params[k].value("log", false);
    d["parameters"].push_back(p);
  }
  if (paths.empty()) fail_in_file(manifest_path, 0, 0, "'spec.parameters' is empty");

  const CsvTable pt = CsvTable::read(points_path);
  // Layout (docs/sweeps.md): point_id, <parameters>, state, runs, p_<label>..., modal_label, mean_<feature>...
  const std::size_t c_id = pt.column("point_id");
  std::vector<std::size_t> c_params;
  for (const auto& p : paths) c_params.push_back(pt.column(p));
  const std::size_t c_state = pt.column("state"), c_runs = pt.column("runs"), c_modal = pt.column("modal_label");
  std::vector<std::string> labels, features;
  std::vector<std::size_t> c_labels, c_features;
  for (std::size_t c = 0; c < pt.header().size(); ++c) {
    const std::string& h = pt.header()[c];
    if (h.rfind("p_", 0) == 0) {
      labels.push_back(h.substr(2));
      c_labels.push_back(c);
    } else if (h.rfind("mean_", 0) == 0) {
      features.push_back(h.substr(5));
      c_features.push_back(c);
    }
  }
  if (labels.empty()) fail_in_file(points_path, 0, 0, "no p_<label> columns in the header; is it a points.csv written by `alignsim sweep`?");
  d["labels"] = labels;
  d["features"] = features;
  std::vector<std::string> states;
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (std::size_t r = 0; r < pt.rows(); ++r) {
    const double id = pt.number(r, c_id);
    if (!(id >= 0) || id != std::floor(id)) pt.fail_at(r, c_id, "column 'point_id': expected an integer >= 0");
    const std::string& state = pt.cell(r, c_state);
    if (std::find(state_names.begin(), state_names.end(), state) == state_names.end())
      pt.fail_at(r, c_state, "unknown state '" + state + "'" + did_you_mean(state, state_names));
    if (std::find(states.begin(), states.end(), state) == states.end()) states.push_back(state);
    const std::string& modal = pt.cell(r, c_modal);
    if (!modal.empty() && std::find(labels.begin(), labels.end(), modal) == labels.end())
      pt.fail_at(r, c_modal, "unknown label '" + modal + "'" + did_you_mean(modal, labels));
    nlohmann::ordered_json row;
    row["id"] = static_cast<std::uint64_t>(id);
    row["state"] = state;
    row["runs"] = pt.number(r, c_runs);
    row["modal"] = modal;
    row["x"] = nlohmann::ordered_json::array();
    for (std::size_t c : c_params) row["x"].push_back(number_or_null(pt.number(r, c)));
    row["p"] = nlohmann::ordered_json::array();
    for (std::size_t c : c_labels) row["p"].push_back(number_or_null(pt.number(r, c)));
    row["f"] = nlohmann::ordered_json::array();
    for (std::size_t c : c_features) row["f"].push_back(number_or_null(pt.number(r, c)));
    rows.push_back(row);
  }
  if (rows.empty() && status == "complete") fail_in_file(points_path, 0, 0, "no design points, but manifest.json says the sweep is complete");
  d["states"] = states;
  nlohmann::ordered_json names = nlohmann::ordered_json::object();
  for (const auto& st : state_names) names[st] = display.count(st) && !display.at(st).empty() ? display.at(st) : st;
  d["display_names"] = names;

  // Confidence bands of the continuous outputs: the mean of each over a point's replications
  // (runs.csv, one row per run and state), with the 95 % t interval.
  std::map<std::pair<long long, std::string>, std::vector<Moments>> moments;
  std::map<long long, long long> point_of_run;
  {
    const CsvTable rt = CsvTable::read(runs_path);
    const std::size_t r_run = rt.column("run_id"), r_point = rt.column("point_id"), r_state = rt.column("state");
    std::vector<std::size_t> r_features;
    for (const auto& f : features) r_features.push_back(rt.column(f));
    for (std::size_t r = 0; r < rt.rows(); ++r) {
      const auto point = static_cast<long long>(rt.number(r, r_point));
      point_of_run[static_cast<long long>(rt.number(r, r_run))] = point;
      auto& m = moments[{point, rt.cell(r, r_state)}];
      m.resize(features.size());
      for (std::size_t k = 0; k < r_features.size(); ++k) m[k].add(rt.number(r, r_features[k]));
    }
  }
  for (auto& row : rows) {
    const auto it = moments.find({row["id"].get<long long>(), row["state"].get<std::string>()});
    row["ci"] = nlohmann::ordered_json::array();
    for (std::size_t k = 0; k < features.size(); ++k)
      row["ci"].push_back(it == moments.end() ? nlohmann::ordered_json() : number_or_null(it->second[k].half_width()));
  }

  // Outputs towards every partner, when the sweep kept time series (outputs.timeseries): each
  // run's last recorded value of every quantity towards every partner, averaged per point.
  d["partner_outputs"] = nlohmann::ordered_json::array();
  const fs::path ts = dir / "timeseries.csv";
  if (fs::exists(ts)) {
    const CsvTable tt = CsvTable::read(ts.string());
    const std::size_t t_run = tt.column("run_id"), t_tick = tt.column("tick"), t_state = tt.column("state"),
                      t_partner = tt.column("partner"), t_q = tt.column("quantity"), t_v = tt.column("value");
    std::map<long long, double> last_tick;  // run → its last recorded tick
    for (std::size_t r = 0; r < tt.rows(); ++r) {
      const auto run = static_cast<long long>(tt.number(r, t_run));
      const double tick = tt.number(r, t_tick);
      auto [it, fresh] = last_tick.emplace(run, tick);
      if (!fresh) it->second = std::max(it->second, tick);
    }
    std::vector<std::pair<std::string, std::string>> outputs;  // (quantity, partner), first-seen order
    std::map<std::pair<std::string, std::string>, std::size_t> index;
    std::map<std::pair<long long, std::string>, std::map<std::size_t, Moments>> pm;
    for (std::size_t r = 0; r < tt.rows(); ++r) {
      const std::string& partner = tt.cell(r, t_partner);
      if (partner.empty()) continue;  // monadic quantities have no partner
      const auto run = static_cast<long long>(tt.number(r, t_run));
      if (tt.number(r, t_tick) != last_tick[run]) continue;
      const std::string& state = tt.cell(r, t_state);
      if (std::find(states.begin(), states.end(), state) == states.end()) continue;
      const auto key = std::make_pair(tt.cell(r, t_q), partner);
      auto [it, fresh] = index.emplace(key, outputs.size());
      if (fresh) outputs.push_back(key);
      const auto point = point_of_run.find(run);
      if (point == point_of_run.end()) continue;
      pm[{point->second, state}][it->second].add(tt.number(r, t_v));
    }
    for (const auto& [q, partner] : outputs) d["partner_outputs"].push_back({{"quantity", q}, {"partner", partner}});
    for (auto& row : rows) {
      const auto it = pm.find({row["id"].get<long long>(), row["state"].get<std::string>()});
      row["g"] = nlohmann::ordered_json::array();
      row["gci"] = nlohmann::ordered_json::array();
      for (std::size_t k = 0; k < outputs.size(); ++k) {
        const Moments* m = nullptr;
        if (it != pm.end() && it->second.count(k)) m = &it->second.at(k);
        row["g"].push_back(m && m->n ? nlohmann::ordered_json(m->mean) : nlohmann::ordered_json());
        row["gci"].push_back(m ? number_or_null(m->half_width()) : nlohmann::ordered_json());
      }
    }
  }
  d["points"] = rows;

  d["sensitivity"] = nullptr;
  const fs::path sens = dir / "sensitivity.csv";
  if (design == "sobol" && status == "complete" && !fs::exists(sens)) require_file(dir, "sensitivity.csv");
  if (fs::exists(sens)) {
    const CsvTable st = CsvTable::read(sens.string());
    const std::size_t c_s = st.column("state"), c_o = st.column("output"), c_p = st.column("parameter"),
                      c_s1 = st.column("S1"), c_s1c = st.column("S1_conf"), c_st = st.column("ST"),
                      c_stc = st.column("ST_conf");
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (std::size_t r = 0; r < st.rows(); ++r) {
      if (std::find(paths.begin(), paths.end(), st.cell(r, c_p)) == paths.end())
        st.fail_at(r, c_p, "parameter '" + st.cell(r, c_p) + "' is not a parameter of the sweep" + did_you_mean(st.cell(r, c_p), paths));
      out.push_back({{"state", st.cell(r, c_s)},
                     {"output", st.cell(r, c_o)},
                     {"parameter", st.cell(r, c_p)},
                     {"S1", number_or_null(st.number(r, c_s1))},
                     {"S1_conf", number_or_null(st.number(r, c_s1c))},
                     {"ST", number_or_null(st.number(r, c_st))},
                     {"ST_conf", number_or_null(st.number(r, c_stc))}});
    }
    d["sensitivity"] = out;
  }
  return d;
}

}  // namespace alignsim::cli
