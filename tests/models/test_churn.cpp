#include <catch2/catch.hpp>
#include <cmath>

#include "models/churn.hpp"

using namespace fulcrum;

TEST_CASE("churn hazard is theta at baseline satisfaction and grows as satisfaction falls", "[churn]") {
  CHECK(churn_hazard(0.1, 7.0, 7.0, 0.3) == Approx(0.1));
  CHECK(churn_hazard(0.1, 5.0, 7.0, 0.3) == Approx(0.1 * std::exp(0.6)));
  CHECK(churn_hazard(0.1, 9.0, 7.0, 0.3) == Approx(0.1 * std::exp(-0.6)));
  CHECK(churn_hazard(0.9, 0.0, 7.0, 1.0) == 1.0);  // capped
  CHECK(churn_hazard(0.1, 2.0, 7.0, 0.0) == Approx(0.1));  // no feedback: pure sBG
}

TEST_CASE("base propensities follow the chosen distribution", "[churn]") {
  CustomerState customers(40000);
  ChurnParameters churn{PropensityDistribution::beta, 0.668, 3.806, 0.05, 0.0};
  RandomEngine engine = make_stream({3, 0, StreamPurpose::churn_propensity, 0, 0, 0});
  draw_base_propensities(customers, {0, 40000}, churn, engine);
  const double mean = customers.base_churn_propensity.cast<double>().mean();
  const double a = 0.668, b = 3.806;
  const double expected = a / (a + b);
  const double sd = std::sqrt(a * b / ((a + b) * (a + b) * (a + b + 1)));
  CHECK(std::abs(mean - expected) < 5 * sd / std::sqrt(40000.0));
  CHECK(customers.base_churn_propensity.minCoeff() >= 0.0f);
  CHECK(customers.base_churn_propensity.maxCoeff() <= 1.0f);

  churn.propensity_distribution = PropensityDistribution::fixed;
  draw_base_propensities(customers, {0, 100}, churn, engine);
  CHECK((customers.base_churn_propensity.head(100) == 0.05f).all());
}

TEST_CASE("churn_block lapses only active customers and counts them by firm", "[churn]") {
  CustomerState customers(10);
  for (int i = 0; i < 10; ++i) {
    customers.status[i] = i < 6 ? customer_status::active : customer_status::prospect;
    customers.firm[i] = i < 3 ? 0 : 1;
    customers.base_churn_propensity[i] = 1.0f;  // certain churn
    customers.satisfaction[i] = 7.0f;
  }
  customers.firm[8] = kNoFirm;
  const ChurnParameters churn{PropensityDistribution::fixed, 1, 1, 1.0, 0.0};
  RandomEngine engine = make_stream({1, 0, StreamPurpose::churn, 1, 0, 0});
  std::vector<FirmTally> tallies(2);
  churn_block(customers, {0, 10}, churn, 7.0, engine, tallies);
  CHECK(tallies[0].churned == 3);
  CHECK(tallies[1].churned == 3);
  for (int i = 0; i < 6; ++i) CHECK(customers.status[i] == customer_status::lapsed);
  for (int i = 6; i < 10; ++i) CHECK(customers.status[i] == customer_status::prospect);
}
