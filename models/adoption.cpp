#include "models/adoption.hpp"

#include <algorithm>
#include <cmath>

#include "models/word_of_mouth.hpp"

namespace fulcrum {

double adoption_probability(const AdoptionParameters& adoption, double signal, double dt) {
  const double hazard = adoption.innovation + adoption.imitation * std::max(0.0, signal);
  return -std::expm1(-hazard * dt);
}

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

void adopt_block(CustomerState& customers, CustomerRange range, const AdoptionParameters& adoption, double dt,
                 const AdoptionSignal& signal, std::span<const JoiningTerms> terms, int quarter,
                 RandomEngine& engine, std::span<FirmTally> tallies) {
  // On the complete graph every prospect hears the same thing: one probability for the block.
  const double shared_probability =
      signal.network.mean_field ? adoption_probability(adoption, neighbour_mean(signal.network, signal.voice, 0, signal.market_total), dt) : 0.0;
  for (Eigen::Index i = range.begin; i < range.end; ++i) {
    const double draw = uniform01(engine);
    if (customers.status[i] != customer_status::prospect) continue;
    const double probability =
        signal.network.mean_field
            ? shared_probability
            : adoption_probability(adoption, neighbour_mean(signal.network, signal.voice, i, signal.market_total), dt);
    if (draw < probability) {
      const std::uint16_t segment = customers.segment[i];
      join(customers, i, terms[segment], quarter);
      ++tallies[segment].acquired;
    }
  }
}

}  // namespace fulcrum
