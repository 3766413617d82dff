#include "experiment/calibration_files.hpp"

#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "sim/atomic_file.hpp"
#include "sim/scenario_loader.hpp"

namespace alignsim {

namespace {

using Json = nlohmann::ordered_json;
using alignsim::format_number;

std::string spec_name(const CalibrationSpec& spec) {
  return std::filesystem::path(spec.file).filename().string();
}

// Four significant digits, for people (the CSV and JSON files keep full precision).
std::string short_number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", x);
  return buf;
}

std::string percent(int part, int whole) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f %%", whole ? 100.0 * part / whole : 0.0);
  return buf;
}

// A CSV cell: quoted when it holds a comma, a quote or a line break.
std::string cell(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string q = "\"";
  for (char c : text) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

const char* yes_no(bool b) { return b ? "true" : "false"; }

std::string origin(const CalibrationSample& s) {
  return s.phase == "design" ? "design point " + std::to_string(s.id)
                             : "refinement start " + std::to_string(s.start);
}

Json score_json(const PointScore& sc, int patterns) {
  Json j;
  j["met"] = sc.met;
  j["patterns"] = patterns;
  j["all_hold"] = sc.all_hold;
  j["score"] = sc.score;
  j["shortfall"] = sc.shortfall;
  j["objective"] = sc.objective;
  j["label_hit_rate"] = sc.label_hit_rate;
  j["failed_runs"] = sc.failed_runs;
  return j;
}

std::string samples_csv(const CalibrationSpec& spec, const CalibrationResult& r) {
  std::ostringstream out;
  out << "sample,phase,start";
  for (const auto& p : spec.parameters) out << ',' << cell(p.path);
  out << ",objective,score,shortfall,met,patterns,all_hold,failed_runs\n";
  for (const CalibrationSample& s : r.samples) {
    out << s.id << ',' << s.phase << ',' << (s.start >= 0 ? std::to_string(s.start) : "");
    for (Eigen::Index d = 0; d < s.values.size(); ++d) out << ',' << format_number(s.values(d));
    out << ',' << format_number(s.score.objective) << ',' << format_number(s.score.score) << ','
        << format_number(s.score.shortfall) << ',' << s.score.met << ',' << r.patterns.size() << ','
        << yes_no(s.score.all_hold) << ',' << s.score.failed_runs << '\n';
  }
  return out.str();
}

std::string patterns_csv(const CalibrationSpec& spec, const CalibrationResult& r) {
  const CalibrationSample& best = r.samples[r.best];
  std::ostringstream out;
  out << "scenario,kind,pattern,hits,seeds,hit_rate,rate,met\n";
  for (std::size_t e = 0; e < r.patterns.size(); ++e) {
    const PatternInfo& p = r.patterns[e];
    const int hits = best.score.hits[e];
    out << cell(p.scenario) << ',' << p.kind << ',' << cell(p.description) << ',' << hits << ','
        << spec.seeds << ',' << format_number(static_cast<double>(hits) / spec.seeds) << ','
        << format_number(p.rate) << ',' << yes_no(rate_met(hits, spec.seeds, p.rate)) << '\n';
  }
  return out.str();
}

std::string regions_csv(const CalibrationSpec& spec, const CalibrationResult& r) {
  const CalibrationSample& best = r.samples[r.best];
  std::ostringstream out;
  out << "parameter,lo,hi,log,best,all_hold_samples,all_hold_min,all_hold_max,oat_lo,oat_hi,"
         "oat_lo_at_edge,oat_hi_at_edge\n";
  for (std::size_t d = 0; d < spec.parameters.size(); ++d) {
    const CalibrationParameter& p = spec.parameters[d];
    const ParameterRegion& g = r.regions[d];
    out << cell(p.path) << ',' << format_number(p.lo) << ',' << format_number(p.hi) << ','
        << yes_no(p.log) << ',' << format_number(best.values(static_cast<Eigen::Index>(d))) << ','
        << g.all_hold_samples << ',' << (g.all_hold_samples ? format_number(g.all_hold_min) : "")
        << ',' << (g.all_hold_samples ? format_number(g.all_hold_max) : "") << ','
        << (g.oat_holds ? format_number(g.oat_lo) : "") << ','
        << (g.oat_holds ? format_number(g.oat_hi) : "") << ','
        << (g.oat_holds ? yes_no(g.oat_lo_at_edge) : "") << ','
        << (g.oat_holds ? yes_no(g.oat_hi_at_edge) : "") << '\n';
  }
  return out.str();
}

std::string scan_csv(const CalibrationSpec& spec, const CalibrationResult& r) {
  std::ostringstream out;
  out << "parameter,value,best,all_hold\n";
  const CalibrationSample& best = r.samples[r.best];
  for (std::size_t d = 0; d < spec.parameters.size(); ++d) {
    const ParameterRegion& g = r.regions[d];
    for (std::size_t k = 0; k < g.levels.size(); ++k)
      out << cell(spec.parameters[d].path) << ',' << format_number(g.levels[k]) << ','
          << yes_no(g.levels[k] == best.values(static_cast<Eigen::Index>(d))) << ','
          << yes_no(g.level_holds[k]) << '\n';
  }
  return out.str();
}

std::string robustness_csv(const CalibrationSpec& spec, const CalibrationResult& r) {
  std::ostringstream out;
  out << "parameter,factor,value,in_range,met,patterns,labels_met,labels,label_hit_rate,score,all_hold\n";
  int labels = 0;
  for (const PatternInfo& p : r.patterns) labels += p.kind == "label";
  for (const RobustnessRow& row : r.robustness) {
    out << cell(spec.parameters[row.parameter].path) << ',' << format_number(row.factor) << ','
        << format_number(row.value) << ',' << yes_no(row.in_range);
    if (row.in_range)
      out << ',' << row.score.met << ',' << r.patterns.size() << ',' << row.score.labels_met << ','
          << labels << ',' << format_number(row.score.label_hit_rate) << ','
          << format_number(row.score.score) << ',' << yes_no(row.score.all_hold) << '\n';
    else
      out << ",,,,,,,\n";
  }
  return out.str();
}

std::string best_json(const CalibrationSpec& spec, const CalibrationResult& r) {
  const CalibrationSample& best = r.samples[r.best];
  Json j;
  j["sample"] = best.id;
  j["phase"] = best.phase;
  if (best.start >= 0) j["start"] = best.start;
  j["parameters"] = Json::object();
  for (std::size_t d = 0; d < spec.parameters.size(); ++d)
    j["parameters"][spec.parameters[d].path] = best.values(static_cast<Eigen::Index>(d));
  j["seeds"] = spec.seeds;
  const Json sc = score_json(best.score, static_cast<int>(r.patterns.size()));
  for (auto it = sc.begin(); it != sc.end(); ++it) j[it.key()] = it.value();
  j["by_pattern"] = Json::array();
  for (std::size_t e = 0; e < r.patterns.size(); ++e) {
    const PatternInfo& p = r.patterns[e];
    j["by_pattern"].push_back({{"scenario", p.scenario},
                               {"kind", p.kind},
                               {"pattern", p.description},
                               {"hits", best.score.hits[e]},
                               {"rate", p.rate},
                               {"met", rate_met(best.score.hits[e], spec.seeds, p.rate)}});
  }
  return j.dump(2) + "\n";
}

std::string summary_json(const CalibrationSpec& spec, const CalibrationResult& r) {
  Json j;
  j["spec"] = spec_name(spec);
  j["scenarios"] = Json::array();
  for (const auto& cs : spec.scenarios) j["scenarios"].push_back(cs.scenario.name);
  j["parameters"] = Json::array();
  for (const auto& p : spec.parameters)
    j["parameters"].push_back({{"path", p.path}, {"range", {p.lo, p.hi}}, {"log", p.log}});
  j["design"] = design_name(spec.design);
  j["points"] = spec.points;
  j["seeds"] = spec.seeds;
  j["seed"] = spec.seed;
  if (spec.ticks > 0) j["ticks"] = spec.ticks;
  j["refine"] = {{"starts", spec.refine.starts},
                 {"evaluations", spec.refine.evaluations},
                 {"algorithm", algorithm_name(spec.refine.algorithm)},
                 {"step", spec.refine.step}};
  j["patterns"] = r.patterns.size();
  int refine = 0, all_hold = 0;
  for (const auto& s : r.samples) {
    refine += s.phase == "refine";
    all_hold += s.score.all_hold;
  }
  j["samples"] = {{"design", spec.points}, {"refine", refine}, {"all_hold", all_hold}};
  j["design_all_hold"] = r.design_all_hold;
  j["design_all_hold_share"] = static_cast<double>(r.design_all_hold) / spec.points;
  j["best"] = Json::parse(best_json(spec, r));
  j["best"].erase("by_pattern");
  j["runs"] = r.runs;
  j["failed_runs"] = r.failed_runs;
  return j.dump(2) + "\n";
}

std::string calibration_md(const CalibrationSpec& spec, const CalibrationResult& r) {
  const CalibrationSample& best = r.samples[r.best];
  const int E = static_cast<int>(r.patterns.size());
  std::ostringstream md;
  md << "### Calibration result (`" << spec_name(spec) << "`)\n\n";
  md << "Written by `alignsim calibrate " << spec_name(spec) << "`: " << spec.parameters.size()
     << " parameters, " << E << " patterns from";
  for (std::size_t s = 0; s < spec.scenarios.size(); ++s)
    md << (s ? ", " : " ") << '`' << spec.scenarios[s].scenario.name << '`';
  md << ", " << spec.seeds << " seeds per point (those of `alignsim check --seeds " << spec.seeds
     << "`), a " << design_name(spec.design) << " design of " << spec.points
     << " points (seed " << spec.seed << ")";
  if (spec.refine.starts > 0)
    md << ", then " << algorithm_name(spec.refine.algorithm) << " from the best "
       << spec.refine.starts << " (at most " << spec.refine.evaluations << " evaluations each)";
  md << ". " << r.runs << " runs.\n\n";
  md << "Every pattern holds in " << r.design_all_hold << " of " << spec.points
     << " design points (" << percent(r.design_all_hold, spec.points) << ").\n\n";
  md << "**Best point** (" << origin(best) << "): " << best.score.met << " of " << E
     << " patterns met, mean hit rate " << short_number(best.score.score) << ".\n\n";
  md << "```yaml\n" << best_point_yaml(spec, r) << "```\n\n";

  md << "| parameter | range | best | all-hold samples | their min | their max | one-at-a-time interval |\n";
  md << "|---|---|---|---|---|---|---|\n";
  for (std::size_t d = 0; d < spec.parameters.size(); ++d) {
    const CalibrationParameter& p = spec.parameters[d];
    const ParameterRegion& g = r.regions[d];
    md << "| `" << p.path << "` | [" << short_number(p.lo) << ", " << short_number(p.hi) << "]"
       << (p.log ? " log" : "") << " | " << short_number(best.values(static_cast<Eigen::Index>(d)))
       << " | " << g.all_hold_samples << " | "
       << (g.all_hold_samples ? short_number(g.all_hold_min) : "–") << " | "
       << (g.all_hold_samples ? short_number(g.all_hold_max) : "–") << " | ";
    if (g.oat_holds)
      md << (g.oat_lo_at_edge ? "≤ " : "") << short_number(g.oat_lo) << " – "
         << (g.oat_hi_at_edge ? "≥ " : "") << short_number(g.oat_hi);
    else
      md << "none (not every pattern holds at the best point)";
    md << " |\n";
  }
  md << "\nThe one-at-a-time interval is the contiguous run of the " << spec.levels
     << " levels scanned across each range (the others at the best point) around the best value "
        "in which every pattern holds; ≤ and ≥ mark an interval that reaches the end of the "
        "searched range.\n\n";

  md << "| scenario | pattern | hits | required |\n|---|---|---|---|\n";
  for (std::size_t e = 0; e < r.patterns.size(); ++e) {
    const PatternInfo& p = r.patterns[e];
    const int hits = best.score.hits[e];
    md << "| " << p.scenario << " | " << p.description << " | " << hits << "/" << spec.seeds
       << (rate_met(hits, spec.seeds, p.rate) ? "" : " ✗") << " | " << short_number(p.rate) << " |\n";
  }
  if (!r.robustness.empty()) {
    int labels = 0;
    for (const PatternInfo& p : r.patterns) labels += p.kind == "label";
    md << "\nRobustness, one parameter at a time (the others at the best point):\n\n";
    md << "| parameter | factor | value | patterns met | labels met | label hit rate |\n";
    md << "|---|---|---|---|---|---|\n";
    for (const RobustnessRow& row : r.robustness) {
      md << "| `" << spec.parameters[row.parameter].path << "` | ×" << short_number(row.factor)
         << " | " << short_number(row.value) << " | ";
      if (row.in_range)
        md << row.score.met << "/" << E << " | " << row.score.labels_met << "/" << labels << " | "
           << short_number(row.score.label_hit_rate) << " |\n";
      else
        md << "outside the key's range | | |\n";
    }
  }
  return md.str();
}

}  // namespace

std::string best_point_yaml(const CalibrationSpec& spec, const CalibrationResult& r) {
  const CalibrationSample& best = r.samples[r.best];
  std::map<std::string, std::vector<std::pair<std::string, double>>> blocks;  // params, classifier
  std::vector<std::pair<std::string, double>> others;
  for (std::size_t d = 0; d < spec.parameters.size(); ++d) {
    const std::string& path = spec.parameters[d].path;
    const double v = best.values(static_cast<Eigen::Index>(d));
    const auto dot = path.find('.');
    const std::string head = path.substr(0, dot);
    if ((head == "params" || head == "classifier") && path.find('.', dot + 1) == std::string::npos)
      blocks[head].emplace_back(path.substr(dot + 1), v);
    else
      others.emplace_back(path, v);
  }
  std::ostringstream y;
  y << "# alignsim calibrate " << spec_name(spec) << ": " << best.score.met << " of "
    << r.patterns.size() << " patterns met over " << spec.seeds << " seeds (" << origin(best) << ")\n";
  for (const char* head : {"params", "classifier"}) {
    if (!blocks.count(head)) continue;
    y << head << ":\n";
    for (const auto& [key, v] : blocks[head]) y << "  " << key << ": " << format_number(v) << '\n';
  }
  for (const auto& [path, v] : others) y << "# --set " << path << '=' << format_number(v) << '\n';
  return y.str();
}

void write_calibration_files(const CalibrationSpec& spec, const CalibrationResult& result,
                             const std::string& dir) {
  const std::filesystem::path d(dir);
  auto write = [&](const char* name, const std::string& text) {
    write_file_atomically((d / name).string(), text);
  };
  write("samples.csv", samples_csv(spec, result));
  write("patterns.csv", patterns_csv(spec, result));
  write("regions.csv", regions_csv(spec, result));
  write("scan.csv", scan_csv(spec, result));
  write("robustness.csv", robustness_csv(spec, result));
  write("best.json", best_json(spec, result));
  write("best.yaml", best_point_yaml(spec, result));
  write("calibration.md", calibration_md(spec, result));
  write("summary.json", summary_json(spec, result));
}

}  // namespace alignsim
