#include "sim/error.hpp"

#include <sstream>

namespace alignsim {

std::string escape_control_bytes(const std::string& text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size());
  auto hex = [&out](unsigned char c) {
    static const char* const kDigits = "0123456789abcdef";
    out += "\\x";
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n' && keep_newlines) {
      out += '\n';
    } else if (c < 0x20 || c == 0x7f) {
      hex(c);
    } else if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      hex(c);  // U+0080..U+009F: C1 controls, CSI among them
      hex(static_cast<unsigned char>(text[++i]));
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string format_diagnostic(const Diagnostic& d) {
  std::ostringstream out;
  out << d.pos.file;
  if (d.pos.line > 0) out << ':' << d.pos.line << ':' << d.pos.column;
  out << ": error: ";
  if (!d.path.empty()) out << d.path << ": ";
  out << d.message;
  return escape_control_bytes(out.str());
}

namespace {
std::string join_diagnostics(const std::vector<Diagnostic>& ds) {
  std::string all;
  for (const auto& d : ds) {
    if (!all.empty()) all += '\n';
    all += format_diagnostic(d);
  }
  return all;
}
}  // namespace

InputError::InputError(std::vector<Diagnostic> diagnostics)
    : Error(join_diagnostics(diagnostics)), diagnostics_(std::move(diagnostics)) {}

}  // namespace alignsim
