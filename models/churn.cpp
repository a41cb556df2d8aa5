#include "models/churn.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <type_traits>

#include "sim/lanes.hpp"
#include "sim/prefetch.hpp"
#include "sim/lanes_avx512.hpp"
#include "sim/simd.hpp"
#include "sim/variates.hpp"

namespace fulcrum {

double churn_hazard(double base_propensity, double satisfaction, double trust, const ChurnParameters& churn,
                    const CustomerParameters& customers) {
  return churn_hazard(base_propensity, satisfaction, trust, churn.satisfaction_sensitivity, churn.trust_sensitivity,
                      customers.satisfaction_baseline, customers.trust_initial);
}

void draw_base_propensities(CustomerState& customers, CustomerRange range, std::span<const Segment> segments,
                            RandomEngine& engine) {
  std::vector<BetaVariate> beta;
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

// The hazard raised by a better rival: min(1, hazard * e^(sensitivity * (best - own))) where the best
// open rival's utility is finite and above the customer's own firm's. `exp` is the C library's in the
// full decision and portable_exp in the screen's lanes (hence the screen's margin). For one customer
// the exponential is taken only where a rival pulls.
template <class Real, class Exp>
[[gnu::always_inline]] inline Real pulled_by_rival(Real hazard, Real best_rival, Real own_utility, Real sensitivity,
                                                   Exp exp) {
  const auto pulls = (best_rival - best_rival == splat<Real>(0.0)) & (best_rival > own_utility);
  if constexpr (std::is_same_v<Real, double>) {
    if (!pulls) return hazard;
  }
  return select(pulls, min_of(splat<Real>(1.0), hazard * exp(sensitivity * (best_rival - own_utility))), hazard);
}

// portable_exp as a callable that inlines into the kernels (a lambda would not take their target).
struct PortableExp {
  template <class Real>
  [[gnu::always_inline]] Real operator()(Real x) const {
    return portable_exp(x);
  }
};

// What the screen needs to tell which of a batch's customers may meet anything this quarter.
struct ChurnScreen {
  std::span<const HazardCell> cells;
  std::size_t segments;
  std::span<const CustomerParameters> parameters;  // by segment
  std::span<const FirmOffer> offers;                // by firm
  std::span<const RetentionEffort> efforts;         // by firm
  double competitor_sensitivity;
  const DrawWords* words;  // the batch's draws; null: hazards only
  // By firm: kClosed if its customers all move, kIncentivising if it pays detractors to stay (either
  // way its customers are decided in full); empty with hazards only.
  std::span<const std::int32_t> firm_flags = {};
  static constexpr std::int32_t kClosed = 1;
  static constexpr std::int32_t kIncentivising = 2;
  // The cells', segments' and offers' fields side by side, for the lanes of mixed rows (PermutedRows);
  // null or not usable: row by row.
  const FieldsOfRows<HazardCell>* cell_fields = nullptr;
  const FieldsOfRows<CustomerParameters>* parameter_fields = nullptr;
  const FieldsOfRows<FirmOffer>* offer_fields = nullptr;
};

// A screened customer is decided in full only if its churn draw is below its screened hazard by this
// much: more than the few units in the last place the screen's exp may differ from the C library's.
constexpr double kScreenMargin = 1e-12;

// The own hazards of the customers `listed` (a DrawWords batch, at most 64), into `hazards`; returns
// a bit for each customer that may meet anything this quarter: a life event, churn, a retention
// incentive or a closed firm. The others' full decision would leave them as they are.
using ScreenKernel = std::uint64_t (*)(const CustomerState& customers, std::span<const std::uint32_t> listed,
                                       const ChurnScreen& screen, double* hazards);

// Hazards one at a time, and every customer decided in full.
std::uint64_t screen_scalar(const CustomerState& customers, std::span<const std::uint32_t> listed,
                            const ChurnScreen& screen, double* hazards) {
  for (std::size_t k = 0; k < listed.size(); ++k) {
    const std::uint32_t i = listed[k];
    const HazardCell& cell = screen.cells[tally_cell(customers.firm[i], customers.segment[i], screen.segments)];
    hazards[k] = own_hazard<double>(customers.base_churn_propensity[i], customers.satisfaction[i], customers.trust[i],
                                    ScalarRow<HazardCell>{cell});
  }
  return listed.size() >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << listed.size()) - 1;
}

#if defined(__x86_64__)
FULCRUM_AVX512_BEGIN

// The lanes (customers k to k + 7 of the batch) whose draws fall below their life-event rate or their
// hazard with the best open rival's pull (worked out as the full decision does, there with the C
// library's exp: hence the margin).
template <class SegmentRow, class OfferRow>
FULCRUM_AVX512_INLINE unsigned screen_lanes(const CustomerState& customers, const ChurnScreen& screen, std::size_t k,
                                            __m256i index, const std::int32_t* firm_of, Doubles8 hazard,
                                            SegmentRow segment, OfferRow own_offer) {
  using P = CustomerParameters;
  const Doubles8 life_draw = uniforms_of(screen.words->word[0].data() + k);
  const Doubles8 churn_draw = uniforms_of(screen.words->word[1].data() + k);
  Doubles8 pulled = hazard;
  unsigned extreme = 0;
  if (screen.offers.size() > 1) {
    const Doubles8 reference = gather_column(customers.reference_price.data(), index);
    const Doubles8 sensitivity = segment(&P::price_sensitivity);
    const Doubles8 own_utility =
        offer_utility(own_offer(&FirmOffer::value), own_offer(&FirmOffer::price), reference, sensitivity);
    const Doubles8 firm = _mm512_cvtepi32_pd(_mm256_load_si256(reinterpret_cast<const __m256i*>(firm_of)));
    Doubles8 best_rival = splat<Doubles8>(-HUGE_VAL);
    for (std::size_t rival = 0; rival < screen.offers.size(); ++rival) {
      const FirmOffer& offer = screen.offers[rival];
      if (!offer.open) continue;
      const Doubles8 utility =
          offer_utility(splat<Doubles8>(offer.value), splat<Doubles8>(offer.price), reference, sensitivity) -
          segment(&P::switching_cost);
      best_rival =
          max_of(best_rival, select(firm == splat<Doubles8>(static_cast<double>(rival)), splat<Doubles8>(-HUGE_VAL), utility));
    }
    const Doubles8 sensitivity_to_rivals = splat<Doubles8>(screen.competitor_sensitivity);
    pulled = pulled_by_rival(hazard, best_rival, own_utility, sensitivity_to_rivals, PortableExp{});
    // Near exp's overflow the two exps may disagree on infinity (0 * infinity is a hazard of 1 there):
    // such a pull is decided in full.
    extreme = lanes_set((best_rival > own_utility) &
                        (sensitivity_to_rivals * (best_rival - own_utility) > splat<Doubles8>(700.0)));
  }
  // Not below a hazard that is NaN either (the full decision churns on !(draw >= hazard)).
  return lanes_set(life_draw < segment(&P::life_event_rate)) |
         lanes_set(~(churn_draw >= pulled + splat<Doubles8>(kScreenMargin))) | extreme;
}

// Eight customers at a time: their hazards as the scalar path's, to the bit, and the screen in lanes
// (the customer's draws against its life-event rate, and against its hazard with the best rival's pull).
FULCRUM_AVX512_KERNEL std::uint64_t screen_avx512(const CustomerState& customers, std::span<const std::uint32_t> listed,
                                                  const ChurnScreen& screen, double* hazards) {
  constexpr std::size_t kLanes = 8;
  const std::uint32_t readable_below = gatherable_below(customers.size(), sizeof(std::uint16_t));  // segments, firms
  const __m256i segments = _mm256_set1_epi32(static_cast<int>(screen.segments));
  const bool cells_permutable = screen.cell_fields != nullptr && screen.cell_fields->usable;
  const bool rows_permutable = screen.parameter_fields != nullptr && screen.parameter_fields->usable &&
                               screen.offer_fields != nullptr && screen.offer_fields->usable;
  std::uint64_t decide = 0;
  std::size_t k = 0;
  for (; k + kLanes <= listed.size(); k += kLanes) {
    alignas(32) std::int32_t cell_of[kLanes];
    alignas(32) std::int32_t segment_of[kLanes];
    alignas(32) std::int32_t firm_of[kLanes];
    bool uniform = true;
    unsigned always = 0;  // customers of a closed firm, detractors a firm pays to stay
    const __m256i index = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(listed.data() + k));
    const Doubles8 satisfaction = gather_column(customers.satisfaction.data(), index);
    if (highest_lane(index) < readable_below) {
      // The lanes' segments and firms read as 32-bit words, and their cells and flags worked out side by side.
      const __m256i segment = gather_shorts(customers.segment.data(), index);
      const __m256i firm = gather_shorts(customers.firm.data(), index);
      const __m256i cell = _mm256_add_epi32(_mm256_mullo_epi32(firm, segments), segment);
      _mm256_store_si256(reinterpret_cast<__m256i*>(segment_of), segment);
      _mm256_store_si256(reinterpret_cast<__m256i*>(firm_of), firm);
      _mm256_store_si256(reinterpret_cast<__m256i*>(cell_of), cell);
      uniform = all_lanes_equal(cell);
      if (screen.words != nullptr) {
        const __m256i flags = _mm256_i32gather_epi32(screen.firm_flags.data(), firm, 4);
        const unsigned detractor = lanes_set(satisfaction < splat<Doubles8>(kDetractorBelow));
        always = _mm256_test_epi32_mask(flags, _mm256_set1_epi32(ChurnScreen::kClosed)) |
                 (_mm256_test_epi32_mask(flags, _mm256_set1_epi32(ChurnScreen::kIncentivising)) & detractor);
      }
    } else {
      for (std::size_t lane = 0; lane < kLanes; ++lane) {
        const std::uint32_t i = listed[k + lane];
        segment_of[lane] = customers.segment[i];
        firm_of[lane] = customers.firm[i];
        cell_of[lane] = static_cast<std::int32_t>(tally_cell(customers.firm[i], customers.segment[i], screen.segments));
        uniform &= cell_of[lane] == cell_of[0];
        if (screen.words == nullptr) continue;  // hazards only
        const auto firm = static_cast<std::size_t>(firm_of[lane]);
        const bool incentivised = screen.efforts[firm].incentivises_detractors &&
                                  nps_category(customers.satisfaction[i]) == NpsCategory::detractor;
        always |= (!screen.offers[firm].open || incentivised ? 1U : 0U) << lane;
      }
    }
    const Doubles8 base = gather_column(customers.base_churn_propensity.data(), index);
    const Doubles8 trust = gather_column(customers.trust.data(), index);
    const Doubles8 hazard =
        uniform ? own_hazard(base, satisfaction, trust, BroadcastRow<HazardCell>{screen.cells[static_cast<std::size_t>(cell_of[0])]})
        : cells_permutable ? own_hazard(base, satisfaction, trust, PermutedRows<HazardCell>{*screen.cell_fields, wide_lanes(cell_of)})
                           : own_hazard(base, satisfaction, trust, GatheredRows<HazardCell>{screen.cells.data(), cell_of});
    store_lanes(hazards + k, hazard);
    if (screen.words == nullptr) {
      decide |= std::uint64_t{0xFF} << k;
      continue;
    }
    const unsigned lanes =
        uniform ? screen_lanes(customers, screen, k, index, firm_of, hazard,
                               BroadcastRow<CustomerParameters>{screen.parameters[static_cast<std::size_t>(segment_of[0])]},
                               BroadcastRow<FirmOffer>{screen.offers[static_cast<std::size_t>(firm_of[0])]})
        : rows_permutable
            ? screen_lanes(customers, screen, k, index, firm_of, hazard,
                           PermutedRows<CustomerParameters>{*screen.parameter_fields, wide_lanes(segment_of)},
                           PermutedRows<FirmOffer>{*screen.offer_fields, wide_lanes(firm_of)})
            : screen_lanes(customers, screen, k, index, firm_of, hazard,
                           GatheredRows<CustomerParameters>{screen.parameters.data(), segment_of},
                           GatheredRows<FirmOffer>{screen.offers.data(), firm_of});
    decide |= static_cast<std::uint64_t>(lanes | always) << k;
  }
  if (k < listed.size()) decide |= screen_scalar(customers, listed.subspan(k), screen, hazards + k) << k;
  return decide;
}
FULCRUM_AVX512_END
#endif

ScreenKernel screen_kernel(ChurnKernel kernel, Eigen::Index population) {
#if defined(__x86_64__)
  // The kernel's gathers index customers as 32-bit signed lanes.
  const bool indexable = population < (Eigen::Index{1} << 31);
  if (kernel == ChurnKernel::fastest && indexable && cpu_has_avx512()) return screen_avx512;
#endif
  return screen_scalar;
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
  const ChurnScreen hazards_only{cells, segments, {}, {}, {}, 0.0, nullptr};
  const ScreenKernel screen = screen_kernel(kernel, customers.size());
  for (std::size_t start = 0; start < listed.size(); start += DrawWords::kCapacity) {
    screen(customers, listed.subspan(start, std::min(DrawWords::kCapacity, listed.size() - start)), hazards_only,
           hazards.data() + start);
  }
}

void churn_active(CustomerState& customers, std::span<const std::uint32_t> active, const ChurnContext& context,
                  const CustomerDraws& draws, std::vector<FirmTally>& tallies, ChurnKernel kernel) {
  const std::size_t segments = context.segments.size();
  const std::size_t firms = context.offers.size();
  std::vector<double> utilities(firms + 1);  // [0]: doing without; [1 + k]: switching to firm k
  std::vector<double> shares;                // the same, as choice probabilities
  const std::vector<HazardCell> cells = hazard_cells(context);
  const std::vector<CustomerParameters> segment_parameters = customer_parameters_of(context.segments);
  // A batch at a time: the draws and hazards of all its customers first (in vector lanes where the CPU
  // has them), and the screen's word on who may meet anything at all; only those are decided in full.
  DrawWords batch;
  std::vector<std::int32_t> firm_flags;
  for (std::size_t k = 0; k < firms; ++k) {
    firm_flags.push_back((context.offers[k].open ? 0 : ChurnScreen::kClosed) |
                         (context.efforts[k].incentivises_detractors ? ChurnScreen::kIncentivising : 0));
  }
  const FieldsOfRows<HazardCell> cell_fields(cells.data(), cells.size());
  const FieldsOfRows<CustomerParameters> parameter_fields(segment_parameters.data(), segment_parameters.size());
  const FieldsOfRows<FirmOffer> offer_fields(context.offers.data(), context.offers.size());
  const ChurnScreen screen{cells,        segments,         segment_parameters, context.offers, context.efforts,
                           context.market.competitor_sensitivity, &batch, firm_flags, &cell_fields, &parameter_fields,
                           &offer_fields};
  const ScreenKernel screen_batch = screen_kernel(kernel, customers.size());
  std::array<double, DrawWords::kCapacity> hazards{};
  for (std::size_t start = 0; start < active.size(); start += DrawWords::kCapacity) {
    const std::span<const std::uint32_t> listed = active.subspan(start, std::min(DrawWords::kCapacity, active.size() - start));
    draws.words_of(listed, 0, batch);
    // The next batch's columns are asked for now, to arrive while this one is decided, each of their
    // lines once.
    if (start + DrawWords::kCapacity < active.size()) {
      const std::uint32_t* next = active.data() + start + DrawWords::kCapacity;
      const std::size_t count = std::min(DrawWords::kCapacity, active.size() - start - DrawWords::kCapacity);
      prefetch_listed(customers.base_churn_propensity.data(), next, count);
      prefetch_listed(customers.satisfaction.data(), next, count);
      prefetch_listed(customers.trust.data(), next, count);
      prefetch_listed(customers.segment.data(), next, count);
      prefetch_listed(customers.firm.data(), next, count);
      if (firms > 1) prefetch_listed(customers.reference_price.data(), next, count);
    }
    const std::uint64_t screened = screen_batch(customers, listed, screen, hazards.data());
    // Those decided in full read their reference price, which a single firm's screen does not: a cache
    // miss each, asked for all at once.
    for (std::uint64_t ask = firms > 1 ? 0 : screened; ask != 0; ask &= ask - 1) {
      prefetch(customers.reference_price.data() + listed[static_cast<std::size_t>(std::countr_zero(ask))]);
    }
    for (std::uint64_t decide = screened; decide != 0; decide &= decide - 1) {
      const auto j = static_cast<std::size_t>(std::countr_zero(decide));
      const std::uint32_t i = listed[j];
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
      double hazard = pulled_by_rival(hazards[j], best_rival, own_utility, context.market.competitor_sensitivity,
                                      [](double x) { return std::exp(x); });
      if (effort.incentivises_detractors && nps_category(customers.satisfaction[i]) == NpsCategory::detractor) {
        hazard *= effort.incentive_multiplier;
        ++tally.incentivised;
      }
      if (!context.offers[own].open) hazard = 1.0;  // the firm is gone: everyone moves
      if (churn_draw >= hazard) continue;
      logit_shares(utilities, context.market.choice_scale, shares);
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
}

}  // namespace fulcrum
