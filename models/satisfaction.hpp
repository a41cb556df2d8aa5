#pragma once
// Customer experience = reality vs expectation (seed 004): satisfaction follows experience minus
// expectation; expectations drift toward what is promised and toward what was experienced.
#include <algorithm>

#include "sim/scenario.hpp"

namespace fulcrum {

// Target = baseline + gap_gain * (experience - expectation) + word_of_mouth_shift, clamped to [0, 10].
inline double satisfaction_target(double experience, double expectation, double word_of_mouth_shift,
                                  const CustomerParameters& customers) {
  const double target = customers.satisfaction_baseline +
                        customers.satisfaction_gap_gain * (experience - expectation) + word_of_mouth_shift;
  return std::clamp(target, 0.0, 10.0);
}

inline double next_satisfaction(double satisfaction, double target, const CustomerParameters& customers) {
  return satisfaction + customers.satisfaction_adaptation * (target - satisfaction);
}

inline double next_expectation(double expectation, double promise, double experience,
                               const CustomerParameters& customers) {
  return expectation + customers.expectation_to_promise * (promise - expectation) +
         customers.expectation_to_experience * (experience - expectation);
}

}  // namespace fulcrum
