#pragma once
// The one CSV reader (RFC 4180: quoted fields, doubled quotes, CRLF), with positions for errors:
// the sweep's resume scan and sensitivity pass, and the reports' readers of run and sweep
// folders use it.
#include <string>
#include <vector>

namespace alignsim {

/// The whole file `path`. @throws UsageError if it cannot be read.
std::string read_file(const std::string& path);

/// @throws InputError `path:line:column: error: message` (line 0: the whole file).
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

  /// The fields of one CSV line (quotes as in parse()), or nothing when it is not one whole
  /// row (an unterminated quote, a line break): for files read row by row, such as a sweep's
  /// append-only outputs on resume.
  static std::vector<std::string> split_row(const std::string& line);

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

}  // namespace alignsim
