#pragma once
// The World: everything one replicate evolves, quarter by quarter, and the Market all replicates share.
#include <omp.h>

#include <cstdint>
#include <vector>

#include "models/accounting.hpp"
#include "models/adoption.hpp"
#include "models/firm.hpp"
#include "models/network.hpp"
#include "models/word_of_mouth.hpp"
#include "sim/customer_state.hpp"
#include "sim/scenario.hpp"

namespace fulcrum {

// What every replicate of a scenario shares: the resolved segments, each customer's segment and the
// social network, built once from the network's own seed so replicates differ only in behaviour.
struct Market {
  std::vector<Scenario> firm_scenarios;  // one per firm: firm 0's is the scenario itself
  std::vector<Segment> segments;
  std::vector<std::uint16_t> segment_of;  // by customer, in the network's locality order
  SocialNetwork network;
};

// The market of `scenario`, its network built by `threads` (the same network whatever their number).
// Its network may have no rows (a ring outline) when the scenario's worlds keep neighbour totals.
Market build_market(const Scenario& scenario, int threads = 1);

// Whether a world of `scenario` keeps what each customer's neighbours say in totals (the incremental
// kernel, over exact audiences) rather than gathering it over the network's rows.
bool keeps_neighbour_totals(const Scenario& scenario, const Audiences& audiences);

// Exactly round(share * population) customers per segment (largest remainders), in random order.
std::vector<std::uint16_t> assign_segments(const std::vector<Segment>& segments, std::int64_t population,
                                           std::uint64_t seed);

struct World {
  const Scenario* scenario;  // outlives the World (owned by the caller)
  const Market* market;      // shared by all replicates; outlives the World
  std::uint64_t replicate;
  int threads;
  int quarter = 0;
  CustomerState customers;
  std::vector<Firm> firms;  // firm 0 is the focal firm
  // Word of mouth: what each customer says this step (its voice key), and how each audience hears it.
  std::vector<std::uint8_t> voice_keys;
  Audiences audiences;
  // Kept up to date when the kernel is incremental and the audiences exact; empty otherwise (gather).
  NeighbourTotals neighbour_totals;

  [[nodiscard]] Eigen::Index blocks() const { return block_count(customers.size()); }
  [[nodiscard]] std::size_t segment_count() const { return market->segments.size(); }
};

// What a prospect of each segment gets on joining each firm: its current promise and price, the
// segment's wallet, satisfaction baseline and initial trust. Indexed [firm * segments + segment].
std::vector<JoiningTerms> joining_terms(const Market& market, const std::vector<Firm>& firms);

// Quarter 0: every customer's segment, fit and base churn propensity set, the initial customers placed.
World make_world(const Scenario& scenario, const Market& market, std::uint64_t replicate, int threads);

// Numerical guard: throws RuntimeFailure naming the quarter, the variable, the firm and segment and the
// parameters in force when any customer or firm state is NaN or infinite.
void check_finite(const World& world);
// The same for the firms' state alone (a handful of numbers: cheap enough for every quarter).
void check_firms_finite(const World& world);

// Runs `body(block)` for every block of customers, spread over the world's threads. Each block must
// touch only its own customers and its own tally slot.
template <class Body>
void for_each_block(const World& world, Body&& body) {
  const Eigen::Index blocks = world.blocks();
#pragma omp parallel for num_threads(world.threads) schedule(static)
  for (Eigen::Index block = 0; block < blocks; ++block) body(block);
}

// The same, telling the body which thread (0 to world.threads - 1) runs it, for scratch kept per thread.
template <class Body>
void for_each_block_by_thread(const World& world, Body&& body) {
  const Eigen::Index blocks = world.blocks();
#pragma omp parallel for num_threads(world.threads) schedule(static)
  for (Eigen::Index block = 0; block < blocks; ++block) body(block, static_cast<std::size_t>(omp_get_thread_num()));
}

}  // namespace fulcrum
