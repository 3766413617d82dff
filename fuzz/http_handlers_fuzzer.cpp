// Any bytes as one HTTP exchange with `alignsim serve` (a real server on a loopback port in
// this process): it answers or closes, never crashes; an answer is never a 500.
#include <cstddef>
#include <cstdint>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tools/cli/serve.hpp"

namespace {

struct Served {
  std::ostringstream log;
  std::unique_ptr<alignsim::cli::LiveServer> server;
  std::thread thread;
  int port = 0;
  Served() {
    alignsim::cli::ServeOptions o;
    o.scenario = ALIGNSIM_SOURCE_DIR "/scenarios/asean_2016.yaml";
    o.scenarios_dir = ALIGNSIM_SOURCE_DIR "/scenarios";
    o.port = 0;
    server = std::make_unique<alignsim::cli::LiveServer>(o, log);
    port = server->bind();
    thread = std::thread([this] { server->run(); });
    while (!server->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
};

Served& served() {
  static Served* s = new Served;  // never destroyed: libFuzzer exits from its own thread
  return *s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const int port = served().port;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  // A connect interrupted by a signal (libFuzzer's -timeout alarm fires every second: EINTR,
  // which CI hit twice) tries again. A client out of local ports (EADDRNOTAVAIL: thousands of connections a second leave them in
  // TIME_WAIT) waits and tries again with a new socket, and so does one refused while the server
  // listens again after a failed accept (LiveServer::run()); refused for 2 s, or any other
  // failure, means the server stopped listening: a finding.
  int fd = -1;
  for (int tries = 0;; ++tries) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) break;
    const int error = errno;
    ::close(fd);
    if (error == EINTR || ((error == EADDRNOTAVAIL || error == EAGAIN || error == ECONNREFUSED) && tries < 200)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    errno = error;
    std::perror("fuzz_http_handlers: connect to the server");
    std::abort();
  }
  for (std::size_t sent = 0; sent < size;) {
    const ssize_t n = ::send(fd, data + sent, size - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);  // the request ends here: the server must not wait for more
  std::string answer;
  char buf[65536];
  pollfd p{fd, POLLIN, 0};
  while (::poll(&p, 1, 10000) > 0) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    if (answer.size() < 64) answer.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  // "HTTP/1.1 500": the server failed on this input.
  if (answer.compare(0, 12, "HTTP/1.1 500") == 0) std::abort();
  return 0;
}
