#include <catch2/catch.hpp>

#include "models/interventions.hpp"

using namespace fulcrum;

TEST_CASE("programmes move only active customers of the named category, to its floor", "[interventions]") {
  CustomerState customers(5);
  customers.status << customer_status::active, customer_status::active, customer_status::active,
      customer_status::lapsed, customer_status::prospect;
  customers.satisfaction << 3.0f, 7.5f, 9.5f, 3.0f, 3.0f;
  RandomEngine engine = make_stream({1, 0, StreamPurpose::intervention, 1, 0, 0});
  CHECK(convert_block(customers, {0, 5}, NpsCategory::detractor, NpsCategory::passive, 1.0, engine) == 1);
  CHECK(customers.satisfaction[0] == 6.5f);
  CHECK(nps_category(customers.satisfaction[0]) == NpsCategory::passive);
  CHECK(customers.satisfaction[3] == 3.0f);  // lapsed: untouched
  CHECK(customers.satisfaction[4] == 3.0f);  // prospect: untouched
  CHECK(convert_block(customers, {0, 5}, NpsCategory::passive, NpsCategory::promoter, 1.0, engine) == 2);
  CHECK(nps_category(customers.satisfaction[1]) == NpsCategory::promoter);
  CHECK(customers.satisfaction[2] == 9.5f);  // already a promoter: untouched
}

TEST_CASE("programmes convert the expected share of the eligible", "[interventions]") {
  const Eigen::Index n = 40000;
  CustomerState customers(n);
  customers.status.setConstant(customer_status::active);
  customers.satisfaction.setConstant(5.0f);
  RandomEngine engine = make_stream({2, 0, StreamPurpose::intervention, 1, 0, 0});
  const auto moved = convert_block(customers, {0, n}, NpsCategory::detractor, NpsCategory::passive, 0.1, engine);
  CHECK(std::abs(static_cast<double>(moved) - 4000.0) < 5 * std::sqrt(0.1 * 0.9 * n));
}
