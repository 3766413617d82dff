#include "sim/atomic_file.hpp"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

#include "sim/error.hpp"

namespace alignsim {

namespace {
std::string reason(int e) {
  std::string r = std::strerror(e);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}
}  // namespace

void write_file_atomically(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw RuntimeError("cannot write '" + tmp + "': check that the folder exists and is writable");
  auto fail = [&](const char* what) {
    const int e = errno;
    ::close(fd);
    std::remove(tmp.c_str());
    throw RuntimeError("cannot write '" + tmp + "': " + what + " (" + reason(e) + ")");
  };
  for (std::size_t done = 0; done < content.size();) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("disk full or I/O error");
    done += static_cast<std::size_t>(n);
  }
  // On disk before the rename makes it visible: after a power cut the name holds the old
  // content or the new one, never an empty file.
  if (::fsync(fd) != 0) fail("cannot sync it to disk");
  if (::close(fd) != 0) {
    std::remove(tmp.c_str());
    throw RuntimeError("cannot write '" + tmp + "': I/O error on close");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int e = errno;
    std::remove(tmp.c_str());
    throw RuntimeError("cannot rename '" + tmp + "' to '" + path + "': " + reason(e));
  }
}

}  // namespace alignsim
