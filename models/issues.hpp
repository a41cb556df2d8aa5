#pragma once
// Issues customers meet, and what support makes of them (seed 004: recurring issues from root causes).
#include <cstdint>
#include <span>
#include <vector>

#include "sim/customer_state.hpp"
#include "sim/rng.hpp"
#include "sim/tally.hpp"

namespace fulcrum {

// Poisson(mean) by inversion of one uniform: one draw per customer keeps common random numbers.
std::uint8_t poisson_by_inversion(double mean, double uniform);
// Binomial(trials, probability) by inversion of one uniform.
std::uint8_t binomial_by_inversion(std::uint8_t trials, double probability, double uniform);

// Every active customer of firm f (`active`: BlockStatus::active) meets Poisson(issue_rate[f]) issues
// this quarter; counted in customers.issues (read for active customers only) and in the tallies
// (tickets_raised), by tally_cell. Each one's first draw decides.
void issues_of(CustomerState& customers, std::span<const std::uint32_t> active, std::span<const double> issue_rate,
               std::size_t segments, const CustomerDraws& draws, std::vector<FirmTally>& tallies);

}  // namespace fulcrum
