#include <catch2/catch.hpp>

#include "models/satisfaction.hpp"
#include "sim/parameters.hpp"

using namespace fulcrum;

TEST_CASE("experience is value delivered less the price burden against the reference price", "[satisfaction]") {
  const Offer offer{7.0, 7.5, 22.0};
  CHECK(experience_of(offer, 20.0, 2.0) == Approx(7.0 - 2.0 * 0.1));
  CHECK(experience_of({7.0, 7.5, 18.0}, 20.0, 2.0) == Approx(7.0 + 2.0 * 0.1));  // a price cut is a gain
  CHECK(experience_of(offer, 0.0, 2.0) == 7.0);  // no reference price, no burden
}

TEST_CASE("satisfaction follows experience minus expectation", "[satisfaction]") {
  CustomerParameters customers = default_scenario().customers;
  customers.satisfaction_baseline = 7.0;
  customers.satisfaction_gap_gain = 1.5;
  customers.satisfaction_adaptation = 0.5;
  CHECK(satisfaction_target(7.0, 7.0, customers) == 7.0);  // reality meets expectation
  CHECK(satisfaction_target(6.0, 7.0, customers) == Approx(5.5));
  CHECK(satisfaction_target(20.0, 0.0, customers) == 10.0);  // clamped to the 0-10 scale
  CHECK(satisfaction_target(0.0, 20.0, customers) == 0.0);
  CHECK(next_satisfaction(7.0, 5.0, customers) == Approx(6.0));
}

TEST_CASE("expectations drift toward the promise and toward experience", "[satisfaction]") {
  CustomerParameters customers = default_scenario().customers;
  customers.expectation_to_promise = 0.2;
  customers.expectation_to_experience = 0.3;
  CHECK(next_expectation(5.0, 10.0, 5.0, customers) == Approx(6.0));
  CHECK(next_expectation(5.0, 5.0, 7.0, customers) == Approx(5.6));
  CHECK(next_expectation(6.0, 6.0, 6.0, customers) == 6.0);  // a fixed point when all agree
}

TEST_CASE("perceive_block updates active customers only, against the expectation they held", "[satisfaction]") {
  CustomerParameters parameters = default_scenario().customers;
  CustomerState customers(2);
  customers.status << customer_status::active, customer_status::lapsed;
  customers.firm << 0, 0;
  customers.expectation << 8.0f, 8.0f;
  customers.satisfaction << 7.0f, 7.0f;
  customers.reference_price << 20.0f, 20.0f;
  const std::vector<Offer> offers{{7.0, 7.5, 20.0}};
  perceive_block(customers, {0, 2}, parameters, offers);
  const double target = satisfaction_target(7.0, 8.0, parameters);
  CHECK(customers.satisfaction[0] == Approx(next_satisfaction(7.0, target, parameters)));
  CHECK(customers.expectation[0] == Approx(next_expectation(8.0, 7.5, 7.0, parameters)));
  CHECK(customers.experience[0] == Approx(7.0));
  CHECK(customers.satisfaction[1] == 7.0f);  // lapsed: untouched
}
