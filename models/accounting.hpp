#pragma once
// The books. Money is kept in whole cents (int64) so that cash(t+1) = cash(t) + revenue - costs holds
// exactly, to the cent, at every quarter. Every cost lands in exactly one of the three categories of
// seed 002 (deliver what you promised; react to promises you broke; handle changes customers make) and
// is tagged good or bad.
#include <cstdint>

#include "sim/scenario.hpp"

namespace fulcrum {

using Cents = std::int64_t;

// Rounds a currency amount to the nearest cent; throws RuntimeFailure if it does not fit.
Cents to_cents(double amount);
double to_currency(Cents cents);
// a + b, or RuntimeFailure naming `what` on overflow.
Cents add_cents(Cents a, Cents b, const char* what);

// 1 / (1 + rate)^quarter: what an amount of quarter `quarter` is worth at quarter 0.
double discount_factor(const FinanceParameters& finance, int quarter);

// What a firm spent its quarter on, before rounding to cents.
struct QuarterSpending {
  double price = 0;  // currency per unit charged this quarter (the price schedule's, not the list price)
  double units_sold = 0;
  std::int64_t life_events_served = 0;  // life events handled without losing the customer
  DepartmentBudgets budgets{};          // this quarter's, after management policy
  double support_tickets_staffed = 0;   // support capacity in tickets
  std::int64_t incentivised = 0;        // detractors paid a retention incentive
};

struct QuarterBooks {
  Cents revenue = 0;
  Cents costs_total = 0;
  Cents profit = 0;
  // The three categories, and good against bad: each sums to costs_total.
  Cents deliver = 0;   // deliver what you promised
  Cents react = 0;     // react to promises you broke
  Cents changes = 0;   // handle changes customers make
  Cents good = 0;
  Cents bad = 0;
  // Lines worth their own series.
  Cents remedial = 0;              // support: the cost of broken promises
  Cents retention_incentives = 0;  // propping up a weak product
  Cents prevention = 0;            // removing root causes
};

// Revenue = units sold * this quarter's price. Costs, line by line:
//   deliver, good: cost to serve, fixed cost, product innovation, prevention, operations, marketing,
//                  sales, success, insights;
//   react, bad:    support staffed for tickets (remedial), retention incentives;
//   changes, good: life events handled.
QuarterBooks close_quarter(const QuarterSpending& spending, const FirmParameters& firm, const IssueParameters& issues);

}  // namespace fulcrum
