// An LD_PRELOAD shim for the fault-injection tests (tests/tools/sweep_fault_test.cpp): counts the
// process's write, pwrite, fsync, fdatasync, rename, renameat, truncate and ftruncate calls and
// kills the process with SIGKILL at the ALIGNSIM_FAULT_AT-th one, before it happens: what a
// power cut, the OOM killer or a Slurm preemption does at that instant. Just before, it
// creates the file ALIGNSIM_FAULT_MARK (if set), so a test knows the kill happened. Without
// the variable (or under MPI on a rank other than 0) it only forwards the calls.
// <unistd.h> and <stdio.h> are not included: their declarations of these functions carry
// exception specifications that the definitions below would contradict.
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/types.h>

#include <atomic>

extern "C" int close(int fd);  // as <unistd.h> declares it

namespace {

std::atomic<long> g_calls{0};

long fault_at() {
  static const long at = [] {
    const char* rank = getenv("OMPI_COMM_WORLD_RANK");
    if (rank && rank[0] != '0') return 0L;
    const char* v = getenv("ALIGNSIM_FAULT_AT");
    return v ? atol(v) : 0L;
  }();
  return at;
}

void count_and_maybe_die() {
  const long at = fault_at();
  if (at > 0 && g_calls.fetch_add(1) + 1 == at) {
    if (const char* mark = getenv("ALIGNSIM_FAULT_MARK")) {
      const int fd = open(mark, O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) close(fd);
    }
    raise(SIGKILL);
  }
}

template <typename F>
F next(const char* name) {
  return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

}  // namespace

extern "C" {

ssize_t write(int fd, const void* buf, size_t n) {
  static auto real = next<ssize_t (*)(int, const void*, size_t)>("write");
  count_and_maybe_die();
  return real(fd, buf, n);
}

ssize_t pwrite(int fd, const void* buf, size_t n, off_t off) {
  static auto real = next<ssize_t (*)(int, const void*, size_t, off_t)>("pwrite");
  count_and_maybe_die();
  return real(fd, buf, n, off);
}

int fsync(int fd) {
  static auto real = next<int (*)(int)>("fsync");
  count_and_maybe_die();
  return real(fd);
}

int fdatasync(int fd) {
  static auto real = next<int (*)(int)>("fdatasync");
  count_and_maybe_die();
  return real(fd);
}

int rename(const char* from, const char* to) {
  static auto real = next<int (*)(const char*, const char*)>("rename");
  count_and_maybe_die();
  return real(from, to);
}

int renameat(int a, const char* from, int b, const char* to) {
  static auto real = next<int (*)(int, const char*, int, const char*)>("renameat");
  count_and_maybe_die();
  return real(a, from, b, to);
}

int truncate(const char* path, off_t size) {
  static auto real = next<int (*)(const char*, off_t)>("truncate");
  count_and_maybe_die();
  return real(path, size);
}

int ftruncate(int fd, off_t size) {
  static auto real = next<int (*)(int, off_t)>("ftruncate");
  count_and_maybe_die();
  return real(fd, size);
}

}  // extern "C"
