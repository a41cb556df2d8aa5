#pragma once
// The quarter as a customer lives it: the firm's offer is experienced, compared with expectations and
// with what neighbours say; satisfaction, trust, expectation, reference price and wallet follow.
#include <span>
#include <vector>

#include "models/market.hpp"
#include "models/network.hpp"
#include "models/word_of_mouth.hpp"
#include "sim/customer_state.hpp"
#include "sim/lanes.hpp"
#include "sim/rng.hpp"
#include "sim/scenario.hpp"
#include "sim/tally.hpp"

namespace fulcrum {

// What a firm offers its customers this quarter.
struct Offer {
  double value_delivered;         // value points (0-10) customers actually get
  double promise;                 // value points (0-10)
  double price;                   // currency per unit
  double resolution_probability;  // chance that support resolves one of this quarter's issues
};

// Value delivered plus the customer's own fit, less the price burden: sensitivity * (price / reference
// price - 1). A price below the reference price is a gain. With no reference price (a free product) there
// is no burden.
template <class Real>
[[gnu::always_inline]] inline Real experience_of(Real value_delivered, Real price, Real value_fit, Real reference_price,
                                                 Real price_sensitivity) {
  return value_delivered + value_fit - price_burden(price, reference_price, price_sensitivity);
}
double experience_of(const Offer& offer, double value_fit, double reference_price, double price_sensitivity);

// Each customer's fixed fit with the offer, Normal(0, value_fit_sd of its segment).
void draw_value_fit(CustomerState& customers, CustomerRange range, std::span<const Segment> segments,
                    RandomEngine& engine);

// Value points this quarter's issues take from experience.
template <class Real>
[[gnu::always_inline]] inline Real issue_impact(Real resolved, Real unresolved, Real resolved_impact, Real unresolved_impact) {
  return resolved * resolved_impact + unresolved * unresolved_impact;
}
double issue_impact(int resolved, int unresolved, const IssueParameters& issues);

// Every active customer in the block lives the quarter with its firm's offer (`offers` by firm) and its
// segment's parameters: its issues are resolved or not (its first draw decides), and satisfaction and
// trust respond to the surprise against the expectation held before the experience; a resolved issue
// earns some trust back (service recovery). Resolved tickets are counted in `tallies` by tally_cell.
void perceive_block(CustomerState& customers, CustomerRange range, std::span<const Segment> segments,
                    const WordOfMouthParameters& word_of_mouth, const IssueParameters& issues,
                    const Hearing& heard, const std::vector<Offer>& offers, const CustomerDraws& draws,
                    std::vector<FirmTally>& tallies);
// How perception runs: eight customers at a time in AVX-512 lanes where the CPU has them (`fastest`),
// or one at a time. Both give the same bits; tests compare them.
enum class PerceptionKernel : std::uint8_t { fastest, scalar };
bool perception_kernel_supported(PerceptionKernel kernel);

// The same for the listed customers, all of them active (BlockStatus::active).
void perceive_active(CustomerState& customers, std::span<const std::uint32_t> active, std::span<const Segment> segments,
                     const WordOfMouthParameters& word_of_mouth, const IssueParameters& issues, const Hearing& heard,
                     const std::vector<Offer>& offers, const CustomerDraws& draws, std::vector<FirmTally>& tallies,
                     PerceptionKernel kernel = PerceptionKernel::fastest);

}  // namespace fulcrum
