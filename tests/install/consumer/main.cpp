// Runs the installed asean_2016 scenario through the installed engine and prints one line per
// small state: `state label`.
#include <iostream>

#include "sim/engine.hpp"
#include "sim/error.hpp"
#include "sim/model_registry.hpp"
#include "sim/scenario_loader.hpp"

int main() {
  using namespace alignsim;
  try {
    const Scenario s = load_scenario_file(ALIGNSIM_SCENARIOS "/asean_2016.yaml", model_registry());
    Engine engine(s, model_registry(), RunOptions{s.seed, 0, false});
    engine.run_to_end();
    for (const StateOutcome& o : engine.model().classify())
      std::cout << s.state_names[o.state] << ' ' << o.label << '\n';
  } catch (const Error& e) {
    std::cerr << e.what() << '\n';
    return 2;
  }
  return 0;
}
