#include "tools/cli/report_input.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "sim/error.hpp"

namespace alignsim::cli {

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

namespace {

// The 1-based line and column of byte `at` of `text`.
std::pair<int, int> line_column(const std::string& text, std::size_t at) {
  int line = 1, column = 1;
  for (std::size_t k = 0; k < at && k < text.size(); ++k) {
    if (text[k] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

// Refuses nesting deeper than kMaxJsonDepth before the parser builds (and later copies,
// recursively) the document; brackets inside strings do not count.
void check_json_depth(const std::string& path, const std::string& text) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t k = 0; k < text.size(); ++k) {
    const char c = text[k];
    if (in_string) {
      if (c == '\\') ++k;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) {
        const auto [line, column] = line_column(text, k);
        fail_in_file(path, line, column,
                     "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels; not a file alignsim wrote");
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
}

}  // namespace

nlohmann::json read_json_file(const std::string& path) { return parse_json_text(path, read_file(path)); }

nlohmann::json parse_json_text(const std::string& path, const std::string& text) {
  check_json_depth(path, text);
  // The 1-based line and column of byte `at`.
  const auto position = [&text](std::size_t at) {
    int line = 1, column = 1;
    for (std::size_t k = 0; k < at && k < text.size(); ++k) {
      if (text[k] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return std::pair<int, int>{line, column};
  };
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::out_of_range& e) {
    // A number beyond a double (1e400): nlohmann's text names it, "number overflow parsing
    // '1e400'", without a position; it is found at its first occurrence.
    const std::string what = e.what();
    const auto open = what.find('\''), close = what.rfind('\'');
    const std::string number = open != std::string::npos && close > open ? what.substr(open + 1, close - open - 1) : "";
    const std::size_t at = number.empty() ? std::string::npos : text.find(number);
    if (at == std::string::npos) fail_in_file(path, 0, 0, "not valid JSON: a number too large for a double");
    const auto [line, column] = position(at);
    fail_in_file(path, line, column, "not valid JSON: " + number + " is too large for a double");
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is 1-based: the offending byte, or one past the end for a truncated file.
    const std::size_t at = e.byte == 0 ? 0 : std::min<std::size_t>(e.byte - 1, text.size());
    const auto [line, column] = position(at);
    std::string what = e.what();
    // nlohmann's text: "[json.exception.parse_error.101] parse error at line 1, column 5: syntax
    // error while parsing value - invalid literal; last read: 'x'"; keep the part after "- ".
    const auto dash = what.find(" - ");
    what = dash == std::string::npos ? "not valid JSON" : "not valid JSON: " + what.substr(dash + 3);
    fail_in_file(path, line, column, what);
  }
}

}  // namespace alignsim::cli
