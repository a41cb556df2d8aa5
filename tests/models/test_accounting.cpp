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
  const QuarterBooks books = close_quarter(300.0, 4, firm);
  CHECK(books.revenue == 599700);
  CHECK(books.costs_total == 225000 + 100000 + 6200);
  CHECK(books.profit == books.revenue - books.costs_total);
}

TEST_CASE("discount factors compound per quarter", "[accounting]") {
  const FinanceParameters finance{0.02};
  CHECK(discount_factor(finance, 0) == 1.0);
  CHECK(discount_factor(finance, 4) == Approx(1.0 / std::pow(1.02, 4)));
}
