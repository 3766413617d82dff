#include "sim/error.hpp"

#include <sstream>

namespace alignsim {

std::string format_diagnostic(const Diagnostic& d) {
  std::ostringstream out;
  out << d.pos.file;
  if (d.pos.line > 0) out << ':' << d.pos.line << ':' << d.pos.column;
  out << ": error: ";
  if (!d.path.empty()) out << d.path << ": ";
  out << d.message;
  return out.str();
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
