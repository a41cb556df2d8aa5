#pragma once
// Adoption: prospects become customers with the Bass (1969) hazard p + q * signal, where the signal is
// what the prospect hears from its neighbours (models/word_of_mouth.hpp). On the complete graph with no
// promoters or detractors the signal is the adopted fraction and this is Bass diffusion.
#include <span>

#include "models/network.hpp"
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
  float trust;            // the initial trust
  float reference_price;  // the price paid on joining
  float spend;            // units per quarter
};

// Probability that a prospect adopts within a sub-step of `dt` quarters, the hazard being constant over
// the sub-step: 1 - exp(-(p + q * max(0, signal)) * dt). Negative word of mouth can cancel imitation
// altogether, but not innovation, which comes from outside the network (the firm's marketing).
double adoption_probability(const AdoptionParameters& adoption, double signal, double dt);

// Makes `customer` an active customer on `terms` from `quarter` on.
void join(CustomerState& customers, Eigen::Index customer, const JoiningTerms& terms, int quarter);

// What a block of prospects hears: each customer's voice (exposure + sentiment) and, for the complete
// graph, the market's total voice.
struct AdoptionSignal {
  const SocialNetwork& network;
  std::span<const float> voice;
  double market_total;
};

// One adoption sub-step over a block. One uniform is drawn per customer, prospect or not, so a
// customer's draw does not depend on the others' statuses (common random numbers across scenarios).
// `terms` and `tallies` are indexed by segment.
void adopt_block(CustomerState& customers, CustomerRange range, const AdoptionParameters& adoption, double dt,
                 const AdoptionSignal& signal, std::span<const JoiningTerms> terms, int quarter,
                 RandomEngine& engine, std::span<FirmTally> tallies);

}  // namespace fulcrum
