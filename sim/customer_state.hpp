#pragma once
// Customer state as structure-of-arrays: one column per attribute, one row per potential customer.
#include <Eigen/Core>
#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/team.hpp"
#include "sim/uninitialised_allocator.hpp"

namespace fulcrum {

// Status codes stored in CustomerState::status (an unscoped enum so they index and compare as bytes).
namespace customer_status {
enum : std::uint8_t { prospect = 0, active = 1, lapsed = 2 };
}

constexpr std::int16_t kNoFirm = -1;

struct CustomerRange {
  Eigen::Index begin;
  Eigen::Index end;
};

struct CustomerState {
  using Index = Eigen::Index;

  Eigen::Array<std::uint8_t, Eigen::Dynamic, 1> status;  // customer_status::prospect, active, lapsed
  Eigen::Array<std::int16_t, Eigen::Dynamic, 1> firm;      // firm served (active) or left (lapsed); kNoFirm
  Eigen::Array<std::uint16_t, Eigen::Dynamic, 1> segment;  // index into the resolved segments
  Eigen::ArrayXf base_churn_propensity;  // theta, probability per quarter before satisfaction scaling
  Eigen::ArrayXf value_fit;              // value points added to what the firm delivers: needs fit
  Eigen::ArrayXf expectation;            // value points (0-10) the customer expects
  Eigen::ArrayXf experience;             // value points (0-10) experienced last quarter
  Eigen::ArrayXf satisfaction;           // points (0-10)
  Eigen::ArrayXf trust;                  // 0-1
  Eigen::ArrayXf reference_price;        // currency per unit: the price the customer anchors on
  Eigen::ArrayXf spend;                  // units bought per quarter while active
  Eigen::ArrayXi acquired_quarter;       // quarter of adoption; -1 for a prospect
  Eigen::Array<std::uint8_t, Eigen::Dynamic, 1> issues;  // issues met this quarter (active customers)

  // Every customer a prospect of segment 0, of no firm, with every value 0.
  explicit CustomerState(Index population) : CustomerState(population, Unwritten{}) { reset({0, population}); }

  // Columns allocated but not written: for a set-up whose threads write their own customers first
  // (reset), as this project's virtual machine takes some 11 us for each first touch of a 4 kB page.
  struct Unwritten {};
  CustomerState(Index population, Unwritten)
      : status(population), firm(population), segment(population), base_churn_propensity(population),
        value_fit(population), expectation(population), experience(population), satisfaction(population),
        trust(population), reference_price(population), spend(population), acquired_quarter(population),
        issues(population) {}

  // The customers of `range` back to prospects of segment 0, of no firm, with every value 0.
  void reset(CustomerRange range);
  // Asks for the pages of every column over `range` to be mapped now (sim/populate.hpp).
  void populate(CustomerRange range) const;

  [[nodiscard]] Index size() const { return status.size(); }
};

// Customers are processed in fixed blocks; each block owns its set-up random streams and its tallies
// (sim/rng.hpp; quarterly draws are per customer). The block size is part of the results' identity:
// changing it changes the set-up draws and the order in which tallies are summed.
constexpr Eigen::Index kCustomersPerBlock = 4096;

inline Eigen::Index block_count(Eigen::Index population) {
  return (population + kCustomersPerBlock - 1) / kCustomersPerBlock;
}

inline CustomerRange block_range(Eigen::Index block, Eigen::Index population) {
  const Eigen::Index begin = block * kCustomersPerBlock;
  return {begin, std::min(begin + kCustomersPerBlock, population)};
}

// The customers of the run of whole blocks that thread `thread` of `threads` takes (team_share).
inline CustomerRange blocks_of_thread(Eigen::Index population, int thread, int threads) {
  const Share share = team_share(static_cast<std::size_t>(block_count(population)), thread, threads);
  return {std::min(population, static_cast<Eigen::Index>(share.first) * kCustomersPerBlock),
          std::min(population, static_cast<Eigen::Index>(share.end) * kCustomersPerBlock)};
}

using CustomerList = std::vector<std::uint32_t, UninitialisedAllocator<std::uint32_t>>;

// Who is what in a block of customers: the active customers and the prospects, each in order, and how
// many have lapsed.
struct BlockStatus {
  CustomerList active;
  CustomerList prospects;
  std::int64_t lapsed = 0;
};

// Statuses are mixed at random along the customers: a pass that branched on each customer's would guess
// wrong about as often as right. Passes over active customers or prospects go through these lists
// instead, taken without a branch per customer (sixteen at a time with AVX-512 where the CPU has it).
void take_status(const CustomerState& customers, CustomerRange range, BlockStatus& block);
// The same lists, one customer at a time: what take_status does on CPUs without AVX-512.
void take_status_scalar(const CustomerState& customers, CustomerRange range, BlockStatus& block);

}  // namespace fulcrum
