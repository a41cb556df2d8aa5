#include "models/departments.hpp"

#include <algorithm>
#include <cmath>

namespace fulcrum {

double insights_usage(double insights_budget, const DepartmentEffects& effects) {
  return effects.insights_max_usage * -std::expm1(-insights_budget / effects.insights_scale);
}

double budget_multiplier(double budget, double plan, double elasticity) {
  if (plan <= 0) return 1.0;
  return std::pow(std::max(budget / plan, 0.05), elasticity);
}

double next_value(double value, double innovation_budget, double usage, const DepartmentEffects& effects) {
  const double innovation =
      innovation_budget * (1.0 + effects.insights_innovation_boost * usage) / effects.innovation_cost_per_point;
  return std::clamp(value + innovation - effects.obsolescence, 0.0, 10.0);
}

double root_causes_removed(double root_causes, double prevention_budget, double usage, const DepartmentEffects& effects) {
  return std::min(root_causes, prevention_budget * usage / effects.prevention_cost_per_root_cause);
}

double shortfall(double budget, double plan) { return plan > 0 ? std::clamp(1.0 - budget / plan, 0.0, 1.0) : 0.0; }

double jenga_root_causes(double non_customer_facing_shortfall, const IssueParameters& issues) {
  return issues.jenga_root_causes * non_customer_facing_shortfall;
}

double delivered_value(double value, double operations_shortfall, const DepartmentEffects& effects) {
  return std::max(0.0, value - effects.operations_value_limit * operations_shortfall);
}

}  // namespace fulcrum
