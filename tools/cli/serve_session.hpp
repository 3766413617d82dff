#pragma once
// One browser tab's simulation for `alignsim serve`: it owns its copy of the scenario and the
// engine over it, plays at a chosen speed (ticks are stepped lazily, when the tab asks for the
// state), and turns the model's observables, labels and explanations into JSON.
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/engine.hpp"
#include "sim/scenario.hpp"

namespace alignsim::cli {

/// A request the live view cannot honour: an HTTP status (4xx) and a user-facing message.
struct HttpError {
  int status;
  std::string message;
};

/// How a slider change takes effect.
enum class SliderMode { next_tick, restart };

class LiveSession {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr double kMaxSpeed = 200.0;  // ticks per second
  static constexpr std::size_t kKeptFrames = 1000;

  /// A session over a copy of `base` (a bundled scenario, id `scenario_id`), at tick 0, paused.
  LiveSession(std::string scenario_id, const Scenario& base, std::uint64_t seed);

  /// Everything static the page needs: states, roles, focal power, sliders, scheduled events.
  nlohmann::json describe() const;
  /// Steps the ticks due since the last call (when playing), then returns the frames after
  /// tick `since` of run `run` (all kept frames if `run` is another run), labels and events.
  nlohmann::json poll(int run, int since, Clock::time_point now);

  void play(Clock::time_point now);
  void pause() { playing_ = false; }
  /// Steps `n` ticks now (paused or not). @throws HttpError if n is not in [1, 1000].
  void step(int n);
  /// Back to tick 0 with the scenario's own values (sliders reset too).
  void reset();
  /// @throws HttpError if `ticks_per_second` is not in (0, kMaxSpeed].
  void set_speed(double ticks_per_second);
  void set_stop_at_end(bool stop) { stop_at_end_ = stop; }

  /// Moves slider `path` to `value`, from the next tick or by restarting the run.
  /// @throws HttpError 404 for a path that is not one of the scenario's sliders, 422 out of range.
  void set_slider(const std::string& path, double value, SliderMode mode);

  /// The utility decomposition behind `state`'s current choice. @throws HttpError if unknown.
  nlohmann::json explain(const std::string& state) const;

  /// Serialises requests: cpp-httplib serves them on a thread pool.
  std::mutex& mutex() { return mutex_; }
  Clock::time_point last_seen() const { return last_seen_; }
  void touch(Clock::time_point now) { last_seen_ = now; }

 private:
  void restart();
  void advance(Clock::time_point now);
  void step_once();
  void record_frame();
  nlohmann::json outcomes() const;
  nlohmann::json events() const;
  const Control& control(const std::string& path) const;

  std::mutex mutex_;
  std::string scenario_id_;
  const Scenario base_;
  std::unique_ptr<Scenario> scenario_;  // base_ plus restart-mode slider values; outlives engine_
  std::unique_ptr<Engine> engine_;
  std::uint64_t seed_;
  const std::vector<std::string> frame_quantities_;  // what each frame carries, from the schema
  std::map<std::string, double> sliders_;  // path → value set by the user in this run
  std::vector<nlohmann::json> slider_events_;  // {tick, name} of next-tick slider changes
  std::deque<nlohmann::json> frames_;
  int run_ = 0;  // bumped on every restart, so a tab knows to drop its charts
  // Numbers every state answer: answers on parallel connections can arrive out of order, and
  // a tab must not go back to an older state.
  std::uint64_t answers_ = 0;
  bool playing_ = false;
  bool stop_at_end_ = true;
  bool stopped_at_end_ = false;
  double speed_ = 10.0;  // ticks per second
  double owed_ = 0.0;    // fractional ticks carried between polls
  Clock::time_point last_advance_{};
  Clock::time_point last_seen_ = Clock::now();
};

}  // namespace alignsim::cli
