#include "models/policy.hpp"

#include <algorithm>

namespace fulcrum {
namespace {

// Growth-target: missing the target cuts, at cut_rate per miss, everything that does not pay this
// quarter (seed 000's quarterly pressure; seed 004's Jenga management); hitting it restores nothing.
// Support is spared: its tickets arrive whether or not management looks at them.
DepartmentBudgets growth_target(const PolicyParameters& policy, DepartmentBudgets budgets, const ManagementView& view,
                                PolicyMemory& memory) {
  if (view.growth_known && view.revenue_growth < policy.growth_target) {
    memory.cut_multiplier = std::max(policy.cut_floor, memory.cut_multiplier * (1.0 - policy.cut_rate));
  }
  const double k = memory.cut_multiplier;
  budgets.product_innovation *= k;
  budgets.prevention *= k;
  budgets.operations *= k;
  budgets.insights *= k;
  budgets.success *= k;
  return budgets;
}

// Balanced scorecard (Kaplan & Norton 1992, seed 001): each department's budget follows the weight of
// its perspective (0.25 each leaves the plan as is); the financial weight trims or loosens everything.
DepartmentBudgets balanced_scorecard(const PolicyParameters& policy, DepartmentBudgets budgets) {
  const double customer = 4.0 * policy.weight_customer;
  const double internal = 4.0 * policy.weight_internal;
  const double learning = 4.0 * policy.weight_learning;
  const double financial = std::max(0.0, 1.0 - (policy.weight_financial - 0.25));
  budgets.marketing *= customer * financial;
  budgets.sales *= customer * financial;
  budgets.success *= customer * financial;
  budgets.support_coverage = std::min(2.0, budgets.support_coverage * customer * financial);
  budgets.operations *= internal * financial;
  budgets.prevention *= internal * financial;
  budgets.product_innovation *= learning * financial;
  budgets.insights *= learning * financial;
  return budgets;
}

// CX-led: prevention first. Prevention and insights get cx_boost times the plan, support is staffed for
// every expected ticket, and no incentive props up a weak product.
DepartmentBudgets cx_led(const PolicyParameters& policy, DepartmentBudgets budgets) {
  budgets.prevention *= policy.cx_boost;
  budgets.insights *= policy.cx_boost;
  budgets.support_coverage = std::max(1.0, budgets.support_coverage);
  budgets.retention_incentive = 0.0;
  return budgets;
}

}  // namespace

DepartmentBudgets allocate_budgets(const PolicyParameters& policy, const DepartmentBudgets& plan,
                                   const ManagementView& view, PolicyMemory& memory) {
  switch (policy.kind) {
    case PolicyKind::fixed_shares: return plan;
    case PolicyKind::growth_target: return growth_target(policy, plan, view, memory);
    case PolicyKind::balanced_scorecard: return balanced_scorecard(policy, plan);
    case PolicyKind::cx_led: return cx_led(policy, plan);
  }
  return plan;
}

double non_customer_facing_total(const DepartmentBudgets& budgets) {
  return budgets.product_innovation + budgets.prevention + budgets.operations;
}

}  // namespace fulcrum
