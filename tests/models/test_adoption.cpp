#include <catch2/catch.hpp>
#include <cmath>

#include "models/adoption.hpp"

using namespace fulcrum;

TEST_CASE("adoption probability is one minus exp of the Bass hazard over the sub-step", "[adoption]") {
  const AdoptionParameters bass{0.03, 0.38};
  CHECK(adoption_probability(bass, 0.0, 1.0) == Approx(1.0 - std::exp(-0.03)));
  CHECK(adoption_probability(bass, 0.5, 0.25) == Approx(1.0 - std::exp(-(0.03 + 0.19) * 0.25)));
  CHECK(adoption_probability({0.0, 0.0}, 0.7, 1.0) == 0.0);
  // Four quarter-steps at a fixed fraction compound to one whole-quarter step.
  const double step = adoption_probability(bass, 0.2, 0.25);
  CHECK(1.0 - std::pow(1.0 - step, 4) == Approx(adoption_probability(bass, 0.2, 1.0)));
}

TEST_CASE("adopt_block turns only prospects into customers, on the joining terms", "[adoption]") {
  CustomerState customers(100);
  customers.status[0] = customer_status::active;
  customers.status[1] = customer_status::lapsed;
  const JoiningTerms terms{0, 7.5f, 7.0f, 20.0f, 3.0f};
  RandomEngine engine = make_stream({1, 0, StreamPurpose::adoption, 1, 0, 0});
  FirmTally tally;
  adopt_block(customers, {0, 100}, 1.0, terms, 5, engine, tally);
  CHECK(tally.acquired == 98);
  CHECK(customers.status[1] == customer_status::lapsed);
  CHECK(customers.status[2] == customer_status::active);
  CHECK(customers.expectation[2] == 7.5f);
  CHECK(customers.satisfaction[2] == 7.0f);
  CHECK(customers.reference_price[2] == 20.0f);
  CHECK(customers.spend[2] == 3.0f);
  CHECK(customers.acquired_quarter[2] == 5);
  CHECK(customers.acquired_quarter[0] == -1);  // was active before: untouched
}

TEST_CASE("adopt_block draws one number per customer whatever their status", "[adoption]") {
  // Common random numbers: customer 50's draw must not depend on how many before it were prospects.
  CustomerState all_prospects(64), some_active(64);
  for (int i = 0; i < 30; ++i) some_active.status[i] = customer_status::active;
  FirmTally a, b;
  RandomEngine first = make_stream({9, 0, StreamPurpose::adoption, 1, 0, 0});
  RandomEngine second = make_stream({9, 0, StreamPurpose::adoption, 1, 0, 0});
  const JoiningTerms terms{0, 5, 5, 1, 1};
  adopt_block(all_prospects, {0, 64}, 0.5, terms, 1, first, a);
  adopt_block(some_active, {0, 64}, 0.5, terms, 1, second, b);
  for (int i = 30; i < 64; ++i) CHECK(all_prospects.status[i] == some_active.status[i]);
}
