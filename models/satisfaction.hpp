#pragma once
// Customer experience = reality vs expectation (seed 004): satisfaction follows experience minus
// expectation; expectations drift toward what is promised and toward what was experienced.
#include "sim/scenario.hpp"

namespace fulcrum {

// Target = baseline + gap_gain * (experience - expectation) + word_of_mouth_shift, clamped to [0, 10].
double satisfaction_target(double experience, double expectation, double word_of_mouth_shift,
                           const CustomerParameters& customers);
double next_satisfaction(double satisfaction, double target, const CustomerParameters& customers);
double next_expectation(double expectation, double promise, double experience,
                        const CustomerParameters& customers);

}  // namespace fulcrum
