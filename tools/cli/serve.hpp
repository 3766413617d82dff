#pragma once
// `alignsim serve`: the classroom live view. A small HTTP server (cpp-httplib) serving one page
// (tools/web/index.html, live.js, live.css and the vendored ECharts, all compiled in) and a JSON
// API over per-tab simulations (docs/classroom.md).
#include <chrono>
#include <cstddef>
#include <memory>
#include <ostream>
#include <string>

#include "tools/cli/commands.hpp"

namespace alignsim::cli {

int serve_command(const Args& args, std::ostream& out, std::ostream& err);

/// What `alignsim serve` was asked for; the defaults are the command's.
struct ServeOptions {
  std::string scenario;                 // initial scenario file; "" = asean_2016.yaml or the first bundled one
  std::string scenarios_dir = "scenarios";  // the picker lists its *.yaml scenarios (not sweeps/)
  std::string host = "127.0.0.1";       // loopback only unless --host says otherwise
  int port = 8080;                      // 0 = any free port
  bool open = false;                    // open the page in the default browser
  std::size_t max_sessions = 32;        // live tabs at once
  std::chrono::seconds idle_timeout{600};  // a tab unseen this long loses its simulation
  // Connections one client address may hold at once (a tab keeps up to six); more get a 503.
  // 0 = no limit.
  std::size_t max_connections_per_client = 64;
};

/// Parses `alignsim serve` arguments. `help` is set (and the text written to `help_text`) on
/// --help. @throws UsageError on a malformed command line.
ServeOptions parse_serve_options(const Args& args, bool* help, std::string* help_text);

/// The live-view server: load the scenarios, bind, run until stop().
class LiveServer {
 public:
  /// Loads the initial scenario and the bundled ones. @throws InputError, UsageError.
  LiveServer(ServeOptions options, std::ostream& log);
  ~LiveServer();
  LiveServer(const LiveServer&) = delete;
  LiveServer& operator=(const LiveServer&) = delete;

  /// Binds options.host:options.port and returns the port. @throws RuntimeError on failure.
  int bind();
  /// Serves requests until stop() is called (from another thread). @pre bind() succeeded.
  void run();
  void stop();
  bool is_running() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace alignsim::cli
