// The customer-step benchmark (issue 8): one process per configuration, so that peak memory is the
// configuration's own. Prints one JSON object; bench/run_benchmarks.py runs the matrix and writes
// bench/results/latest.md.
//
//   fulcrum_bench step SCENARIO [--set path=value]... [--threads T] [--output FILE.h5]
//   fulcrum_bench triad [--megabytes M] [--threads T]
//   fulcrum_bench latency [--megabytes M]
//   fulcrum_bench perception [--active SHARE] [--mixed] [--issues SHARE] [--repeats R]
//
// `step` times, separately: building the market (network generation and vertex ordering), placing the
// initial customers, stepping every quarter, and writing the HDF5 file. `triad` is a STREAM-style triad
// a[i] = b[i] + s * c[i], the memory bandwidth the step is compared with. `latency` is the time of a
// load whose address the load before gives, at random over an array: what a pass waits for at each
// customer whose neighbours' totals or row it has not asked for ahead. `perception` times the
// perception kernels, vector and scalar, on one block of customers kept warm in cache, over and over:
// the kernel's own work, without waiting on memory. Its scalar / vector ratio is within one run; to
// compare two builds of a kernel, run them in turns (this machine's speed drifts by up to 1.5x).
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "sim/error.hpp"
#include "sim/results_writer.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/simulation.hpp"
#include "sim/world.hpp"
#include "sim/populate.hpp"
#include "tests/support/mixed_market.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

double peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) * 1024.0;
}

int run_step(const std::string& scenario_path, const std::vector<std::string>& sets, int threads,
             const std::string& output) {
  using namespace fulcrum;
  const Scenario scenario = load_scenario(scenario_path, sets);
  const double rss_before = peak_rss_bytes();

  auto start = Clock::now();
  const Market market = build_market(scenario, threads);
  const double market_seconds = seconds_since(start);
  const double rss_after_market = peak_rss_bytes();

  start = Clock::now();
  Simulation simulation(scenario, market, 0, threads);
  const double world_seconds = seconds_since(start);

  start = Clock::now();
  while (simulation.world().quarter < scenario.simulation.quarters) simulation.step();
  const double step_seconds = seconds_since(start);
  const double rss_after_steps = peak_rss_bytes();

  double write_seconds = 0;
  if (!output.empty()) {
    EnsembleResults results;
    results.scenario = scenario;
    results.points = 1;
    results.point_names = {"scenario"};
    results.replicates = 1;
    results.quarters_recorded = scenario.simulation.quarters + 1;
    for (const Scenario& firm : market.firm_scenarios) results.firm_names.push_back(firm.firm.name);
    for (const Segment& segment : market.segments) results.segment_names.push_back(segment.name);
    results.runs.push_back(simulation.take_trajectory());
    start = Clock::now();
    std::filesystem::remove(output);
    write_results(results, output);
    write_seconds = seconds_since(start);
  }

  const PhaseSeconds& phases = simulation.phase_seconds();
  const double population = static_cast<double>(scenario.market.population);
  const double updates = population * static_cast<double>(scenario.simulation.quarters);
  fmt::print(
      "{{\"kind\": \"step\", \"population\": {}, \"quarters\": {}, \"threads\": {}, \"directed_edges\": {}, "
      "\"market_seconds\": {:.6f}, \"world_seconds\": {:.6f}, \"step_seconds\": {:.6f}, \"write_seconds\": {:.6f}, "
      "\"updates_per_second\": {:.1f}, \"peak_rss_bytes\": {:.0f}, \"rss_before_market_bytes\": {:.0f}, "
      "\"peak_rss_after_market_bytes\": {:.0f}, \"peak_rss_after_steps_bytes\": {:.0f}, "
      "\"phase_seconds\": {{\"planning\": {:.6f}, \"churn\": {:.6f}, \"word_of_mouth\": {:.6f}, \"adoption\": {:.6f}, "
      "\"issues\": {:.6f}, \"perception\": {:.6f}, \"interventions\": {:.6f}, \"books\": {:.6f}}}}}\n",
      scenario.market.population, scenario.simulation.quarters, threads, market.network.directed_edges(),
      market_seconds, world_seconds, step_seconds, write_seconds, updates / step_seconds, peak_rss_bytes(), rss_before,
      rss_after_market, rss_after_steps, phases.planning, phases.churn, phases.word_of_mouth, phases.adoption,
      phases.issues, phases.perception, phases.interventions, phases.books);
  return 0;
}

int run_triad(double megabytes, int threads) {
  // Three arrays of doubles, each well beyond the last-level cache; best of ten, as STREAM reports.
  const auto n = static_cast<std::size_t>(megabytes * 1e6 / 8.0);
  std::vector<double> a(n), b(n), c(n);
#pragma omp parallel for num_threads(threads) schedule(static)
  for (std::size_t i = 0; i < n; ++i) {  // first touch by the threads that use the pages
    a[i] = 0.0;
    b[i] = 1.0;
    c[i] = 2.0;
  }
  double best = 1e300;
  const double scalar = 3.0;
  for (int trial = 0; trial < 10; ++trial) {
    const auto start = Clock::now();
#pragma omp parallel for num_threads(threads) schedule(static)
    for (std::size_t i = 0; i < n; ++i) a[i] = b[i] + scalar * c[i];
    best = std::min(best, seconds_since(start));
  }
  volatile double sink = a[n / 2];  // keeps the triad from being optimised away
  (void)sink;
  // STREAM counts 24 bytes per element (two reads, one write), not the write-allocate read.
  fmt::print("{{\"kind\": \"triad\", \"threads\": {}, \"array_bytes\": {}, \"seconds\": {:.6f}, \"bytes_per_second\": {:.1f}}}\n",
             threads, n * 8, best, 24.0 * static_cast<double>(n) / best);
  return 0;
}

int run_latency(double megabytes) {
  // One cycle through every slot in random order (Sattolo's shuffle), so that each load's address is the
  // load before's value and no prefetcher can guess it.
  const auto n = std::max<std::size_t>(2, static_cast<std::size_t>(megabytes * 1e6 / 4.0));
  std::vector<std::uint32_t> next(n);
  std::iota(next.begin(), next.end(), 0U);
  std::mt19937_64 engine(20261202);
  for (std::size_t i = n - 1; i > 0; --i) std::swap(next[i], next[std::uniform_int_distribution<std::size_t>(0, i - 1)(engine)]);
  constexpr std::size_t kLoads = 10'000'000;
  std::uint32_t at = 0;
  for (std::size_t k = 0; k < std::min(n, kLoads); ++k) at = next[at];  // the pages mapped, the caches warm
  const auto start = Clock::now();
  for (std::size_t k = 0; k < kLoads; ++k) at = next[at];
  const double seconds = seconds_since(start);
  volatile std::uint32_t sink = at;
  (void)sink;
  fmt::print("{{\"kind\": \"latency\", \"array_bytes\": {}, \"nanoseconds_per_load\": {:.2f}}}\n", n * 4,
             seconds / static_cast<double>(kLoads) * 1e9);
  return 0;
}

int run_perception(double active_share, bool mixed, double issue_share, int repeats) {
  using namespace fulcrum;
  // One block of one segment and one firm (a market of one, as bench/customer_step.toml), or `mixed`,
  // three segments and two firms side by side; `issue_share` of the customers met issues.
  const MixedMarket market(kCustomersPerBlock, !mixed, 20261203, active_share, issue_share);
  const Hearing heard{market.network, market.keys, market.audiences.customers, 0.0,
                      heard_by(market.totals, NeighbourTotals::kCustomers)};
  const CustomerDraws draws({3, 0, StreamPurpose::resolution, 1, 0, 0});
  const auto active = static_cast<double>(market.block.active.size());
  const auto nanoseconds_per_customer = [&](PerceptionKernel kernel) {
    // The fastest of five rounds; the state evolves from one pass to the next as the quarters would.
    CustomerState customers = market.customers;
    std::vector<FirmTally> tallies(market.segments.size() * market.offers.size());
    double best = std::numeric_limits<double>::infinity();
    for (int round = 0; round < 5; ++round) {
      const auto start = Clock::now();
      for (int pass = 0; pass < repeats; ++pass) {
        perceive_active(customers, market.block.active, market.segments, default_scenario().word_of_mouth,
                        default_scenario().issues, heard, market.offers, draws, tallies, kernel);
      }
      best = std::min(best, seconds_since(start));
    }
    return best / repeats / active * 1e9;
  };
  const bool vector = perception_kernel_supported(PerceptionKernel::fastest);
  const double fastest = nanoseconds_per_customer(PerceptionKernel::fastest);
  const double scalar = nanoseconds_per_customer(PerceptionKernel::scalar);
  fmt::print("{{\"kind\": \"perception\", \"customers\": {}, \"active\": {}, \"mixed\": {}, \"issue_share\": {}, \"vector_kernel\": {}, "
             "\"fastest_ns_per_active_customer\": {:.2f}, \"scalar_ns_per_active_customer\": {:.2f}, "
             "\"scalar_over_fastest\": {:.2f}}}\n",
             kCustomersPerBlock, market.block.active.size(), mixed, issue_share, vector, fastest, scalar, scalar / fastest);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  fulcrum::keep_freed_memory();
  CLI::App app{"fulcrum customer-step benchmark"};
  app.require_subcommand(1);
  auto* step = app.add_subcommand("step", "Time one run of a scenario, phase by phase");
  std::string scenario;
  std::vector<std::string> sets;
  int threads = 1;
  std::string output;
  step->add_option("scenario", scenario, "Scenario file")->required();
  step->add_option("--set", sets, "Override a parameter: path=value");
  step->add_option("--threads", threads, "Threads")->check(CLI::Range(1, 1024));
  step->add_option("--output", output, "Also write the results here, timed apart");
  auto* triad = app.add_subcommand("triad", "STREAM-style triad bandwidth");
  double megabytes = 800;
  triad->add_option("--megabytes", megabytes, "Size of each of the three arrays")->check(CLI::Range(1.0, 100000.0));
  triad->add_option("--threads", threads, "Threads")->check(CLI::Range(1, 1024));
  auto* latency = app.add_subcommand("latency", "Time of a dependent load at random over an array");
  double latency_megabytes = 256;
  latency->add_option("--megabytes", latency_megabytes, "Size of the array")->check(CLI::Range(0.001, 100000.0));
  auto* perception = app.add_subcommand("perception", "Perception kernels, vector and scalar, warm in cache");
  double active_share = 0.26;  // the mean share of active customers over bench/customer_step.toml's 40 quarters
  int repeats = 2000;
  perception->add_option("--active", active_share, "Share of the block's customers active")->check(CLI::Range(0.01, 1.0));
  bool mixed = false;
  perception->add_flag("--mixed", mixed, "Three segments and two firms instead of a market of one");
  double issue_share = 0.0;
  perception->add_option("--issues", issue_share, "Share of the customers who met issues")->check(CLI::Range(0.0, 1.0));
  perception->add_option("--repeats", repeats, "Passes over the block per timed round")->check(CLI::Range(1, 10000000));
  CLI11_PARSE(app, argc, argv);
  try {
    if (*step) return run_step(scenario, sets, threads, output);
    if (*latency) return run_latency(latency_megabytes);
    if (*perception) return run_perception(active_share, mixed, issue_share, repeats);
    return run_triad(megabytes, threads);
  } catch (const fulcrum::InputError& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return 2;
  }
}
