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

void churn_block(CustomerState& customers, CustomerRange range, std::span<const Segment> segments,
                 std::span<const RetentionEffort> efforts, RandomEngine& engine, std::vector<FirmTally>& tallies) {
  for (Eigen::Index i = range.begin; i < range.end; ++i) {
    const double life_draw = uniform01(engine);
    const double churn_draw = uniform01(engine);
    if (customers.status[i] != customer_status::active) continue;
    const Segment& segment = segments[customers.segment[i]];
    const CustomerParameters& parameters = segment.customers;
    FirmTally& tally = tallies[tally_cell(customers.firm[i], customers.segment[i], segments.size())];
    if (life_draw < parameters.life_event_rate) {
      ++tally.life_events;
      if (life_draw < parameters.life_event_rate * parameters.life_event_churn_share) {
        customers.status[i] = customer_status::lapsed;
        ++tally.churned;
        ++tally.churned_by_life_event;
        continue;
      }
    }
    const RetentionEffort& effort = efforts[static_cast<std::size_t>(customers.firm[i])];
    double hazard = effort.success_multiplier * churn_hazard(customers.base_churn_propensity[i], customers.satisfaction[i],
                                                             customers.trust[i], segment.churn, parameters);
    if (effort.incentivises_detractors && nps_category(customers.satisfaction[i]) == NpsCategory::detractor) {
      hazard *= effort.incentive_multiplier;
      ++tally.incentivised;
    }
    if (churn_draw < hazard) {
      customers.status[i] = customer_status::lapsed;
      ++tally.churned;
    }
  }
}

}  // namespace fulcrum
