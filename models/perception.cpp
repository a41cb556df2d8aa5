#include "models/perception.hpp"

#include <algorithm>
#include <boost/random/normal_distribution.hpp>

#include "models/issues.hpp"
#include "models/satisfaction.hpp"
#include "models/trust.hpp"
#include "models/wallet.hpp"
#include "models/word_of_mouth.hpp"

namespace fulcrum {

double experience_of(const Offer& offer, double value_fit, double reference_price, double price_sensitivity) {
  const double price_burden = reference_price > 0 ? price_sensitivity * (offer.price / reference_price - 1.0) : 0.0;
  return offer.value_delivered + value_fit - price_burden;
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
  return resolved * issues.resolved_impact + unresolved * issues.unresolved_impact;
}

void perceive_active(CustomerState& customers, std::span<const std::uint32_t> active, std::span<const Segment> segments,
                     const WordOfMouthParameters& word_of_mouth, const IssueParameters& issues, const Hearing& heard,
                     const std::vector<Offer>& offers, const CustomerDraws& draws, std::vector<FirmTally>& tallies) {
  constexpr std::size_t kAhead = 16;  // customers whose neighbour totals are asked for ahead of use
  for (std::size_t k = 0; k < active.size(); ++k) {
    if (k + kAhead < active.size()) heard.prefetch(active[k + kAhead]);
    const std::uint32_t i = active[k];
    const CustomerParameters& parameters = segments[customers.segment[i]].customers;
    const Offer& offer = offers[static_cast<std::size_t>(customers.firm[i])];
    const std::uint8_t met = customers.issues[i];
    const std::uint8_t resolved =
        met > 0 ? binomial_by_inversion(met, offer.resolution_probability, draws(static_cast<std::uint64_t>(i))[0]) : 0;
    tallies[tally_cell(customers.firm[i], customers.segment[i], segments.size())].tickets_resolved += resolved;
    const double experience =
        experience_of(offer, customers.value_fit[i], customers.reference_price[i], parameters.price_sensitivity) -
        issue_impact(resolved, met - resolved, issues);
    const double expectation = customers.expectation[i];
    const double surprise = experience - expectation;
    const double word_of_mouth_shift =
        word_of_mouth.satisfaction_influence * neighbour_mean(heard, i);
    const double target = satisfaction_target(experience, expectation, word_of_mouth_shift, parameters);
    const double satisfaction = next_satisfaction(customers.satisfaction[i], target, parameters);
    customers.satisfaction[i] = static_cast<float>(satisfaction);
    const double recovered_trust = std::min(1.0, next_trust(customers.trust[i], surprise, parameters) + resolved * issues.recovery_trust);
    customers.trust[i] = static_cast<float>(recovered_trust);
    customers.expectation[i] = static_cast<float>(next_expectation(expectation, offer.promise, experience, parameters));
    customers.experience[i] = static_cast<float>(experience);
    customers.reference_price[i] = static_cast<float>(next_reference_price(customers.reference_price[i], offer.price, parameters));
    customers.spend[i] = static_cast<float>(next_spend(customers.spend[i], satisfaction, parameters));
  }
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
