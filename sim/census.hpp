#pragma once
// Measuring the state as it stands: stocks per (firm, segment) cell, the satisfaction distribution and
// the cohorts per firm. Each block fills its own Census; blocks are summed in block order.
#include <array>
#include <cstdint>
#include <vector>

#include "sim/customer_state.hpp"
#include "sim/tally.hpp"

namespace fulcrum {

inline constexpr std::size_t kSatisfactionBins = 200;  // 0.05 points wide over 0-10
inline constexpr std::size_t kDeciles = 9;             // 10% to 90%

struct Census {
  std::size_t firms = 0;
  std::size_t segments = 0;
  std::size_t cohort_quarters = 0;
  std::vector<FirmTally> cells;                      // [tally_cell(firm, segment)]
  MarketTally market;
  std::vector<std::int64_t> satisfaction_histogram;  // [firm][bin], active customers
  std::vector<std::int64_t> cohorts;                 // [firm][quarter acquired], active customers

  Census() = default;
  Census(std::size_t firm_count, std::size_t segment_count, std::size_t quarters_recorded);
  Census& operator+=(const Census& other);
  [[nodiscard]] FirmTally firm_total(std::size_t firm) const;
  // Whether every sum of the active customers' state is finite: a NaN or infinity in any active
  // customer's satisfaction, expectation, trust, reference price or spend shows here.
  [[nodiscard]] bool finite() const;
};

// Counts a block of customers into `census`; census_of counts a block whose statuses were taken already.
void census_block(const CustomerState& customers, CustomerRange range, Census& census);
void census_of(const CustomerState& customers, const BlockStatus& block, Census& census);

// Satisfaction quantiles 10%..90% of the firm's active customers, interpolated within histogram bins;
// NaN when it has none.
std::array<double, kDeciles> satisfaction_deciles(const Census& census, std::size_t firm);

}  // namespace fulcrum
