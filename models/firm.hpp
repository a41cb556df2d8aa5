#pragma once
// The firm as an agent: its product, its stock of issue root causes, its management's memory and its
// books. plan_quarter() is the firm's own part of the quarter, before customers act.
#include <cstdint>
#include <deque>
#include <limits>

#include "models/accounting.hpp"
#include "models/churn.hpp"
#include "models/investors.hpp"
#include "models/policy.hpp"
#include "models/pricing.hpp"
#include "sim/scenario.hpp"

namespace fulcrum {

// What the firm decided and what happened inside it this quarter.
struct FirmQuarter {
  DepartmentBudgets budgets{};
  double insights_usage = 0;
  double delivered_value = 0;      // value customers get, after any operations limit, network value included
  double network_value = 0;        // the part of it that comes from the network effect
  double promise = 0;
  double root_causes_removed = 0;
  double root_causes_added = 0;    // ongoing development plus Jenga arrivals
  double issue_rate = 0;           // issues per active customer this quarter
  double support_capacity = 0;     // tickets support is staffed for
  double resolution_probability = 1;
  double cx_annuity = 0;           // currency: remedial cost the removed root causes would have caused now
  AdoptionParameters adoption{};   // p and q after marketing and sales
  RetentionEffort retention{};
  double price = 0;                // currency per unit this quarter
  bool subsidy_ended = false;      // this quarter
  double funding = 0;              // currency the investors put in this quarter
  bool tap_off = false;            // the investors stopped funding this quarter
  bool went_bankrupt = false;      // this quarter
  double customer_equity = 0;
};

struct Firm {
  FirmParameters parameters;
  Cents cash = 0;
  double profit_npv = 0;                 // currency, discounted to quarter 0
  double value = 0;                      // product value before operations limits it
  double promise_margin = 0;             // promise - value: what communication adds, kept as the product moves
  double root_causes = 0;
  double root_causes_removed_total = 0;  // removed for good since quarter 0
  std::deque<double> jenga_pipeline;     // root causes on their way, one entry per quarter of lag
  PolicyMemory memory;
  std::int64_t quarters_planned = 0;
  double revenue_last = std::numeric_limits<double>::quiet_NaN();    // currency, last quarter
  double revenue_before = std::numeric_limits<double>::quiet_NaN();  // the quarter before
  double cx_annuity_total = 0;
  double cx_annuity_npv = 0;
  double prevention_total = 0;
  PricingState pricing;
  InvestorState investor;
  double market_share = 0;  // last quarter's
  bool bankrupt = false;    // out of the market: no customers, no books
  FirmQuarter quarter;
};

Firm make_firm(const Scenario& scenario);

// Management allocates the budgets (policy); insights usage follows; product removes root causes and
// improves value; cuts throw root causes over the fence after a lag; the effects on adoption and churn
// are set. Mutates the firm's product, root causes and memory.
// `scenario` is the firm's own (firm_scenarios()); `pricing` what the price schedule sees.
FirmQuarter plan_quarter(Firm& firm, const Scenario& scenario, const PricingView& pricing);

// Support is staffed for coverage * the expected tickets of `active` customers; resolution probability
// follows from the tickets actually raised. Also the quarter's CX annuity: what the root causes removed
// so far would have cost in remedial support for these customers.
void staff_support(FirmQuarter& quarter, const Firm& firm, const IssueParameters& issues, std::int64_t active,
                   std::int64_t tickets_raised);

}  // namespace fulcrum
