#include "tools/cli/report_input.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "sim/error.hpp"

namespace alignsim::cli {

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
