#pragma once
// Investors (seed 003: they fund losses until they turn the tap off). Growth investors fund against
// revenue-growth milestones; public-market short-termists punish a missed quarter and push management
// to cut costs; patient investors judge customer equity.
#include <cstdint>
#include <limits>

#include "sim/scenario.hpp"

namespace fulcrum {

struct InvestorState {
  double capital_left = 0;
  std::int64_t misses = 0;  // consecutive missed milestones
  double confidence = 1.0;  // 0-1
  bool funding = true;      // false once the tap is off
  double capital_raised = 0;
  double last_customer_equity = std::numeric_limits<double>::quiet_NaN();
};

InvestorState make_investor_state(const InvestorParameters& investor);

struct InvestorView {
  double revenue_growth;  // this quarter over the last
  bool growth_known;
  double customer_equity;
  double cash;            // after this quarter's books
};

struct InvestorDecision {
  double funding = 0;      // currency put in this quarter
  bool tap_off = false;    // this quarter
  bool push_cuts = false;  // short-termists after a miss
};

// Judges the quarter against the investors' milestone, then funds a round if cash is below the floor
// and they still keep faith.
InvestorDecision judge_and_fund(const InvestorParameters& investor, InvestorState& state, const InvestorView& view);

// Customer equity (Gupta, Lehmann & Stuart 2004): active customers times the lifetime value of one,
// margin * r / (1 + d - r), with r the quarterly retention and d the discount rate.
double customer_equity(double active, double margin_per_customer, double retention, double discount_rate);

}  // namespace fulcrum
