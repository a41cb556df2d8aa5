// Each mechanism alone must reproduce its closed form, within a tolerance derived from the sampling error
// across replicates (k standard errors, never a magic number).
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "sim/parameters.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/simulation.hpp"

using namespace fulcrum;

namespace {

constexpr double kStandardErrors = 4.0;

EnsembleResults run_validation(const std::string& name) {
  const Scenario scenario = load_scenario(std::string(FULCRUM_SOURCE_DIR) + "/scenarios/validation/" + name);
  return run_ensemble(scenario, {2, {}});
}

struct Estimate {
  double mean;
  double standard_error;
};

Estimate estimate(const std::vector<double>& values) {
  double sum = 0, sum_squares = 0;
  for (const double v : values) sum += v;
  const double mean = sum / static_cast<double>(values.size());
  for (const double v : values) sum_squares += (v - mean) * (v - mean);
  const double variance = sum_squares / static_cast<double>(values.size() - 1);
  return {mean, std::sqrt(variance / static_cast<double>(values.size()))};
}

// Per-quarter values of `measure(run, quarter)` over the replicates.
template <class Measure>
Estimate over_replicates(const EnsembleResults& results, std::int64_t quarter, Measure measure) {
  std::vector<double> values;
  for (const auto& run : results.runs) values.push_back(measure(run, quarter));
  return estimate(values);
}

// Bass F(t) for the scenario's p and q.
double bass_closed_form(const Scenario& s, double t) {
  const double p = s.adoption.innovation, q = s.adoption.imitation;
  const double e = std::exp(-(p + q) * t);
  return (1.0 - e) / (1.0 + q / p * e);
}

// Cumulative adoption (everyone who has ever adopted) as a fraction of the market.
double adopted_fraction(const Trajectory& run, std::int64_t quarter, double population) {
  return (population - run.market(MarketSeries::prospects, quarter)) / population;
}

// Compares mean adoption with F(t), allowing k standard errors plus the known time-discretisation error
// of the scheme (the same scheme without sampling noise: the adopted fraction refreshed every sub-step).
// Returns the largest discretisation error met.
double check_against_bass(const EnsembleResults& results) {
  const Scenario& s = results.scenario;
  const double p = s.adoption.innovation, q = s.adoption.imitation;
  const double population = static_cast<double>(s.market.population);
  const double dt = 1.0 / static_cast<double>(s.simulation.substeps);
  double discrete = 0.0;
  double worst_discretisation = 0.0;
  for (std::int64_t quarter = 1; quarter <= s.simulation.quarters; ++quarter) {
    for (std::int64_t k = 0; k < s.simulation.substeps; ++k) discrete += (1 - discrete) * -std::expm1(-(p + q * discrete) * dt);
    const Estimate adopted = over_replicates(results, quarter, [&](const Trajectory& run, std::int64_t t) {
      return adopted_fraction(run, t, population);
    });
    const double exact = bass_closed_form(s, static_cast<double>(quarter));
    // Floor the standard error at the binomial one, in case replicates agree by chance.
    const double standard_error = std::max(adopted.standard_error, std::sqrt(exact * (1 - exact) / population /
                                                                              static_cast<double>(results.replicates)));
    const double discretisation = std::abs(discrete - exact);
    worst_discretisation = std::max(worst_discretisation, discretisation);
    INFO("quarter " << quarter << ": simulated " << adopted.mean << " +- " << standard_error << ", F(t) " << exact
                    << ", discrete scheme " << discrete);
    CHECK(std::abs(adopted.mean - discrete) <= kStandardErrors * standard_error);
    CHECK(std::abs(adopted.mean - exact) <= kStandardErrors * standard_error + discretisation);
  }
  return worst_discretisation;
}

}  // namespace

TEST_CASE("Bass diffusion on the complete graph matches F(t)", "[validation][bass]") {
  const double worst_discretisation = check_against_bass(run_validation("bass.toml"));
  CHECK(worst_discretisation < 0.002);  // the scenario's sub-steps make the scheme close to continuous time
}

TEST_CASE("Bass diffusion on a dense Erdos-Renyi graph still matches F(t)", "[validation][bass][network]") {
  const EnsembleResults results = run_validation("bass_erdos_renyi.toml");
  REQUIRE(results.scenario.network.kind == NetworkKind::erdos_renyi);
  CHECK(check_against_bass(results) < 0.004);
}

TEST_CASE("Bass diffusion on a sparse Watts-Strogatz graph is measurably slower", "[validation][bass][network]") {
  const EnsembleResults results = run_validation("bass_watts_strogatz.toml");
  const Scenario& s = results.scenario;
  const double population = static_cast<double>(s.market.population);
  // Quarter at which half the market has adopted, interpolated: closed form against the small world.
  const auto half_time = [&](auto fraction_at) {
    for (std::int64_t t = 1; t <= s.simulation.quarters; ++t) {
      const double before = fraction_at(t - 1), after = fraction_at(t);
      if (after >= 0.5) return static_cast<double>(t - 1) + (0.5 - before) / (after - before);
    }
    return static_cast<double>(s.simulation.quarters);
  };
  const double bass_half = half_time([&](std::int64_t t) { return bass_closed_form(s, static_cast<double>(t)); });
  const double network_half = half_time([&](std::int64_t t) {
    return over_replicates(results, t, [&](const Trajectory& run, std::int64_t q) {
             return adopted_fraction(run, q, population);
           }).mean;
  });
  const auto quarter = static_cast<std::int64_t>(std::ceil(bass_half));
  const Estimate at_bass_half = over_replicates(results, quarter, [&](const Trajectory& run, std::int64_t q) {
    return adopted_fraction(run, q, population);
  });
  const double expected = bass_closed_form(s, static_cast<double>(quarter));
  WARN("Watts-Strogatz (k = 10, 10% rewired): half the market adopts after " << network_half
       << " quarters against " << bass_half << " for Bass F(t); at quarter " << quarter << " adoption is "
       << at_bass_half.mean << " +- " << at_bass_half.standard_error << " against " << expected);
  CHECK(expected - at_bass_half.mean > 10 * at_bass_half.standard_error);
  CHECK(network_half - bass_half > 0.25);  // at least a quarter of a quarter later (measured: 0.59)
}

TEST_CASE("heterogeneous churn matches the shifted-beta-geometric survival", "[validation][sbg]") {
  const EnsembleResults results = run_validation("sbg.toml");
  const double alpha = results.scenario.churn.propensity_alpha, beta = results.scenario.churn.propensity_beta;
  double survival = 1.0;  // B(a, b + t) / B(a, b) = prod_{k<t} (b + k) / (a + b + k)
  for (std::int64_t t = 1; t <= results.scenario.simulation.quarters; ++t) {
    survival *= (beta + static_cast<double>(t - 1)) / (alpha + beta + static_cast<double>(t - 1));
    const Estimate simulated = over_replicates(results, t, [](const Trajectory& run, std::int64_t quarter) {
      return run.firm(FirmSeries::customers_active, quarter, 0) / run.firm(FirmSeries::customers_active, 0, 0);
    });
    INFO("quarter " << t << ": simulated " << simulated.mean << " +- " << simulated.standard_error << ", sBG "
                    << survival);
    CHECK(simulated.standard_error > 0);
    CHECK(std::abs(simulated.mean - survival) <= kStandardErrors * simulated.standard_error);
  }
}

TEST_CASE("heterogeneous churn matches the sBG survival in two segments at once", "[validation][sbg][segments]") {
  const EnsembleResults results = run_validation("sbg_segments.toml");
  const std::vector<Segment> segments = resolve_segments(results.scenario);
  REQUIRE(segments.size() == 2);
  REQUIRE(segments[0].churn.propensity_beta != segments[1].churn.propensity_beta);
  constexpr std::size_t kActive = 0;  // kSegmentSeries[0]
  REQUIRE(kSegmentSeries[kActive] == FirmSeries::customers_active);
  for (std::size_t s = 0; s < segments.size(); ++s) {
    const double alpha = segments[s].churn.propensity_alpha, beta = segments[s].churn.propensity_beta;
    const auto segment = static_cast<std::int64_t>(s);
    double survival = 1.0;
    for (std::int64_t t = 1; t <= results.scenario.simulation.quarters; ++t) {
      survival *= (beta + static_cast<double>(t - 1)) / (alpha + beta + static_cast<double>(t - 1));
      const Estimate simulated = over_replicates(results, t, [&](const Trajectory& run, std::int64_t quarter) {
        return run.segment(kActive, quarter, 0, segment) / run.segment(kActive, 0, 0, segment);
      });
      INFO(segments[s].name << " quarter " << t << ": simulated " << simulated.mean << " +- "
                            << simulated.standard_error << ", sBG " << survival);
      CHECK(std::abs(simulated.mean - survival) <= kStandardErrors * simulated.standard_error);
    }
  }
}

TEST_CASE("constant margin and retention match the CLV closed form", "[validation][clv]") {
  const EnsembleResults results = run_validation("clv.toml");
  const Scenario& s = results.scenario;
  const double margin = s.customers.spend_per_quarter * (s.firm.price - s.firm.unit_cost);
  const double retention = 1.0 - s.churn.fixed_propensity;
  const double rate = s.finance.discount_rate;
  const auto horizon = s.simulation.quarters;
  // m r / (1 + i - r), less the tail beyond the horizon, (r / (1 + i))^T of it.
  const double clv = margin * retention / (1 + rate - retention) *
                     (1 - std::pow(retention / (1 + rate), static_cast<double>(horizon)));
  const Estimate simulated = over_replicates(results, horizon, [](const Trajectory& run, std::int64_t quarter) {
    return run.firm(FirmSeries::profit_npv, quarter, 0) / run.firm(FirmSeries::customers_active, 0, 0);
  });
  INFO("simulated " << simulated.mean << " +- " << simulated.standard_error << ", closed form " << clv);
  CHECK(simulated.standard_error > 0);
  CHECK(std::abs(simulated.mean - clv) <= kStandardErrors * simulated.standard_error);
}
