#pragma once
// Readers for the files `alignsim report` reads: the tidy CSV alignsim writes (timeseries.csv,
// points.csv, sensitivity.csv, labels.csv: one header row, comma-separated, fields optionally
// quoted with "" as the escaped quote) and JSON. Errors point into the file, 1-based, like a
// compiler's.
#include <nlohmann/json.hpp>

#include "experiment/csv_table.hpp"
#include <string>
#include <vector>

namespace alignsim::cli {

/// The whole file. @throws UsageError "cannot read 'path'" if it cannot be opened or read.
std::string read_file(const std::string& path);

/// @throws InputError `file:line:col: error: message` (line 0: the file as a whole).
[[noreturn]] void fail_in_file(const std::string& path, int line, int column, const std::string& message);

/// CSV files are read by the experiment library's one reader.
using alignsim::CsvTable;


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
