#pragma once
// Readers for the files `alignsim report` reads: the tidy CSV alignsim writes (timeseries.csv,
// points.csv, sensitivity.csv, labels.csv: one header row, comma-separated, fields optionally
// quoted with "" as the escaped quote) and JSON. Errors point into the file, 1-based, like a
// compiler's.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "experiment/csv_table.hpp"

namespace alignsim::cli {

// CSV files are read by the experiment library's one reader, with its file helpers.
using alignsim::CsvTable;
using alignsim::fail_in_file;
using alignsim::read_file;

/// Arrays and objects nested deeper than this in a JSON file are refused: alignsim writes at
/// most a few levels, and copying a 200,000-level document overflows the stack.
inline constexpr int kMaxJsonDepth = 64;

/// Reads and parses the JSON file `path`. @throws UsageError if it cannot be opened,
/// InputError (`file:line:col: error: ...`) if it is not valid JSON or nested deeper than
/// kMaxJsonDepth.
nlohmann::json read_json_file(const std::string& path);

/// Parses `text` as if read from `path` (used by read_json_file and the fuzzer).
/// @throws InputError as read_json_file.
nlohmann::json parse_json_text(const std::string& path, const std::string& text);

}  // namespace alignsim::cli
