#pragma once
// Trust moves asymmetrically: a negative surprise costs more trust than an equal positive surprise earns
// (loss aversion; seed 004's broken promises).
#include "sim/scenario.hpp"

namespace fulcrum {

// trust + rate * surprise, the surprise (experience - expectation) multiplied by the asymmetry when it
// is negative; clamped to [0, 1].
double next_trust(double trust, double surprise, const CustomerParameters& customers);

}  // namespace fulcrum
