#include "models/churn.hpp"

#include <algorithm>
#include <boost/random/beta_distribution.hpp>
#include <cmath>

namespace fulcrum {

double churn_hazard(double base_propensity, double satisfaction, double trust, const ChurnParameters& churn,
                    const CustomerParameters& customers) {
  const double exponent = churn.satisfaction_sensitivity * (customers.satisfaction_baseline - satisfaction) +
                          churn.trust_sensitivity * (customers.trust_initial - trust);
  return std::min(1.0, base_propensity * std::exp(exponent));
}

void draw_base_propensities(CustomerState& customers, CustomerRange range, const ChurnParameters& churn,
                            RandomEngine& engine) {
  if (churn.propensity_distribution == PropensityDistribution::fixed) {
    customers.base_churn_propensity.segment(range.begin, range.end - range.begin) =
        static_cast<float>(churn.fixed_propensity);
    return;
  }
  boost::random::beta_distribution<double> beta(churn.propensity_alpha, churn.propensity_beta);
  for (Eigen::Index i = range.begin; i < range.end; ++i) {
    customers.base_churn_propensity[i] = static_cast<float>(beta(engine));
  }
}

void churn_block(CustomerState& customers, CustomerRange range, const ChurnParameters& churn,
                 const CustomerParameters& parameters, RandomEngine& engine, std::vector<FirmTally>& tallies) {
  const double churning_events = parameters.life_event_rate * parameters.life_event_churn_share;
  for (Eigen::Index i = range.begin; i < range.end; ++i) {
    const double life_draw = uniform01(engine);
    const double churn_draw = uniform01(engine);
    if (customers.status[i] != customer_status::active) continue;
    FirmTally& tally = tallies[static_cast<std::size_t>(customers.firm[i])];
    if (life_draw < parameters.life_event_rate) {
      ++tally.life_events;
      if (life_draw < churning_events) {
        customers.status[i] = customer_status::lapsed;
        ++tally.churned;
        ++tally.churned_by_life_event;
        continue;
      }
    }
    const double hazard = churn_hazard(customers.base_churn_propensity[i], customers.satisfaction[i],
                                       customers.trust[i], churn, parameters);
    if (churn_draw < hazard) {
      customers.status[i] = customer_status::lapsed;
      ++tally.churned;
    }
  }
}

}  // namespace fulcrum
