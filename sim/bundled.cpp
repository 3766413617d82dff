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

std::string find_scenario(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (path.empty() || !fs::path(path).is_relative() || fs::exists(path, ec)) return path;
  const std::string dir = bundled_scenarios_dir();
  const std::string rel = path.rfind("scenarios/", 0) == 0 ? path.substr(10) : path;
  if (dir.empty() || !fs::is_regular_file(fs::path(dir) / rel, ec)) return path;
  return (fs::path(dir) / rel).string();
}

}  // namespace alignsim
