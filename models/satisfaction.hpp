#pragma once
// Customer experience = reality vs expectation (seed 004): experience is value delivered minus the
// price burden; satisfaction follows experience - expectation; expectations drift toward what is
// promised and toward what was experienced.
#include <vector>

#include "sim/customer_state.hpp"
#include "sim/scenario.hpp"

namespace fulcrum {

// What a firm offers its customers this quarter.
struct Offer {
  double value_delivered;  // value points (0-10)
  double promise;          // value points (0-10)
  double price;            // currency per unit
};

// Value delivered less the price burden: sensitivity * (price / reference price - 1). A price below the
// reference price is a gain. A customer with no reference price (a free product) feels no burden.
double experience_of(const Offer& offer, double reference_price, double price_sensitivity);

double satisfaction_target(double experience, double expectation, const CustomerParameters& customers);
double next_satisfaction(double satisfaction, double target, const CustomerParameters& customers);
double next_expectation(double expectation, double promise, double experience,
                        const CustomerParameters& customers);

// Every active customer in the block experiences its firm's offer (`offers` indexed by firm), then
// updates satisfaction (against the expectation held before the experience) and expectation.
void perceive_block(CustomerState& customers, CustomerRange range, const CustomerParameters& parameters,
                    const std::vector<Offer>& offers);

}  // namespace fulcrum
