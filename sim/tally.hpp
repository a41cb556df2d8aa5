#pragma once
// What one block of customers contributes to a firm's quarter. Blocks fill their own tallies, which are
// then summed in block order, so totals do not depend on how blocks were spread over threads.
#include <cstdint>
#include <vector>

namespace fulcrum {

struct FirmTally {
  std::int64_t active = 0;
  std::int64_t acquired = 0;
  std::int64_t churned = 0;
  double units_sold = 0;       // sum of spend over active customers
  double satisfaction_sum = 0;  // over active customers
  double expectation_sum = 0;   // over active customers

  FirmTally& operator+=(const FirmTally& other) {
    active += other.active;
    acquired += other.acquired;
    churned += other.churned;
    units_sold += other.units_sold;
    satisfaction_sum += other.satisfaction_sum;
    expectation_sum += other.expectation_sum;
    return *this;
  }
};

struct MarketTally {
  std::int64_t prospects = 0;
  std::int64_t lapsed = 0;
};

}  // namespace fulcrum
