#pragma once
// Churn: each customer has a base propensity theta (Beta-distributed over customers, as in Fader &
// Hardie's shifted-beta-geometric model), scaled by how satisfied the customer is.
#include "sim/customer_state.hpp"
#include "sim/rng.hpp"
#include "sim/scenario.hpp"
#include "sim/tally.hpp"

namespace fulcrum {

// Churn probability this quarter: theta * exp(sensitivity * (baseline - satisfaction)), at most 1.
// With sensitivity 0 it is theta, and survival follows the sBG closed form B(a, b+t) / B(a, b).
double churn_hazard(double base_propensity, double satisfaction, double satisfaction_baseline,
                    double satisfaction_sensitivity);

// Draws the base propensities of a block of customers.
void draw_base_propensities(CustomerState& customers, CustomerRange range, const ChurnParameters& churn,
                            RandomEngine& engine);

// Active customers in the block lapse with their churn hazard. One uniform per customer, active or not.
// `tallies` is indexed by firm.
void churn_block(CustomerState& customers, CustomerRange range, const ChurnParameters& churn,
                 double satisfaction_baseline, RandomEngine& engine, std::vector<FirmTally>& tallies);

}  // namespace fulcrum
