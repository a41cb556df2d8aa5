#pragma once
// Running a scenario: Simulation steps one replicate through the quarterly pipeline; run_ensemble runs
// every replicate and gathers the trajectories.
#include <cstdint>
#include <functional>

#include "models/adoption.hpp"
#include "models/market.hpp"
#include "models/word_of_mouth.hpp"
#include "sim/census.hpp"
#include "sim/results.hpp"
#include "sim/rng.hpp"
#include "sim/tally.hpp"
#include "sim/world.hpp"

namespace fulcrum {

// Seconds each part of the quarter took, summed over the quarters stepped: the benchmark's account of
// where the time goes. Word of mouth (voices gathered, or every change spread) is counted apart from the
// phases that call for it; the keys themselves are refreshed within the block passes that change them
// (churn's for what perception and churn changed, adoption's for the new customers).
struct PhaseSeconds {
  double planning = 0;        // the firms plan; the quarter's tallies are set up
  double churn = 0;           // life events, churn and switching; the voice keys they change
  double word_of_mouth = 0;   // voices gathered, or their changes spread to neighbours' totals
  double adoption = 0;        // prospects listed, adoption decisions, joins and the joiners' voice keys;
                              // the statuses after the last sub-step
  double issues = 0;          // issues met, support staffed (statuses too when no firm was open to join)
  double perception = 0;      // the quarter lived: satisfaction, trust, expectation, wallet; the census
                              // when no programme runs
  double interventions = 0;   // what-if programmes
  double books = 0;           // the census after programmes, numerical guard, books, investors, the
                              // recorded series
};

class Simulation {
 public:
  Simulation(const Scenario& scenario, const Market& market, std::uint64_t replicate, int threads);

  // Advances one quarter through the pipeline: the firms plan (budgets, root causes, value), life events
  // and churn, adoption sub-steps (word of mouth to prospects), issues and support, perception (word of
  // mouth to customers), interventions, books, record.
  void step();
  void run_to_horizon();

  [[nodiscard]] const World& world() const { return world_; }
  // The state between quarters, to change it (tests poison it to see the numerical guard stop the run).
  [[nodiscard]] World& world() { return world_; }
  // Whether its threads spread voice changes with atomic additions rather than through outboxes.
  [[nodiscard]] bool spreads_atomically() const { return spread_atomically_; }
  [[nodiscard]] const Trajectory& trajectory() const { return trajectory_; }
  Trajectory take_trajectory() { return std::move(trajectory_); }
  [[nodiscard]] const PhaseSeconds& phase_seconds() const { return phase_seconds_; }

 private:
  using BlockFlows = std::vector<std::vector<FirmTally>>;  // [block][tally_cell(firm, segment)]

  [[nodiscard]] std::size_t cells() const;
  [[nodiscard]] BlockFlows make_block_flows() const;
  [[nodiscard]] std::vector<FirmTally> sum_flows(const BlockFlows& flows) const;
  // The census of every block; `statuses`, when given, are the blocks' statuses, current.
  [[nodiscard]] Census take_census(const std::vector<BlockStatus>* statuses = nullptr) const;
  [[nodiscard]] Census empty_census() const;
  // The blocks' censuses summed in block order (the same sums whatever the thread count).
  [[nodiscard]] Census total_census(const std::vector<Census>& blocks) const;
  // Every customer's voice gathered, for the word of mouth of this step when neighbour totals are not
  // kept; the market totals for the complete graph.
  VoiceTotals listen();
  // Incremental word of mouth: whether it is kept so; adding `changes` (by block) to the neighbours'
  // totals.
  [[nodiscard]] bool incremental() const;
  void spread(const std::vector<VoiceChanges>& changes);
  // The customers whose neighbour totals thread `thread` of `threads` owns while spreading: its run of
  // blocks.
  [[nodiscard]] CustomerRange owned_by(int thread, int threads) const;
  // Whether spreading with atomic additions is cheaper than through outboxes, from how many edges
  // cross from one thread's customers to another's.
  [[nodiscard]] bool spread_atomically() const;
  // What `audience` hears this step: by gathering over neighbours, or from the neighbour totals of that
  // audience (NeighbourTotals::kProspects or kCustomers) when they are kept.
  [[nodiscard]] Hearing hearing(const Audience& audience, double market_total, std::size_t neighbour_totals) const;
  // This quarter's counter-based draws for `purpose`, for every customer.
  [[nodiscard]] CustomerDraws quarter_draws(StreamPurpose purpose) const;
  // What each firm offers this quarter, as customers compare firms.
  [[nodiscard]] std::vector<FirmOffer> offers() const;
  // Each open firm prices and plans its quarter (budgets, root causes, value); events for price changes.
  void plan_phase();
  // After the books: customer equity, the investors' judgement and funding, bankruptcy.
  void finance_phase(std::size_t firm, const Census& census, const std::vector<FirmTally>& flows,
                     const QuarterBooks& books);
  void churn_phase(BlockFlows& flows);
  void adoption_phase(BlockFlows& flows);
  // Takes each block's statuses (statuses_) unless adoption's last sub-step has, then the issues of its
  // active customers, then support staffing.
  void issues_phase(BlockFlows& flows);
  // Each active customer's quarter lived; when `census` is given, each block counted just after
  // (only when nothing will change the state before the books: no programme this quarter).
  void perception_phase(BlockFlows& flows, std::vector<Census>* census);
  void take_statuses();
  // What-if programmes (interventions.*) that move customers between NPS categories; whether any
  // may move a customer this quarter.
  void intervention_phase();
  [[nodiscard]] bool programmes_run() const;
  // The firm-level series of the quarter: costs by category, root causes, budgets, annuity, scorecard.
  void record_firm(std::int64_t quarter, std::size_t firm, const QuarterBooks& books, const FirmTally& stock,
                   const FirmTally& flow);
  void record(const Census& census, const std::vector<FirmTally>& flows, const std::vector<QuarterBooks>& books);

  World world_;
  Trajectory trajectory_;
  // Each block's active customers and prospects, taken after adoption: nothing changes a status from
  // then until the next quarter's churn, so churn, the first voice refresh and the prospect lists use
  // them too.
  std::vector<BlockStatus> statuses_;
  bool statuses_taken_ = false;  // by this quarter's adoption phase, for the issues phase
  // Each block's prospects listed with their adoption draws, kept so that their room is reused.
  std::vector<ProspectDraws> prospects_;
  bool spread_atomically_ = false;  // spread_atomically(), worked out once
  // Each block's voice changes (churn_phase, adoption_phase), kept for their room: growing them afresh at
  // every sub-step was 2.7% of a 10^6-customer run's samples in malloc alone.
  std::vector<VoiceChanges> voice_changes_;
  // Each thread's run of voice changes to spread and its outbox (spread()), kept for their room.
  std::vector<VoiceChanges> spread_runs_;
  std::vector<std::vector<VoiceAddition>> outboxes_;
  // Each block's customers who joined in the current adoption sub-step, kept for their room too.
  std::vector<std::vector<std::uint32_t>> joined_;
  // Each block's census when it is counted with perception, kept for its room.
  std::vector<Census> block_census_;
  PhaseSeconds phase_seconds_;
};

// Whether threads spread voice changes more cheaply with atomic additions than through outboxes, when
// `crossing_share` of the edges go from one thread's customers to another's among `population`.
[[nodiscard]] bool spreading_atomically_is_cheaper(double crossing_share, std::int64_t population);
// The share of the network's edges that go from one thread's customers to another's when `threads`
// each own their run of blocks, estimated from a sample of customers spread over each run.
[[nodiscard]] double crossing_share(const SocialNetwork& network, int threads);

struct RunOptions {
  int threads = 1;
  // Called after every simulated quarter with (quarters done, quarters in all) over all replicates;
  // from worker threads, but never two calls at once.
  std::function<void(std::int64_t, std::int64_t)> progress;
  // Which runs to do (default: all); skipped runs are left as empty trajectories (resuming a sweep).
  std::function<bool(std::int64_t point, std::int64_t replicate)> should_run;
  // Hands out the next run index (point * replicates + replicate) to a worker; returns a value past the
  // last run when all are taken. Default: a counter in this process. MPI ranks share one (sim/cli/mpi.cpp).
  std::function<std::int64_t()> claim_run;
  // Called from a worker as soon as a run is done, so it can be saved before the others finish.
  std::function<void(std::int64_t point, std::int64_t replicate, const Trajectory&)> on_run_finished;
};

EnsembleResults run_ensemble(const Scenario& scenario, const RunOptions& options);

// What a scenario will need in memory: customer state and the network per run in flight, the results.
struct MemoryEstimate {
  double bytes_per_customer;
  double results_bytes;
  double total_bytes;
};
MemoryEstimate estimate_memory(const Scenario& scenario, std::int64_t concurrent_runs);

// Runs every point (each a full scenario sharing the horizon, replicates, firms and segments of
// `scenario`) times the replicates, spread over the threads; results indexed [point, replicate].
EnsembleResults run_points(const Scenario& scenario, const std::vector<Scenario>& points,
                           const std::vector<std::string>& point_names, const RunOptions& options);

}  // namespace fulcrum
