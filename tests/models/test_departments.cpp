#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "models/departments.hpp"
#include "models/firm.hpp"
#include "models/issues.hpp"
#include "models/policy.hpp"
#include "sim/parameters.hpp"

using namespace fulcrum;

namespace {
// A quarter with no rival, no share and funding in place: the price schedule alone decides.
const PricingView kNoPricingNews{1, 0.0, false, std::numeric_limits<double>::infinity()};
}  // namespace

TEST_CASE("insights usage saturates at its maximum", "[departments]") {
  DepartmentEffects effects = default_scenario().effects;
  effects.insights_max_usage = 0.9;
  effects.insights_scale = 2000;
  CHECK(insights_usage(0, effects) == 0.0);
  CHECK(insights_usage(2000, effects) == Approx(0.9 * (1 - std::exp(-1.0))));
  CHECK(insights_usage(1e9, effects) == Approx(0.9));
}

TEST_CASE("budget multipliers are 1 on plan and follow the elasticity off it", "[departments]") {
  CHECK(budget_multiplier(100, 100, 0.5) == 1.0);
  CHECK(budget_multiplier(400, 100, 0.5) == Approx(2.0));
  CHECK(budget_multiplier(0, 100, 0.5) == Approx(std::sqrt(0.05)));  // floored, finite
  CHECK(budget_multiplier(50, 0, 0.5) == 1.0);                       // no plan: no effect
}

TEST_CASE("product: innovation raises value, faster with insights; obsolescence erodes it", "[departments]") {
  DepartmentEffects effects = default_scenario().effects;
  effects.innovation_cost_per_point = 1e6;
  effects.insights_innovation_boost = 1.0;
  effects.obsolescence = 0.01;
  CHECK(next_value(7.0, 0, 0, effects) == Approx(6.99));
  CHECK(next_value(7.0, 1e5, 0, effects) == Approx(7.0 + 0.1 - 0.01));
  CHECK(next_value(7.0, 1e5, 0.5, effects) == Approx(7.0 + 0.15 - 0.01));
  CHECK(next_value(9.99, 1e8, 1, effects) == 10.0);
}

TEST_CASE("prevention removes root causes in proportion to spend and insights usage", "[departments]") {
  DepartmentEffects effects = default_scenario().effects;
  effects.prevention_cost_per_root_cause = 5000;
  CHECK(root_causes_removed(20, 10000, 0.5, effects) == Approx(1.0));
  CHECK(root_causes_removed(20, 10000, 0.0, effects) == 0.0);  // what support learns never reaches product
  CHECK(root_causes_removed(0.5, 1e6, 1.0, effects) == 0.5);   // never more than there are
}

TEST_CASE("operations shortfall limits value; NCF cuts throw root causes over the fence", "[departments]") {
  DepartmentEffects effects = default_scenario().effects;
  effects.operations_value_limit = 1.0;
  CHECK(shortfall(8000, 8000) == 0.0);
  CHECK(shortfall(2000, 8000) == Approx(0.75));
  CHECK(shortfall(9000, 8000) == 0.0);
  CHECK(delivered_value(7.0, 0.5, effects) == Approx(6.5));
  IssueParameters issues = default_scenario().issues;
  issues.jenga_root_causes = 4.0;
  CHECK(jenga_root_causes(0.5, issues) == Approx(2.0));
}

TEST_CASE("the fixed-shares policy is the plan", "[policy]") {
  const Scenario scenario = default_scenario();
  PolicyMemory memory;
  const DepartmentBudgets budgets = allocate_budgets(scenario.policy, scenario.departments, {-0.5, true}, memory);
  CHECK(budgets.prevention == scenario.departments.prevention);
  CHECK(budgets.marketing == scenario.departments.marketing);
}

TEST_CASE("growth-target cuts what does not pay this quarter at every miss, down to a floor", "[policy]") {
  Scenario scenario = default_scenario();
  scenario.policy.kind = PolicyKind::growth_target;
  scenario.policy.growth_target = 0.03;
  scenario.policy.cut_rate = 0.25;
  scenario.policy.cut_floor = 0.2;
  const DepartmentBudgets& plan = scenario.departments;
  PolicyMemory memory;
  DepartmentBudgets budgets = allocate_budgets(scenario.policy, plan, {0.0, false}, memory);
  CHECK(budgets.prevention == plan.prevention);  // nothing known yet: no cut
  budgets = allocate_budgets(scenario.policy, plan, {0.05, true}, memory);
  CHECK(budgets.prevention == plan.prevention);  // on target
  budgets = allocate_budgets(scenario.policy, plan, {0.01, true}, memory);
  CHECK(budgets.prevention == Approx(0.75 * plan.prevention));
  CHECK(budgets.operations == Approx(0.75 * plan.operations));
  CHECK(budgets.insights == Approx(0.75 * plan.insights));
  CHECK(budgets.marketing == plan.marketing);  // marketing pays this quarter: kept
  CHECK(budgets.sales == plan.sales);
  for (int miss = 0; miss < 20; ++miss) budgets = allocate_budgets(scenario.policy, plan, {0.0, true}, memory);
  CHECK(budgets.prevention == Approx(0.2 * plan.prevention));
}

TEST_CASE("the balanced scorecard follows its weights; CX-led puts prevention first", "[policy]") {
  Scenario scenario = default_scenario();
  const DepartmentBudgets& plan = scenario.departments;
  PolicyMemory memory;
  scenario.policy.kind = PolicyKind::balanced_scorecard;
  DepartmentBudgets budgets = allocate_budgets(scenario.policy, plan, {0, false}, memory);
  CHECK(budgets.prevention == Approx(plan.prevention));  // equal weights: the plan
  scenario.policy.weight_internal = 0.4;
  scenario.policy.weight_learning = 0.1;
  budgets = allocate_budgets(scenario.policy, plan, {0, false}, memory);
  CHECK(budgets.prevention == Approx(1.6 * plan.prevention));
  CHECK(budgets.insights == Approx(0.4 * plan.insights));
  CHECK(budgets.marketing == Approx(plan.marketing));
  scenario.policy.weight_financial = 0.35;
  scenario.policy.weight_customer = 0.15;
  budgets = allocate_budgets(scenario.policy, plan, {0, false}, memory);
  CHECK(budgets.marketing == Approx(0.6 * 0.9 * plan.marketing));

  scenario.policy.kind = PolicyKind::cx_led;
  scenario.policy.cx_boost = 2.0;
  DepartmentBudgets propped = plan;
  propped.retention_incentive = 10;
  budgets = allocate_budgets(scenario.policy, propped, {0, false}, memory);
  CHECK(budgets.prevention == Approx(2 * plan.prevention));
  CHECK(budgets.insights == Approx(2 * plan.insights));
  CHECK(budgets.support_coverage >= 1.0);
  CHECK(budgets.retention_incentive == 0.0);
}

TEST_CASE("a cut shows up as root causes after the lag", "[firm][jenga]") {
  Scenario scenario = default_scenario();
  scenario.issues.root_causes_per_quarter = 0;
  scenario.issues.jenga_root_causes = 4;
  scenario.issues.jenga_lag = 2;
  scenario.departments.prevention = 0;  // nothing removed, so additions are visible
  Firm firm = make_firm(scenario);
  const double start = firm.root_causes;
  // Management cuts product and operations to half from the first quarter on.
  Scenario cut = scenario;
  cut.policy.kind = PolicyKind::growth_target;
  cut.policy.cut_rate = 0.5;
  cut.policy.cut_floor = 0.5;
  firm.revenue_before = 100;
  firm.revenue_last = 90;  // a miss
  FirmQuarter q1 = plan_quarter(firm, cut, kNoPricingNews);
  CHECK(q1.budgets.operations == Approx(0.5 * scenario.departments.operations));
  CHECK(q1.root_causes_added == 0.0);
  FirmQuarter q2 = plan_quarter(firm, cut, kNoPricingNews);
  CHECK(q2.root_causes_added == 0.0);
  FirmQuarter q3 = plan_quarter(firm, cut, kNoPricingNews);
  CHECK(q3.root_causes_added == Approx(4 * 0.5));  // the first quarter's cut arrives
  CHECK(firm.root_causes == Approx(start + 2.0));
}

TEST_CASE("support staffed below the tickets leaves some unresolved; the annuity prices removed causes", "[firm]") {
  Scenario scenario = default_scenario();
  Firm firm = make_firm(scenario);
  firm.root_causes_removed_total = 5;
  FirmQuarter quarter;
  quarter.issue_rate = 0.1;
  quarter.budgets.support_coverage = 0.8;
  staff_support(quarter, firm, scenario.issues, 1000, 125);
  CHECK(quarter.support_capacity == Approx(80));
  CHECK(quarter.resolution_probability == Approx(80.0 / 125.0));
  CHECK(quarter.cx_annuity == Approx(0.8 * scenario.issues.rate_per_root_cause * 5 * 1000 * scenario.issues.cost_per_ticket));
  staff_support(quarter, firm, scenario.issues, 1000, 0);
  CHECK(quarter.resolution_probability == 1.0);
}

TEST_CASE("issue counts and resolutions by inversion of one uniform", "[issues]") {
  CHECK(poisson_by_inversion(0.0, 0.999) == 0);
  CHECK(poisson_by_inversion(1.0, 0.0) == 0);
  CHECK(poisson_by_inversion(1.0, std::exp(-1.0) + 1e-9) == 1);
  double sum = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) sum += poisson_by_inversion(0.7, (i + 0.5) / n);
  CHECK(sum / n == Approx(0.7).epsilon(0.002));
  CHECK(binomial_by_inversion(3, 1.0, 0.99) == 3);
  CHECK(binomial_by_inversion(3, 0.0, 0.01) == 0);
  double successes = 0;
  for (int i = 0; i < n; ++i) successes += binomial_by_inversion(4, 0.3, (i + 0.5) / n);
  CHECK(successes / n == Approx(1.2).epsilon(0.002));
}
