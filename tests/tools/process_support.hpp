#pragma once
// The real alignsim binary as a child process: spawned with extra environment variables, its
// stdout and stderr in files, waited for, killed.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace alignsim::testing {

/// Starts ALIGNSIM_BINARY with `args` and `env` added to the environment, stdout and stderr to
/// `dir`/stdout and `dir`/stderr; returns its pid.
/// A `file_size_limit` > 0 (bytes) is the child's RLIMIT_FSIZE, as `ulimit -f` sets it.
inline pid_t spawn_alignsim(const std::vector<std::string>& args, const std::filesystem::path& dir,
                            const std::vector<std::pair<std::string, std::string>>& env = {},
                            long file_size_limit = 0) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int out = ::open((dir / "stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open((dir / "stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(out, 1);
    ::dup2(err, 2);
    if (file_size_limit > 0) {
      const rlimit limit{static_cast<rlim_t>(file_size_limit), static_cast<rlim_t>(file_size_limit)};
      ::setrlimit(RLIMIT_FSIZE, &limit);
    }
    for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> argv;
    std::string binary = ALIGNSIM_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

/// The child's exit code, or 128 + the signal that ended it.
inline int wait_exit_code(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

}  // namespace alignsim::testing
