// `alignsim serve` in-process: a server on a free loopback port in a thread, driven with
// httplib::Client — bad requests, independent sessions, determinism against `alignsim run`,
// the loopback default.
#include "tools/cli/serve.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "tools/cli/cli.hpp"

namespace {

using alignsim::cli::LiveServer;
using alignsim::cli::ServeOptions;
using json = nlohmann::json;

const std::string kSource = ALIGNSIM_SOURCE_DIR;
const std::string kAsean = kSource + "/scenarios/asean_2016.yaml";
const char* kClaim = "states.cambodia.dispute.china";

// A server on 127.0.0.1:<any free port>, running in a thread for the test's lifetime.
class RunningServer {
 public:
  explicit RunningServer(ServeOptions options = {}) {
    options.scenario = kAsean;
    options.scenarios_dir = kSource + "/scenarios";
    options.port = 0;
    server_ = std::make_unique<LiveServer>(options, log_);
    port_ = server_->bind();
    thread_ = std::thread([this] { server_->run(); });
    for (int k = 0; k < 500 && !server_->is_running(); ++k) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ~RunningServer() {
    server_->stop();
    thread_.join();
  }
  int port() const { return port_; }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(30, 0);
    return c;
  }

 private:
  std::ostringstream log_;
  std::unique_ptr<LiveServer> server_;
  int port_ = 0;
  std::thread thread_;
};

json body_of(const httplib::Result& r) { return json::parse(r->body); }

// A new session over `scenario` (and `seed` if >= 0); returns its describe() JSON.
json create(httplib::Client& c, const std::string& scenario = "asean_2016.yaml", long long seed = -1) {
  json req = {{"scenario", scenario}};
  if (seed >= 0) req["seed"] = seed;
  auto r = c.Post("/api/sessions", req.dump(), "application/json");
  EXPECT_TRUE(r) << "no answer";
  EXPECT_EQ(r->status, 201) << r->body;
  return body_of(r);
}

json post(httplib::Client& c, const std::string& path, const json& body) {
  auto r = c.Post(path.c_str(), body.dump(), "application/json");
  EXPECT_TRUE(r);
  EXPECT_EQ(r->status, 200) << path << ": " << r->body;
  return body_of(r);
}

// The JSON `alignsim run --json` prints for `args`.
json run_json(std::vector<std::string> args) {
  std::ostringstream out, err;
  args.insert(args.begin(), {"run", kAsean});
  args.push_back("--json");
  EXPECT_EQ(alignsim::cli::main(args, out, err), 0) << err.str();
  return json::parse(out.str());
}

// Labels and features of every small state equal those of `alignsim run` (features exactly:
// the server sends doubles unrounded).
void expect_same_outcomes(const json& run, const json& state) {
  ASSERT_EQ(run["states"].size(), state["outcomes"].size());
  for (std::size_t k = 0; k < run["states"].size(); ++k) {
    const json& a = run["states"][k];
    const json& b = state["outcomes"][k];
    EXPECT_EQ(a["name"], b["state"]);
    EXPECT_EQ(a["label"], b["label"]) << a["name"];
    EXPECT_EQ(a["features"], b["features"]) << a["name"];
  }
}

struct BadRequest {
  const char* method;
  std::string path;
  std::string body;
  int status;
  std::string error;  // expected message ("" = any non-empty one)
};

httplib::Result send(httplib::Client& c, const BadRequest& b) {
  const std::string m = b.method;
  if (m == "GET") return c.Get(b.path.c_str());
  if (m == "POST") return c.Post(b.path.c_str(), b.body, "application/json");
  if (m == "PUT") return c.Put(b.path.c_str(), b.body, "application/json");
  if (m == "PATCH") return c.Patch(b.path.c_str(), b.body, "application/json");
  return c.Delete(b.path.c_str());
}

TEST(Serve, RejectsBadRequestsWithJsonErrorsAndKeepsServing) {
  RunningServer server;
  auto c = server.client();
  const std::string sid = create(c)["session"];
  const std::string s = "/api/sessions/" + sid;
  const std::string huge(200 * 1024, 'x');
  const std::vector<BadRequest> bad = {
      {"POST", "/api/sessions", R"({"scenario": "nope.yaml"})", 404,
       "unknown scenario 'nope.yaml'; GET /api/scenarios lists them"},
      {"POST", "/api/sessions", R"({"scenario": "../CMakeLists.txt"})", 404, ""},
      {"POST", "/api/sessions", R"({"scenario": "sweeps/cambodia_phase.yaml"})", 404, ""},
      {"POST", "/api/sessions", "{\"scenario\": ", 400, ""},
      {"POST", "/api/sessions", "[1, 2]", 400, "the request body must be a JSON object, got [1,2]"},
      {"POST", "/api/sessions", R"({"scenario": 3})", 400, "'scenario' must be a string, got 3"},
      {"POST", "/api/sessions", R"({"seed": -4})", 400, "'seed' must be a non-negative integer, got -4"},
      {"POST", "/api/sessions", huge, 413, "request body too large (at most 64 KiB)"},
      {"POST", s + "/slider", json({{"path", kClaim}, {"value", 1.5}}).dump(), 422,
       "slider 'states.cambodia.dispute.china' must be in [0, 1], got 1.5"},
      {"POST", s + "/slider", json({{"path", kClaim}, {"value", -0.1}}).dump(), 422, ""},
      {"POST", s + "/slider", json({{"path", "states.cambodia.gdp"}, {"value", 1}}).dump(), 404, ""},
      {"POST", s + "/slider", json({{"path", "params.nope"}, {"value", 1}}).dump(), 404, ""},
      {"POST", s + "/slider", json({{"path", kClaim}, {"value", "high"}}).dump(), 400,
       "'value' must be a number, got \"high\""},
      {"POST", s + "/slider", json({{"path", kClaim}, {"value", 0.5}, {"mode", "later"}}).dump(), 400, ""},
      {"POST", s + "/slider", json({{"value", 0.5}}).dump(), 400, "missing field 'path'"},
      {"POST", s + "/slider", "{value: 0.5}", 400, ""},
      {"POST", s + "/control", R"({"action": "fly"})", 400,
       "unknown action 'fly' (expected play, pause, step, reset, speed or stop_at_end)"},
      {"POST", s + "/control", R"({"action": "step", "steps": 0})", 400, ""},
      {"POST", s + "/control", R"({"action": "step", "steps": 1e9})", 400, ""},
      {"POST", s + "/control", R"({"action": "speed", "speed": 0})", 422, ""},
      {"POST", s + "/control", R"({"action": "speed", "speed": 1000})", 422, ""},
      {"POST", s + "/control", "", 400, ""},
      {"GET", s + "/explain?state=atlantis", "", 404, "unknown state 'atlantis'"},
      {"GET", s + "/explain", "", 400, "missing query parameter 'state', e.g. ?state=cambodia"},
      {"GET", s + "/state?since=soon", "", 400, "query parameter 'since' must be an integer, got 'soon'"},
      {"GET", "/api/sessions/0123456789abcdef/state", "", 404,
       "unknown session '0123456789abcdef' (it may have expired after 600 s unused; reload the page)"},
      {"POST", "/api/sessions/nope/control", R"({"action": "play"})", 404, ""},
      {"DELETE", "/api/sessions/nope", "", 404, ""},
      {"GET", "/api/sessions", "", 405, "method GET is not allowed on /api/sessions (allowed: POST)"},
      {"PUT", s + "/slider", "{}", 405, ""},
      {"PATCH", "/", "{}", 405, ""},
      {"DELETE", "/api/scenarios", "", 405, ""},
      {"GET", "/assets/../../CMakeLists.txt", "", 404, ""},
      {"GET", "/assets/%2e%2e/%2e%2e/CMakeLists.txt", "", 404, ""},
      {"GET", "/assets/nope.js", "", 404, "no such asset 'nope.js'"},
      {"GET", "/etc/passwd", "", 404, "no such page or API endpoint: /etc/passwd"},
  };
  int sent = 0;
  for (int round = 0; round < 10; ++round) {
    for (const BadRequest& b : bad) {
      auto r = send(c, b);
      ++sent;
      ASSERT_TRUE(r) << b.method << ' ' << b.path << ": no answer";
      EXPECT_EQ(r->status, b.status) << b.method << ' ' << b.path << ": " << r->body;
      const json j = json::parse(r->body, nullptr, false);
      ASSERT_TRUE(j.is_object() && j.contains("error") && j["error"].is_string()) << b.path << ": " << r->body;
      if (b.error.empty())
        EXPECT_FALSE(j["error"].get<std::string>().empty());
      else
        EXPECT_EQ(j["error"], b.error) << b.path;
    }
  }
  EXPECT_GE(sent, 300);

  // Still serving: the page, its assets, and a normal session that plays.
  auto page = c.Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("/assets/live.js"), std::string::npos);
  auto echarts = c.Get("/assets/vendor/echarts.min.js");
  ASSERT_TRUE(echarts);
  EXPECT_EQ(echarts->status, 200);
  EXPECT_EQ(echarts->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  const json state = post(c, s + "/control", {{"action", "step"}, {"steps", 20}});
  EXPECT_EQ(state["tick"], 20);
  EXPECT_EQ(state["sliders"], json::object()) << "rejected slider moves must change nothing";
}

TEST(Serve, SessionsAreIndependent) {
  RunningServer server;
  auto c = server.client();
  const std::string a = "/api/sessions/" + create(c)["session"].get<std::string>();
  const std::string b = "/api/sessions/" + create(c, "classroom/aligners.yaml")["session"].get<std::string>();
  post(c, a + "/control", {{"action", "step"}, {"steps", 30}});
  post(c, a + "/slider", {{"path", kClaim}, {"value", 0.5}});
  const json sa = body_of(c.Get((a + "/state").c_str()));
  const json sb = body_of(c.Get((b + "/state").c_str()));
  EXPECT_EQ(sa["tick"], 30);
  EXPECT_EQ(sb["tick"], 0);
  EXPECT_EQ(sa["sliders"][kClaim], 0.5);
  EXPECT_EQ(sb["sliders"], json::object());
  EXPECT_EQ(body_of(c.Get(b.c_str()))["name"], "classroom_aligners");
  // Deleting one leaves the other.
  EXPECT_EQ(c.Delete(a.c_str())->status, 200);
  EXPECT_EQ(c.Get((a + "/state").c_str())->status, 404);
  EXPECT_EQ(c.Get((b + "/state").c_str())->status, 200);
}

// The page charts the chosen state's ties to the focal power's rivals, small states included.
TEST(Serve, DescribesTheFocalPowersRivals) {
  RunningServer server;
  auto c = server.client();
  EXPECT_EQ(create(c)["rivals"], json({"usa", "japan", "vietnam"}));  // asean_2016's rivalries
  EXPECT_EQ(create(c, "classroom/aligners.yaml")["rivals"], json({"farland"}));
}

TEST(Serve, SameSeedGivesTheTrajectoryOfRun) {
  RunningServer server;
  auto c = server.client();
  const std::string s = "/api/sessions/" + create(c)["session"].get<std::string>();
  // In two chunks, with state polls between: how a tab steps must not change the trajectory.
  post(c, s + "/control", {{"action", "step"}, {"steps", 70}});
  c.Get((s + "/state?since=3").c_str());
  const json state = post(c, s + "/control", {{"action", "step"}, {"steps", 80}});
  ASSERT_EQ(state["tick"], 150);
  expect_same_outcomes(run_json({}), state);

  // Another seed gives another trajectory (so the comparison above can fail).
  const std::string other = "/api/sessions/" + create(c, "asean_2016.yaml", 7)["session"].get<std::string>();
  const json state7 = post(c, other + "/control", {{"action", "step"}, {"steps", 150}});
  EXPECT_NE(state7["outcomes"], state["outcomes"]);
  expect_same_outcomes(run_json({"--seed", "7"}), state7);

  // A slider in restart mode is `run --set` from tick 0.
  post(c, s + "/slider", {{"path", kClaim}, {"value", 0.5}, {"mode", "restart"}});
  const json restarted = post(c, s + "/control", {{"action", "step"}, {"steps", 150}});
  expect_same_outcomes(run_json({"--set", std::string(kClaim) + "=0.5"}), restarted);
}

TEST(Serve, SliderFromNextTickIsAnEvent) {
  RunningServer server;
  auto c = server.client();
  const std::string s = "/api/sessions/" + create(c)["session"].get<std::string>();
  post(c, s + "/control", {{"action", "step"}, {"steps", 150}});
  const json moved = post(c, s + "/slider", {{"path", kClaim}, {"value", 0.5}});
  ASSERT_EQ(moved["slider_events"].size(), 1u);
  EXPECT_EQ(moved["slider_events"][0]["tick"], 150);
  const json later = post(c, s + "/control", {{"action", "step"}, {"steps", 100}});
  EXPECT_EQ(later["applied_events"].back()["tick"], 150);
  // The move changes the run: the same 250 ticks without it end elsewhere.
  const std::string u = "/api/sessions/" + create(c)["session"].get<std::string>();
  const json unmoved = post(c, u + "/control", {{"action", "step"}, {"steps", 250}});
  EXPECT_NE(later["outcomes"], unmoved["outcomes"]);
  // Reset: tick 0, the scenario's own values.
  const json reset = post(c, s + "/control", {{"action", "reset"}});
  EXPECT_EQ(reset["tick"], 0);
  EXPECT_EQ(reset["sliders"], json::object());
  EXPECT_EQ(reset["applied_events"], json::array());
}

TEST(Serve, CapsTheNumberOfSessions) {
  ServeOptions o;
  o.max_sessions = 3;
  RunningServer server(o);
  auto c = server.client();
  for (int k = 0; k < 3; ++k) create(c);
  auto r = c.Post("/api/sessions", "{}", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 429);
  EXPECT_EQ(body_of(r)["error"], "too many live sessions (3); close another tab or wait 600 s for idle ones to expire");
}

// The address the socket listening on `port` is bound to, from /proc/net/tcp ("0100007F" is
// 127.0.0.1), or "" if none.
std::string listening_address(int port) {
  std::ifstream in("/proc/net/tcp");
  std::string line;
  char want[8];
  std::snprintf(want, sizeof want, ":%04X", port);
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string slot, local, remote, state;
    f >> slot >> local >> remote >> state;
    if (state == "0A" && local.size() > 5 && local.substr(local.size() - 5) == want) return local.substr(0, local.size() - 5);
  }
  return "";
}

TEST(Serve, ListensOnLoopbackByDefault) {
  bool help = false;
  std::string text;
  EXPECT_EQ(alignsim::cli::parse_serve_options({}, &help, &text).host, "127.0.0.1");
  EXPECT_EQ(alignsim::cli::parse_serve_options({"--host", "0.0.0.0"}, &help, &text).host, "0.0.0.0");
  RunningServer server;
  EXPECT_EQ(listening_address(server.port()), "0100007F");
}

TEST(Serve, HelpDescribesEveryOptionAndTheUrl) {
  std::ostringstream out, err;
  ASSERT_EQ(alignsim::cli::main({"serve", "--help"}, out, err), 0);
  for (const char* word : {"--port", "--host", "--open", "--scenarios", "http://127.0.0.1:8080/", "0.0.0.0"})
    EXPECT_NE(out.str().find(word), std::string::npos) << word;
}

TEST(Serve, RejectsBadCommandLines) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"serve", "--port", "70000"}, {"serve", "--bogus"}, {"serve", "--port", "eighty"},
        {"serve", "a.yaml", "b.yaml"}}) {
    std::ostringstream out, err;
    EXPECT_EQ(alignsim::cli::main(args, out, err), 2) << args[1];
    EXPECT_NE(err.str().find("alignsim: error:"), std::string::npos) << err.str();
  }
  std::ostringstream out, err;
  EXPECT_EQ(alignsim::cli::main({"serve", kSource + "/nope.yaml", "--port", "0"}, out, err), 2);
}

TEST(Serve, DescribesTheScenarioForPeople) {
  RunningServer server;
  auto c = server.client();
  const json d = create(c, "cambodia_2010_2016.yaml");
  // Display names, calendar time, labelled events and the model's feature names (issue 12).
  ASSERT_FALSE(d["states"].empty());
  for (const json& st : d["states"]) EXPECT_FALSE(st["display_name"].get<std::string>().empty()) << st;
  EXPECT_EQ(d["states"][1]["display_name"], "United States");
  ASSERT_TRUE(d["time"].is_object());
  EXPECT_EQ(d["time"]["tick"], "month");
  ASSERT_FALSE(d["scheduled_events"].empty());
  for (const json& e : d["scheduled_events"]) {
    EXPECT_NE(e["label"], e["name"]) << e;
    EXPECT_FALSE(e["description"].get<std::string>().empty()) << e;
  }
  ASSERT_TRUE(d["features"].is_array());
  EXPECT_FALSE(d["features"].empty());
  // A scenario without the metadata: names stand in, no time.
  const json plain = create(c, "classroom/aligners.yaml");
  EXPECT_EQ(plain["states"][0]["display_name"], plain["states"][0]["name"]);
  EXPECT_TRUE(plain["time"].is_null());
}

TEST(Serve, FramesCarryEverySmallStatesFeatures) {
  RunningServer server;
  auto c = server.client();
  const json d = create(c);
  const std::string s = "/api/sessions/" + d["session"].get<std::string>();
  const json state = post(c, s + "/control", {{"action", "step"}, {"steps", 5}});
  const json& last = state["frames"].back();
  std::size_t smalls = 0;
  for (const json& st : d["states"]) {
    if (st["role"] != "small_state") continue;
    ++smalls;
    ASSERT_TRUE(last["features"].contains(st["name"].get<std::string>())) << st;
    EXPECT_EQ(last["features"][st["name"].get<std::string>()].size(), d["features"].size());
  }
  EXPECT_EQ(last["features"].size(), smalls);
  // The features of the last frame are the outcome's (rounded for the chart).
  for (const json& o : state["outcomes"])
    for (std::size_t k = 0; k < d["features"].size(); ++k)
      EXPECT_NEAR(last["features"][o["state"].get<std::string>()][k].get<double>(),
                  o["features"][d["features"][k].get<std::string>()].get<double>(), 1e-4)
          << d["features"][k];
}

}  // namespace

namespace {

// The second model in the live view (issue 9): the vocabulary comes from its schema — labels with
// their colours, no kinds (so no `role`), its scalars in every frame — and the focus is data.
TEST(Serve, DescribesALandscapeScenarioInItsModelsWords) {
  RunningServer server;
  auto c = server.client();
  const json d = create(c, "landscape/europe_1936.yaml");
  ASSERT_EQ(d["states"].size(), 17u);
  EXPECT_FALSE(d["states"][0].contains("role"));
  EXPECT_FALSE(d["states"][0].contains("kind"));
  EXPECT_EQ(d["schema"]["model"], "landscape");
  EXPECT_EQ(d["schema"]["labels"], json::parse(R"([{"name": "side_a", "colour": "#1f5fbf"}, {"name": "side_b", "colour": "#c0392b"}])"));
  EXPECT_EQ(d["schema"]["agents"]["anchor"], "britain");
  EXPECT_TRUE(d["schema"]["kinds"].is_null());
  EXPECT_TRUE(d["focal"].is_null());
  EXPECT_EQ(d["focus"], "britain");  // no sliders: the first labelled state
  EXPECT_EQ(d["quantities"], json({"side", "frustration", "energy", "switches"}));
  const std::string s = "/api/sessions/" + d["session"].get<std::string>();
  const json state = post(c, s + "/control", {{"action", "step"}, {"steps", 3}});
  const json& last = state["frames"].back();
  EXPECT_TRUE(last["energy"].is_number()) << last["energy"];
  ASSERT_EQ(last["side"].size(), 17u);
  EXPECT_EQ(last["side"][0].size(), 1u);
  ASSERT_EQ(state["outcomes"].size(), 17u);
  for (const json& o : state["outcomes"]) {
    EXPECT_TRUE(o["label"] == "side_a" || o["label"] == "side_b") << o;
    EXPECT_FALSE(o.contains("motive"));
  }
  const auto e = c.Get((s + "/explain?state=germany").c_str());
  ASSERT_TRUE(e);
  EXPECT_EQ(body_of(e)["outcome"]["state"], "germany");
}

// The alignment model keeps its words: roles, the focal power, the motive; the focus is the
// labelled state the scenario's sliders act on.
TEST(Serve, DescribesAnAlignmentScenarioInItsModelsWords) {
  RunningServer server;
  auto c = server.client();
  const json d = create(c);
  EXPECT_EQ(d["states"][0]["role"], "great_power");
  EXPECT_EQ(d["focal"], "china");
  EXPECT_EQ(d["focus"], "cambodia");
  EXPECT_EQ(d["schema"]["agents"]["focal_power"], "china");
  EXPECT_EQ(d["schema"]["qualifiers"][0]["values"], json({"profit", "security"}));
  EXPECT_EQ(d["schema"]["kinds"]["key"], "role");
  EXPECT_EQ(create(c, "classroom/aligners.yaml")["focus"], "midland");
  const std::string s = "/api/sessions/" + d["session"].get<std::string>();
  const json state = post(c, s + "/control", {{"action", "step"}, {"steps", 2}});
  for (const json& o : state["outcomes"]) EXPECT_TRUE(o.contains("motive")) << o;
}

}  // namespace
