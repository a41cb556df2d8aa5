#include "models/churn.hpp"

#include <algorithm>
#include <boost/random/beta_distribution.hpp>
#include <cmath>

namespace fulcrum {

double churn_hazard(double base_propensity, double satisfaction, double satisfaction_baseline,
                    double satisfaction_sensitivity) {
  const double scaled =
      base_propensity * std::exp(satisfaction_sensitivity * (satisfaction_baseline - satisfaction));
  return std::min(1.0, scaled);
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
                 double satisfaction_baseline, RandomEngine& engine, std::vector<FirmTally>& tallies) {
  for (Eigen::Index i = range.begin; i < range.end; ++i) {
    const double draw = uniform01(engine);
    if (customers.status[i] != customer_status::active) continue;
    const double hazard = churn_hazard(customers.base_churn_propensity[i], customers.satisfaction[i],
                                       satisfaction_baseline, churn.satisfaction_sensitivity);
    if (draw < hazard) {
      customers.status[i] = customer_status::lapsed;
      ++tallies[static_cast<std::size_t>(customers.firm[i])].churned;
    }
  }
}

}  // namespace fulcrum
