// Stylized facts: results that must emerge from the mechanisms (never hard-coded), each a scenario in
// scenarios/cases/ run with replicates and common random numbers.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include <fmt/format.h>

#include "sim/scenario_loader.hpp"
#include "sim/simulation.hpp"

using namespace fulcrum;

namespace {

std::string case_file(const std::string& name) { return std::string(FULCRUM_SOURCE_DIR) + "/scenarios/cases/" + name; }

struct PairedEffect {
  double mean;
  double standard_error;
};

PairedEffect paired(const std::vector<double>& treated, const std::vector<double>& control) {
  const auto n = static_cast<double>(treated.size());
  double sum = 0, sum_squares = 0;
  for (std::size_t i = 0; i < treated.size(); ++i) sum += treated[i] - control[i];
  const double mean = sum / n;
  for (std::size_t i = 0; i < treated.size(); ++i) sum_squares += std::pow(treated[i] - control[i] - mean, 2);
  return {mean, std::sqrt(sum_squares / (n - 1) / n)};
}

}  // namespace

TEST_CASE("one point fewer detractors grows revenue more than one point more promoters", "[stylized][word_of_mouth]") {
  const std::string file = case_file("word_of_mouth.toml");
  const auto growth = [&](const std::vector<std::string>& overrides) {
    const Scenario scenario = load_scenario(file, overrides);
    const EnsembleResults results = run_ensemble(scenario, {2, {}});
    const std::int64_t start = scenario.interventions.start_quarter - 1;
    const std::int64_t end = start + 12;  // three years
    REQUIRE(end <= scenario.simulation.quarters);
    std::vector<double> values;
    std::vector<double> detractor_share, promoter_share;
    for (const auto& run : results.runs) {
      values.push_back(run.firm(FirmSeries::revenue, end, 0) / run.firm(FirmSeries::revenue, start, 0) - 1.0);
      double detractors = 0, promoters = 0, active = 0;
      for (std::int64_t q = start + 1; q <= end; ++q) {
        detractors += run.firm(FirmSeries::detractors, q, 0);
        promoters += run.firm(FirmSeries::promoters, q, 0);
        active += run.firm(FirmSeries::customers_active, q, 0);
      }
      detractor_share.push_back(detractors / active);
      promoter_share.push_back(promoters / active);
    }
    return std::tuple{values, detractor_share, promoter_share};
  };
  const auto [control, control_detractors, control_promoters] = growth({});
  const auto [recovery, recovery_detractors, recovery_promoters] = growth({"interventions.detractor_recovery=0.01"});
  const auto [delight, delight_detractors, delight_promoters] = growth({"interventions.passive_delight=0.01"});

  // The programmes did what they say: about one point less of detractors, one point more of promoters.
  const PairedEffect detractor_change = paired(recovery_detractors, control_detractors);
  const PairedEffect promoter_change = paired(delight_promoters, control_promoters);
  CHECK(detractor_change.mean < -0.005);
  CHECK(promoter_change.mean > 0.005);

  const PairedEffect fewer_detractors = paired(recovery, control);
  const PairedEffect more_promoters = paired(delight, control);
  const PairedEffect difference = paired(recovery, delight);
  WARN("three-year revenue growth, paired over " << control.size() << " replicates: one point fewer detractors "
       << fewer_detractors.mean << " +- " << fewer_detractors.standard_error << " (detractor share "
       << detractor_change.mean * 100 << " points); one point more promoters " << more_promoters.mean << " +- "
       << more_promoters.standard_error << " (promoter share +" << promoter_change.mean * 100
       << " points); ratio " << fewer_detractors.mean / more_promoters.mean);
  CHECK(more_promoters.mean > 3 * more_promoters.standard_error);  // both programmes help
  CHECK(difference.mean > 3 * difference.standard_error);          // recovery helps more
}

TEST_CASE("a one-off prevention programme earns an annuity that pays back", "[stylized][annuity]") {
  const Scenario scenario = load_scenario(case_file("cx_annuity.toml"));
  REQUIRE_FALSE(scenario.counterfactual.empty());
  const EnsembleResults results = run_ensemble(scenario, {2, {}});
  REQUIRE(results.points == 2);
  const std::int64_t horizon = scenario.simulation.quarters;
  const IssueParameters& issues = scenario.issues;
  const double coverage = scenario.departments.support_coverage;

  // Payback: the first quarter the cumulative annuity covers the cumulative prevention spend.
  std::vector<double> paybacks, npvs;
  for (std::int64_t r = 0; r < results.replicates; ++r) {
    const Trajectory& run = results.run(0, r);
    double payback = std::numeric_limits<double>::quiet_NaN();
    for (std::int64_t q = 1; q <= horizon; ++q) {
      const double spent = run.firm(FirmSeries::prevention_spend_cumulative, q, 0);
      if (spent > 0 && run.firm(FirmSeries::cx_annuity_cumulative, q, 0) >= spent) {
        payback = static_cast<double>(q);
        break;
      }
    }
    paybacks.push_back(payback);
    npvs.push_back(run.firm(FirmSeries::cx_annuity_npv, horizon, 0));
  }
  const double mean_npv = std::accumulate(npvs.begin(), npvs.end(), 0.0) / static_cast<double>(npvs.size());
  const double spend = results.run(0, 0).firm(FirmSeries::prevention_spend_cumulative, horizon, 0);
  for (const double payback : paybacks) CHECK(payback <= static_cast<double>(horizon));  // NaN fails too
  CHECK(mean_npv > 0);

  // The paired counterfactual (no programme, same random numbers) saves less remedial cost than the
  // annuity by exactly the remedial cost of the customers prevention kept: the counterfactual has more
  // root causes (R + removed) but fewer customers. Check the decomposition quarter by quarter, and
  // that the annuity is most of the paired saving.
  double worst_share = 1.0;
  for (std::int64_t q = 1; q <= horizon; ++q) {
    const PairedDifference saving = paired_difference(results, FirmSeries::remedial_cost, q, 0);
    double annuity = 0, kept = 0;
    for (std::int64_t r = 0; r < results.replicates; ++r) {
      const Trajectory& with = results.run(0, r);
      const Trajectory& without = results.run(1, r);
      annuity += with.firm(FirmSeries::cx_annuity, q, 0);
      kept += coverage * issues.rate_per_root_cause * issues.cost_per_ticket * without.firm(FirmSeries::root_causes, q, 0) *
              (with.firm(FirmSeries::customers_active, q, 0) - without.firm(FirmSeries::customers_active, q, 0));
    }
    annuity /= static_cast<double>(results.replicates);
    kept /= static_cast<double>(results.replicates);
    INFO("quarter " << q << ": annuity " << annuity << ", paired saving " << saving.mean << " [" << saving.low << ", "
                    << saving.high << "], remedial cost of kept customers " << kept);
    CHECK(saving.mean == Approx(annuity - kept).margin(0.01 * static_cast<double>(results.replicates)));
    if (annuity > 0) {
      CHECK(annuity - kept >= saving.low - 0.01);
      CHECK(annuity - kept <= saving.high + 0.01);
      worst_share = std::min(worst_share, saving.mean / annuity);
    }
  }
  WARN("CX annuity of a " << spend << " prevention programme: NPV " << mean_npv << " at "
       << scenario.finance.discount_rate * 100 << "% a quarter, payback in quarter " << paybacks.front()
       << "; the paired saving in remedial cost is at least " << worst_share * 100 << "% of the annuity");
  CHECK(worst_share > 0.9);
}

TEST_CASE("Jenga management wins the first year and loses over three", "[stylized][jenga]") {
  const Scenario scenario = load_scenario(case_file("jenga_management.toml"));
  REQUIRE(scenario.policy.kind == PolicyKind::growth_target);
  const EnsembleResults results = run_ensemble(scenario, {2, {}});  // point 1: CX-led, same random numbers
  std::vector<double> early_growth, early_cx, total_growth, total_cx, churn_growth, churn_cx;
  for (std::int64_t r = 0; r < results.replicates; ++r) {
    for (std::int64_t point = 0; point < 2; ++point) {
      const Trajectory& run = results.run(point, r);
      double early = 0, total = 0;
      for (std::int64_t q = 1; q <= 12; ++q) {
        total += run.firm(FirmSeries::profit, q, 0);
        if (q <= 4) early += run.firm(FirmSeries::profit, q, 0);
      }
      const double churn_rate = run.firm(FirmSeries::churned, 12, 0) / run.firm(FirmSeries::customers_active, 11, 0);
      (point == 0 ? early_growth : early_cx).push_back(early);
      (point == 0 ? total_growth : total_cx).push_back(total);
      (point == 0 ? churn_growth : churn_cx).push_back(churn_rate);
    }
  }
  const PairedEffect first_year = paired(early_growth, early_cx);
  const PairedEffect three_years = paired(total_growth, total_cx);
  const PairedEffect churn = paired(churn_growth, churn_cx);
  const PairedDifference support = paired_difference(results, FirmSeries::remedial_cost, 12, 0);  // CX-led minus growth
  WARN("growth-target minus CX-led: profit in quarters 1-4 " << first_year.mean << " +- " << first_year.standard_error
       << "; cumulative profit to quarter 12 " << three_years.mean << " +- " << three_years.standard_error
       << "; support cost in quarter 12 " << -support.mean << "; churn rate in quarter 12 " << churn.mean * 100
       << " points");
  CHECK(first_year.mean > 3 * first_year.standard_error);
  CHECK(three_years.mean < -3 * three_years.standard_error);
  CHECK(support.high < 0);  // CX-led pays less for support by quarter 12
  CHECK(churn.mean > 3 * churn.standard_error);
}

TEST_CASE("subsidy-bought share erodes when the subsidy ends unless switching costs or network effects hold it", "[stylized][subsidy]") {
  struct Outcome {
    double start_share = 0, peak_share = 0, later_share = 0, cumulative_losses = 0, first_profit_quarter = 0;
    std::int64_t subsidy_end = 0;
  };
  const auto run = [&](const std::vector<std::string>& overrides) {
    const Scenario scenario = load_scenario(case_file("uber_subsidy.toml"), overrides);
    const EnsembleResults results = run_ensemble(scenario, {2, {}});
    Outcome outcome;
    const auto n = static_cast<double>(results.replicates);
    for (const Trajectory& t : results.runs) {
      std::int64_t end = scenario.simulation.quarters;
      for (const Event& event : t.events) {
        if (event.firm == 0 && event.kind == "subsidy_end") end = event.quarter;
      }
      REQUIRE(end + 8 <= scenario.simulation.quarters);
      outcome.subsidy_end = end;
      outcome.start_share += t.firm(FirmSeries::market_share, 0, 0) / n;
      outcome.peak_share += t.firm(FirmSeries::market_share, end - 1, 0) / n;  // the last subsidised quarter
      outcome.later_share += t.firm(FirmSeries::market_share, end + 8, 0) / n;
      double losses = 0;
      std::int64_t first_profit = scenario.simulation.quarters + 1;
      for (std::int64_t q = 1; q <= scenario.simulation.quarters; ++q) {
        const double profit = t.firm(FirmSeries::profit, q, 0);
        if (profit < 0 && q < first_profit) losses += profit;
        if (profit > 0 && q > 1 && first_profit > scenario.simulation.quarters) first_profit = q;
      }
      outcome.cumulative_losses += losses / n;
      outcome.first_profit_quarter += static_cast<double>(first_profit) / n;
    }
    return outcome;
  };
  const Outcome open = run({});
  const Outcome locked_in = run({"customers.switching_cost=4.0"});
  // The entrant is the platform: the incumbent (which inherits firm 0's parameters) has no network effect.
  const Outcome network = run({"pricing.network_effect=3.0", "competitors.Incumbent.pricing.network_effect=0.0"});
  for (const auto& [name, outcome] : {std::pair{"no switching costs or network effects", open},
                                     std::pair{"switching cost 4", locked_in}, std::pair{"network effect 3", network}}) {
    WARN(name << ": share " << outcome.start_share << " -> " << outcome.peak_share << " at the end of the subsidy (quarter "
              << outcome.subsidy_end << "), " << outcome.later_share << " eight quarters later (kept "
              << outcome.later_share / outcome.peak_share * 100 << "%); operating losses " << outcome.cumulative_losses
              << " until the first operating profit in quarter " << outcome.first_profit_quarter);
  }
  CHECK(open.peak_share > open.start_share + 0.3);  // the subsidy buys share
  CHECK(open.cumulative_losses < 0);
  CHECK(open.later_share < 0.8 * open.peak_share);  // and it erodes once the price rises
  const double kept_open = open.later_share / open.peak_share;
  const double kept_locked = locked_in.later_share / locked_in.peak_share;
  CHECK(kept_locked > kept_open + 0.1);  // switching costs hold most of it
  CHECK(kept_locked > 0.8);
  const double kept_network = network.later_share / network.peak_share;
  CHECK(kept_network > kept_open + 0.1);  // so does a network customers would lose by leaving
}

TEST_CASE("a Costco-like membership keeps about nine members in ten a year", "[stylized][costco]") {
  const Scenario scenario = load_scenario(case_file("costco_membership.toml"));
  const EnsembleResults results = run_ensemble(scenario, {2, {}});
  // Annual renewal: of the members at the start of a year, the share still members four quarters later
  // (the cohort table follows them exactly).
  std::vector<double> renewals;
  for (const Trajectory& t : results.runs) {
    for (std::int64_t year_start = 4; year_start + 4 <= scenario.simulation.quarters; year_start += 4) {
      double members = 0, renewed = 0;
      for (std::int64_t c = 0; c <= year_start; ++c) {
        members += t.cohort(0, c, year_start);
        renewed += t.cohort(0, c, year_start + 4);
      }
      renewals.push_back(renewed / members);
    }
  }
  const double renewal = std::accumulate(renewals.begin(), renewals.end(), 0.0) / static_cast<double>(renewals.size());
  WARN("annual renewal rate of members: " << renewal * 100 << "% (Costco reports about 90%, seed 000)");
  CHECK(renewal > 0.87);
  CHECK(renewal < 0.93);
  const Trajectory& first = results.run(0, 0);
  CHECK(first.firm(FirmSeries::nps, scenario.simulation.quarters, 0) > 30);  // high value, loyal members
}

TEST_CASE("the balance has an interior optimum with a distinct failure at each extreme", "[stylized][balance]") {
  // Along the frontier: balance 0 gives customers everything (price at unit cost, heavy product
  // investment), balance 1 keeps everything (high price, no investment).
  const std::vector<double> balances{0.0, 0.2, 0.4, 0.6, 0.8, 1.0};
  std::vector<double> profits;
  struct Extreme {
    double bankrupt_share = 0, final_share = 0, initial_share = 0, net_switching = 0;
  };
  std::vector<Extreme> extremes;
  for (const double balance : balances) {
    const Scenario scenario = load_scenario(
        case_file("balance_frontier.toml"),
        {fmt::format("firm.price={}", 10.0 + 30.0 * balance),
         fmt::format("departments.product_innovation={}", 60000.0 * (1.0 - balance) + 2000.0)});
    const EnsembleResults results = run_ensemble(scenario, {2, {}});
    const auto n = static_cast<double>(results.replicates);
    const std::int64_t horizon = scenario.simulation.quarters;
    double profit = 0;
    Extreme extreme;
    for (const Trajectory& t : results.runs) {
      for (std::int64_t q = 1; q <= horizon; ++q) {
        profit += t.firm(FirmSeries::profit, q, 0) / n;
        extreme.net_switching += (t.firm(FirmSeries::switched_in, q, 0) - t.firm(FirmSeries::switched_out, q, 0)) / n;
      }
      extreme.bankrupt_share += t.firm(FirmSeries::bankrupt, horizon, 0) / n;
      extreme.final_share += t.firm(FirmSeries::market_share, horizon, 0) / n;
      extreme.initial_share += t.firm(FirmSeries::market_share, 0, 0) / n;
    }
    profits.push_back(profit);
    extremes.push_back(extreme);
    WARN("balance " << balance << " (price " << 10.0 + 30.0 * balance << "): five-year profit " << profit
                    << ", bankrupt in " << extreme.bankrupt_share * 100 << "% of replicates, market share "
                    << extreme.initial_share << " -> " << extreme.final_share << ", net switching "
                    << extreme.net_switching);
  }
  const auto best = std::max_element(profits.begin(), profits.end()) - profits.begin();
  CHECK(best > 0);
  CHECK(best < static_cast<std::ptrdiff_t>(balances.size()) - 1);
  // The customer-heavy extreme runs out of cash...
  CHECK(extremes.front().bankrupt_share == 1.0);
  // ...the business-heavy one survives but loses its customers to the rival.
  CHECK(extremes.back().bankrupt_share == 0.0);
  CHECK(extremes.back().final_share < 0.5 * extremes.back().initial_share);
  CHECK(extremes.back().net_switching < 0);
}
