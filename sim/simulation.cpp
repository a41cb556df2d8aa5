#include "sim/simulation.hpp"

#include <atomic>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "models/accounting.hpp"
#include "models/adoption.hpp"
#include "models/churn.hpp"
#include "models/interventions.hpp"
#include "models/investors.hpp"
#include "models/issues.hpp"
#include "models/market.hpp"
#include "models/pricing.hpp"
#include "models/perception.hpp"
#include "models/word_of_mouth.hpp"
#include "sim/parameters.hpp"
#include "sim/rng.hpp"

namespace fulcrum {
namespace {

std::uint64_t stream_seed(const World& world) { return static_cast<std::uint64_t>(world.scenario->simulation.seed); }

// Runs `work`, adding the seconds it took to `seconds`.
template <class Work>
void timed(double& seconds, Work&& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double mean_or_nan(double sum, std::int64_t count) {
  return count > 0 ? sum / static_cast<double>(count) : std::numeric_limits<double>::quiet_NaN();
}

// The series a tally determines: counts, and means over active customers. Money comes from the books.
double tally_value(FirmSeries series, const FirmTally& stock, const FirmTally& flow, std::int64_t quarter,
                   double population) {
  switch (series) {
    case FirmSeries::customers_active: return static_cast<double>(stock.active);
    case FirmSeries::acquired: return static_cast<double>(flow.acquired);
    case FirmSeries::churned: return static_cast<double>(flow.churned);
    case FirmSeries::churned_by_life_event: return static_cast<double>(flow.churned_by_life_event);
    case FirmSeries::life_events: return static_cast<double>(flow.life_events);
    case FirmSeries::units_sold: return quarter == 0 ? 0.0 : stock.units_sold;  // nothing is sold at quarter 0
    case FirmSeries::penetration: return static_cast<double>(stock.active) / population;
    case FirmSeries::satisfaction_mean: return mean_or_nan(stock.satisfaction_sum, stock.active);
    case FirmSeries::expectation_mean: return mean_or_nan(stock.expectation_sum, stock.active);
    case FirmSeries::trust_mean: return mean_or_nan(stock.trust_sum, stock.active);
    case FirmSeries::reference_price_mean: return mean_or_nan(stock.reference_price_sum, stock.active);
    case FirmSeries::promoters: return static_cast<double>(stock.promoters);
    case FirmSeries::passives: return static_cast<double>(stock.passives);
    case FirmSeries::detractors: return static_cast<double>(stock.detractors);
    case FirmSeries::nps: return mean_or_nan(100.0 * static_cast<double>(stock.promoters - stock.detractors), stock.active);
    case FirmSeries::tickets_raised: return static_cast<double>(flow.tickets_raised);
    case FirmSeries::tickets_resolved: return static_cast<double>(flow.tickets_resolved);
    case FirmSeries::switched_in: return static_cast<double>(flow.switched_in);
    case FirmSeries::switched_out: return static_cast<double>(flow.switched_out);
    default: return std::numeric_limits<double>::quiet_NaN();  // firm-level series: see record()
  }
}

}  // namespace

Simulation::Simulation(const Scenario& scenario, const Market& market, std::uint64_t replicate, int threads)
    : world_(make_world(scenario, market, replicate, threads)),
      trajectory_(scenario.simulation.quarters + 1, static_cast<std::int64_t>(world_.firms.size()),
                  static_cast<std::int64_t>(world_.segment_count())),
      statuses_(static_cast<std::size_t>(world_.blocks())),
      prospects_(static_cast<std::size_t>(world_.blocks())),
      spread_atomically_(incremental() && spread_atomically()),
      voice_changes_(static_cast<std::size_t>(world_.blocks())),
      joined_(static_cast<std::size_t>(world_.blocks())) {
  check_finite(world_);
  take_statuses();
  record(take_census(&statuses_), std::vector<FirmTally>(cells()), std::vector<QuarterBooks>(world_.firms.size()));
}

void Simulation::take_statuses() {
  for_each_block(world_, [&](Eigen::Index block) {
    take_status(world_.customers, block_range(block, world_.customers.size()), statuses_[static_cast<std::size_t>(block)]);
  });
}

std::size_t Simulation::cells() const { return world_.firms.size() * world_.segment_count(); }

Simulation::BlockFlows Simulation::make_block_flows() const {
  return BlockFlows(static_cast<std::size_t>(world_.blocks()), std::vector<FirmTally>(cells()));
}

std::vector<FirmTally> Simulation::sum_flows(const BlockFlows& flows) const {
  // Block order: the same totals, bit for bit, whatever the thread count.
  std::vector<FirmTally> total(cells());
  for (const auto& block : flows) {
    for (std::size_t cell = 0; cell < total.size(); ++cell) total[cell] += block[cell];
  }
  return total;
}

Census Simulation::empty_census() const {
  return Census(world_.firms.size(), world_.segment_count(), static_cast<std::size_t>(trajectory_.quarters_recorded()));
}

Census Simulation::take_census(const std::vector<BlockStatus>* statuses) const {
  std::vector<Census> blocks(static_cast<std::size_t>(world_.blocks()), empty_census());
  for_each_block(world_, [&](Eigen::Index block) {
    const auto b = static_cast<std::size_t>(block);
    if (statuses != nullptr) {
      census_of(world_.customers, (*statuses)[b], blocks[b]);
    } else {
      census_block(world_.customers, block_range(block, world_.customers.size()), blocks[b]);
    }
  });
  return total_census(blocks);
}

Census Simulation::total_census(const std::vector<Census>& blocks) const {
  Census total = empty_census();
  for (const auto& block : blocks) total += block;
  return total;
}

std::vector<FirmOffer> Simulation::offers() const {
  std::vector<FirmOffer> offers;
  for (const Firm& firm : world_.firms) {
    offers.push_back({firm.quarter.delivered_value, firm.quarter.price, !firm.bankrupt, firm.quarter.network_value});
  }
  return offers;
}

void Simulation::churn_phase(BlockFlows& flows) {
  std::vector<RetentionEffort> efforts;
  for (const Firm& firm : world_.firms) efforts.push_back(firm.quarter.retention);
  const std::vector<FirmOffer> market_offers = offers();
  const std::vector<JoiningTerms> terms = joining_terms(*world_.market, world_.firms);
  const ChurnContext context{world_.market->segments, efforts, market_offers, world_.scenario->market, terms, world_.quarter};
  const CustomerDraws draws = quarter_draws(StreamPurpose::churn);
  // Kept incrementally, the voices are refreshed as each block is decided, while its customers' lines
  // are in cache: only customers active when statuses were last taken can have a voice other than
  // their key since the last sub-step (perception, programmes and churn change no one else; prospects
  // stay silent, lapsed customers keep the word they left with, new customers were listened to as
  // they joined). Nothing changes a voice from here to the first adoption sub-step.
  std::vector<VoiceChanges>& changes = voice_changes_;
  for_each_block(world_, [&](Eigen::Index block) {
    const auto b = static_cast<std::size_t>(block);
    churn_active(world_.customers, statuses_[b].active, context, draws, flows[b]);
    if (incremental()) {
      changes[b].clear();
      update_voice_keys(world_.customers, statuses_[b].active, world_.voice_keys, changes[b]);
    }
  });
  if (incremental()) timed(phase_seconds_.word_of_mouth, [&] { spread(changes); });
}

CustomerDraws Simulation::quarter_draws(StreamPurpose purpose) const {
  return CustomerDraws({stream_seed(world_), world_.replicate, purpose, static_cast<std::uint64_t>(world_.quarter), 0, 0});
}

bool Simulation::incremental() const { return world_.neighbour_totals.kept(); }

VoiceTotals Simulation::listen() {
  std::vector<VoiceTotals> blocks(static_cast<std::size_t>(world_.blocks()));
  timed(phase_seconds_.word_of_mouth, [&] {
    for_each_block(world_, [&](Eigen::Index block) {
      blocks[static_cast<std::size_t>(block)] =
          voice_block(world_.customers, block_range(block, world_.customers.size()), world_.audiences, world_.voice_keys,
                      world_.market->network.mean_field);
    });
  });
  VoiceTotals total;
  for (const auto& block : blocks) {
    total.to_prospects += block.to_prospects;
    total.to_customers += block.to_customers;
  }
  return total;
}

CustomerRange Simulation::owned_by(int thread, int threads) const {
  return blocks_of_thread(world_.customers.size(), thread, threads);
}

bool spreading_atomically_is_cheaper(double crossing_share, std::int64_t population) {
  // Measured on this project's 2-core machine at 10^6 and 10^7 customers: outboxes (8 bytes written and
  // read per addition that crosses to another thread's customers) beat atomic instructions (some
  // cycles for every addition) whenever the outboxes stay in cache, as they do up to a few million
  // customers whatever the order, and at any size when few additions cross (a locality order: a
  // Watts-Strogatz ring as generated). Beyond, with many crossing (random orders, Barabasi-Albert
  // hubs, RCM levels), atomics win: 9.2 s against 11.0 s of 2-thread stepping at 10^7 in a random order.
  constexpr double kMostCrossingForOutboxes = 0.15;
  constexpr std::int64_t kOutboxesInCacheUpTo = 4'000'000;
  return crossing_share > kMostCrossingForOutboxes && population > kOutboxesInCacheUpTo;
}

double crossing_share(const SocialNetwork& network, int threads) {
  // Some 2^16 customers a thread, in 2^12 runs of 16 spread evenly over its range, tell a few per cent
  // from many tens. Every page a sample touches costs here, not its lines: one customer in every 16,
  // touching every page of the rows and offsets, took 0.07-0.69 s at 10^7 customers before the
  // first quarter (0.014-0.018 s now).
  constexpr std::int64_t kSampleRun = 16;
  constexpr std::int64_t kRunsPerThread = 4096;
  std::uint64_t crossing = 0;
  std::uint64_t edges = 0;
  for (int thread = 0; thread < threads; ++thread) {
    const CustomerRange owned = blocks_of_thread(network.vertices, thread, threads);
    const auto begin = static_cast<std::uint64_t>(owned.begin);
    const auto size = static_cast<std::uint64_t>(owned.end - owned.begin);
    const std::int64_t stride = std::max(kSampleRun, (owned.end - owned.begin) / kRunsPerThread);
    for (Eigen::Index run = owned.begin; run < owned.end; run += stride) {
      for (Eigen::Index v = run; v < std::min(run + kSampleRun, owned.end); ++v) {
        network.visit_neighbours(v, [&](std::uint32_t neighbour) { crossing += neighbour - begin >= size ? 1 : 0; });
        edges += static_cast<std::uint64_t>(network.degree(v));
      }
    }
  }
  return edges > 0 ? static_cast<double>(crossing) / static_cast<double>(edges) : 0.0;
}

bool Simulation::spread_atomically() const {
  // Both ways give the same totals; this is only which is cheaper here.
  const SocialNetwork& network = world_.market->network;
  const int threads = std::max(1, world_.threads);
  if (threads == 1 || network.mean_field || network.directed_edges() == 0) return false;
  if (!spreading_atomically_is_cheaper(1.0, network.vertices)) return false;  // however many edges cross
  return spreading_atomically_is_cheaper(crossing_share(network, threads), network.vertices);
}

void Simulation::spread(const std::vector<VoiceChanges>& changes) {
  // Each thread spreads the changes of a run of consecutive blocks as one list (a block has a few dozen
  // changes, and spreading block by block would restart the prefetching ahead at each). Neighbours'
  // totals are shared: either each thread owns its blocks' customers' totals, adds to its own in place
  // and leaves what it adds to the others' customers in its outbox, for each to add from the others'
  // outboxes to its own after a barrier (no total is ever added to by two threads at once); or all add
  // with atomic instructions (spread_atomically_ says which is cheaper here). Integer sums: the same
  // totals whichever thread adds what, in whatever order, either way.
  std::size_t total = 0;
  for (const auto& block_changes : changes) total += block_changes.size();
  // A few thousand changes take less time to spread than threads take to meet: one thread adds them all.
  constexpr std::size_t kFewestForThreads = 4096;
  const int threads = total < kFewestForThreads ? 1 : std::max(1, world_.threads);
  const bool outboxes_used = threads > 1 && !spread_atomically_;
  // Runs and outboxes keep their room from one spread to the next: growing them afresh each time
  // would be page faults, which cost more than the spreading in this virtual machine.
  spread_runs_.resize(static_cast<std::size_t>(threads));
  outboxes_.resize(static_cast<std::size_t>(threads));
#pragma omp parallel num_threads(threads)
  {
#pragma omp for schedule(static)
    for (int thread = 0; thread < threads; ++thread) {
      const CustomerRange owned = owned_by(thread, threads);
      VoiceChanges& run = spread_runs_[static_cast<std::size_t>(thread)];
      std::vector<VoiceAddition>& outbox = outboxes_[static_cast<std::size_t>(thread)];
      run.clear();
      outbox.clear();
      for (Eigen::Index block = owned.begin / kCustomersPerBlock; block * kCustomersPerBlock < owned.end; ++block) {
        const auto& block_changes = changes[static_cast<std::size_t>(block)];
        run.insert(run.end(), block_changes.begin(), block_changes.end());
      }
      spread_voice_changes(world_.market->network, world_.audiences, run, owned, outboxes_used ? &outbox : nullptr,
                           world_.neighbour_totals, threads > 1 && spread_atomically_);
    }
    // The implicit barrier: every outbox is full before anyone empties another's.
#pragma omp for schedule(static)
    for (int thread = 0; thread < threads; ++thread) {
      for (int sender = 0; outboxes_used && sender < threads; ++sender) {
        if (sender == thread) continue;
        apply_voice_additions(world_.audiences, outboxes_[static_cast<std::size_t>(sender)], owned_by(thread, threads),
                              world_.neighbour_totals);
      }
    }
  }
}

Hearing Simulation::hearing(const Audience& audience, double market_total,
                            std::size_t neighbour_totals) const {
  return {world_.market->network, world_.voice_keys, audience, market_total,
          heard_by(world_.neighbour_totals, neighbour_totals)};
}

void Simulation::adoption_phase(BlockFlows& flows) {
  const Scenario& scenario = *world_.scenario;
  const auto substeps = scenario.simulation.substeps;
  const double dt = 1.0 / static_cast<double>(substeps);
  const std::size_t firms = world_.firms.size();
  const std::size_t segments = world_.segment_count();
  const std::vector<JoiningTerms> terms = joining_terms(*world_.market, world_.firms);
  // Prospects compare the open firms' offers against the mean price they see (they have paid none yet).
  const std::vector<FirmOffer> market_offers = offers();
  double price_sum = 0;
  int open = 0;
  for (const FirmOffer& offer : market_offers) {
    if (offer.open) {
      price_sum += offer.price;
      ++open;
    }
  }
  if (open == 0) return;  // no firm left to join
  const double mean_price = price_sum / open;
  std::vector<double> shares;
  for (const Segment& segment : world_.market->segments) {
    std::vector<double> utilities;
    for (const FirmOffer& offer : market_offers) {
      utilities.push_back(offer.open ? offer_utility(offer, mean_price, segment.customers.price_sensitivity)
                                     : -std::numeric_limits<double>::infinity());
    }
    const std::vector<double> segment_shares = logit_shares(utilities, scenario.market.choice_scale);
    shares.insert(shares.end(), segment_shares.begin(), segment_shares.end());
  }
  std::vector<AdoptionParameters> hazards;
  for (const Firm& firm : world_.firms) hazards.push_back(firm.quarter.adoption);
  const AdoptionChoice choice{shares, hazards, terms, firms, segments};
  // What prospects hear is refreshed every sub-step: new adopters start talking at once. Kept
  // incrementally, churn has spread what changed before the first sub-step, only the new adopters'
  // voices change after it, and the last sub-step's are spread too, so that the voices are current for
  // perception.
  const CustomerDraws draws = quarter_draws(StreamPurpose::adoption);
  std::vector<std::vector<std::uint32_t>>& joined = joined_;
  std::vector<VoiceChanges>& changes = voice_changes_;
  std::vector<AdoptionMemo> memos(static_cast<std::size_t>(std::max(1, world_.threads)), AdoptionMemo(choice, dt));
  for (std::int64_t substep = 0; substep < substeps; ++substep) {
    // Kept incrementally, the voices are current: refreshed after churn, then after each sub-step.
    const VoiceTotals totals = incremental() ? VoiceTotals{} : listen();
    const Hearing signal = hearing(world_.audiences.prospects, totals.to_prospects, NeighbourTotals::kProspects);
    // Listed once per four sub-steps: the prospects that may adopt in one of them, with their draws.
    const std::vector<double> ceilings = adoption_ceilings(choice, signal, dt);
    const auto group_size = std::min<std::int64_t>(4, substeps - substep / 4 * 4);
    const unsigned used = (1U << group_size) - 1U;
    for_each_block_by_thread(world_, [&](Eigen::Index block, std::size_t thread) {
      const auto b = static_cast<std::size_t>(block);
      if (substep % 4 == 0) {
        list_prospects(world_.customers, statuses_[b].prospects, draws, static_cast<std::uint32_t>(substep / 4), used,
                       ceilings, prospects_[b]);
      }
      joined[b].clear();
      adopt_prospects(world_.customers, prospects_[b].by_draw(static_cast<std::size_t>(substep % 4)), dt, signal, choice,
                      world_.quarter, flows[b], memos[thread], incremental() ? &joined[b] : nullptr);
      if (incremental()) {  // the new customers' voices, while the lines their joins wrote are in cache
        changes[b].clear();
        update_voice_keys(world_.customers, joined[b], world_.voice_keys, changes[b]);
      }
      // After the last sub-step's joins the block's statuses are final for the quarter: taken now, while
      // its status bytes are in cache, for the issues phase and everything after.
      if (substep + 1 == substeps) take_status(world_.customers, block_range(block, world_.customers.size()), statuses_[b]);
    });
    if (incremental()) timed(phase_seconds_.word_of_mouth, [&] { spread(changes); });
  }
  statuses_taken_ = substeps > 0;
}

void Simulation::issues_phase(BlockFlows& flows) {
  std::vector<double> issue_rate;
  for (const Firm& firm : world_.firms) issue_rate.push_back(firm.quarter.issue_rate);
  const CustomerDraws draws = quarter_draws(StreamPurpose::issues);
  const bool taken = statuses_taken_;  // by adoption's last sub-step, unless no firm was open to join
  statuses_taken_ = false;
  for_each_block(world_, [&](Eigen::Index block) {
    const auto b = static_cast<std::size_t>(block);
    if (!taken) take_status(world_.customers, block_range(block, world_.customers.size()), statuses_[b]);
    issues_of(world_.customers, statuses_[b].active, issue_rate, world_.segment_count(), draws, flows[b]);
  });
  // Support is staffed for the customers the firm has now; those it cannot serve stay unresolved.
  const std::vector<FirmTally> so_far = sum_flows(flows);
  for (std::size_t f = 0; f < world_.firms.size(); ++f) {
    Firm& firm = world_.firms[f];
    std::int64_t tickets = 0;
    std::int64_t active = static_cast<std::int64_t>(trajectory_.firm(FirmSeries::customers_active, world_.quarter - 1,
                                                                      static_cast<std::int64_t>(f)));
    for (std::size_t s = 0; s < world_.segment_count(); ++s) {
      const FirmTally& cell = so_far[f * world_.segment_count() + s];
      tickets += cell.tickets_raised;
      active += cell.acquired + cell.switched_in - cell.churned;
    }
    staff_support(firm.quarter, firm, world_.scenario->issues, active, tickets);
  }
}

void Simulation::perception_phase(BlockFlows& flows, std::vector<Census>* census) {
  std::vector<Offer> offers;
  for (const Firm& firm : world_.firms) {
    offers.push_back({firm.quarter.delivered_value, firm.quarter.promise, firm.quarter.price,
                      firm.quarter.resolution_probability});
  }
  // Incremental voices are current: nothing has changed a voice since the last adoption sub-step.
  const VoiceTotals totals = incremental() ? VoiceTotals{} : listen();
  const Hearing heard = hearing(world_.audiences.customers, totals.to_customers, NeighbourTotals::kCustomers);
  const CustomerDraws draws = quarter_draws(StreamPurpose::resolution);
  // When no programme will move a customer this quarter, nothing changes the state from here to the
  // books: each block is counted as soon as it is perceived, while its customers' lines are in cache.
  if (census != nullptr) census->assign(static_cast<std::size_t>(world_.blocks()), empty_census());
  for_each_block(world_, [&](Eigen::Index block) {
    const auto b = static_cast<std::size_t>(block);
    perceive_active(world_.customers, statuses_[b].active, world_.market->segments, world_.scenario->word_of_mouth,
                    world_.scenario->issues, heard, offers, draws, flows[b]);
    if (census != nullptr) census_of(world_.customers, statuses_[b], (*census)[b]);
  });
}

void Simulation::plan_phase() {
  for (std::size_t f = 0; f < world_.firms.size(); ++f) {
    Firm& firm = world_.firms[f];
    if (firm.bankrupt) continue;
    const Scenario& own = world_.market->firm_scenarios[f];
    double cheapest_rival = std::numeric_limits<double>::infinity();
    for (std::size_t k = 0; k < world_.firms.size(); ++k) {
      if (k != f && !world_.firms[k].bankrupt) cheapest_rival = std::min(cheapest_rival, world_.firms[k].quarter.price);
    }
    const double previous_price = firm.quarter.price;
    const PricingView view{world_.quarter, firm.market_share, !firm.investor.funding && own.investor.kind != InvestorKind::none,
                           cheapest_rival};
    firm.quarter = plan_quarter(firm, own, view);
    if (firm.quarter.subsidy_ended) {
      trajectory_.events.push_back({world_.quarter, static_cast<std::int64_t>(f), "subsidy_end", firm.quarter.price,
                                    fmt::format("{} ends its subsidy: price {} from {}", firm.parameters.name,
                                                firm.quarter.price, previous_price)});
    } else if (firm.quarter.price != previous_price) {
      trajectory_.events.push_back({world_.quarter, static_cast<std::int64_t>(f), "price_change", firm.quarter.price,
                                    fmt::format("{} changes its price from {} to {}", firm.parameters.name,
                                                previous_price, firm.quarter.price)});
    }
  }
}

void Simulation::finance_phase(std::size_t f, const Census& census, const std::vector<FirmTally>& flows,
                               const QuarterBooks& books) {
  Firm& firm = world_.firms[f];
  const Scenario& own = world_.market->firm_scenarios[f];
  const auto firm_index = static_cast<std::int64_t>(f);
  const FirmTally stock = census.firm_total(f);
  std::int64_t churned = 0;
  for (std::size_t s = 0; s < world_.segment_count(); ++s) churned += flows[f * world_.segment_count() + s].churned;
  const double previous_active = trajectory_.firm(FirmSeries::customers_active, world_.quarter - 1, firm_index);
  const double retention = previous_active > 0 ? 1.0 - static_cast<double>(churned) / previous_active : 0.0;
  const double active = static_cast<double>(stock.active);
  const double margin = active > 0 ? (to_currency(books.revenue) - stock.units_sold * firm.parameters.unit_cost) / active : 0.0;
  firm.quarter.customer_equity = customer_equity(active, margin, retention, own.finance.discount_rate);

  const double revenue = to_currency(books.revenue);
  const bool growth_known = std::isfinite(firm.revenue_before) && firm.revenue_before > 0;
  const InvestorView view{growth_known ? revenue / firm.revenue_before - 1.0 : 0.0, growth_known,
                          firm.quarter.customer_equity, to_currency(firm.cash)};
  const InvestorDecision decision = judge_and_fund(own.investor, firm.investor, view);
  if (decision.push_cuts) {
    firm.memory.cut_multiplier = std::max(own.policy.cut_floor, firm.memory.cut_multiplier * (1.0 - own.policy.cut_rate));
  }
  if (decision.tap_off) {
    firm.quarter.tap_off = true;
    trajectory_.events.push_back({world_.quarter, firm_index, "tap_off", 0.0,
                                  fmt::format("{}'s investors stop funding after {} missed milestones",
                                              firm.parameters.name, firm.investor.misses)});
  }
  if (decision.funding > 0) {
    firm.quarter.funding = decision.funding;
    firm.cash = add_cents(firm.cash, to_cents(decision.funding), "cash");
    trajectory_.events.push_back({world_.quarter, firm_index, "funding_round", decision.funding,
                                  fmt::format("{} raises {}", firm.parameters.name, decision.funding)});
  }
  if (firm.cash < 0) {
    // Out of cash with no funding: the firm exits; its customers must move next quarter.
    firm.bankrupt = true;
    firm.quarter.went_bankrupt = true;
    trajectory_.events.push_back({world_.quarter, firm_index, "bankruptcy", to_currency(firm.cash),
                                  fmt::format("{} runs out of cash ({}) with no funding", firm.parameters.name,
                                              to_currency(firm.cash))});
  }
}

bool Simulation::programmes_run() const {
  const InterventionParameters& programmes = world_.scenario->interventions;
  return world_.quarter >= programmes.start_quarter && (programmes.detractor_recovery > 0 || programmes.passive_delight > 0);
}

void Simulation::intervention_phase() {
  const InterventionParameters& programmes = world_.scenario->interventions;
  if (!programmes_run()) return;
  struct Programme {
    double share;
    NpsCategory from;
    NpsCategory to;
    std::uint64_t substep;  // keeps the two programmes' streams apart
  };
  for (const Programme programme : {Programme{programmes.detractor_recovery, NpsCategory::detractor, NpsCategory::passive, 0},
                                    Programme{programmes.passive_delight, NpsCategory::passive, NpsCategory::promoter, 1}}) {
    if (programme.share <= 0) continue;
    // Aim at share * active customers: each eligible customer moves with the probability that gives that.
    const Census census = take_census();
    std::int64_t active = 0, eligible = 0;
    for (std::size_t firm = 0; firm < world_.firms.size(); ++firm) {
      const FirmTally total = census.firm_total(firm);
      active += total.active;
      eligible += programme.from == NpsCategory::detractor ? total.detractors : total.passives;
    }
    if (eligible == 0) continue;
    const double probability = std::min(1.0, programme.share * static_cast<double>(active) / static_cast<double>(eligible));
    for_each_block(world_, [&](Eigen::Index block) {
      RandomEngine stream = make_stream({stream_seed(world_), world_.replicate, StreamPurpose::intervention,
                                         static_cast<std::uint64_t>(world_.quarter), programme.substep,
                                         static_cast<std::uint64_t>(block)});
      convert_block(world_.customers, block_range(block, world_.customers.size()), programme.from, programme.to,
                    probability, stream);
    });
  }
}

namespace {

// Adds the time since the last lap to a phase's seconds, less the word of mouth it called for.
class PhaseClock {
 public:
  explicit PhaseClock(const PhaseSeconds& seconds) : seconds_(seconds), heard_(seconds.word_of_mouth) {}
  void lap(double& phase) {
    const auto now = std::chrono::steady_clock::now();
    phase += std::chrono::duration<double>(now - last_).count() - (seconds_.word_of_mouth - heard_);
    last_ = now;
    heard_ = seconds_.word_of_mouth;
  }

 private:
  const PhaseSeconds& seconds_;
  double heard_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

}  // namespace

void Simulation::step() {
  PhaseClock clock(phase_seconds_);
  ++world_.quarter;
  plan_phase();
  BlockFlows block_flows = make_block_flows();
  clock.lap(phase_seconds_.planning);
  churn_phase(block_flows);
  clock.lap(phase_seconds_.churn);
  adoption_phase(block_flows);
  clock.lap(phase_seconds_.adoption);
  issues_phase(block_flows);  // the statuses, final for the quarter, taken by now
  clock.lap(phase_seconds_.issues);
  const bool counted_with_perception = !programmes_run();
  perception_phase(block_flows, counted_with_perception ? &block_census_ : nullptr);
  clock.lap(phase_seconds_.perception);
  intervention_phase();
  clock.lap(phase_seconds_.interventions);

  const Census census = counted_with_perception ? total_census(block_census_) : take_census(&statuses_);
  // The numerical guard, before the books take the customers' spend. Only active customers' state
  // changes in a quarter, and the census has just summed it: a NaN or infinity shows in a sum, and only
  // then is the state searched for where it is. The firms' few numbers are checked once closed.
  if (!census.finite()) check_finite(world_);
  const std::vector<FirmTally> flows = sum_flows(block_flows);
  const FinanceParameters& finance = world_.scenario->finance;
  std::vector<QuarterBooks> books;
  for (std::size_t f = 0; f < world_.firms.size(); ++f) {
    Firm& firm = world_.firms[f];
    QuarterSpending spending;
    spending.price = firm.quarter.price;
    spending.units_sold = census.firm_total(f).units_sold;
    spending.budgets = firm.quarter.budgets;
    spending.support_tickets_staffed = firm.quarter.support_capacity;
    for (std::size_t segment = 0; segment < world_.segment_count(); ++segment) {
      const FirmTally& flow = flows[f * world_.segment_count() + segment];
      spending.life_events_served += flow.life_events - flow.churned_by_life_event;
      spending.incentivised += flow.incentivised;
    }
    books.push_back(firm.bankrupt ? QuarterBooks{} : close_quarter(spending, firm.parameters, world_.scenario->issues));
    const QuarterBooks& closed = books.back();
    const double discount = discount_factor(finance, world_.quarter);
    firm.cash = add_cents(firm.cash, closed.profit, "cash");
    firm.profit_npv += to_currency(closed.profit) * discount;
    firm.revenue_before = firm.revenue_last;
    firm.revenue_last = to_currency(closed.revenue);
    firm.cx_annuity_total += firm.quarter.cx_annuity;
    firm.cx_annuity_npv += firm.quarter.cx_annuity * discount;
    firm.prevention_total += to_currency(closed.prevention);
    if (!firm.bankrupt) finance_phase(f, census, flows, closed);
  }
  check_firms_finite(world_);
  record(census, flows, books);
  clock.lap(phase_seconds_.books);
}

void Simulation::record(const Census& census, const std::vector<FirmTally>& flows, const std::vector<QuarterBooks>& books) {
  const std::int64_t q = world_.quarter;
  std::int64_t all_active = 0;
  for (std::size_t f = 0; f < world_.firms.size(); ++f) all_active += census.firm_total(f).active;
  for (std::size_t f = 0; f < world_.firms.size(); ++f) {
    world_.firms[f].market_share =
        all_active > 0 ? static_cast<double>(census.firm_total(f).active) / static_cast<double>(all_active) : 0.0;
    trajectory_.firm(FirmSeries::market_share, q, static_cast<std::int64_t>(f)) = world_.firms[f].market_share;
  }
  const double population = static_cast<double>(world_.customers.size());
  const std::size_t segments = world_.segment_count();
  for (std::size_t f = 0; f < world_.firms.size(); ++f) {
    const auto firm = static_cast<std::int64_t>(f);
    const FirmTally stock = census.firm_total(f);
    FirmTally flow;
    for (std::size_t s = 0; s < segments; ++s) flow += flows[f * segments + s];
    for (std::size_t s = 0; s < kFirmSeries.size(); ++s) {
      if (FirmSeries(s) == FirmSeries::market_share) continue;  // set above, across firms
      trajectory_.firm(FirmSeries(s), q, firm) = tally_value(FirmSeries(s), stock, flow, q, population);
    }
    trajectory_.firm(FirmSeries::revenue, q, firm) = to_currency(books[f].revenue);
    trajectory_.firm(FirmSeries::costs_total, q, firm) = to_currency(books[f].costs_total);
    trajectory_.firm(FirmSeries::profit, q, firm) = to_currency(books[f].profit);
    trajectory_.firm(FirmSeries::cash, q, firm) = to_currency(world_.firms[f].cash);
    trajectory_.firm(FirmSeries::profit_npv, q, firm) = world_.firms[f].profit_npv;
    record_firm(q, f, books[f], stock, flow);

    for (std::size_t s = 0; s < segments; ++s) {
      const FirmTally& cell_stock = census.cells[f * segments + s];
      const FirmTally& cell_flow = flows[f * segments + s];
      for (std::size_t k = 0; k < kSegmentSeries.size(); ++k) {
        const FirmSeries series = kSegmentSeries[k];
        // A segment's revenue is its own units at the firm's price, rounded to the cent on its own.
        const double value = series == FirmSeries::revenue
                                 ? (q == 0 ? 0.0 : to_currency(to_cents(cell_stock.units_sold * world_.firms[f].quarter.price)))
                                 : tally_value(series, cell_stock, cell_flow, q, population);
        trajectory_.segment(k, q, firm, static_cast<std::int64_t>(s)) = value;
      }
    }
    const auto deciles = satisfaction_deciles(census, f);
    for (std::size_t d = 0; d < kDeciles; ++d) trajectory_.decile(q, firm, d) = deciles[d];
    for (std::int64_t c = 0; c <= q; ++c) {
      trajectory_.cohort(firm, c, q) = static_cast<double>(census.cohorts[f * census.cohort_quarters + static_cast<std::size_t>(c)]);
    }
  }
  trajectory_.market(MarketSeries::prospects, q) = static_cast<double>(census.market.prospects);
  trajectory_.market(MarketSeries::lapsed, q) = static_cast<double>(census.market.lapsed);
}

void Simulation::record_firm(std::int64_t q, std::size_t f, const QuarterBooks& books, const FirmTally& stock,
                             const FirmTally& flow) {
  const auto firm_index = static_cast<std::int64_t>(f);
  const Firm& firm = world_.firms[f];
  const FirmQuarter& quarter = firm.quarter;
  const auto set = [&](FirmSeries series, double value) { trajectory_.firm(series, q, firm_index) = value; };
  set(FirmSeries::cost_deliver, to_currency(books.deliver));
  set(FirmSeries::cost_react, to_currency(books.react));
  set(FirmSeries::cost_changes, to_currency(books.changes));
  set(FirmSeries::cost_good, to_currency(books.good));
  set(FirmSeries::cost_bad, to_currency(books.bad));
  set(FirmSeries::remedial_cost, to_currency(books.remedial));
  set(FirmSeries::retention_incentive_cost, to_currency(books.retention_incentives));
  set(FirmSeries::prevention_spend, to_currency(books.prevention));
  set(FirmSeries::root_causes, firm.root_causes);
  set(FirmSeries::root_causes_removed, quarter.root_causes_removed);
  set(FirmSeries::root_causes_added, quarter.root_causes_added);
  set(FirmSeries::insights_usage, quarter.insights_usage);
  set(FirmSeries::value_delivered, quarter.delivered_value);
  set(FirmSeries::promise, quarter.promise);
  set(FirmSeries::budget_product_innovation, quarter.budgets.product_innovation);
  set(FirmSeries::budget_prevention, quarter.budgets.prevention);
  set(FirmSeries::budget_operations, quarter.budgets.operations);
  set(FirmSeries::budget_marketing, quarter.budgets.marketing);
  set(FirmSeries::budget_sales, quarter.budgets.sales);
  set(FirmSeries::budget_success, quarter.budgets.success);
  set(FirmSeries::budget_insights, quarter.budgets.insights);
  set(FirmSeries::support_capacity, quarter.support_capacity);
  set(FirmSeries::cx_annuity, quarter.cx_annuity);
  set(FirmSeries::cx_annuity_cumulative, firm.cx_annuity_total);
  set(FirmSeries::cx_annuity_npv, firm.cx_annuity_npv);
  set(FirmSeries::prevention_spend_cumulative, firm.prevention_total);
  const double nps = tally_value(FirmSeries::nps, stock, flow, q, 1.0);
  set(FirmSeries::scorecard_customer, (nps + 100.0) / 200.0);
  set(FirmSeries::scorecard_financial, books.revenue != 0 ? static_cast<double>(books.profit) / static_cast<double>(books.revenue)
                                                          : std::numeric_limits<double>::quiet_NaN());
  set(FirmSeries::scorecard_internal, flow.tickets_raised > 0 ? static_cast<double>(flow.tickets_resolved) /
                                                                    static_cast<double>(flow.tickets_raised)
                                                              : 1.0);
  set(FirmSeries::scorecard_learning, quarter.insights_usage);
  set(FirmSeries::price, quarter.price);
  set(FirmSeries::funding, quarter.funding);
  set(FirmSeries::capital_raised, firm.investor.capital_raised);
  set(FirmSeries::investor_confidence, firm.investor.confidence);
  set(FirmSeries::funding_active, firm.investor.funding ? 1.0 : 0.0);
  set(FirmSeries::customer_equity, quarter.customer_equity);
  set(FirmSeries::valuation_revenue_multiple, 4.0 * to_currency(books.revenue) * world_.market->firm_scenarios[f].investor.revenue_multiple);
  set(FirmSeries::bankrupt, firm.bankrupt ? 1.0 : 0.0);
}

void Simulation::run_to_horizon() {
  while (world_.quarter < world_.scenario->simulation.quarters) step();
}

MemoryEstimate estimate_memory(const Scenario& scenario, std::int64_t concurrent_runs) {
  // CustomerState's columns (10 floats and ints, 4 narrower), word of mouth (a voice key and two
  // neighbour totals, counted at 8 bytes though sparse networks keep 4), adoption draw lists (8 bytes per
  // listed draw, about 20 per prospect), and the network: 4 bytes per directed edge plus 8 per vertex,
  // twice while it is being built, and a degree byte per vertex.
  constexpr double kStateBytes = 10 * 4 + 1 + 2 + 2 + 1 + 1 + 2 * 8 + 20;
  const double degree = scenario.network.kind == NetworkKind::complete ? 0.0 : static_cast<double>(scenario.network.mean_degree);
  const double network = 2 * (4 * degree + 8) + 1;
  const auto population = static_cast<double>(scenario.market.population);
  const double quarters = static_cast<double>(scenario.simulation.quarters + 1);
  const double firms = 1.0 + static_cast<double>(scenario.competitors.size());
  const double results = static_cast<double>(scenario.simulation.replicates) *
                         (quarters * firms * (static_cast<double>(kFirmSeries.size()) + 20.0) + firms * quarters * quarters) * 8;
  MemoryEstimate estimate{kStateBytes + network, results, 0};
  estimate.total_bytes = estimate.bytes_per_customer * population * static_cast<double>(std::max<std::int64_t>(1, concurrent_runs)) +
                         results;
  return estimate;
}

EnsembleResults run_ensemble(const Scenario& scenario, const RunOptions& options) {
  // Point 0 is the scenario; point 1 its counterfactual, run with the same random streams (common
  // random numbers), so that their paired difference isolates what the counterfactual changes.
  std::vector<Scenario> points{scenario};
  if (!scenario.counterfactual.empty()) points.push_back(counterfactual_of(scenario));
  return run_points(scenario, points,
                    points.size() > 1 ? std::vector<std::string>{"scenario", "counterfactual"}
                                      : std::vector<std::string>{"scenario"},
                    options);
}

EnsembleResults run_points(const Scenario& scenario, const std::vector<Scenario>& points,
                           const std::vector<std::string>& point_names, const RunOptions& options) {
  // Each point's market (segments, network) is built once and shared by its replicates; points build
  // in parallel, as their networks can take a while, and a lone point's network is built by all threads.
  std::vector<Market> markets(points.size());
  std::exception_ptr build_failure;
  const int threads = std::max(1, options.threads);
  const bool one_point = points.size() == 1;
#pragma omp parallel for num_threads(one_point ? 1 : threads) schedule(dynamic)
  for (std::size_t p = 0; p < points.size(); ++p) {
    try {
      markets[p] = build_market(points[p], one_point ? threads : 1);
    } catch (...) {
#pragma omp critical
      if (!build_failure) build_failure = std::current_exception();
    }
  }
  if (build_failure) std::rethrow_exception(build_failure);

  EnsembleResults results;
  results.scenario = scenario;
  results.points = static_cast<std::int64_t>(points.size());
  results.point_names = point_names;
  results.replicates = scenario.simulation.replicates;
  results.quarters_recorded = scenario.simulation.quarters + 1;
  for (const Scenario& firm : markets[0].firm_scenarios) results.firm_names.push_back(firm.firm.name);
  for (const Segment& segment : markets[0].segments) results.segment_names.push_back(segment.name);

  // Runs are independent: spread them over workers first, and give each run the threads left over for
  // its blocks. Many short parallel regions inside small runs would spend their time waking threads.
  const auto replicates = scenario.simulation.replicates;
  const std::int64_t runs = results.points * replicates;
  const int workers = static_cast<int>(std::min<std::int64_t>(std::max(1, options.threads), runs));
  const int threads_per_run = std::max(1, options.threads / workers);
  const std::int64_t total = runs * scenario.simulation.quarters;

  std::vector<std::optional<Trajectory>> trajectories(static_cast<std::size_t>(runs));
  std::atomic<std::int64_t> next_run{0};
  std::int64_t quarters_done = 0;  // guarded by progress_mutex
  std::mutex progress_mutex;
  std::exception_ptr failure;
  std::mutex failure_mutex;
  const auto work = [&]() {
    try {
      const auto claim = [&]() -> std::int64_t { return options.claim_run ? options.claim_run() : next_run++; };
      for (std::int64_t run = claim(); run < runs; run = claim()) {
        const auto point = static_cast<std::size_t>(run / replicates);
        const auto replicate = static_cast<std::uint64_t>(run % replicates);
        if (options.should_run && !options.should_run(static_cast<std::int64_t>(point), static_cast<std::int64_t>(replicate))) {
          trajectories[static_cast<std::size_t>(run)] =
              Trajectory(scenario.simulation.quarters + 1, static_cast<std::int64_t>(results.firm_names.size()),
                         static_cast<std::int64_t>(results.segment_names.size()));
          if (options.progress) {
            const std::lock_guard lock(progress_mutex);
            quarters_done += scenario.simulation.quarters;  // done before: counted, so the bar ends full
            options.progress(quarters_done, total);
          }
          continue;
        }
        Simulation simulation(points[point], markets[point], replicate, threads_per_run);
        while (simulation.world().quarter < scenario.simulation.quarters) {
          simulation.step();
          if (options.progress) {
            const std::lock_guard lock(progress_mutex);
            options.progress(++quarters_done, total);
          }
        }
        trajectories[static_cast<std::size_t>(run)] = simulation.take_trajectory();
        if (options.on_run_finished) {
          options.on_run_finished(static_cast<std::int64_t>(point), static_cast<std::int64_t>(replicate),
                                  *trajectories[static_cast<std::size_t>(run)]);
        }
      }
    } catch (...) {
      const std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next_run = runs;  // the others stop at their next run (of this process)
    }
  };
  std::vector<std::thread> pool;
  for (int worker = 1; worker < workers; ++worker) pool.emplace_back(work);
  work();
  for (auto& thread : pool) thread.join();
  if (failure) std::rethrow_exception(failure);
  for (auto& trajectory : trajectories) {
    // Runs another process did (MPI ranks share the runs) are left empty here.
    results.runs.push_back(trajectory ? std::move(*trajectory)
                                      : Trajectory(results.quarters_recorded, static_cast<std::int64_t>(results.firm_names.size()),
                                                   static_cast<std::int64_t>(results.segment_names.size())));
  }
  return results;
}

}  // namespace fulcrum
