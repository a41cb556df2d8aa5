#include <catch2/catch.hpp>
#include <limits>

#include "models/accounting.hpp"
#include "sim/error.hpp"
#include "sim/parameters.hpp"

using namespace fulcrum;

TEST_CASE("amounts round to whole cents", "[accounting]") {
  CHECK(to_cents(12.345) == 1235);
  CHECK(to_cents(-0.004) == 0);
  CHECK(to_cents(0.1 + 0.2) == 30);
  CHECK(to_currency(1235) == 12.35);
  CHECK_THROWS_AS(to_cents(1e300), RuntimeFailure);
  CHECK_THROWS_AS(add_cents(std::numeric_limits<Cents>::max(), 1, "cash"), RuntimeFailure);
}

TEST_CASE("the books of a quarter: revenue, costs and profit to the cent", "[accounting]") {
  FirmParameters firm = default_scenario().firm;
  firm.price = 19.99;
  firm.unit_cost = 7.5;
  firm.fixed_cost = 1000.0;
  firm.life_event_service_cost = 15.5;
  IssueParameters issues = default_scenario().issues;
  issues.cost_per_ticket = 25.0;
  QuarterSpending spending;
  spending.price = firm.price;
  spending.units_sold = 300.0;
  spending.life_events_served = 4;
  spending.budgets = DepartmentBudgets{100.01, 200, 300, 400, 500, 0.9, 600, 700, 2.5};
  spending.support_tickets_staffed = 10.5;
  spending.incentivised = 6;
  const QuarterBooks books = close_quarter(spending, firm, issues);
  CHECK(books.revenue == 599700);
  const Cents deliver = 225000 + 100000 + 10001 + 20000 + 30000 + 40000 + 50000 + 60000 + 70000;
  CHECK(books.deliver == deliver);
  CHECK(books.remedial == 26250);
  CHECK(books.retention_incentives == 1500);
  CHECK(books.react == 26250 + 1500);
  CHECK(books.changes == 6200);
  CHECK(books.prevention == 20000);
  CHECK(books.costs_total == books.deliver + books.react + books.changes);
  CHECK(books.costs_total == books.good + books.bad);
  CHECK(books.bad == books.react);
  CHECK(books.profit == books.revenue - books.costs_total);
  spending.price = 9.99;  // a subsidised quarter: revenue follows the price charged, not the list price
  CHECK(close_quarter(spending, firm, issues).revenue == 299700);
}

TEST_CASE("discount factors compound per quarter", "[accounting]") {
  const FinanceParameters finance{0.02};
  CHECK(discount_factor(finance, 0) == 1.0);
  CHECK(discount_factor(finance, 4) == Approx(1.0 / std::pow(1.02, 4)));
}
