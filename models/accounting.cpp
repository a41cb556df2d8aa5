#include "models/accounting.hpp"

#include <fmt/format.h>

#include <cmath>

#include "sim/error.hpp"

namespace fulcrum {

Cents to_cents(double amount) {
  const double cents = std::round(amount * 100.0);
  // Beyond 2^53 cents a double no longer holds every cent; refuse rather than round silently.
  if (!std::isfinite(cents) || std::fabs(cents) > 9007199254740992.0) {
    throw RuntimeFailure(fmt::format("money amount {} is too large to keep to the cent", amount));
  }
  return static_cast<Cents>(cents);
}

double to_currency(Cents cents) { return static_cast<double>(cents) / 100.0; }

Cents add_cents(Cents a, Cents b, const char* what) {
  Cents sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) {
    throw RuntimeFailure(fmt::format("{} overflowed while adding {} and {} cents", what, a, b));
  }
  return sum;
}

double discount_factor(const FinanceParameters& finance, int quarter) {
  return std::pow(1.0 + finance.discount_rate, -quarter);
}

QuarterBooks close_quarter(double units_sold, std::int64_t life_events_served, const FirmParameters& firm) {
  QuarterBooks books;
  books.revenue = to_cents(units_sold * firm.price);
  const Cents service = to_cents(static_cast<double>(life_events_served) * firm.life_event_service_cost);
  books.costs_total = add_cents(add_cents(to_cents(units_sold * firm.unit_cost), to_cents(firm.fixed_cost), "costs"),
                                service, "costs");
  books.profit = add_cents(books.revenue, -books.costs_total, "profit");
  return books;
}

}  // namespace fulcrum
