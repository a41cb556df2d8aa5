#include "models/perception.hpp"

#include <algorithm>
#include <boost/random/normal_distribution.hpp>

#include "models/issues.hpp"
#include "models/satisfaction.hpp"
#include "models/trust.hpp"
#include "models/wallet.hpp"
#include "models/hearing_avx512.hpp"
#include "models/word_of_mouth.hpp"
#include "sim/lanes_avx512.hpp"
#include "sim/simd.hpp"

namespace fulcrum {

double experience_of(const Offer& offer, double value_fit, double reference_price, double price_sensitivity) {
  return experience_of(offer.value_delivered, offer.price, value_fit, reference_price, price_sensitivity);
}

void draw_value_fit(CustomerState& customers, CustomerRange range, std::span<const Segment> segments,
                    RandomEngine& engine) {
  // Standard normals scaled per segment: one draw per customer whatever its segment.
  boost::random::normal_distribution<double> standard(0.0, 1.0);
  for (Eigen::Index i = range.begin; i < range.end; ++i) {
    customers.value_fit[i] = static_cast<float>(segments[customers.segment[i]].customers.value_fit_sd * standard(engine));
  }
}

double issue_impact(int resolved, int unresolved, const IssueParameters& issues) {
  return issue_impact(static_cast<double>(resolved), static_cast<double>(unresolved), issues.resolved_impact,
                      issues.unresolved_impact);
}

namespace {

// One customer's quarter (or a vector of customers'): its state before, what it met and what it heard.
template <class Real>
struct QuarterLived {
  Real value_fit, reference_price, expectation, satisfaction, trust, spend;
  Real heard;  // the mean of what its neighbours say
  Real resolved, unresolved;  // this quarter's issues
};

template <class Real>
struct QuarterOutcome {
  Real satisfaction, trust, expectation, experience, reference_price, spend;
};

// The rules of perception, in the order the scalar path has always applied them. `segment` and
// `offer` give the customer's segment parameters (CustomerParameters) and its firm's Offer as Real.
template <class Real, class SegmentRow, class OfferRow>
[[gnu::always_inline]] inline QuarterOutcome<Real> live_quarter(const QuarterLived<Real>& customer, SegmentRow segment,
                                                                OfferRow offer, const WordOfMouthParameters& word_of_mouth,
                                                                const IssueParameters& issues) {
  using P = CustomerParameters;
  const Real price = offer(&Offer::price);
  const Real baseline = segment(&P::satisfaction_baseline);
  const Real experience = experience_of(offer(&Offer::value_delivered), price, customer.value_fit, customer.reference_price,
                                        segment(&P::price_sensitivity)) -
                          issue_impact(customer.resolved, customer.unresolved, splat<Real>(issues.resolved_impact),
                                       splat<Real>(issues.unresolved_impact));
  const Real surprise = experience - customer.expectation;
  const Real word_of_mouth_shift = splat<Real>(word_of_mouth.satisfaction_influence) * customer.heard;
  const Real target = satisfaction_target(experience, customer.expectation, word_of_mouth_shift, baseline,
                                          segment(&P::satisfaction_gap_gain));
  QuarterOutcome<Real> outcome;
  outcome.satisfaction = next_satisfaction(customer.satisfaction, target, segment(&P::satisfaction_adaptation));
  outcome.trust = min_of(splat<Real>(1.0),
                         next_trust(customer.trust, surprise, segment(&P::trust_rate), segment(&P::trust_asymmetry)) +
                             customer.resolved * splat<Real>(issues.recovery_trust));
  outcome.expectation = next_expectation(customer.expectation, offer(&Offer::promise), experience,
                                         segment(&P::expectation_to_promise), segment(&P::expectation_to_experience));
  outcome.experience = experience;
  outcome.reference_price = next_reference_price(customer.reference_price, price, segment(&P::reference_price_adaptation));
  const Real spend_per_quarter = segment(&P::spend_per_quarter);
  outcome.spend = next_spend(customer.spend, outcome.satisfaction, segment(&P::wallet_growth), baseline,
                             segment(&P::wallet_floor) * spend_per_quarter, segment(&P::wallet_cap) * spend_per_quarter);
  return outcome;
}

// What every pass over customers needs: the tables by segment and by firm.
struct PerceptionTables {
  std::vector<CustomerParameters> segments;
  const std::vector<Offer>& offers;
  const WordOfMouthParameters& word_of_mouth;
  const IssueParameters& issues;
};

// The resolved issues of customer i, counted in its tally cell.
[[gnu::always_inline]] inline std::uint8_t resolve_issues(const CustomerState& customers, std::uint32_t i,
                                                          std::size_t segments, const std::vector<Offer>& offers,
                                                          const CustomerDraws& draws, std::vector<FirmTally>& tallies) {
  const std::uint8_t met = customers.issues[i];
  if (met == 0) return 0;
  const std::uint8_t resolved = binomial_by_inversion(
      met, offers[static_cast<std::size_t>(customers.firm[i])].resolution_probability, draws(static_cast<std::uint64_t>(i))[0]);
  tallies[tally_cell(customers.firm[i], customers.segment[i], segments)].tickets_resolved += resolved;
  return resolved;
}

void perceive_scalar(CustomerState& customers, std::span<const std::uint32_t> active, std::size_t from,
                     const PerceptionTables& tables, const Hearing& heard, const CustomerDraws& draws,
                     std::vector<FirmTally>& tallies) {
  constexpr std::size_t kAhead = 16;  // customers whose neighbour totals are asked for ahead of use
  for (std::size_t k = from; k < active.size(); ++k) {
    if (k + kAhead < active.size()) heard.prefetch(active[k + kAhead]);
    const std::uint32_t i = active[k];
    const Offer& offer = tables.offers[static_cast<std::size_t>(customers.firm[i])];
    const std::uint8_t met = customers.issues[i];
    const std::uint8_t resolved = resolve_issues(customers, i, tables.segments.size(), tables.offers, draws, tallies);
    const QuarterLived<double> lived{customers.value_fit[i], customers.reference_price[i], customers.expectation[i],
                                     customers.satisfaction[i], customers.trust[i], customers.spend[i],
                                     neighbour_mean(heard, i), static_cast<double>(resolved),
                                     static_cast<double>(met - resolved)};
    const QuarterOutcome<double> outcome =
        live_quarter(lived, ScalarRow<CustomerParameters>{tables.segments[customers.segment[i]]}, ScalarRow<Offer>{offer},
                     tables.word_of_mouth, tables.issues);
    customers.satisfaction[i] = static_cast<float>(outcome.satisfaction);
    customers.trust[i] = static_cast<float>(outcome.trust);
    customers.expectation[i] = static_cast<float>(outcome.expectation);
    customers.experience[i] = static_cast<float>(outcome.experience);
    customers.reference_price[i] = static_cast<float>(outcome.reference_price);
    customers.spend[i] = static_cast<float>(outcome.spend);
  }
}

#if defined(__x86_64__)
FULCRUM_AVX512_BEGIN
// Eight customers at a time: their columns gathered, the quarter lived in vector lanes, the results
// scattered back. Issues are resolved lane by lane first (a draw per customer with issues).
// Returns how far it went: the rest, fewer than eight, are the scalar path's.
FULCRUM_AVX512_KERNEL std::size_t perceive_avx512(CustomerState& customers, std::span<const std::uint32_t> active,
                                                  const PerceptionTables& tables, const Hearing& heard,
                                                  const CustomerDraws& draws, std::vector<FirmTally>& tallies) {
  constexpr std::size_t kLanes = 8;
  constexpr std::size_t kColumnsAhead = 64;
  const std::size_t segments = tables.segments.size();
  const SocialNetwork& network = heard.network;
  const Doubles8 market_mean = splat<Doubles8>(network.mean_field ? neighbour_mean(heard, 0) : 0.0);
  const std::uint32_t readable_below = gatherable_below(customers.size(), sizeof(std::uint8_t));  // the issues
  const FieldsOfRows<CustomerParameters> segment_fields(tables.segments.data(), segments);
  const FieldsOfRows<Offer> offer_fields(tables.offers.data(), tables.offers.size());
  const bool permutable = segment_fields.usable && offer_fields.usable;
  std::size_t k = 0;
  for (; k + kLanes <= active.size(); k += kLanes) {
    if (k + kColumnsAhead + kLanes <= active.size()) {
      // The lines the lanes' state lies on, asked for ahead once each: the columns, and what they hear.
      const std::uint32_t* ahead = active.data() + k + kColumnsAhead;
      for (const float* column : {customers.value_fit.data(), customers.reference_price.data(), customers.expectation.data(),
                                  customers.satisfaction.data(), customers.trust.data(), customers.spend.data(),
                                  customers.experience.data()}) {
        prefetch_listed(column, ahead, kLanes);
      }
      prefetch_listed(customers.segment.data(), ahead, kLanes);
      prefetch_listed(customers.firm.data(), ahead, kLanes);
      prefetch_listed(customers.issues.data(), ahead, kLanes);
      heard.prefetch_listed(ahead, kLanes);
    }
    const __m256i index = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(active.data() + k));
    alignas(64) std::int32_t segment_of[kLanes];
    alignas(64) std::int32_t firm_of[kLanes];
    alignas(64) double resolved[kLanes];
    alignas(64) double unresolved[kLanes];
    bool uniform = true;
    if (highest_lane(index) < readable_below) {
      // The lanes' segments, firms and issues met, read as 32-bit words from their 16- and 8-bit
      // columns, compared side by side; only the lanes that met issues resolve them, one by one.
      const __m256i segment = gather_shorts(customers.segment.data(), index);
      const __m256i firm = gather_shorts(customers.firm.data(), index);
      const __m256i met = gather_bytes(customers.issues.data(), index);
      _mm256_store_si256(reinterpret_cast<__m256i*>(segment_of), segment);
      _mm256_store_si256(reinterpret_cast<__m256i*>(firm_of), firm);
      uniform = all_lanes_equal(segment) && all_lanes_equal(firm);
      store_lanes(resolved, splat<Doubles8>(0.0));
      store_lanes(unresolved, _mm512_cvtepi32_pd(met));
      for (unsigned with_issues = _mm256_cmpneq_epi32_mask(met, _mm256_setzero_si256()); with_issues != 0;
           with_issues &= with_issues - 1) {
        const auto lane = static_cast<std::size_t>(__builtin_ctz(with_issues));
        const std::uint32_t i = active[k + lane];
        const std::uint8_t resolved_issues = resolve_issues(customers, i, segments, tables.offers, draws, tallies);
        resolved[lane] = static_cast<double>(resolved_issues);
        unresolved[lane] = static_cast<double>(customers.issues[i] - resolved_issues);
      }
    } else {
      for (std::size_t lane = 0; lane < kLanes; ++lane) {
        const std::uint32_t i = active[k + lane];
        segment_of[lane] = customers.segment[i];
        firm_of[lane] = customers.firm[i];
        uniform &= segment_of[lane] == segment_of[0] && firm_of[lane] == firm_of[0];
        const std::uint8_t met = customers.issues[i];
        const std::uint8_t resolved_issues = resolve_issues(customers, i, segments, tables.offers, draws, tallies);
        resolved[lane] = static_cast<double>(resolved_issues);
        unresolved[lane] = static_cast<double>(met - resolved_issues);
      }
    }
    const Doubles8 mean = network.mean_field ? market_mean : kept_means(heard, index);
    const Doubles8 resolved_lanes = load_lanes(resolved);
    const Doubles8 unresolved_lanes = load_lanes(unresolved);
    const QuarterLived<Doubles8> lived{gather_column(customers.value_fit.data(), index),
                                       gather_column(customers.reference_price.data(), index),
                                       gather_column(customers.expectation.data(), index),
                                       gather_column(customers.satisfaction.data(), index),
                                       gather_column(customers.trust.data(), index),
                                       gather_column(customers.spend.data(), index),
                                       mean,
                                       resolved_lanes,
                                       unresolved_lanes};
    // One segment and firm for all eight lanes (a market of one, mostly), or each lane's own: permuted
    // from the tables' fields where they have at most eight rows, else row by row.
    const QuarterOutcome<Doubles8> outcome =
        uniform ? live_quarter(lived, BroadcastRow<CustomerParameters>{tables.segments[static_cast<std::size_t>(segment_of[0])]},
                               BroadcastRow<Offer>{tables.offers[static_cast<std::size_t>(firm_of[0])]},
                               tables.word_of_mouth, tables.issues)
        : permutable
            ? live_quarter(lived, PermutedRows<CustomerParameters>{segment_fields, wide_lanes(segment_of)},
                           PermutedRows<Offer>{offer_fields, wide_lanes(firm_of)}, tables.word_of_mouth, tables.issues)
            : live_quarter(lived, GatheredRows<CustomerParameters>{tables.segments.data(), segment_of},
                           GatheredRows<Offer>{tables.offers.data(), firm_of}, tables.word_of_mouth, tables.issues);
    scatter_column(customers.satisfaction.data(), active.data() + k, outcome.satisfaction);
    scatter_column(customers.trust.data(), active.data() + k, outcome.trust);
    scatter_column(customers.expectation.data(), active.data() + k, outcome.expectation);
    scatter_column(customers.experience.data(), active.data() + k, outcome.experience);
    scatter_column(customers.reference_price.data(), active.data() + k, outcome.reference_price);
    scatter_column(customers.spend.data(), active.data() + k, outcome.spend);
  }
  return k;
}
FULCRUM_AVX512_END
#endif

}  // namespace

bool perception_kernel_supported(PerceptionKernel kernel) {
  return kernel == PerceptionKernel::scalar || cpu_has_avx512();
}

void perceive_active(CustomerState& customers, std::span<const std::uint32_t> active, std::span<const Segment> segments,
                     const WordOfMouthParameters& word_of_mouth, const IssueParameters& issues, const Hearing& heard,
                     const std::vector<Offer>& offers, const CustomerDraws& draws, std::vector<FirmTally>& tallies,
                     PerceptionKernel kernel) {
  const PerceptionTables tables{customer_parameters_of(segments), offers, word_of_mouth, issues};
  std::size_t done = 0;
#if defined(__x86_64__)
  // The vector kernel reads neighbour totals as they are kept (or the complete graph's one mean), and
  // indexes customers as 32-bit signed lanes, twice over for the wide totals.
  const bool vectorisable = (heard.network.mean_field || heard.neighbour_totals.kept()) &&
                            customers.size() < (Eigen::Index{1} << 30);
  if (kernel == PerceptionKernel::fastest && vectorisable && cpu_has_avx512()) {
    done = perceive_avx512(customers, active, tables, heard, draws, tallies);
  }
#endif
  perceive_scalar(customers, active, done, tables, heard, draws, tallies);
}

void perceive_block(CustomerState& customers, CustomerRange range, std::span<const Segment> segments,
                    const WordOfMouthParameters& word_of_mouth, const IssueParameters& issues,
                    const Hearing& heard, const std::vector<Offer>& offers, const CustomerDraws& draws,
                    std::vector<FirmTally>& tallies) {
  BlockStatus block;
  take_status(customers, range, block);
  perceive_active(customers, block.active, segments, word_of_mouth, issues, heard, offers, draws, tallies);
}

}  // namespace fulcrum
