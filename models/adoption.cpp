#include "models/adoption.hpp"

#include <algorithm>
#include <cmath>

#include "models/market.hpp"
#include "models/word_of_mouth.hpp"

namespace fulcrum {

void join(CustomerState& customers, Eigen::Index customer, const JoiningTerms& terms, int quarter) {
  customers.status[customer] = customer_status::active;
  customers.firm[customer] = terms.firm;
  customers.expectation[customer] = terms.expectation;
  customers.satisfaction[customer] = terms.satisfaction;
  customers.trust[customer] = terms.trust;
  customers.experience[customer] = terms.expectation;
  customers.reference_price[customer] = terms.reference_price;
  customers.spend[customer] = terms.spend;
  customers.acquired_quarter[customer] = quarter;
}

double adoption_hazard(const AdoptionChoice& choice, std::size_t segment, double signal, std::vector<double>& weights) {
  weights.assign(choice.firms, 0.0);
  double hazard = 0;
  for (std::size_t k = 0; k < choice.firms; ++k) {
    const double share = choice.firm_shares[segment * choice.firms + k];
    if (share <= 0) continue;
    const AdoptionParameters& bass = choice.hazards[k];
    weights[k] = share * (bass.innovation + bass.imitation * std::max(0.0, signal));
    hazard += weights[k];
  }
  return hazard;
}

void adopt_block(CustomerState& customers, CustomerRange range, double dt, const Hearing& signal,
                 const AdoptionChoice& choice, int quarter, const CustomerDraws& draws, std::int64_t substep,
                 std::vector<FirmTally>& tallies) {
  std::vector<double> weights;
  // A prospect that hears nothing (or only complaints: the signal counts from 0) has its segment's
  // innovation-only hazard, the same for all of them: worked out once, with the very same arithmetic.
  // On the complete graph every prospect of a segment hears the same thing, so that is all there is.
  const double common_signal =
      signal.network.mean_field ? neighbour_mean(signal, 0) : 0.0;
  std::vector<double> segment_hazard(choice.segments, 0.0);
  std::vector<double> segment_probability(choice.segments, 0.0);
  std::vector<std::vector<double>> segment_weights(choice.segments);
  for (std::size_t s = 0; s < choice.segments; ++s) {
    segment_hazard[s] = adoption_hazard(choice, s, common_signal, segment_weights[s]);
    segment_probability[s] = -std::expm1(-segment_hazard[s] * dt);
  }
  const std::uint8_t* status = customers.status.data();
  const std::uint16_t* segment_of = customers.segment.data();
  for (Eigen::Index i = range.begin; i < range.end; ++i) {
    signal.network.prefetch_neighbours(i + SocialNetwork::kPrefetchDistance);
    if (status[i] != customer_status::prospect) continue;
    const std::uint16_t segment = segment_of[i];
    double hazard = segment_hazard[segment];
    double probability = segment_probability[segment];
    const std::vector<double>* firm_weights = &segment_weights[segment];
    if (!signal.network.mean_field) {
      const double heard = neighbour_mean(signal, i);
      if (heard > 0) {  // max(0, signal) in adoption_hazard: anything else is the common case above
        hazard = adoption_hazard(choice, segment, heard, weights);
        probability = -std::expm1(-hazard * dt);
        firm_weights = &weights;
      }
    }
    const double draw = draws.uniform(static_cast<std::uint64_t>(i), static_cast<std::uint64_t>(substep));
    if (draw >= probability) continue;
    // Below the adoption probability the draw is uniform again: it picks the firm too.
    std::vector<double> shares(*firm_weights);
    for (double& share : shares) share /= hazard;
    const auto firm = static_cast<std::int16_t>(pick(shares, draw / probability));
    join(customers, i, choice.terms[static_cast<std::size_t>(firm) * choice.segments + segment], quarter);
    ++tallies[tally_cell(firm, segment, choice.segments)].acquired;
  }
}

}  // namespace fulcrum
