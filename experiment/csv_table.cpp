#include "experiment/csv_table.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "sim/error.hpp"

namespace alignsim {

void fail_in_file(const std::string& path, int line, int column, const std::string& message) {
  Diagnostic d;  // assigned, not brace-initialised: g++ 12 warns (falsely) on the nested braces
  d.pos.file = path;
  d.pos.line = line;
  d.pos.column = column;
  d.message = message;
  throw InputError({d});
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError("cannot read '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw UsageError("cannot read '" + path + "'");
  return text.str();
}

CsvTable CsvTable::read(const std::string& path) { return parse(path, read_file(path)); }

CsvTable CsvTable::parse(const std::string& path, const std::string& text) {
  CsvTable t;
  t.path_ = path;
  std::vector<std::string> fields;
  std::vector<int> field_columns;
  std::string field;
  int line = 1, column = 1, field_column = 1, row_line = 1;
  bool quoted = false, was_quoted = false;
  int quote_line = 0, quote_column = 0;
  std::size_t k = 0;
  auto end_row = [&] {
    fields.push_back(field);
    field_columns.push_back(field_column);
    const bool blank = fields.size() == 1 && fields[0].empty() && !was_quoted;
    if (t.header_.empty()) {
      if (blank) fail_in_file(path, row_line, 1, "expected a header row, found an empty line");
      t.header_ = fields;
    } else if (!blank) {
      if (fields.size() != t.header_.size())
        fail_in_file(path, row_line, fields.size() > t.header_.size() ? field_columns[t.header_.size()] : column,
             "expected " + std::to_string(t.header_.size()) + " fields as in the header, found " +
                 std::to_string(fields.size()));
      t.cells_.push_back(fields);
      t.lines_.push_back(row_line);
      t.columns_.push_back(field_columns);
    }
    fields.clear();
    field_columns.clear();
    field.clear();
    was_quoted = false;
  };
  while (k < text.size()) {
    const char c = text[k];
    if (quoted) {
      if (c == '"' && k + 1 < text.size() && text[k + 1] == '"') {
        field += '"';
        k += 2;
        column += 2;
        continue;
      }
      if (c == '"') {
        quoted = false;
        ++k;
        ++column;
        if (k < text.size() && text[k] != ',' && text[k] != '\n' && text[k] != '\r')
          fail_in_file(path, line, column, "expected ',' or the end of the line after a closing quote");
        continue;
      }
      field += c;
      ++k;
      if (c == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
      continue;
    }
    if (c == '"' && field.empty() && !was_quoted) {
      quoted = was_quoted = true;
      quote_line = line;
      quote_column = column;
      ++k;
      ++column;
    } else if (c == ',') {
      fields.push_back(field);
      field_columns.push_back(field_column);
      field.clear();
      was_quoted = false;
      ++k;
      ++column;
      field_column = column;
    } else if (c == '\n' || c == '\r') {
      end_row();
      k += (c == '\r' && k + 1 < text.size() && text[k + 1] == '\n') ? 2 : 1;
      ++line;
      column = field_column = 1;
      row_line = line;
    } else {
      field += c;
      ++k;
      ++column;
    }
  }
  if (quoted) fail_in_file(path, quote_line, quote_column, "unterminated quoted field");
  // A last line without a newline still counts; a truncated file shows up as a short row.
  if (!field.empty() || !fields.empty() || was_quoted) end_row();
  if (t.header_.empty()) fail_in_file(path, 0, 0, "the file is empty; expected a header row");
  return t;
}

int CsvTable::find_column(const std::string& name) const {
  for (std::size_t c = 0; c < header_.size(); ++c)
    if (header_[c] == name) return static_cast<int>(c);
  return -1;
}

std::size_t CsvTable::column(const std::string& name) const {
  const int c = find_column(name);
  if (c < 0) fail_in_file(path_, 1, 1, "missing column '" + name + "'");
  return static_cast<std::size_t>(c);
}

double CsvTable::number(std::size_t row, std::size_t column) const {
  const std::string& s = cells_[row][column];
  if (s.empty()) return std::nan("");
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || errno == ERANGE)
    fail_in_file(path_, lines_[row], columns_[row][column],
         "column '" + header_[column] + "': expected a number, got '" + s + "'");
  return v;
}

long long CsvTable::integer(std::size_t row, std::size_t column, long long min, long long max) const {
  const std::string& s = cells_[row][column];
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE || v < min || v > max)
    fail_in_file(path_, lines_[row], columns_[row][column],
                 "column '" + header_[column] + "': expected a whole number in [" + std::to_string(min) + ", " +
                     std::to_string(max) + "], got '" + s + "'");
  return v;
}

void CsvTable::fail_at(std::size_t row, std::size_t column, const std::string& message) const {
  fail_in_file(path_, lines_[row], columns_[row][column], message);
}

std::vector<std::string> CsvTable::split_row(const std::string& line) {
  if (line.find_first_of("\r\n") != std::string::npos) return {};
  try {
    return parse("", line).header();
  } catch (const InputError&) {
    return {};
  }
}

}  // namespace alignsim
