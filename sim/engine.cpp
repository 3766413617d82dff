#include "sim/engine.hpp"

#include <algorithm>
#include <numeric>

#include "sim/error.hpp"

namespace alignsim {

Engine::Engine(const Scenario& scenario, const ModelRegistry& models, RunOptions options)
    : scenario_(scenario), options_(options), pending_(scenario.events) {
  const ModelInfo* info = models.find(scenario.model);
  if (info == nullptr) throw RuntimeError("model '" + scenario.model + "' is not registered");
  model_ = info->create();
  model_->init(scenario);
}

void Engine::schedule(Event event) {
  // Keep the not-yet-applied part sorted by tick; a new event goes after those of its tick.
  auto first = pending_.begin() + static_cast<long>(next_event_);
  auto at = std::upper_bound(first, pending_.end(), event.tick,
                             [](int t, const Event& e) { return t < e.tick; });
  pending_.insert(at, std::move(event));
}

void Engine::step() {
  while (next_event_ < pending_.size() && pending_[next_event_].tick <= tick_) {
    const Event& e = pending_[next_event_++];
    model_->apply_event(e);
    applied_.emplace_back(tick_, e.name);
  }
  TickContext ctx;
  ctx.tick = tick_;
  ctx.seed = options_.seed;
  ctx.run = options_.run;
  ctx.order = scenario_.update;
  if (ctx.order == UpdateOrder::random_order) {
    // The engine's own stream uses agent id N (one past the last state).
    RandomStream rng = ctx.stream(scenario_.size());
    ctx.agent_order.resize(scenario_.size());
    std::iota(ctx.agent_order.begin(), ctx.agent_order.end(), std::size_t{0});
    for (std::size_t k = ctx.agent_order.size(); k > 1; --k)
      std::swap(ctx.agent_order[k - 1], ctx.agent_order[rng.below(static_cast<std::uint32_t>(k))]);
  }
  model_->step(ctx);
  if (options_.record) recording_.add(tick_, model_->observe());
  ++tick_;
}

void Engine::run_to_end() {
  while (!done()) step();
}

}  // namespace alignsim
