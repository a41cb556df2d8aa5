#include "sim/simulation.hpp"

#include <atomic>
#include <cmath>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <limits>

#include "models/accounting.hpp"
#include "models/adoption.hpp"
#include "models/churn.hpp"
#include "models/perception.hpp"
#include "models/word_of_mouth.hpp"
#include "sim/rng.hpp"

namespace fulcrum {
namespace {

using BlockTallies = std::vector<std::vector<FirmTally>>;  // [block][firm]

BlockTallies make_block_tallies(const World& world) {
  return BlockTallies(static_cast<std::size_t>(world.blocks()), std::vector<FirmTally>(world.firms.size()));
}

// Sums block tallies in block order: the same totals, bit for bit, whatever the thread count.
std::vector<FirmTally> sum_blocks(const BlockTallies& tallies, std::size_t firms) {
  std::vector<FirmTally> total(firms);
  for (const auto& block : tallies) {
    for (std::size_t firm = 0; firm < firms; ++firm) total[firm] += block[firm];
  }
  return total;
}

// Stocks and means of the state as it stands: active customers, units, satisfaction, expectation.
void measure_block(const CustomerState& customers, CustomerRange range, std::vector<FirmTally>& firms,
                   MarketTally& market) {
  for (Eigen::Index i = range.begin; i < range.end; ++i) {
    switch (customers.status[i]) {
      case customer_status::prospect: ++market.prospects; break;
      case customer_status::lapsed: ++market.lapsed; break;
      default: {
        FirmTally& firm = firms[static_cast<std::size_t>(customers.firm[i])];
        ++firm.active;
        firm.units_sold += customers.spend[i];
        firm.satisfaction_sum += customers.satisfaction[i];
        firm.expectation_sum += customers.expectation[i];
        firm.trust_sum += customers.trust[i];
        firm.reference_price_sum += customers.reference_price[i];
        switch (nps_category(customers.satisfaction[i])) {
          case NpsCategory::promoter: ++firm.promoters; break;
          case NpsCategory::passive: ++firm.passives; break;
          case NpsCategory::detractor: ++firm.detractors; break;
        }
      }
    }
  }
}

std::uint64_t stream_seed(const World& world) { return static_cast<std::uint64_t>(world.scenario->simulation.seed); }

double mean_or_nan(double sum, std::int64_t count) {
  return count > 0 ? sum / static_cast<double>(count) : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

Simulation::Simulation(const Scenario& scenario, const SocialNetwork& network, std::uint64_t replicate, int threads)
    : world_(make_world(scenario, network, replicate, threads)),
      trajectory_(scenario.simulation.quarters + 1, static_cast<std::int64_t>(world_.firms.size())) {
  record(take_census(), make_block_tallies(world_), std::vector<QuarterBooks>(world_.firms.size()));
}

void Simulation::churn_phase(BlockTallies& flows) {
  const Scenario& scenario = *world_.scenario;
  for_each_block(world_, [&](Eigen::Index block) {
    RandomEngine stream = make_stream({stream_seed(world_), world_.replicate, StreamPurpose::churn,
                                       static_cast<std::uint64_t>(world_.quarter), 0,
                                       static_cast<std::uint64_t>(block)});
    churn_block(world_.customers, block_range(block, world_.customers.size()), scenario.churn, scenario.customers,
                stream, flows[static_cast<std::size_t>(block)]);
  });
}

VoiceTotals Simulation::listen() {
  std::vector<VoiceTotals> blocks(static_cast<std::size_t>(world_.blocks()));
  for_each_block(world_, [&](Eigen::Index block) {
    blocks[static_cast<std::size_t>(block)] =
        voice_block(world_.customers, block_range(block, world_.customers.size()), world_.scenario->word_of_mouth,
                    world_.voice_to_prospects, world_.voice_to_customers);
  });
  VoiceTotals total;
  for (const auto& block : blocks) {
    total.to_prospects += block.to_prospects;
    total.to_customers += block.to_customers;
  }
  return total;
}

void Simulation::adoption_phase(BlockTallies& flows) {
  const Scenario& scenario = *world_.scenario;
  const auto substeps = scenario.simulation.substeps;
  const double dt = 1.0 / static_cast<double>(substeps);
  const JoiningTerms terms = joining_terms(scenario, 0);
  // What prospects hear is refreshed every sub-step: new adopters start talking at once.
  for (std::int64_t substep = 0; substep < substeps; ++substep) {
    const VoiceTotals totals = listen();
    const AdoptionSignal signal{*world_.network, world_.voice_to_prospects, totals.to_prospects};
    for_each_block(world_, [&](Eigen::Index block) {
      RandomEngine stream = make_stream({stream_seed(world_), world_.replicate, StreamPurpose::adoption,
                                         static_cast<std::uint64_t>(world_.quarter),
                                         static_cast<std::uint64_t>(substep), static_cast<std::uint64_t>(block)});
      adopt_block(world_.customers, block_range(block, world_.customers.size()), scenario.adoption, dt, signal,
                  terms, world_.quarter, stream, flows[static_cast<std::size_t>(block)][0]);
    });
  }
}

void Simulation::perception_phase() {
  const Scenario& scenario = *world_.scenario;
  std::vector<Offer> offers;
  for (const Firm& firm : world_.firms) {
    offers.push_back({firm.parameters.value_delivered, firm.parameters.promise, firm.parameters.price});
  }
  const VoiceTotals totals = listen();
  const WordOfMouthHeard heard{*world_.network, world_.voice_to_customers, totals.to_customers};
  for_each_block(world_, [&](Eigen::Index block) {
    perceive_block(world_.customers, block_range(block, world_.customers.size()), scenario.customers,
                   scenario.word_of_mouth, heard, offers);
  });
}

void Simulation::step() {
  ++world_.quarter;
  BlockTallies flows = make_block_tallies(world_);
  churn_phase(flows);
  adoption_phase(flows);
  perception_phase();

  const Census census = take_census();
  const std::vector<FirmTally> firm_flows = sum_blocks(flows, world_.firms.size());
  std::vector<QuarterBooks> books;
  for (std::size_t firm = 0; firm < world_.firms.size(); ++firm) {
    Firm& accounts = world_.firms[firm];
    const std::int64_t served = firm_flows[firm].life_events - firm_flows[firm].churned_by_life_event;
    books.push_back(close_quarter(census.firms[firm].units_sold, served, accounts.parameters));
    accounts.cash = add_cents(accounts.cash, books.back().profit, "cash");
    accounts.profit_npv += to_currency(books.back().profit) * discount_factor(world_.scenario->finance, world_.quarter);
  }
  record(census, flows, books);
}

Simulation::Census Simulation::take_census() const {
  BlockTallies stocks = make_block_tallies(world_);
  std::vector<MarketTally> markets(static_cast<std::size_t>(world_.blocks()));
  for_each_block(world_, [&](Eigen::Index block) {
    measure_block(world_.customers, block_range(block, world_.customers.size()),
                  stocks[static_cast<std::size_t>(block)], markets[static_cast<std::size_t>(block)]);
  });
  Census census{sum_blocks(stocks, world_.firms.size()), {}};
  for (const auto& block : markets) {
    census.market.prospects += block.prospects;
    census.market.lapsed += block.lapsed;
  }
  return census;
}

void Simulation::record(const Census& census, const BlockTallies& flows, const std::vector<QuarterBooks>& books) {
  const std::vector<FirmTally> firm_flows = sum_blocks(flows, world_.firms.size());
  const MarketTally& market = census.market;
  const std::int64_t q = world_.quarter;
  const double population = static_cast<double>(world_.customers.size());
  for (std::size_t f = 0; f < world_.firms.size(); ++f) {
    const auto firm = static_cast<std::int64_t>(f);
    const FirmTally& stock = census.firms[f];
    trajectory_.firm(FirmSeries::customers_active, q, firm) = static_cast<double>(stock.active);
    trajectory_.firm(FirmSeries::acquired, q, firm) = static_cast<double>(firm_flows[f].acquired);
    trajectory_.firm(FirmSeries::churned, q, firm) = static_cast<double>(firm_flows[f].churned);
    trajectory_.firm(FirmSeries::churned_by_life_event, q, firm) = static_cast<double>(firm_flows[f].churned_by_life_event);
    trajectory_.firm(FirmSeries::life_events, q, firm) = static_cast<double>(firm_flows[f].life_events);
    trajectory_.firm(FirmSeries::units_sold, q, firm) = q == 0 ? 0.0 : stock.units_sold;
    trajectory_.firm(FirmSeries::revenue, q, firm) = to_currency(books[f].revenue);
    trajectory_.firm(FirmSeries::costs_total, q, firm) = to_currency(books[f].costs_total);
    trajectory_.firm(FirmSeries::profit, q, firm) = to_currency(books[f].profit);
    trajectory_.firm(FirmSeries::cash, q, firm) = to_currency(world_.firms[f].cash);
    trajectory_.firm(FirmSeries::profit_npv, q, firm) = world_.firms[f].profit_npv;
    trajectory_.firm(FirmSeries::penetration, q, firm) = static_cast<double>(stock.active) / population;
    trajectory_.firm(FirmSeries::satisfaction_mean, q, firm) = mean_or_nan(stock.satisfaction_sum, stock.active);
    trajectory_.firm(FirmSeries::expectation_mean, q, firm) = mean_or_nan(stock.expectation_sum, stock.active);
    trajectory_.firm(FirmSeries::trust_mean, q, firm) = mean_or_nan(stock.trust_sum, stock.active);
    trajectory_.firm(FirmSeries::reference_price_mean, q, firm) = mean_or_nan(stock.reference_price_sum, stock.active);
    trajectory_.firm(FirmSeries::promoters, q, firm) = static_cast<double>(stock.promoters);
    trajectory_.firm(FirmSeries::passives, q, firm) = static_cast<double>(stock.passives);
    trajectory_.firm(FirmSeries::detractors, q, firm) = static_cast<double>(stock.detractors);
    trajectory_.firm(FirmSeries::nps, q, firm) =
        mean_or_nan(100.0 * static_cast<double>(stock.promoters - stock.detractors), stock.active);
  }
  trajectory_.market(MarketSeries::prospects, q) = static_cast<double>(market.prospects);
  trajectory_.market(MarketSeries::lapsed, q) = static_cast<double>(market.lapsed);
}

void Simulation::run_to_horizon() {
  while (world_.quarter < world_.scenario->simulation.quarters) step();
}

EnsembleResults run_ensemble(const Scenario& scenario, const RunOptions& options) {
  EnsembleResults results;
  results.scenario = scenario;
  results.replicates = scenario.simulation.replicates;
  results.quarters_recorded = scenario.simulation.quarters + 1;
  results.firm_names = {scenario.firm.name};

  // Replicates are independent: spread them over workers first, and give each replicate the threads
  // left over for its blocks. Many short parallel regions inside small replicates would spend their
  // time waking threads instead.
  const auto replicates = scenario.simulation.replicates;
  const int workers = static_cast<int>(std::min<std::int64_t>(std::max(1, options.threads), replicates));
  const int threads_per_replicate = std::max(1, options.threads / workers);
  const std::int64_t total = replicates * scenario.simulation.quarters;
  const SocialNetwork network = market_network(scenario);

  std::vector<std::optional<Trajectory>> trajectories(static_cast<std::size_t>(replicates));
  std::atomic<std::int64_t> next_replicate{0};
  std::int64_t quarters_done = 0;  // guarded by progress_mutex
  std::mutex progress_mutex;
  std::exception_ptr failure;
  std::mutex failure_mutex;
  const auto work = [&]() {
    try {
      for (std::int64_t replicate = next_replicate++; replicate < replicates; replicate = next_replicate++) {
        Simulation simulation(scenario, network, static_cast<std::uint64_t>(replicate), threads_per_replicate);
        while (simulation.world().quarter < scenario.simulation.quarters) {
          simulation.step();
          if (options.progress) {
            const std::lock_guard lock(progress_mutex);
            options.progress(++quarters_done, total);
          }
        }
        trajectories[static_cast<std::size_t>(replicate)] = simulation.take_trajectory();
      }
    } catch (...) {
      const std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next_replicate = replicates;  // the others stop at their next replicate
    }
  };
  std::vector<std::thread> pool;
  for (int worker = 1; worker < workers; ++worker) pool.emplace_back(work);
  work();
  for (auto& thread : pool) thread.join();
  if (failure) std::rethrow_exception(failure);
  for (auto& trajectory : trajectories) results.runs.push_back(std::move(*trajectory));
  return results;
}

}  // namespace fulcrum
