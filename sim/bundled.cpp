#include "sim/bundled.hpp"

#include <filesystem>

namespace alignsim {

std::string bundled_scenarios_dir() {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  const fs::path dir = (exe.parent_path() / ".." / "share" / "alignsim" / "scenarios").lexically_normal();
  return fs::is_directory(dir, ec) ? dir.string() : "";
}

}  // namespace alignsim
