#pragma once
// The user-facing error family (docs/architecture.md "Errors"). Caught in exactly one
// place, the CLI's main: InputError and UsageError exit 2, RuntimeError exits 1.
#include <stdexcept>
#include <string>
#include <vector>

namespace alignsim {

/// Base of every error a user can cause; what() is the full message to print.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A 1-based position in a user's file; line 0 means "the file as a whole".
struct SourcePos {
  std::string file;
  int line = 0;
  int column = 0;
};

/// One diagnostic: `file:line:col: error: key.path: message`.
struct Diagnostic {
  SourcePos pos;
  std::string path;  // dotted key path, e.g. states[4].dependence_aversion
  std::string message;
};

/// Formats one diagnostic as a compiler would: `file:line:col: error: path: message`, with
/// control bytes escaped (escape_control_bytes).
std::string format_diagnostic(const Diagnostic& d);

/// `text` with every control byte (C0, DEL and the UTF-8 C1 controls) written as `\xNN`, so a
/// message quoting hostile input cannot drive the terminal (ESC sequences) or fake lines;
/// newlines are kept only if `keep_newlines`.
std::string escape_control_bytes(const std::string& text, bool keep_newlines = false);

/// Bad input (scenario, sweep spec, --set value); carries every problem found in one pass.
class InputError : public Error {
 public:
  explicit InputError(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

/// Bad command line (unknown option, missing argument).
class UsageError : public Error {
 public:
  using Error::Error;
};

/// A failure while running that is not the user's input (I/O failure, numeric breakdown).
class RuntimeError : public Error {
 public:
  using Error::Error;
};

}  // namespace alignsim
