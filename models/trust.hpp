#pragma once
// Trust moves asymmetrically: a negative surprise costs more trust than an equal positive surprise earns
// (loss aversion; seed 004's broken promises). Written for Real = double and for vectors (sim/lanes.hpp).
#include "sim/lanes.hpp"
#include "sim/scenario.hpp"

namespace fulcrum {

// trust + rate * surprise, the surprise (experience - expectation) multiplied by the asymmetry when it
// is negative; clamped to [0, 1].
template <class Real>
[[gnu::always_inline]] inline Real next_trust(Real trust, Real surprise, Real rate, Real asymmetry) {
  const Real weight = select(surprise < splat<Real>(0.0), asymmetry, splat<Real>(1.0));
  return clamp_of(trust + rate * weight * surprise, splat<Real>(0.0), splat<Real>(1.0));
}
inline double next_trust(double trust, double surprise, const CustomerParameters& customers) {
  return next_trust(trust, surprise, customers.trust_rate, customers.trust_asymmetry);
}

}  // namespace fulcrum
