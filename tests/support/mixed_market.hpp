#pragma once
// A market of mixed segments, firms, issues and reference prices over a random graph, all its customers
// in one block: for comparing the perception kernels (tests/models/test_satisfaction.cpp) and timing
// them warm in cache (fulcrum_bench perception).
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cstdint>
#include <vector>

#include "models/network.hpp"
#include "models/perception.hpp"
#include "models/word_of_mouth.hpp"
#include "sim/customer_state.hpp"
#include "sim/parameters.hpp"

namespace fulcrum {

// `uniform`: one segment and one firm; otherwise three and two. `active_share` of the customers are
// active, the others lapsed; `issue_share` of them met one to three issues.
struct MixedMarket {
  SocialNetwork network;
  Audiences audiences;
  NeighbourTotals totals;
  std::vector<std::uint8_t> keys;
  CustomerState customers;
  std::vector<Segment> segments;
  std::vector<Offer> offers;
  BlockStatus block;

  MixedMarket(std::int64_t n, bool uniform, std::uint32_t seed, double active_share = 0.6, double issue_share = 0.2)
      : customers(n) {
    boost::random::mt19937 engine(seed);
    boost::random::uniform_real_distribution<double> uniform01(0.0, 1.0);
    std::vector<Edge> edges;
    for (std::int64_t e = 0; e < 5 * n; ++e) {
      edges.push_back({static_cast<std::uint32_t>(engine() % n), static_cast<std::uint32_t>(engine() % n)});
    }
    // Two hubs with more neighbours than a degree byte holds (SocialNetwork::degree_bytes): theirs is read
    // from the offsets, in the vector lanes too.
    for (const std::uint32_t hub : {7U, 100U}) {
      for (std::uint32_t spoke = 0; spoke < 300 + hub; ++spoke) edges.push_back({hub, static_cast<std::uint32_t>(engine() % n)});
    }
    network = network_from_edges(n, edges);
    audiences = make_audiences(default_scenario().word_of_mouth, network);
    keys.assign(static_cast<std::size_t>(n), voice_key(customer_status::prospect, 0.0f));
    const std::size_t segment_count = uniform ? 1 : 3;
    const std::size_t firm_count = uniform ? 1 : 2;
    for (std::size_t s = 0; s < segment_count; ++s) {
      CustomerParameters parameters = default_scenario().customers;
      parameters.price_sensitivity = 0.5 + 3.0 * uniform01(engine);
      parameters.satisfaction_gap_gain = 0.5 + uniform01(engine);
      parameters.trust_asymmetry = 1.0 + 2.0 * uniform01(engine);
      parameters.wallet_growth = 0.2 * uniform01(engine);
      parameters.expectation_to_promise = 0.3 * uniform01(engine);
      segments.push_back({"segment", 1.0, parameters, default_scenario().churn});
    }
    for (std::size_t f = 0; f < firm_count; ++f) {
      offers.push_back({5.0 + 4.0 * uniform01(engine), 6.0 + 3.0 * uniform01(engine), 10.0 + 20.0 * uniform01(engine),
                        uniform01(engine)});
    }
    for (std::int64_t i = 0; i < n; ++i) {
      customers.status[i] = uniform01(engine) < active_share ? customer_status::active : customer_status::lapsed;
      customers.segment[i] = static_cast<std::uint16_t>(engine() % segment_count);
      customers.firm[i] = static_cast<std::int16_t>(engine() % firm_count);
      customers.issues[i] = uniform01(engine) < issue_share ? static_cast<std::uint8_t>(1 + engine() % 3) : 0;
      customers.value_fit[i] = static_cast<float>(uniform01(engine) - 0.5);
      customers.expectation[i] = static_cast<float>(10.0 * uniform01(engine));
      customers.satisfaction[i] = static_cast<float>(10.0 * uniform01(engine));
      customers.trust[i] = static_cast<float>(uniform01(engine));
      customers.reference_price[i] = uniform01(engine) < 0.1 ? 0.0f : static_cast<float>(30.0 * uniform01(engine));
      customers.spend[i] = static_cast<float>(1.0 + 4.0 * uniform01(engine));
      keys[static_cast<std::size_t>(i)] = voice_key(customers.status[i], customers.satisfaction[i]);
    }
    totals.keep(network, audiences);
    VoiceChanges changes;
    std::vector<std::uint8_t> silent(static_cast<std::size_t>(n), voice_key(customer_status::prospect, 0.0f));
    update_voice_keys(customers, {0, n}, silent, changes);
    spread_voice_changes(network, audiences, changes, {0, n}, nullptr, totals);
    take_status(customers, {0, n}, block);
  }
};

}  // namespace fulcrum
