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

namespace {

enum class Category { deliver, react, changes };

// Adds one cost line, rounded to the cent, to its category, its tag and the total.
Cents book(QuarterBooks& books, double amount, Category category, bool good) {
  const Cents cents = to_cents(amount);
  books.costs_total = add_cents(books.costs_total, cents, "costs");
  Cents& in_category = category == Category::deliver ? books.deliver : category == Category::react ? books.react : books.changes;
  in_category = add_cents(in_category, cents, "costs");
  Cents& tagged = good ? books.good : books.bad;
  tagged = add_cents(tagged, cents, "costs");
  return cents;
}

}  // namespace

QuarterBooks close_quarter(const QuarterSpending& spending, const FirmParameters& firm, const IssueParameters& issues) {
  QuarterBooks books;
  books.revenue = to_cents(spending.units_sold * spending.price);
  const DepartmentBudgets& budgets = spending.budgets;
  book(books, spending.units_sold * firm.unit_cost, Category::deliver, true);
  book(books, firm.fixed_cost, Category::deliver, true);
  book(books, budgets.product_innovation, Category::deliver, true);
  books.prevention = book(books, budgets.prevention, Category::deliver, true);
  book(books, budgets.operations, Category::deliver, true);
  book(books, budgets.marketing, Category::deliver, true);
  book(books, budgets.sales, Category::deliver, true);
  book(books, budgets.success, Category::deliver, true);
  book(books, budgets.insights, Category::deliver, true);
  books.remedial = book(books, spending.support_tickets_staffed * issues.cost_per_ticket, Category::react, false);
  books.retention_incentives =
      book(books, static_cast<double>(spending.incentivised) * budgets.retention_incentive, Category::react, false);
  book(books, static_cast<double>(spending.life_events_served) * firm.life_event_service_cost, Category::changes, true);
  books.profit = add_cents(books.revenue, -books.costs_total, "profit");
  return books;
}

}  // namespace fulcrum
