// Stylized facts: results that must emerge from the mechanisms (never hard-coded), each a scenario in
// scenarios/cases/ run with replicates and common random numbers.
#include <catch2/catch.hpp>
#include <cmath>
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
