#include "models/satisfaction.hpp"

#include <algorithm>

namespace fulcrum {

double experience_of(const Offer& offer, double reference_price, double price_sensitivity) {
  const double price_burden = reference_price > 0 ? price_sensitivity * (offer.price / reference_price - 1.0) : 0.0;
  return offer.value_delivered - price_burden;
}

double satisfaction_target(double experience, double expectation, const CustomerParameters& customers) {
  const double target =
      customers.satisfaction_baseline + customers.satisfaction_gap_gain * (experience - expectation);
  return std::clamp(target, 0.0, 10.0);
}

double next_satisfaction(double satisfaction, double target, const CustomerParameters& customers) {
  return satisfaction + customers.satisfaction_adaptation * (target - satisfaction);
}

double next_expectation(double expectation, double promise, double experience,
                        const CustomerParameters& customers) {
  return expectation + customers.expectation_to_promise * (promise - expectation) +
         customers.expectation_to_experience * (experience - expectation);
}

void perceive_block(CustomerState& customers, CustomerRange range, const CustomerParameters& parameters,
                    const std::vector<Offer>& offers) {
  for (Eigen::Index i = range.begin; i < range.end; ++i) {
    if (customers.status[i] != customer_status::active) continue;
    const Offer& offer = offers[static_cast<std::size_t>(customers.firm[i])];
    const double experience = experience_of(offer, customers.reference_price[i], parameters.price_sensitivity);
    const double expectation = customers.expectation[i];
    const double target = satisfaction_target(experience, expectation, parameters);
    customers.satisfaction[i] = static_cast<float>(next_satisfaction(customers.satisfaction[i], target, parameters));
    customers.expectation[i] = static_cast<float>(next_expectation(expectation, offer.promise, experience, parameters));
    customers.experience[i] = static_cast<float>(experience);
  }
}

}  // namespace fulcrum
