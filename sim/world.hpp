#pragma once
// The World: everything one replicate evolves, quarter by quarter.
#include <cstdint>
#include <vector>

#include "models/accounting.hpp"
#include "models/adoption.hpp"
#include "models/network.hpp"
#include "sim/customer_state.hpp"
#include "sim/scenario.hpp"

namespace fulcrum {

struct Firm {
  FirmParameters parameters;
  Cents cash = 0;
  double profit_npv = 0;  // currency, discounted to quarter 0
};

struct World {
  const Scenario* scenario;  // outlives the World (owned by the caller)
  std::uint64_t replicate;
  int threads;
  int quarter = 0;
  const SocialNetwork* network;  // shared by all replicates; outlives the World
  CustomerState customers;
  std::vector<Firm> firms;  // firm 0 is the focal firm
  // Scratch for word of mouth: what each customer says to prospects and to customers this step.
  std::vector<float> voice_to_prospects;
  std::vector<float> voice_to_customers;

  [[nodiscard]] Eigen::Index blocks() const { return block_count(customers.size()); }
};

// What a prospect gets on joining `firm_index`: its promise, its price, the scenario's wallet.
JoiningTerms joining_terms(const Scenario& scenario, std::int16_t firm_index);

// The market's social network, generated from the scenario (the same for every replicate).
SocialNetwork market_network(const Scenario& scenario);

// Quarter 0: every customer's base churn propensity drawn, the initially active customers placed.
World make_world(const Scenario& scenario, const SocialNetwork& network, std::uint64_t replicate, int threads);

// Runs `body(block)` for every block of customers, spread over the world's threads. Each block must
// touch only its own customers and its own tally slot.
template <class Body>
void for_each_block(const World& world, Body&& body) {
  const Eigen::Index blocks = world.blocks();
#pragma omp parallel for num_threads(world.threads) schedule(static)
  for (Eigen::Index block = 0; block < blocks; ++block) body(block);
}

}  // namespace fulcrum
