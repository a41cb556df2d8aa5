#pragma once
// Adoption: prospects become customers with the Bass (1969) hazard p + q * adopted fraction.
#include "sim/customer_state.hpp"
#include "sim/rng.hpp"
#include "sim/scenario.hpp"
#include "sim/tally.hpp"

namespace fulcrum {

// What a customer starts with on joining a firm.
struct JoiningTerms {
  std::int16_t firm;
  float expectation;      // the firm's promise
  float satisfaction;     // the satisfaction baseline
  float reference_price;  // the price paid on joining
  float spend;            // units per quarter
};

// Probability that a prospect adopts within a sub-step of `dt` quarters, the hazard being constant
// over the sub-step: 1 - exp(-(p + q * adopted_fraction) * dt).
double adoption_probability(const AdoptionParameters& adoption, double adopted_fraction, double dt);

// Makes `customer` an active customer on `terms` from `quarter` on.
void join(CustomerState& customers, Eigen::Index customer, const JoiningTerms& terms, int quarter);

// One adoption sub-step over a block. One uniform is drawn per customer, prospect or not, so a
// customer's draw does not depend on the others' statuses (common random numbers across scenarios).
void adopt_block(CustomerState& customers, CustomerRange range, double probability, const JoiningTerms& terms,
                 int quarter, RandomEngine& engine, FirmTally& tally);

}  // namespace fulcrum
