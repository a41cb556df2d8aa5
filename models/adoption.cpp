#include "models/adoption.hpp"

#include <cmath>

namespace fulcrum {

double adoption_probability(const AdoptionParameters& adoption, double adopted_fraction, double dt) {
  const double hazard = adoption.innovation + adoption.imitation * adopted_fraction;
  return -std::expm1(-hazard * dt);
}

void join(CustomerState& customers, Eigen::Index customer, const JoiningTerms& terms, int quarter) {
  customers.status[customer] = customer_status::active;
  customers.firm[customer] = terms.firm;
  customers.expectation[customer] = terms.expectation;
  customers.satisfaction[customer] = terms.satisfaction;
  customers.experience[customer] = terms.expectation;
  customers.reference_price[customer] = terms.reference_price;
  customers.spend[customer] = terms.spend;
  customers.acquired_quarter[customer] = quarter;
}

void adopt_block(CustomerState& customers, CustomerRange range, double probability, const JoiningTerms& terms,
                 int quarter, RandomEngine& engine, FirmTally& tally) {
  for (Eigen::Index i = range.begin; i < range.end; ++i) {
    const double draw = uniform01(engine);
    if (customers.status[i] == customer_status::prospect && draw < probability) {
      join(customers, i, terms, quarter);
      ++tally.acquired;
    }
  }
}

}  // namespace fulcrum
