#pragma once
// Reading hand-written YAML with positions (internal to sim/): the scenario loader and the
// sweep-spec loader share it, so both collect every problem in one pass and report it the same
// way, as `file:line:col: error: key.path: message`.
#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/error.hpp"

namespace alignsim::yaml_input {

/// "a", "a or b", "a, b or c".
std::string or_list(const std::vector<std::string>& words);
/// What a node is, for messages: 'text', the quoted text "text", a sequence, a mapping, nothing.
std::string describe(const YAML::Node& n);
std::string lower(std::string s);
/// The reason read_text gives for a folder.
inline constexpr const char* kIsADirectory = "is a directory";
/// The largest input file read_text reads (docs/reliability.md "Limits"): a hand-written
/// scenario is a few kilobytes; this also ends a read of /dev/zero or a pipe that never ends.
inline constexpr std::size_t kMaxInputBytes = 8u << 20;
/// The reason read_text gives for a file larger than kMaxInputBytes.
inline constexpr const char* kTooLarge = "is larger than 8 MiB, the limit for an input file";
/// Reads a whole file of at most kMaxInputBytes; nullopt with `reason` (kIsADirectory,
/// kTooLarge, or the lower-case strerror) when it cannot be read.
std::optional<std::string> read_text(const std::string& path, std::string* reason);

/// yaml-cpp's parser message, lower-cased and with how to fix the common ones.
std::string clean_yaml_message(const std::string& msg);

/// One `key: value` of a mapping, with the key node kept for positions.
struct Field {
  std::string key;
  YAML::Node key_node;
  YAML::Node value;
};

/// The accepted keys of a mapping, first occurrence each, in file order.
struct MapView {
  std::vector<Field> fields;
  const Field* find(const std::string& key) const;
};

/// Positions, diagnostics and typed reads for one file. Loaders derive from it.
class Reader {
 protected:
  /// `long_list_hint` follows "unknown key 'x'" when the accepted keys are too many to list.
  Reader(std::string file, std::string long_list_hint)
      : file_(std::move(file)), long_list_hint_(std::move(long_list_hint)) {}

  void error(const SourcePos& pos, const std::string& path, std::string message) {
    diags_.push_back(Diagnostic{pos, path, std::move(message)});
  }
  SourcePos pos(const YAML::Mark& m) const;
  SourcePos pos(const YAML::Node& n) const { return pos(n.Mark()); }
  /// A null value (`key:` with nothing after it) has no useful mark; points at the key instead.
  SourcePos pos(const Field& f) const;

  /// Parses `text` as one document; a syntax error, a second document (after `---`) or an
  /// empty document is recorded (the latter as `empty_message`, for the file as a whole) and
  /// gives nullopt.
  std::optional<YAML::Node> parse(const std::string& text, const std::string& empty_message);

  /// Checks that `n` is a mapping of `allowed` keys (any key if `allowed` is empty), without
  /// duplicates; an unknown key is an error with a did-you-mean hint, or `special[key]`.
  std::optional<MapView> open_map(const YAML::Node& n, const SourcePos& where,
                                  const std::string& path, const std::vector<std::string>& allowed,
                                  const std::string& expected,
                                  const std::map<std::string, std::string>& special = {});

  std::optional<std::string> read_string(const YAML::Node& n, const SourcePos& where,
                                         const std::string& path);
  /// A finite number, unquoted.
  std::optional<double> read_number(const YAML::Node& n, const SourcePos& where,
                                    const std::string& path);
  std::optional<double> read_in_range(const YAML::Node& n, const SourcePos& where,
                                      const std::string& path, double min, double max);
  std::optional<long long> read_integer(const YAML::Node& n, const SourcePos& where,
                                        const std::string& path);
  std::optional<bool> read_bool(const YAML::Node& n, const SourcePos& where,
                                const std::string& path);
  /// The index of the option `n` spells.
  std::optional<std::size_t> read_choice(const YAML::Node& n, const SourcePos& where,
                                         const std::string& path,
                                         const std::vector<std::string>& options);

  std::string file_;
  std::vector<Diagnostic> diags_;

 private:
  std::string long_list_hint_;
};

}  // namespace alignsim::yaml_input
