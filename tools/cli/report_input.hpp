#pragma once
// Readers for the files `alignsim report` reads: the tidy CSV alignsim writes (timeseries.csv,
// points.csv, sensitivity.csv, labels.csv: one header row, comma-separated, fields optionally
// quoted with "" as the escaped quote) and JSON. Errors point into the file, 1-based, like a
// compiler's.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace alignsim::cli {

/// The whole file. @throws UsageError "cannot read 'path'" if it cannot be opened or read.
std::string read_file(const std::string& path);

/// @throws InputError `file:line:col: error: message` (line 0: the file as a whole).
[[noreturn]] void fail_in_file(const std::string& path, int line, int column, const std::string& message);

/// A CSV file read whole: its header and rows, every row as wide as the header.
class CsvTable {
 public:
  /// Reads and checks `path`. @throws UsageError if it cannot be opened, InputError
  /// (`file:line:col: error: ...`) if it is empty, has an unterminated quote or a row whose
  /// width differs from the header's.
  static CsvTable read(const std::string& path);

  /// Parses `text` as if read from `path` (used by read() and by tests). @throws InputError.
  static CsvTable parse(const std::string& path, const std::string& text);

  const std::string& path() const { return path_; }
  const std::vector<std::string>& header() const { return header_; }
  std::size_t rows() const { return cells_.size(); }
  const std::string& cell(std::size_t row, std::size_t column) const { return cells_[row][column]; }

  /// Index of column `name`, or -1.
  int find_column(const std::string& name) const;
  /// Index of column `name`. @throws InputError at the header if it is missing.
  std::size_t column(const std::string& name) const;
  /// The cell as a number; an empty cell is NaN. @throws InputError at the cell if it is not a number.
  double number(std::size_t row, std::size_t column) const;
  /// The cell as a whole number in [min, max] (a tick, a count: never cast from an arbitrary
  /// double). @throws InputError at the cell otherwise.
  long long integer(std::size_t row, std::size_t column, long long min, long long max) const;
  /// @throws InputError `file:line:col: error: message` at the cell.
  [[noreturn]] void fail_at(std::size_t row, std::size_t column, const std::string& message) const;

 private:
  std::string path_;
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> cells_;
  std::vector<int> lines_;                  // 1-based line of each row
  std::vector<std::vector<int>> columns_;   // 1-based column of each cell
};

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
