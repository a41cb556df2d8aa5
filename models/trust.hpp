#pragma once
// Trust moves asymmetrically: a negative surprise costs more trust than an equal positive surprise earns
// (loss aversion; seed 004's broken promises).
#include <algorithm>

#include "sim/scenario.hpp"

namespace fulcrum {

// trust + rate * surprise, the surprise (experience - expectation) multiplied by the asymmetry when it
// is negative; clamped to [0, 1].
inline double next_trust(double trust, double surprise, const CustomerParameters& customers) {
  const double weight = surprise < 0 ? customers.trust_asymmetry : 1.0;
  return std::clamp(trust + customers.trust_rate * weight * surprise, 0.0, 1.0);
}

}  // namespace fulcrum
