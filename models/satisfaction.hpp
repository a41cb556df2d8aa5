#pragma once
// Customer experience = reality vs expectation (seed 004): satisfaction follows experience minus
// expectation; expectations drift toward what is promised and toward what was experienced.
// Each rule is written once for Real = double and for vectors of customers (sim/lanes.hpp).
#include "sim/lanes.hpp"
#include "sim/scenario.hpp"

namespace fulcrum {

// Target = baseline + gap_gain * (experience - expectation) + word_of_mouth_shift, clamped to [0, 10].
template <class Real>
[[gnu::always_inline]] inline Real satisfaction_target(Real experience, Real expectation, Real word_of_mouth_shift,
                                                       Real baseline, Real gap_gain) {
  return clamp_of(baseline + gap_gain * (experience - expectation) + word_of_mouth_shift, splat<Real>(0.0),
                  splat<Real>(10.0));
}
inline double satisfaction_target(double experience, double expectation, double word_of_mouth_shift,
                                  const CustomerParameters& customers) {
  return satisfaction_target(experience, expectation, word_of_mouth_shift, customers.satisfaction_baseline,
                             customers.satisfaction_gap_gain);
}

template <class Real>
[[gnu::always_inline]] inline Real next_satisfaction(Real satisfaction, Real target, Real adaptation) {
  return satisfaction + adaptation * (target - satisfaction);
}
inline double next_satisfaction(double satisfaction, double target, const CustomerParameters& customers) {
  return next_satisfaction(satisfaction, target, customers.satisfaction_adaptation);
}

template <class Real>
[[gnu::always_inline]] inline Real next_expectation(Real expectation, Real promise, Real experience, Real to_promise,
                                                    Real to_experience) {
  return expectation + to_promise * (promise - expectation) + to_experience * (experience - expectation);
}
inline double next_expectation(double expectation, double promise, double experience,
                               const CustomerParameters& customers) {
  return next_expectation(expectation, promise, experience, customers.expectation_to_promise,
                          customers.expectation_to_experience);
}

}  // namespace fulcrum
