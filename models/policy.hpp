#pragma once
// Management policies: how the plan (departments.*) becomes this quarter's budgets. Each is a pure
// function of the plan, what management saw last quarter and its own memory.
#include "sim/scenario.hpp"

namespace fulcrum {

// What management remembers between quarters.
struct PolicyMemory {
  double cut_multiplier = 1.0;  // growth-target: what is left of the budgets that do not pay this quarter
};

// What management sees when it decides: last quarter's results.
struct ManagementView {
  double revenue_growth;  // last quarter over the one before; 0 when unknown
  bool growth_known;
};

DepartmentBudgets allocate_budgets(const PolicyParameters& policy, const DepartmentBudgets& plan,
                                   const ManagementView& view, PolicyMemory& memory);

// The budgets that belong to the non-customer-facing departments (product innovation, prevention,
// operations): what Jenga management cuts.
double non_customer_facing_total(const DepartmentBudgets& budgets);

}  // namespace fulcrum
