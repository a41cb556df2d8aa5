#pragma once
// Churn: each customer has a base propensity theta (Beta-distributed over customers, as in Fader &
// Hardie's shifted-beta-geometric model), scaled by dissatisfaction and lost trust. Life events
// ("changes customers make", seed 002) end some relationships whatever the customer feels.
#include <span>
#include <vector>

#include "models/adoption.hpp"
#include "models/market.hpp"
#include "models/word_of_mouth.hpp"
#include "sim/customer_state.hpp"
#include "sim/lanes.hpp"
#include "sim/rng.hpp"
#include "sim/scenario.hpp"
#include "sim/tally.hpp"

namespace fulcrum {

// Churn probability this quarter:
// theta * exp(satisfaction_sensitivity * (baseline - satisfaction) + trust_sensitivity * (trust0 - trust)),
// at most 1. With both sensitivities 0 it is theta, and survival follows B(a, b+t) / B(a, b).
template <class Real>
[[gnu::always_inline]] inline Real churn_hazard(Real base_propensity, Real satisfaction, Real trust,
                                                Real satisfaction_sensitivity, Real trust_sensitivity,
                                                Real satisfaction_baseline, Real trust_initial) {
  const Real exponent = satisfaction_sensitivity * (satisfaction_baseline - satisfaction) +
                        trust_sensitivity * (trust_initial - trust);
  return min_of(splat<Real>(1.0), base_propensity * portable_exp(exponent));
}
double churn_hazard(double base_propensity, double satisfaction, double trust, const ChurnParameters& churn,
                    const CustomerParameters& customers);

// Draws the base propensities of a block of customers, each from its segment's distribution.
void draw_base_propensities(CustomerState& customers, CustomerRange range, std::span<const Segment> segments,
                            RandomEngine& engine);

// What a firm's departments do to its customers' churn this quarter.
struct RetentionEffort {
  double success_multiplier = 1.0;  // customer success: the hazard is multiplied by this
  bool incentivises_detractors = false;  // retention incentives paid to detractors...
  double incentive_multiplier = 1.0;     // ...multiply their hazard by this
};

// What churn needs to know about the market this quarter.
struct ChurnContext {
  std::span<const Segment> segments;
  std::span<const RetentionEffort> efforts;  // by firm
  std::span<const FirmOffer> offers;         // by firm; a closed (bankrupt) firm's customers must move
  const MarketParameters& market;
  std::span<const JoiningTerms> switch_terms;  // [firm * segments + segment]: what a switcher gets
  int quarter;
};

// Active customers in the block meet life events, then churn with their hazard, lowered by the lock-in
// of switching costs and raised by a rival's better offer; a churner lapses or switches to a rival by logit choice against the outside option.
// Customers of a closed firm all move. Each active customer's first three `draws` decide its life event,
// its churn and its choice, whatever the others do (common random numbers). `tallies` is indexed by
// tally_cell(firm, segment).
void churn_block(CustomerState& customers, CustomerRange range, const ChurnContext& context, const CustomerDraws& draws,
                 std::vector<FirmTally>& tallies);
// How the hazards are worked out: eight customers at a time in AVX-512 lanes where the CPU has them
// (`fastest`), or one at a time. Both give the same bits; tests compare them.
enum class ChurnKernel : std::uint8_t { fastest, scalar };
bool churn_kernel_supported(ChurnKernel kernel);

// What a customer's own hazard takes from its segment and firm, by tally cell (firm * segments + segment).
struct HazardCell {
  double satisfaction_sensitivity, trust_sensitivity, satisfaction_baseline, trust_initial;
  double success_multiplier;  // the firm's customer success
  double lock_in;  // exp(-sensitivity * (switching cost + network value)): leaving costs both, and the
                   // same for every customer of a segment and firm (one exp each, not one per customer)
};
std::vector<HazardCell> hazard_cells(const ChurnContext& context);

// The listed active customers' hazards before rivals, incentives and closures, into `hazards`: from
// their satisfaction and trust, their firm's customer success and lock-in. churn_active's first step,
// taken a batch ahead of the decisions.
void own_churn_hazards(const CustomerState& customers, std::span<const std::uint32_t> listed,
                       std::span<const HazardCell> cells, std::size_t segments, std::span<double> hazards,
                       ChurnKernel kernel = ChurnKernel::fastest);

// The same for the listed customers, all of them active (BlockStatus::active).
void churn_active(CustomerState& customers, std::span<const std::uint32_t> active, const ChurnContext& context,
                  const CustomerDraws& draws, std::vector<FirmTally>& tallies, ChurnKernel kernel = ChurnKernel::fastest);

}  // namespace fulcrum
