#include "models/firm.hpp"

#include <algorithm>
#include <cmath>

#include "models/departments.hpp"

namespace fulcrum {

Firm make_firm(const Scenario& scenario) {
  Firm firm;
  firm.parameters = scenario.firm;
  firm.cash = to_cents(scenario.firm.initial_cash);
  firm.value = scenario.firm.value_delivered;
  firm.promise_margin = scenario.firm.promise - scenario.firm.value_delivered;
  firm.root_causes = scenario.issues.initial_root_causes;
  firm.quarter.delivered_value = firm.value;
  firm.quarter.promise = scenario.firm.promise;
  firm.quarter.issue_rate = scenario.issues.rate_per_root_cause * firm.root_causes;
  firm.quarter.price = scenario.pricing.kind == PricingKind::subsidy ? scenario.pricing.subsidy_price : scenario.firm.price;
  firm.investor = make_investor_state(scenario.investor);
  return firm;
}

FirmQuarter plan_quarter(Firm& firm, const Scenario& scenario, const PricingView& pricing) {
  FirmQuarter quarter;
  const PriceDecision price = set_price(scenario.pricing, scenario.firm, firm.pricing, pricing);
  quarter.price = price.price;
  quarter.subsidy_ended = price.subsidy_ended;
  const DepartmentBudgets& plan = scenario.departments;
  const DepartmentEffects& effects = scenario.effects;
  const IssueParameters& issues = scenario.issues;

  const bool growth_known = std::isfinite(firm.revenue_last) && std::isfinite(firm.revenue_before) && firm.revenue_before > 0;
  const ManagementView view{growth_known ? firm.revenue_last / firm.revenue_before - 1.0 : 0.0, growth_known};
  quarter.budgets = allocate_budgets(scenario.policy, plan, view, firm.memory);
  const PreventionProgramme& programme = scenario.prevention_programme;
  firm.quarters_planned += 1;
  if (firm.quarters_planned >= programme.start_quarter && firm.quarters_planned < programme.start_quarter + programme.quarters) {
    quarter.budgets.prevention += programme.budget;
  }
  const DepartmentBudgets& budgets = quarter.budgets;
  quarter.insights_usage = insights_usage(budgets.insights, effects);

  // Root causes: development adds some, cuts add more after a lag, prevention removes some for good.
  firm.jenga_pipeline.push_back(
      jenga_root_causes(shortfall(non_customer_facing_total(budgets), non_customer_facing_total(plan)), issues));
  // (A prevention programme on top of the plan is never a cut: shortfall() counts only what is missing.)
  double arrivals = 0;
  while (static_cast<std::int64_t>(firm.jenga_pipeline.size()) > issues.jenga_lag) {
    arrivals += firm.jenga_pipeline.front();
    firm.jenga_pipeline.pop_front();
  }
  quarter.root_causes_added = issues.root_causes_per_quarter + arrivals;
  firm.root_causes += quarter.root_causes_added;
  quarter.root_causes_removed = root_causes_removed(firm.root_causes, budgets.prevention, quarter.insights_usage, effects);
  firm.root_causes -= quarter.root_causes_removed;
  firm.root_causes_removed_total += quarter.root_causes_removed;
  quarter.issue_rate = issues.rate_per_root_cause * firm.root_causes;

  // Product value, limited by operations; the promise tracks the product.
  firm.value = next_value(firm.value, budgets.product_innovation, quarter.insights_usage, effects);
  // Network effects: the product is worth more the more of the market uses it.
  quarter.network_value = scenario.pricing.network_effect * firm.market_share;
  quarter.delivered_value =
      delivered_value(firm.value, shortfall(budgets.operations, plan.operations), effects) + quarter.network_value;
  quarter.promise = std::clamp(firm.value + firm.promise_margin, 0.0, 10.0);

  // Customer-facing effects.
  const double sales = budget_multiplier(budgets.sales, plan.sales, effects.sales_elasticity);
  quarter.adoption.innovation =
      scenario.adoption.innovation * budget_multiplier(budgets.marketing, plan.marketing, effects.marketing_elasticity) * sales;
  quarter.adoption.imitation = scenario.adoption.imitation * sales;
  quarter.retention.success_multiplier = 1.0 / budget_multiplier(budgets.success, plan.success, effects.success_elasticity);
  quarter.retention.incentivises_detractors = budgets.retention_incentive > 0;
  quarter.retention.incentive_multiplier = 1.0 - effects.retention_effect;
  return quarter;
}

void staff_support(FirmQuarter& quarter, const Firm& firm, const IssueParameters& issues, std::int64_t active,
                   std::int64_t tickets_raised) {
  const double expected_tickets = quarter.issue_rate * static_cast<double>(active);
  quarter.support_capacity = quarter.budgets.support_coverage * expected_tickets;
  quarter.resolution_probability =
      tickets_raised > 0 ? std::min(1.0, quarter.support_capacity / static_cast<double>(tickets_raised)) : 1.0;
  quarter.cx_annuity = quarter.budgets.support_coverage * issues.rate_per_root_cause * firm.root_causes_removed_total *
                       static_cast<double>(active) * issues.cost_per_ticket;
}

}  // namespace fulcrum
