#pragma once
// What departments' budgets do (seeds 002 and 004). Each function is one department's effect, pure.
#include <cstdint>

#include "sim/scenario.hpp"

namespace fulcrum {

// Share of what support learns that reaches product: max_usage * (1 - exp(-insights budget / scale)).
double insights_usage(double insights_budget, const DepartmentEffects& effects);

// A budget's effect multiplier against the plan: (budget / plan)^elasticity, 1 when the plan is 0.
// The ratio is floored at 5% so that a zeroed budget has a large but finite effect.
double budget_multiplier(double budget, double plan, double elasticity);

// Product: value next quarter = value + innovation * (1 + boost * usage) / cost per point - obsolescence,
// within [0, 10].
double next_value(double value, double innovation_budget, double usage, const DepartmentEffects& effects);

// Product: root causes removed for good this quarter, at most those there are.
double root_causes_removed(double root_causes, double prevention_budget, double usage, const DepartmentEffects& effects);

// Non-customer-facing shortfall against the plan, 0 (fully funded) to 1 (cut to nothing).
double shortfall(double budget, double plan);

// Jenga management: root causes a quarter's non-customer-facing shortfall throws over the fence.
double jenga_root_causes(double non_customer_facing_shortfall, const IssueParameters& issues);

// Operations: the value customers actually get once an operations shortfall limits delivery.
double delivered_value(double value, double operations_shortfall, const DepartmentEffects& effects);

}  // namespace fulcrum
