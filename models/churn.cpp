#include "models/churn.hpp"

#include <algorithm>
#include <array>
#include <boost/random/beta_distribution.hpp>
#include <cmath>
#include <limits>

#include "sim/lanes.hpp"
#include "sim/lanes_avx512.hpp"
#include "sim/simd.hpp"

namespace fulcrum {

double churn_hazard(double base_propensity, double satisfaction, double trust, const ChurnParameters& churn,
                    const CustomerParameters& customers) {
  return churn_hazard(base_propensity, satisfaction, trust, churn.satisfaction_sensitivity, churn.trust_sensitivity,
                      customers.satisfaction_baseline, customers.trust_initial);
}

void draw_base_propensities(CustomerState& customers, CustomerRange range, std::span<const Segment> segments,
                            RandomEngine& engine) {
  std::vector<boost::random::beta_distribution<double>> beta;
  for (const Segment& segment : segments) {
    beta.emplace_back(segment.churn.propensity_alpha, segment.churn.propensity_beta);
  }
  for (Eigen::Index i = range.begin; i < range.end; ++i) {
    const std::uint16_t s = customers.segment[i];
    const ChurnParameters& churn = segments[s].churn;
    customers.base_churn_propensity[i] = static_cast<float>(
        churn.propensity_distribution == PropensityDistribution::fixed ? churn.fixed_propensity : beta[s](engine));
  }
}

void churn_block(CustomerState& customers, CustomerRange range, const ChurnContext& context, const CustomerDraws& draws,
                 std::vector<FirmTally>& tallies) {
  BlockStatus block;
  take_status(customers, range, block);
  churn_active(customers, block.active, context, draws, tallies);
}

namespace {

// The hazard every active customer has before rivals, incentives and closures (its satisfaction and
// trust, its firm's customer success and lock-in), in that order of operations; `cell` gives each
// parameter as Real lanes.
template <class Real, class Cell>
[[gnu::always_inline]] inline Real own_hazard(Real base_propensity, Real satisfaction, Real trust, Cell cell) {
  return cell(&HazardCell::success_multiplier) *
         churn_hazard(base_propensity, satisfaction, trust, cell(&HazardCell::satisfaction_sensitivity),
                      cell(&HazardCell::trust_sensitivity), cell(&HazardCell::satisfaction_baseline),
                      cell(&HazardCell::trust_initial)) *
         cell(&HazardCell::lock_in);
}

// The hazards of the customers `listed`, into `hazards`.
using HazardKernel = void (*)(const CustomerState& customers, std::span<const std::uint32_t> listed,
                              std::span<const HazardCell> cells, std::size_t segments, double* hazards);

void own_hazards_scalar(const CustomerState& customers, std::span<const std::uint32_t> listed,
                        std::span<const HazardCell> cells, std::size_t segments, double* hazards) {
  for (std::size_t k = 0; k < listed.size(); ++k) {
    const std::uint32_t i = listed[k];
    const HazardCell& cell = cells[tally_cell(customers.firm[i], customers.segment[i], segments)];
    hazards[k] = own_hazard<double>(customers.base_churn_propensity[i], customers.satisfaction[i], customers.trust[i],
                                    ScalarRow<HazardCell>{cell});
  }
}

#if defined(__x86_64__)
FULCRUM_AVX512_BEGIN
FULCRUM_AVX512_KERNEL void own_hazards_avx512(const CustomerState& customers, std::span<const std::uint32_t> listed,
                                              std::span<const HazardCell> cells, std::size_t segments, double* hazards) {
  constexpr std::size_t kLanes = 8;
  std::size_t k = 0;
  for (; k + kLanes <= listed.size(); k += kLanes) {
    alignas(32) std::int32_t cell_of[kLanes];
    bool uniform = true;
    for (std::size_t lane = 0; lane < kLanes; ++lane) {
      const std::uint32_t i = listed[k + lane];
      cell_of[lane] = static_cast<std::int32_t>(tally_cell(customers.firm[i], customers.segment[i], segments));
      uniform &= cell_of[lane] == cell_of[0];
    }
    const __m256i index = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(listed.data() + k));
    const Doubles8 base = gather_column(customers.base_churn_propensity.data(), index);
    const Doubles8 satisfaction = gather_column(customers.satisfaction.data(), index);
    const Doubles8 trust = gather_column(customers.trust.data(), index);
    if (uniform) {
      store_lanes(hazards + k, own_hazard(base, satisfaction, trust,
                                          BroadcastRow<HazardCell>{cells[static_cast<std::size_t>(cell_of[0])]}));
      continue;
    }
    // Mixed cells: each lane's parameters gathered from its own cell.
    store_lanes(hazards + k, own_hazard(base, satisfaction, trust,
                                        GatheredRows<HazardCell>{cells.data(), cell_of}));
  }
  own_hazards_scalar(customers, listed.subspan(k), cells, segments, hazards + k);
}
FULCRUM_AVX512_END
#endif

HazardKernel hazard_kernel(ChurnKernel kernel) {
#if defined(__x86_64__)
  if (kernel == ChurnKernel::fastest && cpu_has_avx512()) return own_hazards_avx512;
#endif
  return own_hazards_scalar;
}

}  // namespace

bool churn_kernel_supported(ChurnKernel kernel) { return kernel == ChurnKernel::scalar || cpu_has_avx512(); }

std::vector<HazardCell> hazard_cells(const ChurnContext& context) {
  const std::size_t segments = context.segments.size();
  std::vector<HazardCell> cells(context.offers.size() * segments);
  for (std::size_t k = 0; k < context.offers.size(); ++k) {
    for (std::size_t s = 0; s < segments; ++s) {
      const Segment& segment = context.segments[s];
      cells[tally_cell(static_cast<std::int16_t>(k), static_cast<std::uint16_t>(s), segments)] = {
          segment.churn.satisfaction_sensitivity, segment.churn.trust_sensitivity,
          segment.customers.satisfaction_baseline, segment.customers.trust_initial, context.efforts[k].success_multiplier,
          std::exp(-segment.churn.switching_cost_sensitivity * (segment.customers.switching_cost + context.offers[k].network_value))};
    }
  }
  return cells;
}

void own_churn_hazards(const CustomerState& customers, std::span<const std::uint32_t> listed,
                       std::span<const HazardCell> cells, std::size_t segments, std::span<double> hazards,
                       ChurnKernel kernel) {
  hazard_kernel(kernel)(customers, listed, cells, segments, hazards.data());
}

void churn_active(CustomerState& customers, std::span<const std::uint32_t> active, const ChurnContext& context,
                  const CustomerDraws& draws, std::vector<FirmTally>& tallies, ChurnKernel kernel) {
  const std::size_t segments = context.segments.size();
  const std::size_t firms = context.offers.size();
  std::vector<double> utilities(firms + 1);  // [0]: doing without; [1 + k]: switching to firm k
  const std::vector<HazardCell> cells = hazard_cells(context);
  // The hazards are worked out a batch ahead of the decisions that use them: in vector lanes, with
  // the batch's columns near in cache.
  const HazardKernel own_hazards = hazard_kernel(kernel);
  constexpr std::size_t kHazardBatch = 64;
  std::array<double, kHazardBatch> hazards{};
  DrawWords batch;
  for (std::size_t position = 0; position < active.size(); ++position) {
    if (position % kHazardBatch == 0) {
      own_hazards(customers, active.subspan(position, std::min(kHazardBatch, active.size() - position)), cells, segments,
                  hazards.data());
    }
    const std::size_t j = draws.words_at(active, position, 0, batch);
    const std::uint32_t i = active[position];
    const double life_draw = CustomerDraws::to_uniform(batch.word[0][j]);
    const double churn_draw = CustomerDraws::to_uniform(batch.word[1][j]);
    const double choice_draw = CustomerDraws::to_uniform(batch.word[2][j]);
    const std::uint16_t segment_index = customers.segment[i];
    const Segment& segment = context.segments[segment_index];
    const CustomerParameters& parameters = segment.customers;
    const auto own = static_cast<std::size_t>(customers.firm[i]);
    FirmTally& tally = tallies[tally_cell(customers.firm[i], segment_index, segments)];
    const auto lapse = [&]() {
      customers.status[i] = customer_status::lapsed;
      ++tally.churned;
    };
    if (life_draw < parameters.life_event_rate) {
      ++tally.life_events;
      if (life_draw < parameters.life_event_rate * parameters.life_event_churn_share) {
        lapse();
        ++tally.churned_by_life_event;
        continue;
      }
    }
    // What the customer's own firm and its rivals offer, as this customer sees them.
    const double reference = customers.reference_price[i];
    const double own_utility = offer_utility(context.offers[own], reference, parameters.price_sensitivity);
    double best_rival = -std::numeric_limits<double>::infinity();
    utilities[0] = context.market.outside_option;
    for (std::size_t k = 0; k < firms; ++k) {
      const bool rival = k != own && context.offers[k].open;
      utilities[1 + k] = rival ? offer_utility(context.offers[k], reference, parameters.price_sensitivity) -
                                     parameters.switching_cost
                               : -std::numeric_limits<double>::infinity();
      best_rival = std::max(best_rival, utilities[1 + k]);
    }
    const RetentionEffort& effort = context.efforts[own];
    double hazard = hazards[position % kHazardBatch];
    if (std::isfinite(best_rival) && best_rival > own_utility) {
      hazard = std::min(1.0, hazard * std::exp(context.market.competitor_sensitivity * (best_rival - own_utility)));
    }
    if (effort.incentivises_detractors && nps_category(customers.satisfaction[i]) == NpsCategory::detractor) {
      hazard *= effort.incentive_multiplier;
      ++tally.incentivised;
    }
    if (!context.offers[own].open) hazard = 1.0;  // the firm is gone: everyone moves
    if (churn_draw >= hazard) continue;
    const std::vector<double> shares = logit_shares(utilities, context.market.choice_scale);
    const std::size_t choice = pick(shares, choice_draw);
    if (choice == 0) {
      lapse();
      continue;
    }
    // Switching: the customer joins the rival on its terms but keeps the prices it has paid in mind.
    const auto rival = static_cast<std::int16_t>(choice - 1);
    ++tally.churned;
    ++tally.switched_out;
    const float reference_price = customers.reference_price[i];
    join(customers, i, context.switch_terms[static_cast<std::size_t>(rival) * segments + segment_index], context.quarter);
    customers.reference_price[i] = reference_price;
    ++tallies[tally_cell(rival, segment_index, segments)].switched_in;
  }
}

}  // namespace fulcrum
