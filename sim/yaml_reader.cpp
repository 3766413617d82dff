#include "sim/yaml_reader.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <yaml-cpp/eventhandler.h>

#include "sim/scenario_loader.hpp"  // did_you_mean, format_number

namespace alignsim::yaml_input {

using Node = YAML::Node;

std::string or_list(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out;
}

std::string describe(const Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Scalar:
      return n.Tag() == "!" ? "the quoted text \"" + n.Scalar() + "\"" : "'" + n.Scalar() + "'";
    case YAML::NodeType::Sequence:
      return "a sequence";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
  }
  return "nothing";
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::optional<std::string> read_text(const std::string& path, std::string* reason) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    *reason = kIsADirectory;
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *reason = lower(std::strerror(errno));
    return std::nullopt;
  }
  // One byte more than the limit tells a file at the limit from a larger one.
  std::string text(kMaxInputBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxInputBytes) {
    *reason = kTooLarge;
    return std::nullopt;
  }
  return text;
}

std::string clean_yaml_message(const std::string& msg) {
  std::string m = msg;
  if (!m.empty()) m[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(m[0])));
  std::string hint;
  if (m == "illegal map value")
    hint = "check the indentation, and quote values that contain ': '";
  else if (m == "end of map not found" || m == "end of sequence not found")
    hint = "check the indentation of this line against the lines above";
  else if (m == "end of sequence flow not found")
    hint = "a '[' is not closed by ']'";
  else if (m == "end of map flow not found")
    hint = "a '{' is not closed by '}'";
  else if (m.rfind("illegal tab", 0) == 0)
    hint = "indent with spaces, not tabs";
  else if (m == "end of string not found" || m == "illegal EOF in scalar")
    hint = "a quoted text is not closed";
  return "invalid yaml: " + m + (hint.empty() ? "" : " (" + hint + ")");
}

const Field* MapView::find(const std::string& key) const {
  for (const auto& f : fields)
    if (f.key == key) return &f;
  return nullptr;
}

SourcePos Reader::pos(const YAML::Mark& m) const {
  if (m.is_null()) return SourcePos{file_, 0, 0};
  return SourcePos{file_, m.line + 1, m.column + 1};
}

SourcePos Reader::pos(const Field& f) const {
  if (!f.value.IsDefined() || f.value.IsNull() || f.value.Mark().is_null()) return pos(f.key_node);
  return pos(f.value);
}

namespace {

// Where each document of a YAML stream starts: the mark of its first node, and whether that node
// is an empty (null) one.
struct DocumentStarts : YAML::EventHandler {
  std::vector<YAML::Mark> marks;
  std::vector<bool> null;
  bool started = false;
  void first(const YAML::Mark& m, bool is_null) {
    if (!started) return;
    started = false;
    marks.push_back(m);
    null.push_back(is_null);
  }
  void OnDocumentStart(const YAML::Mark&) override { started = true; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t) override { first(m, true); }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { first(m, false); }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t, const std::string&) override { first(m, false); }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    first(m, false);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    first(m, false);
  }
  void OnMapEnd() override {}
};

}  // namespace

std::optional<Node> Reader::parse(const std::string& text, const std::string& empty_message) {
  Node root;
  DocumentStarts documents;
  try {
    // Never YAML::LoadAll: yaml-cpp 0.7's loops forever, allocating without bound, on a ',' outside
    // brackets (its parser returns the same empty document again and again without consuming the
    // token; jbeder/yaml-cpp#1040, found by fuzz/sweep_spec_fuzzer.cpp). The stream is parsed for
    // at most two documents, then the first is loaded.
    std::istringstream in(text);
    YAML::Parser parser(in);
    for (int k = 0; k < 2 && parser.HandleNextDocument(documents); ++k) {
    }
    if (documents.marks.size() == 2 && documents.marks[0].pos == documents.marks[1].pos) {
      // The same document twice: a token the parser cannot consume.
      const std::size_t at = static_cast<std::size_t>(std::max(0, documents.marks[0].pos));
      const std::string what = at < text.size() ? escape_control_bytes(text.substr(at, 1)) : "end of file";
      error(pos(documents.marks[0]), "", "invalid yaml: unexpected '" + what + "' (a ',' belongs inside [ ] or { })");
      return std::nullopt;
    }
    if (documents.marks.size() < 2) root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    error(pos(e.mark), "", clean_yaml_message(e.msg));
    return std::nullopt;
  }
  if (documents.marks.size() > 1) {
    // The second document's own mark, or else (an empty document) the line of its '---'.
    SourcePos at = documents.null[1] ? SourcePos{file_, 0, 0} : pos(documents.marks[1]);
    if (at.line == 0) {
      int line = 1, starts = 0;
      for (std::size_t i = 0; i < text.size(); ++i) {
        if ((i == 0 || text[i - 1] == '\n') && text.compare(i, 3, "---") == 0 && ++starts == 2) break;
        if (text[i] == '\n') ++line;
      }
      at = SourcePos{file_, line, 1};
    }
    error(at, "", "a second yaml document (after '---'), which would be ignored; keep one document per file");
    return std::nullopt;
  }
  if (!root.IsDefined() || root.IsNull()) {
    error(SourcePos{file_, 0, 0}, "", empty_message);
    return std::nullopt;
  }
  return root;
}

std::optional<MapView> Reader::open_map(const Node& n, const SourcePos& where,
                                        const std::string& path,
                                        const std::vector<std::string>& allowed,
                                        const std::string& expected,
                                        const std::map<std::string, std::string>& special) {
  if (!n.IsMap()) {
    error(where, path, "expected " + expected + ", got " + describe(n));
    return std::nullopt;
  }
  MapView view;
  std::map<std::string, int> seen_at_line;
  for (auto it = n.begin(); it != n.end(); ++it) {
    const Node key_node = it->first;  // a copy: the iterator yields a temporary pair
    if (!key_node.IsScalar()) {
      error(pos(key_node), path, "expected a plain key, got " + describe(key_node));
      continue;
    }
    const std::string key = key_node.Scalar();
    const SourcePos key_pos = pos(key_node);
    if (seen_at_line.count(key)) {
      error(key_pos, path,
            "duplicate key '" + key + "' (first given at line " +
                std::to_string(seen_at_line[key]) + "); keep only one");
      continue;
    }
    seen_at_line[key] = key_pos.line;
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      if (auto s = special.find(key); s != special.end()) {
        error(key_pos, path, s->second);
        continue;
      }
      std::string hint = did_you_mean(key, allowed);
      if (hint.empty())
        hint = allowed.size() <= 12 ? "; expected one of: " + or_list(allowed) : long_list_hint_;
      error(key_pos, path, "unknown key '" + key + "'" + hint);
      continue;
    }
    view.fields.push_back(Field{key, key_node, it->second});
  }
  return view;
}

std::optional<std::string> Reader::read_string(const Node& n, const SourcePos& where,
                                               const std::string& path) {
  if (n.IsScalar()) return n.Scalar();
  error(where, path, "expected text, got " + describe(n));
  return std::nullopt;
}

std::optional<double> Reader::read_number(const Node& n, const SourcePos& where,
                                          const std::string& path) {
  if (n.IsScalar() && n.Tag() == "!") {
    error(where, path, "expected a number, got " + describe(n) + "; remove the quotes");
    return std::nullopt;
  }
  if (n.IsScalar()) {
    const std::string& text = n.Scalar();
    if (text.find_first_of("xX") != std::string::npos) {
      error(where, path, "expected a decimal number, got '" + text + "'");
      return std::nullopt;
    }
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(text.c_str(), &end);
    if (!text.empty() && end == text.c_str() + text.size() && errno == 0 && std::isfinite(v))
      return v;
    if (!text.empty() && end == text.c_str() + text.size()) {
      error(where, path, "expected a finite number, got '" + text + "'");
      return std::nullopt;
    }
  }
  error(where, path, "expected a number, got " + describe(n));
  return std::nullopt;
}

std::optional<double> Reader::read_in_range(const Node& n, const SourcePos& where,
                                            const std::string& path, double min, double max) {
  auto v = read_number(n, where, path);
  if (v && (*v < min || *v > max)) {
    error(where, path,
          "must be in [" + format_number(min) + ", " + format_number(max) + "], got " + n.Scalar());
    return std::nullopt;
  }
  return v;
}

std::optional<long long> Reader::read_integer(const Node& n, const SourcePos& where,
                                              const std::string& path) {
  if (n.IsScalar() && n.Tag() != "!") {
    const std::string& text = n.Scalar();
    char* end = nullptr;
    errno = 0;
    const long long v = std::strtoll(text.c_str(), &end, 10);
    if (!text.empty() && end == text.c_str() + text.size() && errno == 0) return v;
  }
  error(where, path, "expected a whole number, got " + describe(n));
  return std::nullopt;
}

std::optional<bool> Reader::read_bool(const Node& n, const SourcePos& where,
                                      const std::string& path) {
  if (n.IsScalar() && n.Tag() != "!") {
    if (n.Scalar() == "true") return true;
    if (n.Scalar() == "false") return false;
  }
  error(where, path, "expected true or false, got " + describe(n));
  return std::nullopt;
}

std::optional<std::size_t> Reader::read_choice(const Node& n, const SourcePos& where,
                                               const std::string& path,
                                               const std::vector<std::string>& options) {
  if (n.IsScalar()) {
    for (std::size_t i = 0; i < options.size(); ++i)
      if (n.Scalar() == options[i]) return i;
    error(where, path,
          "expected " + or_list(options) + ", got " + describe(n) +
              did_you_mean(n.Scalar(), options));
    return std::nullopt;
  }
  error(where, path, "expected " + or_list(options) + ", got " + describe(n));
  return std::nullopt;
}

}  // namespace alignsim::yaml_input
