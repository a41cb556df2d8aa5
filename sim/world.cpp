#include "sim/world.hpp"

#include "models/adoption.hpp"
#include "models/churn.hpp"
#include "models/perception.hpp"
#include "sim/rng.hpp"

namespace fulcrum {

SocialNetwork market_network(const Scenario& scenario) {
  const std::vector<std::uint16_t> one_block(static_cast<std::size_t>(scenario.market.population), 0);
  return generate_network(scenario.network, scenario.market.population, one_block);
}

World make_world(const Scenario& scenario, const SocialNetwork& network, std::uint64_t replicate, int threads) {
  const auto population = static_cast<std::size_t>(scenario.market.population);
  World world{&scenario, replicate, threads, 0, &network, CustomerState(scenario.market.population), {},
              std::vector<float>(population), std::vector<float>(population)};
  world.firms.push_back(Firm{scenario.firm, to_cents(scenario.firm.initial_cash)});

  const auto seed = static_cast<std::uint64_t>(scenario.simulation.seed);
  const JoiningTerms terms = joining_terms(scenario, 0);
  for_each_block(world, [&](Eigen::Index block) {
    const CustomerRange range = block_range(block, world.customers.size());
    RandomEngine propensity_stream = make_stream(
        {seed, replicate, StreamPurpose::churn_propensity, 0, 0, static_cast<std::uint64_t>(block)});
    draw_base_propensities(world.customers, range, scenario.churn, propensity_stream);
    RandomEngine fit_stream = make_stream(
        {seed, replicate, StreamPurpose::value_fit, 0, 0, static_cast<std::uint64_t>(block)});
    draw_value_fit(world.customers, range, scenario.customers, fit_stream);
    RandomEngine activity_stream = make_stream(
        {seed, replicate, StreamPurpose::initial_activity, 0, 0, static_cast<std::uint64_t>(block)});
    for (Eigen::Index i = range.begin; i < range.end; ++i) {
      if (uniform01(activity_stream) < scenario.market.initial_active_share) join(world.customers, i, terms, 0);
    }
  });
  return world;
}

JoiningTerms joining_terms(const Scenario& scenario, std::int16_t firm_index) {
  const FirmParameters& firm = scenario.firm;
  return {firm_index,
          static_cast<float>(firm.promise),
          static_cast<float>(scenario.customers.satisfaction_baseline),
          static_cast<float>(scenario.customers.trust_initial),
          static_cast<float>(firm.price),
          static_cast<float>(scenario.customers.spend_per_quarter)};
}

}  // namespace fulcrum
