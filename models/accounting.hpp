#pragma once
// The books. Money is kept in whole cents (int64) so that cash(t+1) = cash(t) + revenue - costs holds
// exactly, to the cent, at every quarter.
#include <cstdint>

#include "sim/scenario.hpp"

namespace fulcrum {

using Cents = std::int64_t;

// Rounds a currency amount to the nearest cent; throws RuntimeFailure if it does not fit.
Cents to_cents(double amount);
double to_currency(Cents cents);
// a + b, or RuntimeFailure naming `what` on overflow.
Cents add_cents(Cents a, Cents b, const char* what);

struct QuarterBooks {
  Cents revenue = 0;
  Cents costs_total = 0;
  Cents profit = 0;
};

// 1 / (1 + rate)^quarter: what an amount of quarter `quarter` is worth at quarter 0.
double discount_factor(const FinanceParameters& finance, int quarter);

// Revenue = units sold * price; costs = units sold * unit cost + fixed cost + life events handled *
// their service cost.
QuarterBooks close_quarter(double units_sold, std::int64_t life_events_served, const FirmParameters& firm);

}  // namespace fulcrum
