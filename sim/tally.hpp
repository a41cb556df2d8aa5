#pragma once
// What one block of customers contributes to a firm's (or a firm's segment's) quarter. Blocks fill their own tallies, which are
// then summed in block order, so totals do not depend on how blocks were spread over threads.
#include <cstdint>
#include <vector>

namespace fulcrum {

struct FirmTally {
  std::int64_t active = 0;
  std::int64_t acquired = 0;
  std::int64_t churned = 0;
  std::int64_t churned_by_life_event = 0;
  std::int64_t life_events = 0;
  std::int64_t promoters = 0;
  std::int64_t passives = 0;
  std::int64_t detractors = 0;
  std::int64_t tickets_raised = 0;
  std::int64_t tickets_resolved = 0;
  std::int64_t incentivised = 0;  // detractors paid a retention incentive
  std::int64_t switched_out = 0;  // churners who moved to a rival (counted in churned too)
  std::int64_t switched_in = 0;   // rivals' churners who joined
  double units_sold = 0;       // sum of spend over active customers
  double satisfaction_sum = 0;  // over active customers
  double expectation_sum = 0;   // over active customers
  double trust_sum = 0;         // over active customers
  double reference_price_sum = 0;  // over active customers

  FirmTally& operator+=(const FirmTally& other) {
    active += other.active;
    acquired += other.acquired;
    churned += other.churned;
    churned_by_life_event += other.churned_by_life_event;
    life_events += other.life_events;
    promoters += other.promoters;
    passives += other.passives;
    detractors += other.detractors;
    tickets_raised += other.tickets_raised;
    tickets_resolved += other.tickets_resolved;
    incentivised += other.incentivised;
    switched_out += other.switched_out;
    switched_in += other.switched_in;
    units_sold += other.units_sold;
    satisfaction_sum += other.satisfaction_sum;
    expectation_sum += other.expectation_sum;
    trust_sum += other.trust_sum;
    reference_price_sum += other.reference_price_sum;
    return *this;
  }
};

// Tallies are kept per (firm, segment) cell, firm-major; a firm's totals sum its cells.
inline std::size_t tally_cell(std::int16_t firm, std::uint16_t segment, std::size_t segments) {
  return static_cast<std::size_t>(firm) * segments + segment;
}

struct MarketTally {
  std::int64_t prospects = 0;
  std::int64_t lapsed = 0;
};

}  // namespace fulcrum
