// Stylized facts: results that must emerge from the mechanisms (never hard-coded), each a scenario in
// scenarios/cases/ run with replicates and common random numbers.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

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
