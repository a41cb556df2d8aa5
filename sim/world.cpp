#include "sim/world.hpp"

#include <algorithm>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <numeric>

#include "models/adoption.hpp"
#include "models/churn.hpp"
#include "models/perception.hpp"
#include "sim/error.hpp"
#include "sim/parameters.hpp"

#include <fmt/format.h>
#include "sim/rng.hpp"

namespace fulcrum {

std::vector<std::uint16_t> assign_segments(const std::vector<Segment>& segments, std::int64_t population,
                                           std::uint64_t seed) {
  // Largest-remainder apportionment: the market's composition is exact, not sampled.
  std::vector<std::int64_t> counts(segments.size());
  std::vector<std::pair<double, std::size_t>> remainders;
  std::int64_t assigned = 0;
  for (std::size_t s = 0; s < segments.size(); ++s) {
    const double exact = segments[s].share * static_cast<double>(population);
    counts[s] = static_cast<std::int64_t>(std::floor(exact));
    assigned += counts[s];
    remainders.emplace_back(exact - std::floor(exact), s);
  }
  std::stable_sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t i = 0; assigned < population; ++i, ++assigned) ++counts[remainders[i % remainders.size()].second];

  std::vector<std::uint16_t> segment_of;
  segment_of.reserve(static_cast<std::size_t>(population));
  for (std::size_t s = 0; s < segments.size(); ++s) segment_of.insert(segment_of.end(), static_cast<std::size_t>(counts[s]), static_cast<std::uint16_t>(s));
  // Fisher-Yates, so that segments are not laid out along the network's vertex order. One segment has
  // nothing to shuffle (and the stream serves nothing else): 2.6% of a 10^7 set-up in a profile.
  if (segments.size() == 1) return segment_of;
  RandomEngine engine = make_stream({seed, 0, StreamPurpose::segment_assignment, 0, 0, 0});
  for (std::size_t i = segment_of.size(); i > 1; --i) {
    boost::random::uniform_int_distribution<std::size_t> pick(0, i - 1);
    std::swap(segment_of[i - 1], segment_of[pick(engine)]);
  }
  return segment_of;
}

bool keeps_neighbour_totals(const Scenario& scenario, const Audiences& audiences) {
  return scenario.simulation.kernel == WordOfMouthKernel::incremental && audiences.prospects.exact && audiences.customers.exact;
}

Market build_market(const Scenario& scenario, int threads) {
  Market market;
  market.firm_scenarios = firm_scenarios(scenario);
  market.segments = resolve_segments(scenario);
  market.segment_of = assign_segments(market.segments, scenario.market.population,
                                      static_cast<std::uint64_t>(scenario.network.seed));
  // Kept totals never read the rows: a Watts-Strogatz market may then come as a ring outline, which a
  // market whose word of mouth gathers (or cannot be kept exactly) turns into rows at once.
  market.network = generate_network(scenario.network, scenario.market.population, market.segment_of, threads,
                                    scenario.simulation.kernel == WordOfMouthKernel::incremental);
  if (market.network.outlined() && !keeps_neighbour_totals(scenario, make_audiences(scenario.word_of_mouth, market.network))) {
    keep_rows(market.network, threads);
  }
  return market;
}

std::vector<JoiningTerms> joining_terms(const Market& market, const std::vector<Firm>& firms) {
  std::vector<JoiningTerms> terms;
  for (std::size_t f = 0; f < firms.size(); ++f) {
    for (const Segment& segment : market.segments) {
      terms.push_back({static_cast<std::int16_t>(f),
                       static_cast<float>(firms[f].quarter.promise),
                       static_cast<float>(segment.customers.satisfaction_baseline),
                       static_cast<float>(segment.customers.trust_initial),
                       static_cast<float>(firms[f].quarter.price),
                       static_cast<float>(segment.customers.spend_per_quarter)});
    }
  }
  return terms;
}

void check_finite(const World& world) {
  const CustomerState& customers = world.customers;
  const std::pair<const char*, const Eigen::ArrayXf*> columns[] = {
      {"base_churn_propensity", &customers.base_churn_propensity}, {"value_fit", &customers.value_fit},
      {"expectation", &customers.expectation}, {"experience", &customers.experience},
      {"satisfaction", &customers.satisfaction}, {"trust", &customers.trust},
      {"reference_price", &customers.reference_price}, {"spend", &customers.spend}};
  for (const auto& [name, column] : columns) {
    if (column->allFinite()) continue;
    Eigen::Index i = 0;
    while (i < column->size() && std::isfinite((*column)[i])) ++i;
    const auto firm = customers.firm[i];
    throw RuntimeFailure(fmt::format(
        "numerical failure in quarter {}: {} became {} for customer {} (firm '{}', segment '{}'); the run stopped. "
        "Parameters in force: {}",
        world.quarter, name, (*column)[i], i, firm >= 0 ? world.firms[static_cast<std::size_t>(firm)].parameters.name : "none",
        world.market->segments[customers.segment[i]].name, scenario_as_json(*world.scenario)));
  }
  check_firms_finite(world);
}

void check_firms_finite(const World& world) {
  for (const Firm& firm : world.firms) {
    for (const auto& [name, value] : {std::pair{"value", firm.value}, std::pair{"root_causes", firm.root_causes},
                                      std::pair{"profit_npv", firm.profit_npv}, std::pair{"price", firm.quarter.price}}) {
      if (std::isfinite(value)) continue;
      throw RuntimeFailure(fmt::format("numerical failure in quarter {}: firm '{}' {} became {}; the run stopped. "
                                       "Parameters in force: {}",
                                       world.quarter, firm.parameters.name, name, value, scenario_as_json(*world.scenario)));
    }
  }
}

World make_world(const Scenario& scenario, const Market& market, std::uint64_t replicate, int threads) {
  const auto population = static_cast<std::size_t>(scenario.market.population);
  // Every key starts as a silent prospect's (voice 0 to both audiences), so totals start at 0 and the
  // first update spreads every customer's actual voice.
  World world{&scenario, &market, replicate, threads, 0,
              CustomerState(scenario.market.population, CustomerState::Unwritten{}), {},
              std::vector<std::uint8_t>(population, voice_key(customer_status::prospect, 0.0f)),
              make_audiences(scenario.word_of_mouth, market.network), {}};
  if (keeps_neighbour_totals(scenario, world.audiences)) {
    world.neighbour_totals.keep(market.network, world.audiences, false, threads);
  }
  for (const Scenario& firm_scenario : market.firm_scenarios) world.firms.push_back(make_firm(firm_scenario));

  const auto seed = static_cast<std::uint64_t>(scenario.simulation.seed);
  const std::vector<JoiningTerms> terms = joining_terms(market, world.firms);
  const std::size_t segments = market.segments.size();
  // Each thread maps its run of blocks' pages, then writes each block whole: its initial state, its
  // draws, its first customers, while the block's lines are in cache. Written column by column over
  // the whole market first, serially, then drawn into and joined block by block, the same state took
  // about 2 s at 10^7 customers, mostly first touches and cache misses.
#pragma omp parallel num_threads(threads)
  {
    const CustomerRange own = blocks_of_thread(world.customers.size(), omp_get_thread_num(), omp_get_num_threads());
    world.customers.populate(own);
    for (Eigen::Index block = own.begin / kCustomersPerBlock; block * kCustomersPerBlock < own.end; ++block) {
      const CustomerRange range = block_range(block, world.customers.size());
      world.customers.reset(range);
      for (Eigen::Index i = range.begin; i < range.end; ++i) world.customers.segment[i] = market.segment_of[static_cast<std::size_t>(i)];
      const auto block_key = static_cast<std::uint64_t>(block);
      RandomEngine propensity_stream = make_stream({seed, replicate, StreamPurpose::churn_propensity, 0, 0, block_key});
      draw_base_propensities(world.customers, range, market.segments, propensity_stream);
      RandomEngine fit_stream = make_stream({seed, replicate, StreamPurpose::value_fit, 0, 0, block_key});
      draw_value_fit(world.customers, range, market.segments, fit_stream);
      RandomEngine activity_stream = make_stream({seed, replicate, StreamPurpose::initial_activity, 0, 0, block_key});
      // One uniform per customer places it with firm k when it falls in k's slice of [0, sum of shares).
      for (Eigen::Index i = range.begin; i < range.end; ++i) {
        const double draw = uniform01(activity_stream);
        double cumulative = 0;
        for (std::size_t f = 0; f < market.firm_scenarios.size(); ++f) {
          cumulative += market.firm_scenarios[f].firm.initial_active_share;
          if (draw < cumulative) {
            join(world.customers, i, terms[f * segments + world.customers.segment[i]], 0);
            break;
          }
        }
      }
    }
  }
  return world;
}

}  // namespace fulcrum
