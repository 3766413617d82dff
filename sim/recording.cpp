#include "sim/recording.hpp"

#include "sim/scenario_loader.hpp"

#include <charconv>
#include <cmath>
#include <limits>

namespace alignsim {

void Recording::add(int tick, std::vector<Observable> frame) {
  ticks_.push_back(tick);
  frames_.push_back(std::move(frame));
}

long Recording::find_tick(int tick) const {
  for (std::size_t k = 0; k < ticks_.size(); ++k)
    if (ticks_[k] == tick) return static_cast<long>(k);
  return -1;
}

double Recording::value(std::size_t k, const std::string& quantity, std::size_t i,
                        std::size_t j) const {
  for (const auto& o : frames_[k]) {
    if (o.quantity != quantity) continue;
    if (o.scalar) return o.values(0, 0);
    const auto col = o.values.cols() == 1 ? 0 : static_cast<Eigen::Index>(j);
    return o.values(static_cast<Eigen::Index>(i), col);
  }
  return std::numeric_limits<double>::quiet_NaN();
}

void write_timeseries_csv(const Recording& r, const std::vector<std::string>& names,
                          std::ostream& out) {
  out << "tick,state,partner,quantity,value\n";
  std::string line;
  for (std::size_t k = 0; k < r.size(); ++k) {
    const std::string tick = std::to_string(r.tick_at(k));
    for (const auto& o : r.frame_at(k)) {
      const bool dyadic = o.values.cols() > 1;
      for (Eigen::Index i = 0; i < o.values.rows(); ++i) {
        for (Eigen::Index j = 0; j < o.values.cols(); ++j) {
          if (dyadic && i == j) continue;
          line = tick;
          line += ',';
          if (!o.scalar) line += names[static_cast<std::size_t>(i)];  // a model-level value: no state
          line += ',';
          if (dyadic) line += names[static_cast<std::size_t>(j)];
          line += ',';
          line += o.quantity;
          line += ',';
          line += format_number(o.values(i, j));
          line += '\n';
          out << line;
        }
      }
    }
  }
}

}  // namespace alignsim
