#include "models/churn.hpp"

#include <algorithm>
#include <array>
#include <boost/random/beta_distribution.hpp>
#include <cmath>
#include <limits>

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

void churn_block(CustomerState& customers, CustomerRange range, const ChurnContext& context, const CustomerDraws& draws,
                 std::vector<FirmTally>& tallies) {
  BlockStatus block;
  take_status(customers, range, block);
  churn_active(customers, block.active, context, draws, tallies);
}

void churn_active(CustomerState& customers, std::span<const std::uint32_t> active, const ChurnContext& context,
                  const CustomerDraws& draws, std::vector<FirmTally>& tallies) {
  const std::size_t segments = context.segments.size();
  const std::size_t firms = context.offers.size();
  std::vector<double> utilities(firms + 1);  // [0]: doing without; [1 + k]: switching to firm k
  // Lock-in: leaving costs the switching cost and the network's value, which a customer cannot take
  // along. The same for every customer of a segment and firm: one exp each, not one per customer.
  std::vector<double> lock_in(segments * firms);
  for (std::size_t s = 0; s < segments; ++s) {
    for (std::size_t k = 0; k < firms; ++k) {
      lock_in[s * firms + k] = std::exp(-context.segments[s].churn.switching_cost_sensitivity *
                                        (context.segments[s].customers.switching_cost + context.offers[k].network_value));
    }
  }
  DrawWords batch;
  for (std::size_t position = 0; position < active.size(); ++position) {
    const std::size_t j = draws.words_at(active, position, 0, batch);
    const std::uint32_t i = active[position];
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
    double hazard = effort.success_multiplier * churn_hazard(customers.base_churn_propensity[i], customers.satisfaction[i],
                                                             customers.trust[i], segment.churn, parameters);
    hazard *= lock_in[segment_index * firms + own];
    if (std::isfinite(best_rival) && best_rival > own_utility) {
      hazard = std::min(1.0, hazard * std::exp(context.market.competitor_sensitivity * (best_rival - own_utility)));
    }
    if (effort.incentivises_detractors && nps_category(customers.satisfaction[i]) == NpsCategory::detractor) {
      hazard *= effort.incentive_multiplier;
      ++tally.incentivised;
    }
    if (!context.offers[own].open) hazard = 1.0;  // the firm is gone: everyone moves
    if (churn_draw >= hazard) continue;
    const std::vector<double> shares = logit_shares(utilities, context.market.choice_scale);
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

}  // namespace fulcrum
