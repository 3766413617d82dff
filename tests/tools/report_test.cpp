// `alignsim report DIR -o FILE`: self-contained reports of run and sweep directories, and the
// exact errors (exit 2, nothing written) for everything else. The browser side is
// tests/browser/report.test.mjs.
#include "tools/cli/report.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>

#include <unistd.h>

#include "sim/error.hpp"
#include "test_support.hpp"
#include "tools/cli/cli.hpp"
#include "tools/cli/report_input.hpp"

namespace alignsim::cli {
namespace {

namespace fs = std::filesystem;
using testing::run_cli;
using Result = testing::CliResult;
using testing::slurp;
using testing::source_path;

void spit(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// One folder per test process: CTest runs each test in its own process, in parallel.
// Made on first use, not at start-up: test discovery (--gtest_list_tests) must leave nothing.
const fs::path& root() {
  static const fs::path r = testing::make_temp_dir("alignsim_report_test");
  return r;
}

// The inputs, made once: a 30-tick run, a 4×4 grid with 2 replications, a sobol design.
class Report : public ::testing::Test {
 protected:
  static void TearDownTestSuite() { fs::remove_all(root()); }
  static void SetUpTestSuite() {
    const std::string scenario = source_path("scenarios/asean_2016.yaml");
    ASSERT_EQ(run_cli({"run", scenario, "--ticks", "30", "--seed", "5", "--out", (root() / "run").string()}).code, 0);
    spit(root() / "grid.yaml", "scenario: " + scenario + R"(
design: grid
replications: 2
ticks: 30
parameters:
  states.cambodia.dependence_aversion: {range: [0, 20], steps: 4}
  states.china.assertiveness: {range: [0, 1], steps: 4}
outputs:
  states: [cambodia]
)");
    spit(root() / "sobol.yaml", "scenario: " + scenario + R"(
design: sobol
points: 4
ticks: 30
parameters:
  states.cambodia.dependence_aversion: {range: [0, 20]}
  states.china.assertiveness: {range: [0, 1]}
outputs:
  states: [cambodia]
  features: [deference]
)");
    for (const char* name : {"grid", "sobol"}) {
      const Result r = run_cli({"sweep", (root() / (std::string(name) + ".yaml")).string(), "--out",
                            (root() / name).string(), "--threads", "1", "--quiet"});
      ASSERT_EQ(r.code, 0) << r.err;
    }
  }

  // A fresh copy of an input directory to break.
  static fs::path copy_of(const std::string& name, const std::string& as) {
    const fs::path d = root() / as;
    fs::remove_all(d);
    fs::copy(root() / name, d);
    return d;
  }

  // The JSON of the report's data block.
  static nlohmann::json data_of(const std::string& html) {
    const std::string open = "<script type=\"application/json\" id=\"report-data\">";
    const auto a = html.find(open);
    EXPECT_NE(a, std::string::npos);
    const auto b = html.find("</script>", a);
    return nlohmann::json::parse(html.substr(a + open.size(), b - a - open.size()));
  }

  // Fails on anything a browser would fetch: external scripts, styles, imports, frames.
  static void expect_self_contained(const std::string& html) {
    for (const char* needle : {"<script src", "<link", "@import", "url(http", "<iframe", "src=\"http", "href=\"http"})
      EXPECT_EQ(html.find(needle), std::string::npos) << needle;
    // Every <script> is inline: either plain or the JSON data block.
    for (std::size_t k = 0; (k = html.find("<script", k)) != std::string::npos; ++k) {
      const std::string tag = html.substr(k, html.find('>', k) - k + 1);
      EXPECT_TRUE(tag == "<script>" || tag == "<script type=\"application/json\" id=\"report-data\">") << tag;
    }
    EXPECT_NE(html.find("echarts"), std::string::npos);
  }

  // The error case: exit 2, exactly `message` on stderr, and the output untouched.
  static void expect_rejected(const fs::path& dir, const std::string& message) {
    const fs::path out = root() / "rejected.html";
    spit(out, "previous report");
    const Result r = run_cli({"report", dir.string(), "-o", out.string()});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err, message + "\n");
    EXPECT_EQ(slurp(out), "previous report");
    for (const auto& e : fs::directory_iterator(root()))
      EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos) << e.path();
  }
};

TEST_F(Report, RunDirectoryGivesSelfContainedHtmlWithItsData) {
  const fs::path out = root() / "run.html";
  const Result r = run_cli({"report", (root() / "run").string(), "-o", out.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("wrote " + out.string() + " (", 0), 0u) << r.out;
  const std::string html = slurp(out);
  EXPECT_EQ(html.rfind("<!doctype html>", 0), 0u);
  expect_self_contained(html);
  EXPECT_NE(html.find("<title>asean_2016: run report (seed 5)</title>"), std::string::npos);
  const auto d = data_of(html);
  EXPECT_EQ(d["kind"], "run");
  EXPECT_EQ(d["scenario"]["seed"], 5);
  EXPECT_EQ(d["ticks"].size(), 30u);
  EXPECT_EQ(d["outcomes"].size(), 6u);
  EXPECT_EQ(d["labels"].size(), 7u);
  // Cambodia's four policies towards each of the three great powers, and 3 powers × 6 states × 2.
  int cambodia = 0, powers = 0;
  for (const auto& s : d["series"]) {
    EXPECT_EQ(s["values"].size(), 30u);
    cambodia += s["state"] == "cambodia";
    powers += s["quantity"] == "inducement" || s["quantity"] == "pressure";
  }
  EXPECT_EQ(cambodia, 4 * 3);
  EXPECT_EQ(powers, 3 * 6 * 2);
  ASSERT_TRUE(d["explain"].is_object());
  EXPECT_EQ(d["explain"]["states"].size(), 6u);
  ASSERT_TRUE(d["label_history"].is_object());
  EXPECT_EQ(d["label_history"]["cambodia"].size(), 30u);
}

TEST_F(Report, RunOutWritesExplanationsAndPerTickLabelsEndingInTheFinalLabels) {
  const auto summary = nlohmann::json::parse(slurp(root() / "run" / "summary.json"));
  const auto explain = nlohmann::json::parse(slurp(root() / "run" / "explain.json"));
  ASSERT_EQ(explain["states"].size(), summary["states"].size());
  for (const auto& s : explain["states"]) {
    double sum = 0;
    for (const auto& [term, v] : s["terms"].items())
      if (term != "total") sum += v.get<double>();
    EXPECT_NEAR(sum, s["terms"]["total"].get<double>(), 1e-9) << s["name"];
  }
  const CsvTable labels = CsvTable::read((root() / "run" / "labels.csv").string());
  ASSERT_EQ(labels.header(), (std::vector<std::string>{"tick", "state", "label", "motive"}));
  ASSERT_EQ(labels.rows(), 30u * 6u);
  for (std::size_t k = 0; k < 6; ++k) {
    const std::size_t row = labels.rows() - 6 + k;
    EXPECT_EQ(labels.cell(row, 0), "29");
    EXPECT_EQ(labels.cell(row, 1), summary["states"][k]["name"]);
    EXPECT_EQ(labels.cell(row, 2), summary["states"][k]["label"]);
  }
}

TEST_F(Report, GridSweepDirectoryGivesSelfContainedHtmlWithEveryPoint) {
  const fs::path out = root() / "grid.html";
  const Result r = run_cli({"report", (root() / "grid").string(), "-o", out.string(), "--title", "Cambodia <phase> & co"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string html = slurp(out);
  expect_self_contained(html);
  EXPECT_NE(html.find("<title>Cambodia &lt;phase&gt; &amp; co</title>"), std::string::npos);
  const auto d = data_of(html);
  EXPECT_EQ(d["kind"], "sweep");
  EXPECT_EQ(d["title"], "Cambodia <phase> & co");
  EXPECT_EQ(d["sweep"]["design"], "grid");
  EXPECT_EQ(d["sweep"]["scenario"], "asean_2016");
  EXPECT_EQ(d["points"].size(), 16u);
  EXPECT_EQ(d["parameters"][1]["unit"], "[0,1]");
  double share = 0;
  for (const auto& p : d["points"][0]["p"]) share += p.get<double>();
  EXPECT_NEAR(share, 1.0, 1e-12);
  EXPECT_TRUE(d["sensitivity"].is_null());
}

// Every point carries the 95 % half-width of each continuous output's mean over its
// replications, computed from runs.csv (2 replications: t = 12.706, half-width = t |a - b| / 2).
TEST_F(Report, GridSweepCarriesConfidenceBandsOfEveryOutput) {
  const fs::path out = root() / "grid-ci.html";
  ASSERT_EQ(run_cli({"report", (root() / "grid").string(), "-o", out.string()}).code, 0);
  const auto d = data_of(slurp(out));
  ASSERT_FALSE(d["features"].empty());
  std::istringstream runs(slurp(root() / "grid" / "runs.csv"));
  std::string line;
  std::getline(runs, line);
  std::vector<std::string> header;
  for (std::istringstream h(line); std::getline(h, line, ',');) header.push_back(line);
  const auto column = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  const std::string feature = d["features"][0];
  std::vector<double> point0;
  while (std::getline(runs, line)) {
    std::vector<std::string> cells;
    for (std::istringstream r(line); std::getline(r, line, ',');) cells.push_back(line);
    if (cells[column("point_id")] == "0") point0.push_back(std::stod(cells[column(feature)]));
  }
  ASSERT_EQ(point0.size(), 2u);
  for (const auto& row : d["points"]) ASSERT_EQ(row["ci"].size(), d["features"].size()) << row;
  const auto& row0 = d["points"][0];
  EXPECT_NEAR(row0["f"][0].get<double>(), (point0[0] + point0[1]) / 2, 1e-12);
  if (point0[0] == point0[1]) EXPECT_EQ(row0["ci"][0].get<double>(), 0.0);
  else EXPECT_NEAR(row0["ci"][0].get<double>(), 12.706 * std::abs(point0[0] - point0[1]) / 2, 1e-9);
  // Parameters are named in words, with the scenario's display names.
  EXPECT_EQ(d["parameters"][0]["label"], "Cambodia's dependence aversion");
  EXPECT_EQ(d["display_names"]["usa"], "United States");
  // No time series kept: no outputs towards other partners.
  EXPECT_TRUE(d["partner_outputs"].empty());
}

// Run and sweep reports inline the live view's palette (tools/web/palette.json) and the model's
// vocabulary, whose labels carry one colour each (the schema's label_colours).
TEST_F(Report, ReportsCarryThePaletteOfTheLiveView) {
  auto palette = nlohmann::json::parse(slurp(source_path("tools/web/palette.json")));
  palette.erase("_comment");
  EXPECT_FALSE(palette.contains("labels"));  // the model's, not the palette's
  for (const char* dir : {"run", "grid"}) {
    const fs::path out = root() / (std::string(dir) + "-palette.html");
    ASSERT_EQ(run_cli({"report", (root() / dir).string(), "-o", out.string()}).code, 0);
    const auto d = data_of(slurp(out));
    EXPECT_EQ(d["palette"], palette) << dir;
    ASSERT_EQ(d["schema"]["labels"].size(), 7u) << dir;
    EXPECT_EQ(d["schema"]["labels"][0], (nlohmann::json{{"name", "bandwagoning"}, {"colour", "#8c2d04"}})) << dir;
    EXPECT_EQ(d["schema"]["agents"]["focal_power"], "china") << dir;
    EXPECT_EQ(d["schema"]["qualifiers"][0]["name"], "motive") << dir;
    for (const auto& label : d["labels"]) {
      const auto& ls = d["schema"]["labels"];
      EXPECT_TRUE(std::any_of(ls.begin(), ls.end(), [&](const auto& l) { return l["name"] == label; })) << label;
    }
  }
}

// The landscape model's run report (issue 9): its sides table, its energy per tick, and each
// actor's side and frustration over time; no policies (the model has no kinds of agent).
TEST_F(Report, LandscapeRunShowsSidesAndEnergy) {
  const fs::path dir = root() / "landscape";
  ASSERT_EQ(run_cli({"run", source_path("scenarios/landscape/europe_1936.yaml"), "--ticks", "12", "--out", (dir / "run").string()}).code, 0);
  const fs::path out = dir / "run.html";
  const Result r = run_cli({"report", (dir / "run").string(), "-o", out.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto d = data_of(slurp(out));
  EXPECT_EQ(d["scenario"]["model"], "landscape");
  EXPECT_EQ(d["scenario"]["anchor"], "britain");
  EXPECT_FALSE(d["scenario"].contains("focal_power"));
  EXPECT_EQ(d["schema"]["labels"], (nlohmann::json::array({{{"name", "side_a"}, {"colour", "#1f5fbf"}}, {{"name", "side_b"}, {"colour", "#c0392b"}}})));
  EXPECT_TRUE(d["schema"]["kinds"].is_null());
  EXPECT_TRUE(d["schema"]["qualifiers"].empty());
  EXPECT_EQ(d["schema"]["outcome_title"], "sides (side_a: the side of {anchor})");
  // The sides table: every actor, a side each, britain's (the anchor's) side_a.
  ASSERT_EQ(d["outcomes"].size(), 17u);
  for (const auto& o : d["outcomes"]) {
    EXPECT_TRUE(o["label"] == "side_a" || o["label"] == "side_b") << o;
    EXPECT_FALSE(o.contains("motive"));
    EXPECT_TRUE(o["features"].contains("frustration")) << o;
  }
  EXPECT_EQ(d["outcomes"][0]["state"], "britain");
  EXPECT_EQ(d["outcomes"][0]["label"], "side_a");
  EXPECT_FALSE(d["states"][0].contains("kind"));
  EXPECT_FALSE(d["states"][0].contains("role"));
  // The energy and the switches, one value per tick; energy falls (A&B: the dynamics descend).
  ASSERT_EQ(d["ticks"].size(), 12u);
  ASSERT_EQ(d["scalars"].size(), 2u);
  EXPECT_EQ(d["scalars"][0]["quantity"], "energy");
  const auto& energy = d["scalars"][0]["values"];
  ASSERT_EQ(energy.size(), 12u);
  EXPECT_LE(energy.back().get<double>(), energy.front().get<double>());
  // Each actor's side and frustration over time: monadic series, no partner.
  std::set<std::string> sides, frustrations;
  for (const auto& s : d["series"]) {
    EXPECT_FALSE(s.contains("partner")) << s;
    EXPECT_EQ(s["values"].size(), 12u);
    (s["quantity"] == "side" ? sides : frustrations).insert(s["state"].get<std::string>());
  }
  EXPECT_EQ(sides.size(), 17u);
  EXPECT_EQ(frustrations.size(), 17u);
  EXPECT_EQ(d["label_history"]["britain"].size(), 12u);
  EXPECT_EQ(d["explain"]["states"].size(), 17u);
  EXPECT_EQ(d["explain"]["states"][0]["state"], "britain");
}

// A landscape sweep's report: sides per point, no qualifier columns, the anchor in place of a
// focal power.
TEST_F(Report, LandscapeSweepReportsSideFrequencies) {
  const fs::path dir = root() / "landscape_sweep";
  fs::create_directories(dir);
  spit(dir / "spec.yaml", "scenario: " + source_path("scenarios/landscape/europe_1936.yaml") + R"(
design: grid
replications: 2
ticks: 10
parameters:
  params.weight_religion: {range: [0, 2], steps: 2}
  params.weight_war_history: {range: [0, 2], steps: 2}
outputs:
  states: [germany, soviet_union]
)");
  const Result s = run_cli({"sweep", (dir / "spec.yaml").string(), "--out", (dir / "out").string(), "--threads", "1", "--quiet"});
  ASSERT_EQ(s.code, 0) << s.err;
  const fs::path out = dir / "sweep.html";
  const Result r = run_cli({"report", (dir / "out").string(), "-o", out.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto d = data_of(slurp(out));
  EXPECT_EQ(d["labels"], (nlohmann::json::array({"side_a", "side_b"})));
  EXPECT_EQ(d["sweep"]["anchor"], "britain");
  EXPECT_FALSE(d["sweep"].contains("focal_power"));
  EXPECT_EQ(d["schema"]["model"], "landscape");
  EXPECT_EQ(d["states"], (nlohmann::json::array({"germany", "soviet_union"})));
  EXPECT_EQ(d["points"].size(), 2u * 2u * 2u);
  for (const auto& p : d["points"]) {
    double sum = 0;
    for (const auto& v : p["p"]) sum += v.get<double>();
    EXPECT_NEAR(sum, 1.0, 1e-9) << p;
  }
}

// The monthly timeline: dates, event labels and display names reach the run report.
TEST_F(Report, TimelineRunReportCarriesTimeEventLabelsAndDisplayNames) {
  const fs::path dir = root() / "timeline";
  ASSERT_EQ(run_cli({"run", source_path("scenarios/cambodia_2010_2016.yaml"), "--out", dir.string()}).code, 0);
  const fs::path out = root() / "timeline.html";
  ASSERT_EQ(run_cli({"report", dir.string(), "-o", out.string()}).code, 0);
  const auto d = data_of(slurp(out));
  EXPECT_EQ(d["scenario"]["time"]["start"], "2007-01");
  EXPECT_EQ(d["scenario"]["time"]["tick"], "month");
  ASSERT_FALSE(d["events"].empty());
  for (const auto& e : d["events"]) {
    EXPECT_NE(e["label"], e["name"]) << e;
    EXPECT_FALSE(e["description"].get<std::string>().empty()) << e;
  }
  EXPECT_EQ(d["states"][1]["display_name"], "United States");
}

// With time series kept, a sweep report has every quantity towards every partner at the end of
// the runs, averaged per point.
TEST_F(Report, SweepWithTimeSeriesHasOutputsTowardsEveryPartner) {
  spit(root() / "ts.yaml", "scenario: " + source_path("scenarios/asean_2016.yaml") + R"(
design: grid
replications: 2
ticks: 20
parameters:
  states.cambodia.dependence_aversion: {values: [0, 3]}
outputs:
  states: [cambodia]
  timeseries: true
  timeseries_every: 1000
)");
  ASSERT_EQ(run_cli({"sweep", (root() / "ts.yaml").string(), "--out", (root() / "ts").string(), "--threads", "1", "--quiet"}).code, 0);
  const fs::path out = root() / "ts.html";
  ASSERT_EQ(run_cli({"report", (root() / "ts").string(), "-o", out.string()}).code, 0);
  const auto d = data_of(slurp(out));
  std::set<std::string> partners, quantities;
  for (const auto& o : d["partner_outputs"]) {
    partners.insert(o["partner"].get<std::string>());
    quantities.insert(o["quantity"].get<std::string>());
  }
  EXPECT_TRUE(partners.count("china") && partners.count("usa") && partners.count("japan") && !partners.count("cambodia"));
  EXPECT_TRUE(quantities.count("deference"));
  ASSERT_EQ(d["points"].size(), 2u);
  for (const auto& row : d["points"]) {
    ASSERT_EQ(row["g"].size(), d["partner_outputs"].size());
    ASSERT_EQ(row["gci"].size(), d["partner_outputs"].size());
  }
}

TEST_F(Report, SobolSweepReportCarriesTheIndicesWithTheirIntervals) {
  const fs::path out = root() / "sobol.html";
  ASSERT_EQ(run_cli({"report", (root() / "sobol").string(), "-o", out.string()}).code, 0);
  const auto d = data_of(slurp(out));
  ASSERT_TRUE(d["sensitivity"].is_array());
  // (7 label probabilities + 1 feature) × 2 parameters.
  EXPECT_EQ(d["sensitivity"].size(), 8u * 2u);
  EXPECT_TRUE(d["sensitivity"][0].contains("S1_conf") && d["sensitivity"][0].contains("ST_conf"));
}

TEST_F(Report, DataCannotCloseTheScriptBlock) {
  nlohmann::ordered_json d;
  d["kind"] = "run";
  d["note"] = "</script><script>alert(1)</script><!--";
  const std::string html = render_report_html("t", d);
  EXPECT_EQ(html.find("</script><script>alert"), std::string::npos);
  EXPECT_EQ(data_of(html)["note"], "</script><script>alert(1)</script><!--");
}

TEST_F(Report, RejectsADirectoryThatIsNeitherRunNorSweep) {
  const fs::path empty = root() / "empty";
  fs::create_directories(empty);
  expect_rejected(empty, "alignsim: error: '" + empty.string() +
                             "' is neither a run directory (timeseries.csv, summary.json, scenario.resolved.yaml "
                             "from `alignsim run SCENARIO --out DIR`) nor a sweep directory (manifest.json, "
                             "points.csv, runs.csv from `alignsim sweep SPEC --out DIR`)");
  expect_rejected(root() / "nowhere", "alignsim: error: '" + (root() / "nowhere").string() + "' is not a directory");
}

TEST_F(Report, RejectsARunDirectoryWithAMissingFile) {
  const fs::path d = copy_of("run", "run_missing");
  fs::remove(d / "summary.json");
  expect_rejected(d, "alignsim: error: '" + d.string() +
                         "' has no summary.json; a run directory written by `alignsim run SCENARIO --out DIR` "
                         "has timeseries.csv, summary.json and scenario.resolved.yaml");
}

TEST_F(Report, RejectsASweepDirectoryWithAMissingFile) {
  const fs::path d = copy_of("sobol", "sobol_missing");
  fs::remove(d / "sensitivity.csv");
  expect_rejected(d, "alignsim: error: '" + d.string() +
                         "' has no sensitivity.csv; a sweep directory written by `alignsim sweep SPEC --out DIR` "
                         "has manifest.json, points.csv and runs.csv (and sensitivity.csv for sobol designs)");
}

TEST_F(Report, RejectsCorruptCsvAtTheFaultyField) {
  const fs::path d = copy_of("run", "run_bad_csv");
  const std::string ts = (d / "timeseries.csv").string();
  spit(ts, "tick,state,partner,quantity,value\n0,cambodia,china,deference,0.2\n0,cambodia,china,defiance,abc\n");
  expect_rejected(d, ts + ":3:27: error: column 'value': expected a number, got 'abc'");
  spit(ts, "tick,state,partner,quantity,value\n0,cambodia,china,deference,0.2,7\n");
  expect_rejected(d, ts + ":2:32: error: expected 5 fields as in the header, found 6");
  spit(ts, "tick,state,partner,quantity,value\n0,cambodia,\"china,deference,0.2\n");
  expect_rejected(d, ts + ":2:12: error: unterminated quoted field");
  spit(ts, "tick,state,partner,quantity,value\n0,kampuchea,china,deference,0.2\n");
  expect_rejected(d, ts + ":2:3: error: unknown state 'kampuchea' (not in scenario.resolved.yaml)");
  spit(ts, "");
  expect_rejected(d, ts + ": error: the file is empty; expected a header row");

  const fs::path s = copy_of("grid", "grid_bad_csv");
  const std::string points = (s / "points.csv").string();
  std::string text = slurp(points);
  text.replace(text.find(",neutrality,"), 12, ",neutral,");
  spit(points, text);
  const CsvTable t = CsvTable::parse(points, text);
  std::size_t row = 0;
  while (t.cell(row, t.column("modal_label")) != "neutral") ++row;
  const std::size_t column = text.find(",neutral,") - text.rfind('\n', text.find(",neutral,")) + 1;
  expect_rejected(s, points + ":" + std::to_string(row + 2) + ":" + std::to_string(column) +
                         ": error: unknown label 'neutral' (did you mean 'neutrality'?)");
}

TEST_F(Report, RejectsCorruptJsonAtItsPosition) {
  const fs::path d = copy_of("run", "run_bad_json");
  const std::string summary = (d / "summary.json").string();
  spit(summary, "{\n  \"scenario\": \"asean_2016\",\n  \"seed\": tru\n}\n");  // at the end of \"tru\"
  const Result r = run_cli({"report", d.string(), "-o", (root() / "bad.html").string()});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind(summary + ":3:14: error: not valid JSON: invalid literal", 0), 0u) << r.err;
  EXPECT_FALSE(fs::exists(root() / "bad.html"));
  spit(summary, "{\"scenario\": \"asean_2016\", \"seed\": 1, \"ticks\": 30, \"focal_power\": \"china\"}");
  expect_rejected(d, summary + ": error: missing key 'states'");

  const fs::path s = copy_of("grid", "grid_bad_json");
  spit(s / "manifest.json", "{\"spec\": {\"design\": \"grid\"");
  const Result m = run_cli({"report", s.string(), "-o", (root() / "bad.html").string()});
  EXPECT_EQ(m.code, 2);
  EXPECT_EQ(m.err.rfind((s / "manifest.json").string() + ":1:27: error: not valid JSON", 0), 0u) << m.err;
}

TEST_F(Report, RejectsAnOutputInAMissingFolderBeforeReading) {
  const fs::path out = root() / "no_such_folder" / "r.html";
  const Result r = run_cli({"report", (root() / "run").string(), "-o", out.string()});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "alignsim: error: cannot write '" + out.string() + "': folder '" +
                       (root() / "no_such_folder").string() + "' does not exist\n");
  EXPECT_FALSE(fs::exists(out.parent_path()));
}

TEST_F(Report, BadCommandLinesAreUsageErrors) {
  Result r = run_cli({"report", (root() / "run").string()});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "alignsim: error: the option '--output' is required but missing (see alignsim report --help)\n");
  r = run_cli({"report", (root() / "run").string(), "-o", (root() / "x.html").string(), "--colour", "red"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "alignsim: error: unrecognised option '--colour' (see alignsim report --help)\n");
  EXPECT_FALSE(fs::exists(root() / "x.html"));
}

TEST_F(Report, HelpDescribesEveryOption) {
  const Result r = run_cli({"report", "--help"});
  EXPECT_EQ(r.code, 0);
  for (const char* s : {"usage: alignsim report DIR -o FILE.html [--title TEXT]", "--dir", "-o [ --output ]", "--title", "--help",
                        "run directory", "sweep directory", "docs/reports.md"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s;
}

TEST(ReportCsv, ReadsQuotedFieldsWithCommasQuotesAndNewlines) {
  const CsvTable t = CsvTable::parse("f.csv", "a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",3\r\n");
  ASSERT_EQ(t.rows(), 2u);
  EXPECT_EQ(t.cell(0, 0), "x, y");
  EXPECT_EQ(t.cell(0, 1), "say \"hi\"");
  EXPECT_EQ(t.cell(1, 0), "two\nlines");
  EXPECT_EQ(t.number(1, 1), 3.0);
}

TEST(ReportCsv, ReportsTextAfterAClosingQuoteAndMissingColumns) {
  try {
    CsvTable::parse("f.csv", "a,b\n\"x\"y,2\n");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "f.csv:2:4: error: expected ',' or the end of the line after a closing quote");
  }
  const CsvTable t = CsvTable::parse("f.csv", "a,b\n1,2\n");
  try {
    t.column("c");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "f.csv:1:1: error: missing column 'c'");
  }
}

}  // namespace
}  // namespace alignsim::cli
