// docs/scenario-format.md must list every key of the model's schema with the same unit,
// default and range as the code, and no key the schema lacks.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "models/alignment/schema.hpp"
#include "models/landscape/schema.hpp"

namespace alignsim {
namespace {

std::string num(double x) {
  std::ostringstream out;
  out << x;  // %g-like: 0.7, 1e-09
  return out.str();
}

struct DocRow {
  std::string type, unit, default_value, range;
  int line = 0;
};

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

// Cells of a markdown table row `| a | b |` -> {"a", "b"}.
std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  for (std::size_t i = 1; i < line.size(); ++i) {
    if (line[i] == '|') {
      out.push_back(trim(cell));
      cell.clear();
    } else {
      cell += line[i];
    }
  }
  return out;
}

// Parses a whole cell as a number; false when the cell is not exactly one number.
bool parse_number(const std::string& text, double* out) {
  char* end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size();
}

// group (as in `<!-- schema: params -->`) -> key -> row, for every table that follows a marker.
std::map<std::string, std::map<std::string, DocRow>> read_schema_tables(
    const std::string& path, std::vector<std::string>* problems) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::map<std::string, std::map<std::string, DocRow>> groups;
  std::string group, line;
  const std::string marker = "<!-- schema: ";
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.rfind(marker, 0) == 0) {
      group = line.substr(marker.size(), line.find(" -->") - marker.size());
      groups[group];
      continue;
    }
    if (line.rfind("#", 0) == 0) group.clear();  // a heading ends the marked section
    if (group.empty() || line.rfind("| `", 0) != 0) continue;
    const auto c = cells(line);
    if (c.size() != 6) {
      problems->push_back("line " + std::to_string(n) + ": expected 6 cells, got " +
                          std::to_string(c.size()));
      continue;
    }
    const std::string key = c[0].substr(1, c[0].size() - 2);  // strip the backticks
    if (groups[group].count(key))
      problems->push_back("line " + std::to_string(n) + ": '" + key + "' listed twice");
    groups[group][key] = DocRow{c[1], c[2], c[3], c[4], n};
  }
  return groups;
}

TEST(ScenarioFormatDoc, ListsEveryKeyWithItsDefaultAndRange) {
  std::vector<std::string> problems;
  auto doc = read_schema_tables(ALIGNSIM_SOURCE_DIR "/docs/scenario-format.md", &problems);
  // The alignment model's tables are marked `<!-- schema: params -->`, another model's
  // `<!-- schema: landscape/params -->`.
  std::map<std::string, const std::vector<KeySpec>*> groups;
  for (const auto& [prefix, schema] : {std::pair<std::string, const ModelSchema*>{"", &alignment::schema()},
                                       {"landscape/", &landscape::schema()}}) {
    const std::pair<const char*, const std::vector<KeySpec>*> tables[] = {
        {"params", &schema->params},         {"classifier", &schema->classifier},
        {"state_keys", &schema->state_keys}, {"relation_keys", &schema->relation_keys},
        {"policy_keys", &schema->policy_keys}};
    for (const auto& [name, specs] : tables)
      if (!specs->empty()) groups[prefix + name] = specs;
  }
  for (const auto& [group, rows] : doc)
    if (!groups.count(group)) problems.push_back("unknown schema group '" + group + "' in the doc");

  for (const auto& [group, specs] : groups) {
    const auto& rows = doc[group];
    if (rows.empty()) problems.push_back("no table for schema group '" + group + "'");
    std::set<std::string> in_schema;
    for (const KeySpec& spec : *specs) {
      in_schema.insert(spec.key);
      auto it = rows.find(spec.key);
      if (it == rows.end()) {
        problems.push_back(group + "." + spec.key + ": missing from the doc");
        continue;
      }
      const DocRow& row = it->second;
      const std::string where =
          group + "." + spec.key + " (line " + std::to_string(row.line) + "): ";
      if (row.type != "number")
        problems.push_back(where + "type '" + row.type + "', expected 'number'");
      if (row.unit != spec.unit)
        problems.push_back(where + "unit '" + row.unit + "', schema says '" + spec.unit + "'");
      double d = 0;
      if (!parse_number(row.default_value, &d) || d != spec.default_value)
        problems.push_back(where + "default '" + row.default_value + "', schema says " +
                           num(spec.default_value));
      // Range cell: `min – max` (en dash).
      const std::string dash = " – ";
      const auto sep = row.range.find(dash);
      double lo = 0, hi = 0;
      if (sep == std::string::npos || !parse_number(row.range.substr(0, sep), &lo) ||
          !parse_number(row.range.substr(sep + dash.size()), &hi) || lo != spec.min ||
          hi != spec.max) {
        problems.push_back(where + "range '" + row.range + "', schema says " + num(spec.min) +
                           " – " + num(spec.max));
      }
    }
    for (const auto& [key, row] : rows)
      if (!in_schema.count(key))
        problems.push_back(group + "." + key + " (line " + std::to_string(row.line) +
                           "): listed in the doc but not in the schema");
  }

  std::ostringstream all;
  for (const auto& p : problems) all << p << '\n';
  EXPECT_TRUE(problems.empty()) << all.str();
}

}  // namespace
}  // namespace alignsim
