#include "tools/cli/serve.hpp"

#include <netdb.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <thread>

#include <boost/program_options.hpp>
#include <filesystem>
#include <httplib.h>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <vector>

#include "sim/bundled.hpp"
#include "sim/error.hpp"
#include "sim/scenario_loader.hpp"
#include "tools/cli/serve_session.hpp"
#include "tools/cli/web_assets.hpp"

extern char** environ;

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace alignsim::cli {

namespace {

using json = nlohmann::json;
using Clock = LiveSession::Clock;

// Request bodies are a few hundred bytes of JSON; anything much larger is a mistake or abuse.
constexpr std::size_t kMaxBodyBytes = 64 * 1024;
// Each browser tab keeps up to six connections open; a lecture hall has a few dozen tabs. A
// worker is held by a connection for as long as its client takes to send a request (a client
// trickling a header byte a second holds one indefinitely), so workers are started as
// connections need them, up to this many (docs/reliability.md "serve").
constexpr std::size_t kMaxWorkerThreads = 512;

// cpp-httplib's TaskQueue that starts a worker whenever every running one is busy (httplib's
// own ThreadPool has a fixed size: 32 slow clients froze it), up to `max`; idle workers are
// reused. Connections beyond `max` wait for a worker.
class GrowingPool : public httplib::TaskQueue {
 public:
  explicit GrowingPool(std::size_t max) : max_(max) {}
  ~GrowingPool() override { shutdown(); }
  void enqueue(std::function<void()> fn) override {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.push_back(std::move(fn));
    if (jobs_.size() > idle_ && workers_.size() < max_) workers_.emplace_back([this] { work(); });
    else ready_.notify_one();
  }
  void shutdown() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    ready_.notify_all();
    for (auto& w : workers_)
      if (w.joinable()) w.join();
  }

 private:
  void work() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      ++idle_;
      ready_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
      --idle_;
      if (jobs_.empty()) return;  // stopping, nothing left to serve
      std::function<void()> fn = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      fn();
      lock.lock();
    }
  }

  const std::size_t max_;
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> workers_;
  std::size_t idle_ = 0;
  bool stop_ = false;
};

// A connection of cpp-httplib's server as its Stream: reads (buffered) and writes with the
// server's timeouts. The same as httplib's own detail::SocketStream, which its header does not
// export.
class SocketStream final : public httplib::Stream {
 public:
  SocketStream(socket_t sock, int read_timeout_ms, int write_timeout_ms)
      : sock_(sock), read_timeout_ms_(read_timeout_ms), write_timeout_ms_(write_timeout_ms) {}
  bool is_readable() const override { return wait_for(POLLIN, read_timeout_ms_); }
  bool is_writable() const override { return wait_for(POLLOUT, write_timeout_ms_); }
  ssize_t read(char* ptr, size_t size) override {
    if (offset_ < filled_) {
      const std::size_t n = std::min(size, filled_ - offset_);
      std::memcpy(ptr, buffer_.data() + offset_, n);
      offset_ += n;
      return static_cast<ssize_t>(n);
    }
    if (!is_readable()) return -1;
    if (size >= buffer_.size()) return receive(ptr, size);
    offset_ = filled_ = 0;
    const ssize_t n = receive(buffer_.data(), buffer_.size());
    if (n <= 0) return n;
    filled_ = static_cast<std::size_t>(n);
    offset_ = std::min(size, filled_);
    std::memcpy(ptr, buffer_.data(), offset_);
    return static_cast<ssize_t>(offset_);
  }
  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;
    ssize_t n;
    do n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    return n;
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override { address(::getpeername, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { address(::getsockname, ip, port); }
  socket_t socket() const override { return sock_; }

 private:
  bool wait_for(short events, int timeout_ms) const {
    pollfd p{sock_, events, 0};
    int r;
    do r = ::poll(&p, 1, timeout_ms);
    while (r < 0 && errno == EINTR);
    return r > 0;
  }
  ssize_t receive(char* ptr, std::size_t size) {
    ssize_t n;
    do n = ::recv(sock_, ptr, size, 0);
    while (n < 0 && errno == EINTR);
    return n;
  }
  void address(int (*name)(int, sockaddr*, socklen_t*), std::string& ip, int& port) const {
    sockaddr_storage a{};
    socklen_t len = sizeof a;
    ip.clear();
    port = 0;
    if (name(sock_, reinterpret_cast<sockaddr*>(&a), &len) != 0) return;
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    if (::getnameinfo(reinterpret_cast<sockaddr*>(&a), len, host, sizeof host, serv, sizeof serv,
                      NI_NUMERICHOST | NI_NUMERICSERV) != 0)
      return;
    ip = host;
    port = std::atoi(serv);
  }

  socket_t sock_;
  int read_timeout_ms_, write_timeout_ms_;
  std::array<char, 4096> buffer_{};
  std::size_t offset_ = 0, filled_ = 0;
};

// cpp-httplib's server with a limit on the connections one client address holds at once: a
// connection is a worker for as long as its client keeps it (a client trickling its headers
// holds one indefinitely), so one computer opening hundreds of them would take every worker
// and freeze a classroom (docs/reliability.md "serve"). A connection over the limit is
// answered 503 and closed. Otherwise a connection is served as httplib's own
// Server::process_and_close_socket serves it (its extension point, which its SSLServer uses
// too): up to keep_alive_max_count requests, each within the read and write timeouts, then
// shutdown and close.
class ClientLimitedServer : public httplib::Server {
 public:
  /// 0: no limit.
  void set_max_connections_per_client(std::size_t n) { per_client_ = n; }

 private:
  bool process_and_close_socket(socket_t sock) override {
    std::string client;
    int port = 0;
    SocketStream(sock, 0, 0).get_remote_ip_and_port(client, port);
    bool admitted = true;
    {
      std::lock_guard<std::mutex> lock(mu_);
      std::size_t& open = open_[client];
      if (per_client_ > 0 && open >= per_client_) admitted = false;
      else ++open;
    }
    bool ok = false;
    if (admitted) {
      struct Release {
        ClientLimitedServer& s;
        const std::string& client;
        ~Release() {
          std::lock_guard<std::mutex> lock(s.mu_);
          if (--s.open_[client] == 0) s.open_.erase(client);
        }
      } release{*this, client};
      ok = serve(sock);
    } else {
      refuse(sock);
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return ok;
  }

  // httplib 0.11.4's detail::process_server_socket: requests while the server runs, at most
  // keep_alive_max_count_, each once the client sends within keep_alive_timeout_sec_.
  bool serve(socket_t sock) {
    const int read_ms = static_cast<int>(read_timeout_sec_ * 1000 + read_timeout_usec_ / 1000);
    const int write_ms = static_cast<int>(write_timeout_sec_ * 1000 + write_timeout_usec_ / 1000);
    bool ok = false;
    for (std::size_t left = keep_alive_max_count_; svr_sock_ != INVALID_SOCKET && left > 0 && client_sends(sock); --left) {
      SocketStream stream(sock, read_ms, write_ms);
      bool closed = false;
      ok = process_request(stream, left == 1, closed, nullptr);
      if (!ok || closed) break;
    }
    return ok;
  }

  // Whether the client sends (or closes) within the keep-alive timeout; false once the server stops.
  bool client_sends(socket_t sock) const {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(keep_alive_timeout_sec_);
    while (svr_sock_ != INVALID_SOCKET) {
      pollfd p{sock, POLLIN, 0};
      const int r = ::poll(&p, 1, 100);
      if (r > 0) return true;
      if (r < 0 && errno != EINTR) return false;
      if (std::chrono::steady_clock::now() >= end) return false;
    }
    return false;
  }

  void refuse(socket_t sock) {
    const std::string body = json{{"error", "too many connections from this computer (at most " +
                                                std::to_string(per_client_) + " at once); close some tabs"}}
                                 .dump();
    const std::string reply = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                              "Cache-Control: no-store\r\nRetry-After: 5\r\nConnection: close\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\n\r\n" + body;
    SocketStream(sock, 0, static_cast<int>(write_timeout_sec_ * 1000)).write(reply.data(), reply.size());
  }

  std::size_t per_client_ = 0;
  std::mutex mu_;
  std::map<std::string, std::size_t> open_;  // connections being served, by client address
};

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  // Error texts quote the request (a path, a body): invalid UTF-8 in it is replaced, never a 500.
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
  res.set_header("Cache-Control", "no-store");
}

void send_error(httplib::Response& res, int status, const std::string& message) {
  send_json(res, status, {{"error", message}});
}

json parse_body(const httplib::Request& req) {
  json body;
  try {
    body = json::parse(req.body);
  } catch (const json::exception& e) {  // parse_error, and out_of_range for 1e400
    throw HttpError{400, std::string("malformed JSON in the request body: ") + e.what()};
  }
  if (!body.is_object()) throw HttpError{400, "the request body must be a JSON object, got " + body.dump()};
  return body;
}

std::string string_field(const json& body, const char* key) {
  const auto it = body.find(key);
  if (it == body.end()) throw HttpError{400, std::string("missing field '") + key + "'"};
  if (!it->is_string()) throw HttpError{400, std::string("'") + key + "' must be a string, got " + it->dump()};
  return it->get<std::string>();
}

double number_field(const json& body, const char* key) {
  const auto it = body.find(key);
  if (it == body.end()) throw HttpError{400, std::string("missing field '") + key + "'"};
  if (!it->is_number()) throw HttpError{400, std::string("'") + key + "' must be a number, got " + it->dump()};
  return it->get<double>();
}

int integer_field(const json& body, const char* key) {
  const auto it = body.find(key);
  if (it == body.end()) throw HttpError{400, std::string("missing field '") + key + "'"};
  if (!it->is_number_integer() || it->get<long long>() < INT32_MIN || it->get<long long>() > INT32_MAX)
    throw HttpError{400, std::string("'") + key + "' must be an integer, got " + it->dump()};
  return it->get<int>();
}

int integer_param(const httplib::Request& req, const char* key, int fallback) {
  if (!req.has_param(key)) return fallback;
  const std::string text = req.get_param_value(key);
  try {
    std::size_t used = 0;
    const int v = std::stoi(text, &used);
    if (used == text.size()) return v;
  } catch (const std::exception&) {
  }
  throw HttpError{400, std::string("query parameter '") + key + "' must be an integer, got '" + text + "'"};
}

// A bundled scenario the picker offers: `id` is its path relative to --scenarios (or the path
// given on the command line); sessions are only ever created from these, never from a path a
// request names.
struct CatalogEntry {
  std::string id;
  Scenario scenario;
};

// Sweep and calibration specs live beside the scenarios but are not scenarios.
bool is_experiment_spec(const fs::path& relative) {
  for (const auto& part : relative)
    if (part == "sweeps" || part == "calibration") return true;
  return false;
}

std::vector<CatalogEntry> load_catalog(const std::string& dir, std::ostream& log) {
  std::vector<CatalogEntry> entries;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return entries;
  std::vector<fs::path> files;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file() && it->path().extension() == ".yaml") files.push_back(it->path());
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    const fs::path relative = fs::relative(file, dir);
    if (is_experiment_spec(relative)) continue;
    try {
      entries.push_back({relative.generic_string(), load_scenario(file.string())});
    } catch (const InputError& e) {
      log << "alignsim serve: skipping " << file.string() << " (not a valid scenario):\n" << e.what() << '\n';
    }
  }
  return entries;
}

// The id of `file` in the catalog: its path relative to `dir` if it lies inside, else as given.
std::string catalog_id(const std::string& file, const std::string& dir) {
  std::error_code ec;
  const fs::path f = fs::weakly_canonical(file, ec);
  const fs::path d = fs::weakly_canonical(dir, ec);
  const fs::path relative = f.lexically_relative(d);
  if (!ec && !relative.empty() && *relative.begin() != "..") return relative.generic_string();
  return file;
}

std::string random_session_id(std::mt19937_64& rng) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (int k = 0; k < 2; ++k) {
    std::uint64_t v = rng();
    for (int d = 0; d < 16; ++d, v >>= 4) id += kHex[v & 15];
  }
  return id;
}

// Opens `url` in the desktop's browser without waiting for it.
void open_in_browser(const std::string& url, std::ostream& log) {
  pid_t pid;
  const char* argv[] = {"xdg-open", url.c_str(), nullptr};
  if (posix_spawnp(&pid, "xdg-open", nullptr, nullptr, const_cast<char**>(argv), environ) != 0)
    log << "alignsim serve: could not run xdg-open; open " << url << " yourself\n";
}

bool is_loopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

constexpr const char* kHelp =
    "usage: alignsim serve [SCENARIO] [--port 8080] [--host 127.0.0.1] [--open] [--scenarios DIR]\n\n"
    "Starts the classroom live view: a web page at http://HOST:PORT/ (by default\n"
    "http://127.0.0.1:8080/) that plays a scenario tick by tick, with play / pause / step /\n"
    "reset, a speed control, the scenario's sliders (its controls: section), live charts, a\n"
    "network of the states, each small state's label and motive, the event timeline and an\n"
    "explain panel. Everything is served by this program: no internet connection is needed.\n"
    "Every browser tab gets its own simulation. Stop the server with Ctrl-C.\n\n"
    "The server listens on 127.0.0.1 (this computer only) unless --host says otherwise:\n"
    "--host 0.0.0.0 lets every computer on the network open the page (e.g. students'\n"
    "laptops); there is no password, so do this only on a network you trust.\n\n"
    "options";

}  // namespace

ServeOptions parse_serve_options(const Args& args, bool* help, std::string* help_text) {
  ServeOptions o;
  po::options_description opts(kHelp);
  opts.add_options()("scenario", po::value<std::string>(&o.scenario),
                     "scenario YAML file shown first (default: asean_2016.yaml from --scenarios)")(
      "port", po::value<int>(&o.port)->default_value(o.port), "TCP port to listen on (0: any free port)")(
      "host", po::value<std::string>(&o.host)->default_value(o.host),
      "address to listen on: 127.0.0.1 = this computer only; 0.0.0.0 = every network interface")(
      "open", po::bool_switch(&o.open), "open the page in the default web browser")(
      "scenarios", po::value<std::string>(&o.scenarios_dir)->default_value(o.scenarios_dir),
      "folder of the scenarios offered in the page's picker (every *.yaml scenario in it and its\n"
      "subfolders, except sweeps/); when ./scenarios does not exist, the bundled scenarios\n"
      "of the source tree this program was built from")("help,h", "show this help");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(opts).positional(pos).run(), vm);
    *help = vm.count("help") > 0;
    if (*help) {
      std::ostringstream text;
      text << opts << '\n';
      *help_text = text.str();
      return o;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(std::string(e.what()) + " (see alignsim serve --help)");
  }
  if (o.port < 0 || o.port > 65535) throw UsageError("--port must be in [0, 65535], got " + std::to_string(o.port));
  if (o.host.empty()) throw UsageError("--host must not be empty (e.g. 127.0.0.1)");
  // Started outside the source tree (say from build/): offer the bundled scenarios anyway.
  std::error_code ec;
  if (vm["scenarios"].defaulted() && !fs::is_directory(o.scenarios_dir, ec) &&
      !bundled_scenarios_dir().empty())
    o.scenarios_dir = bundled_scenarios_dir();
  return o;
}

struct LiveServer::Impl {
  ServeOptions options;
  std::ostream& log;
  std::vector<CatalogEntry> catalog;
  std::string default_id;
  ClientLimitedServer http;
  int port = -1;                     // the bound port, for listening again (run())
  std::atomic<bool> stopping{false};  // stop() was called

  std::mutex sessions_mutex;
  std::map<std::string, std::shared_ptr<LiveSession>> sessions;
  std::mt19937_64 id_rng{std::random_device{}()};  // session ids only; never model randomness

  Impl(ServeOptions o, std::ostream& l) : options(std::move(o)), log(l) {}

  const CatalogEntry& entry(const std::string& id) const {
    for (const CatalogEntry& e : catalog)
      if (e.id == id) return e;
    std::vector<std::string> ids;
    for (const CatalogEntry& e : catalog) ids.push_back(e.id);
    throw HttpError{404, "unknown scenario '" + id + "'" + did_you_mean(id, ids) + "; GET /api/scenarios lists them"};
  }

  std::shared_ptr<LiveSession> session(const std::string& id) {
    std::lock_guard<std::mutex> lock(sessions_mutex);
    const auto it = sessions.find(id);
    if (it == sessions.end())
      throw HttpError{404, "unknown session '" + id + "' (it may have expired after " +
                               std::to_string(options.idle_timeout.count()) + " s unused; reload the page)"};
    return it->second;
  }

  void expire_idle(Clock::time_point now) {
    for (auto it = sessions.begin(); it != sessions.end();) {
      // A session in use by a request is locked; try_lock skips it rather than wait.
      std::unique_lock<std::mutex> lock(it->second->mutex(), std::try_to_lock);
      if (lock && now - it->second->last_seen() > options.idle_timeout)
        it = sessions.erase(it);
      else
        ++it;
    }
  }

  json create_session(const json& body) {
    const std::string id = body.contains("scenario") ? string_field(body, "scenario") : default_id;
    const CatalogEntry& e = entry(id);
    std::uint64_t seed = e.scenario.seed;
    if (body.contains("seed")) {
      if (!body["seed"].is_number_unsigned()) throw HttpError{400, "'seed' must be a non-negative integer, got " + body["seed"].dump()};
      seed = body["seed"].get<std::uint64_t>();
    }
    auto s = std::make_shared<LiveSession>(e.id, e.scenario, seed);
    const auto now = Clock::now();
    std::lock_guard<std::mutex> lock(sessions_mutex);
    expire_idle(now);
    if (sessions.size() >= options.max_sessions)
      throw HttpError{429, "too many live sessions (" + std::to_string(options.max_sessions) +
                               "); close another tab or wait " + std::to_string(options.idle_timeout.count()) +
                               " s for idle ones to expire"};
    std::string sid = random_session_id(id_rng);
    while (sessions.count(sid)) sid = random_session_id(id_rng);
    sessions.emplace(sid, s);
    json out = s->describe();
    out["session"] = sid;
    return out;
  }

  json scenarios_json() const {
    json list = json::array();
    for (const CatalogEntry& e : catalog)
      list.push_back({{"id", e.id},
                      {"name", e.scenario.name},
                      {"description", e.scenario.description},
                      {"controls", e.scenario.controls.size()}});
    return {{"default", default_id}, {"scenarios", list}};
  }

  void control(LiveSession& s, const json& body, Clock::time_point now) {
    const std::string action = string_field(body, "action");
    if (action == "play") {
      s.play(now);
    } else if (action == "pause") {
      s.pause();
    } else if (action == "step") {
      s.step(body.contains("steps") ? integer_field(body, "steps") : 1);
    } else if (action == "reset") {
      s.reset();
    } else if (action == "speed") {
      s.set_speed(number_field(body, "speed"));
    } else if (action == "stop_at_end") {
      const auto it = body.find("value");
      if (it == body.end() || !it->is_boolean()) throw HttpError{400, "'value' must be true or false"};
      s.set_stop_at_end(it->get<bool>());
    } else {
      throw HttpError{400, "unknown action '" + action + "' (expected play, pause, step, reset, speed or stop_at_end)"};
    }
  }

  void slider(LiveSession& s, const json& body) {
    const std::string path = string_field(body, "path");
    const double value = number_field(body, "value");
    const std::string mode = body.contains("mode") ? string_field(body, "mode") : "next_tick";
    if (mode != "next_tick" && mode != "restart")
      throw HttpError{400, "'mode' must be \"next_tick\" or \"restart\", got \"" + mode + "\""};
    s.set_slider(path, value, mode == "restart" ? SliderMode::restart : SliderMode::next_tick);
  }

  // Runs `fn(session, now)` under the session's lock and answers with its JSON.
  template <class Fn>
  void with_session(const httplib::Request& req, httplib::Response& res, Fn fn) {
    const auto s = session(req.matches[1]);
    std::lock_guard<std::mutex> lock(s->mutex());
    const auto now = Clock::now();
    s->touch(now);
    send_json(res, 200, fn(*s, now));
  }

  void routes();
};

namespace {

// Wraps a handler so an HttpError becomes its JSON answer.
template <class Fn>
httplib::Server::Handler api(Fn fn) {
  return [fn](const httplib::Request& req, httplib::Response& res) {
    try {
      fn(req, res);
    } catch (const HttpError& e) {
      send_error(res, e.status, e.message);
    }
  };
}

struct Route {
  const char* method;
  const char* pattern;
};

// Every route, for the 405 answer to a known path with the wrong method.
constexpr Route kRoutes[] = {
    {"GET", "/"},
    {"GET", "/assets/.+"},
    {"GET", "/api/scenarios"},
    {"POST", "/api/sessions"},
    {"GET", "/api/sessions/[^/]+"},
    {"DELETE", "/api/sessions/[^/]+"},
    {"GET", "/api/sessions/[^/]+/state"},
    {"POST", "/api/sessions/[^/]+/control"},
    {"POST", "/api/sessions/[^/]+/slider"},
    {"GET", "/api/sessions/[^/]+/explain"},
};

void method_not_allowed_or_404(const httplib::Request& req, httplib::Response& res) {
  std::string allowed;
  for (const Route& r : kRoutes)
    if (std::regex_match(req.path, std::regex(r.pattern)) && allowed.find(r.method) == std::string::npos)
      allowed += (allowed.empty() ? "" : ", ") + std::string(r.method);
  if (allowed.empty()) return send_error(res, 404, "no such page or API endpoint: " + req.path);
  res.set_header("Allow", allowed);
  send_error(res, 405, "method " + req.method + " is not allowed on " + req.path + " (allowed: " + allowed + ")");
}

}  // namespace

void LiveServer::Impl::routes() {
  auto asset = [](const std::string& path, httplib::Response& res) {
    const WebAsset* a = find_web_asset(path);
    if (!a) throw HttpError{404, "no such asset '" + path + "'"};
    res.set_content(std::string(a->data), std::string(a->content_type).c_str());
    res.set_header("Cache-Control", "no-cache");
  };
  http.Get("/", api([asset](const httplib::Request&, httplib::Response& res) { asset("index.html", res); }));
  http.Get("/assets/(.+)", api([asset](const httplib::Request& req, httplib::Response& res) { asset(req.matches[1], res); }));
  http.Get("/api/scenarios", api([this](const httplib::Request&, httplib::Response& res) { send_json(res, 200, scenarios_json()); }));
  http.Post("/api/sessions", api([this](const httplib::Request& req, httplib::Response& res) {
    send_json(res, 201, create_session(req.body.empty() ? json::object() : parse_body(req)));
  }));
  http.Get("/api/sessions/([^/]+)", api([this](const httplib::Request& req, httplib::Response& res) {
    with_session(req, res, [](LiveSession& s, Clock::time_point) { return s.describe(); });
  }));
  http.Delete("/api/sessions/([^/]+)", api([this](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(sessions_mutex);
    if (sessions.erase(req.matches[1]) == 0) throw HttpError{404, "unknown session '" + std::string(req.matches[1]) + "'"};
    send_json(res, 200, {{"deleted", std::string(req.matches[1])}});
  }));
  http.Get("/api/sessions/([^/]+)/state", api([this](const httplib::Request& req, httplib::Response& res) {
    const int run = integer_param(req, "run", -1);
    const int since = integer_param(req, "since", -1);
    with_session(req, res, [&](LiveSession& s, Clock::time_point now) { return s.poll(run, since, now); });
  }));
  http.Post("/api/sessions/([^/]+)/control", api([this](const httplib::Request& req, httplib::Response& res) {
    const json body = parse_body(req);
    with_session(req, res, [&](LiveSession& s, Clock::time_point now) {
      control(s, body, now);
      return s.poll(-1, INT32_MAX, now);
    });
  }));
  http.Post("/api/sessions/([^/]+)/slider", api([this](const httplib::Request& req, httplib::Response& res) {
    const json body = parse_body(req);
    with_session(req, res, [&](LiveSession& s, Clock::time_point now) {
      slider(s, body);
      return s.poll(-1, INT32_MAX, now);
    });
  }));
  http.Get("/api/sessions/([^/]+)/explain", api([this](const httplib::Request& req, httplib::Response& res) {
    if (!req.has_param("state")) throw HttpError{400, "missing query parameter 'state', e.g. ?state=cambodia"};
    const std::string state = req.get_param_value("state");
    with_session(req, res, [&](LiveSession& s, Clock::time_point) { return s.explain(state); });
  }));
  // Anything else: 405 for a known path, else 404 (GET and POST handlers above match first).
  http.Get(".*", method_not_allowed_or_404);
  http.Post(".*", method_not_allowed_or_404);
  http.Put(".*", method_not_allowed_or_404);
  http.Patch(".*", method_not_allowed_or_404);
  http.Delete(".*", method_not_allowed_or_404);
  http.Options(".*", method_not_allowed_or_404);
  // Errors cpp-httplib raises itself (413 body too large, 400 bad request line, ...): JSON too.
  http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 413)
      send_error(res, 413, "request body too large (at most " + std::to_string(kMaxBodyBytes / 1024) + " KiB)");
    else if (res.status == 400)
      send_error(res, 400, "malformed HTTP request");
    else
      send_error(res, res.status, "request failed with HTTP status " + std::to_string(res.status));
  });
  // One byte range per request: cpp-httplib answers N ranges with N copies of the body (100
  // ranges of the 1 MB charts script: 112 MB), which no browser needs.
  http.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    if (req.ranges.size() > 1) {
      send_error(res, 416, "only one byte range per request is served, got " + std::to_string(req.ranges.size()));
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http.set_exception_handler([this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown error";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    log << "alignsim serve: internal error on " << req.method << ' ' << escape_control_bytes(req.path) << ": "
        << escape_control_bytes(what) << '\n';
    send_error(res, 500, "internal error: " + what);
  });
  http.set_payload_max_length(kMaxBodyBytes);
  // A request's bytes arrive within milliseconds on a LAN: a client silent for 2 s is dropped.
  http.set_read_timeout(2, 0);
  http.set_write_timeout(5, 0);
  http.set_keep_alive_timeout(5);
  // SO_REUSEADDR only: cpp-httplib's default also sets SO_REUSEPORT, with which a second
  // server on the same port starts silently and the two split the sessions.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  http.new_task_queue = [] { return new GrowingPool(kMaxWorkerThreads); };
  http.set_max_connections_per_client(options.max_connections_per_client);
}

LiveServer::LiveServer(ServeOptions options, std::ostream& log)
    : impl_(std::make_unique<Impl>(std::move(options), log)) {
  Impl& m = *impl_;
  m.catalog = load_catalog(m.options.scenarios_dir, log);
  if (!m.options.scenario.empty()) {
    Scenario first = load_scenario(m.options.scenario);  // a bad file is an input error: exit 2
    m.default_id = catalog_id(m.options.scenario, m.options.scenarios_dir);
    const bool listed = std::any_of(m.catalog.begin(), m.catalog.end(),
                                    [&](const CatalogEntry& e) { return e.id == m.default_id; });
    if (!listed) m.catalog.insert(m.catalog.begin(), {m.default_id, std::move(first)});
  } else {
    if (m.catalog.empty())
      throw UsageError("no scenarios found in '" + m.options.scenarios_dir +
                       "'; give a SCENARIO file or --scenarios DIR");
    const auto asean = std::find_if(m.catalog.begin(), m.catalog.end(),
                                    [](const CatalogEntry& e) { return e.id == "asean_2016.yaml"; });
    m.default_id = asean != m.catalog.end() ? asean->id : m.catalog.front().id;
  }
  m.routes();
}

LiveServer::~LiveServer() = default;

int LiveServer::bind() {
  const ServeOptions& o = impl_->options;
  errno = 0;
  const int port = o.port == 0 ? impl_->http.bind_to_any_port(o.host) : (impl_->http.bind_to_port(o.host, o.port) ? o.port : -1);
  if (port < 0 && errno == EADDRINUSE)
    throw RuntimeError("port " + std::to_string(o.port) + " is in use (another alignsim serve?); stop that server or choose another --port");
  if (port < 0)
    throw RuntimeError("cannot listen on " + o.host + ":" + std::to_string(o.port) +
                       " (is the port in use, or the address not one of this computer's?); try another --port");
  impl_->port = port;
  return port;
}

void LiveServer::run() {
  // cpp-httplib closes its listening socket and returns when accept() fails with any error but
  // EMFILE, EINTR or EAGAIN (ECONNABORTED from a client that reset before it was accepted,
  // ENOBUFS, ...): one transient error would end a classroom's live view. Unless stop() was
  // called, listen again on the same port (sessions are kept: they live in this object).
  Impl& m = *impl_;
  while (!m.http.listen_after_bind() && !m.stopping) {
    int tries = 0;
    while (!m.http.bind_to_port(m.options.host, m.port)) {
      if (m.stopping || ++tries > 500) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (m.stopping) {  // stop() came during the new bind: close it again
      m.http.stop();
      return;
    }
    m.log << "alignsim serve: accepting a connection failed; listening again on port " << m.port << "\n"
          << std::flush;
  }
}
void LiveServer::stop() {
  impl_->stopping = true;
  impl_->http.stop();
}
bool LiveServer::is_running() const { return impl_->http.is_running(); }

int serve_command(const Args& args, std::ostream& out, std::ostream& err) {
  bool help = false;
  std::string help_text;
  const ServeOptions options = parse_serve_options(args, &help, &help_text);
  if (help) {
    out << help_text;
    return 0;
  }
  LiveServer server(options, err);
  const int port = server.bind();
  const std::string shown_host = options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  const std::string url = "http://" + shown_host + ":" + std::to_string(port) + "/";
  out << "alignsim serve: open " << url << " in a web browser (Ctrl-C stops the server)\n" << std::flush;
  if (!is_loopback(options.host))
    err << "alignsim serve: listening on " << options.host
        << ": other computers on the network can open the page; there is no password\n";
  if (options.open) open_in_browser(url, err);
  server.run();
  return 0;
}

}  // namespace alignsim::cli
