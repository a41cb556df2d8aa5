#include "models/trust.hpp"

#include <algorithm>

namespace fulcrum {

double next_trust(double trust, double surprise, const CustomerParameters& customers) {
  const double weight = surprise < 0 ? customers.trust_asymmetry : 1.0;
  return std::clamp(trust + customers.trust_rate * weight * surprise, 0.0, 1.0);
}

}  // namespace fulcrum
