#include <bit>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "models/network.hpp"
#include "models/perception.hpp"
#include "models/satisfaction.hpp"
#include "models/trust.hpp"
#include "models/wallet.hpp"
#include "models/word_of_mouth.hpp"
#include "sim/lanes.hpp"
#include "sim/parameters.hpp"
#include "tests/support/mixed_market.hpp"

using namespace fulcrum;

TEST_CASE("experience is value delivered less the price burden against the reference price", "[perception]") {
  const Offer offer{7.0, 7.5, 22.0};
  CHECK(experience_of(offer, 0.0, 20.0, 2.0) == Approx(7.0 - 2.0 * 0.1));
  CHECK(experience_of({7.0, 7.5, 18.0}, 0.0, 20.0, 2.0) == Approx(7.0 + 2.0 * 0.1));  // a price cut is a gain
  CHECK(experience_of(offer, 0.0, 0.0, 2.0) == 7.0);  // no reference price, no burden
  CHECK(experience_of(offer, -1.5, 22.0, 2.0) == Approx(5.5));  // a poor fit with the customer's needs
}

TEST_CASE("satisfaction follows experience minus expectation, shifted by word of mouth", "[satisfaction]") {
  CustomerParameters customers = default_scenario().customers;
  customers.satisfaction_baseline = 7.0;
  customers.satisfaction_gap_gain = 1.5;
  customers.satisfaction_adaptation = 0.5;
  CHECK(satisfaction_target(7.0, 7.0, 0.0, customers) == 7.0);  // reality meets expectation
  CHECK(satisfaction_target(6.0, 7.0, 0.0, customers) == Approx(5.5));
  CHECK(satisfaction_target(7.0, 7.0, -0.5, customers) == Approx(6.5));
  CHECK(satisfaction_target(20.0, 0.0, 0.0, customers) == 10.0);  // clamped to the 0-10 scale
  CHECK(satisfaction_target(0.0, 20.0, 0.0, customers) == 0.0);
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

TEST_CASE("a negative surprise costs more trust than an equal positive surprise earns", "[trust]") {
  CustomerParameters customers = default_scenario().customers;
  customers.trust_rate = 0.05;
  customers.trust_asymmetry = 2.25;
  const double gained = next_trust(0.5, +1.0, customers) - 0.5;
  const double lost = 0.5 - next_trust(0.5, -1.0, customers);
  CHECK(gained == Approx(0.05));
  CHECK(lost == Approx(0.1125));
  CHECK(lost / gained == Approx(2.25));
  CHECK(next_trust(0.99, 5.0, customers) == 1.0);  // bounded
  CHECK(next_trust(0.01, -5.0, customers) == 0.0);
  // A good quarter followed by an equally bad one leaves trust lower than it started.
  CHECK(next_trust(next_trust(0.5, 1.0, customers), -1.0, customers) < 0.5);
}

TEST_CASE("the reference price anchors on prices paid; the wallet follows satisfaction", "[wallet]") {
  CustomerParameters customers = default_scenario().customers;
  customers.reference_price_adaptation = 0.25;
  customers.satisfaction_baseline = 7.0;
  customers.spend_per_quarter = 2.0;
  customers.wallet_growth = 0.1;
  customers.wallet_floor = 0.5;
  customers.wallet_cap = 2.0;
  CHECK(next_reference_price(20.0, 12.0, customers) == Approx(18.0));
  double reference = 20.0;
  for (int quarter = 0; quarter < 40; ++quarter) reference = next_reference_price(reference, 12.0, customers);
  CHECK(reference == Approx(12.0).margin(1e-4));  // a long subsidy becomes the new normal
  CHECK(next_spend(2.0, 7.0, customers) == Approx(2.0));
  CHECK(next_spend(2.0, 9.0, customers) == Approx(2.0 * std::exp(0.2)));
  CHECK(next_spend(2.0, 3.0, customers) == Approx(2.0 * std::exp(-0.4)));
  CHECK(next_spend(3.9, 10.0, customers) == Approx(4.0));  // the cap
  CHECK(next_spend(1.01, 0.0, customers) == Approx(1.0));  // the floor
}

TEST_CASE("perceive_block updates active customers only, against the expectation they held", "[perception]") {
  CustomerParameters parameters = default_scenario().customers;
  WordOfMouthParameters word_of_mouth = default_scenario().word_of_mouth;
  CustomerState customers(2);
  customers.status << customer_status::active, customer_status::lapsed;
  customers.firm << 0, 0;
  customers.expectation << 8.0f, 8.0f;
  customers.satisfaction << 7.0f, 7.0f;
  customers.trust << 0.5f, 0.5f;
  customers.reference_price << 20.0f, 20.0f;
  customers.spend << 3.0f, 3.0f;
  customers.value_fit << 0.0f, 0.0f;
  SocialNetwork complete;
  complete.vertices = 2;
  const std::vector<std::uint8_t> keys(2, 0);  // on the complete graph only the market's total counts
  const Audience audience;
  const std::vector<Offer> offers{{7.0, 7.5, 20.0, 1.0}};
  customers.issues << 0, 0;
  const std::vector<Segment> segments{{"all", 1.0, parameters, default_scenario().churn}};
  const CustomerDraws engine({1, 0, StreamPurpose::resolution, 1, 0, 0});
  std::vector<FirmTally> tallies(1);
  perceive_block(customers, {0, 2}, segments, word_of_mouth, default_scenario().issues, Hearing{complete, keys, audience, -0.9},
                 offers, engine, tallies);
  const double shift = word_of_mouth.satisfaction_influence * -0.45;  // the market's mean sentiment
  const double target = satisfaction_target(7.0, 8.0, shift, parameters);
  const double satisfaction = next_satisfaction(7.0, target, parameters);
  CHECK(customers.satisfaction[0] == Approx(satisfaction));
  CHECK(customers.trust[0] == Approx(next_trust(0.5, -1.0, parameters)));
  CHECK(customers.expectation[0] == Approx(next_expectation(8.0, 7.5, 7.0, parameters)));
  CHECK(customers.experience[0] == Approx(7.0));
  CHECK(customers.spend[0] == Approx(next_spend(3.0, satisfaction, parameters)));
  CHECK(customers.satisfaction[1] == 7.0f);  // lapsed: untouched
}

TEST_CASE("issues take from experience: unresolved ones more; resolved ones earn trust back", "[perception][issues]") {
  CustomerParameters parameters = default_scenario().customers;
  IssueParameters issues = default_scenario().issues;
  issues.unresolved_impact = 1.5;
  issues.resolved_impact = 0.3;
  issues.recovery_trust = 0.02;
  CHECK(issue_impact(1, 2, issues) == Approx(0.3 + 3.0));
  const std::vector<Segment> segments{{"all", 1.0, parameters, default_scenario().churn}};
  SocialNetwork complete;
  complete.vertices = 3;
  const std::vector<std::uint8_t> keys(3, 0);
  const Audience silence;
  const auto live = [&](double resolution_probability) {
    CustomerState customers(3);
    customers.status.setConstant(customer_status::active);
    customers.firm.setZero();
    customers.expectation.setConstant(7.0f);
    customers.satisfaction.setConstant(7.0f);
    customers.trust.setConstant(0.5f);
    customers.reference_price.setConstant(20.0f);
    customers.spend.setConstant(3.0f);
    customers.issues << 0, 2, 2;
    const CustomerDraws engine({1, 0, StreamPurpose::resolution, 1, 0, 0});
    std::vector<FirmTally> tallies(1);
    perceive_block(customers, {0, 3}, segments, default_scenario().word_of_mouth, issues, Hearing{complete, keys, silence, 0.0},
                   {{7.0, 7.0, 20.0, resolution_probability}}, engine, tallies);
    return std::pair{customers, tallies[0].tickets_resolved};
  };
  const auto [served, resolved] = live(1.0);
  CHECK(resolved == 4);
  CHECK(served.experience[0] == Approx(7.0));
  CHECK(served.experience[1] == Approx(7.0 - 0.6));
  const auto [ignored, none] = live(0.0);
  CHECK(none == 0);
  CHECK(ignored.experience[1] == Approx(7.0 - 3.0));
  CHECK(ignored.satisfaction[1] < served.satisfaction[1]);
  // Resolution earns trust back on top of the (smaller) surprise: served customers trust more.
  CHECK(served.trust[1] > ignored.trust[1]);
  CHECK(served.trust[1] == Approx(next_trust(0.5, -0.6, parameters) + 2 * 0.02));
}

TEST_CASE("the portable exp is within an ulp of the C library's and gives the same bits in vector lanes", "[wallet][lanes]") {
  boost::random::mt19937 engine(11);
  boost::random::uniform_real_distribution<double> wide(-760.0, 720.0);
  boost::random::uniform_real_distribution<double> narrow(-3.0, 3.0);
  double worst_ulps = 0;
  for (int k = 0; k < 200000; ++k) {
    const double x = k % 2 == 0 ? wide(engine) : narrow(engine);
    const double ours = portable_exp(x);
    const double theirs = std::exp(x);
    if (theirs < std::numeric_limits<double>::min() || !std::isfinite(theirs)) {
      // Subnormal or 0: within a few of the smallest subnormals; infinite: infinite.
      if (std::isfinite(theirs)) REQUIRE(std::abs(ours - theirs) <= 1e-323);
      else REQUIRE(ours == theirs);
      continue;
    }
    worst_ulps = std::max(worst_ulps, std::abs(ours - theirs) / (std::nextafter(theirs, HUGE_VAL) - theirs));
  }
  CHECK(worst_ulps <= 1.0);
  CHECK(portable_exp(0.0) == 1.0);
  CHECK(portable_exp(-0.0) == 1.0);
  CHECK(portable_exp(HUGE_VAL) == HUGE_VAL);
  CHECK(portable_exp(-HUGE_VAL) == 0.0);
  CHECK(std::isnan(portable_exp(std::nan(""))));
  CHECK(portable_exp(1.0) == Approx(2.718281828459045).epsilon(1e-15));
  // Eight at a time, lane for lane the scalar's bits.
  Doubles8 lanes{-800.0, -2.5, -0.0, 1e-12, 0.7, 3.0, 709.7, 750.0};
  const Doubles8 vector = portable_exp(lanes);
  for (int lane = 0; lane < 8; ++lane) {
    CHECK(std::bit_cast<std::uint64_t>(vector[lane]) == std::bit_cast<std::uint64_t>(portable_exp(lanes[lane])));
  }
}

TEST_CASE("the vector perception kernel gives the scalar path's bits, whatever the market", "[perception][lanes]") {
  if (!perception_kernel_supported(PerceptionKernel::fastest)) {
    WARN("no vector kernel on this CPU: nothing to compare");
    return;
  }
  // One segment and firm (lanes alike), three segments and two firms (lanes permuted from the tables'
  // fields), or ten segments (more rows than a permute reaches: lanes filled row by row).
  for (const std::string market_kind : {"one", "mixed", "many"}) {
    const bool uniform = market_kind == "one";
    for (const std::string hearing_kind : {"narrow", "wide", "complete", "gathered"}) {
      MixedMarket market(3001, uniform, uniform ? 5 : 6);  // not a multiple of eight: a scalar tail
      if (market_kind == "many") {
        while (market.segments.size() < 10) {
          Segment segment = market.segments[market.segments.size() % 3];
          segment.customers.price_sensitivity += 0.1 * static_cast<double>(market.segments.size());
          segment.customers.satisfaction_gap_gain *= 0.9;
          market.segments.push_back(segment);
        }
        for (Eigen::Index i = 0; i < market.customers.size(); ++i) market.customers.segment[i] = static_cast<std::uint16_t>((7 * i) % 10);
      }
      if (hearing_kind == "wide") {
        market.totals.wide.assign(market.totals.narrow.size(), 0);
        for (std::size_t k = 0; k < market.totals.narrow.size(); ++k) market.totals.wide[k] = market.totals.narrow[k];
        market.totals.narrow.clear();
      }
      SocialNetwork complete;
      complete.vertices = market.customers.size();
      const bool kept = hearing_kind == "narrow" || hearing_kind == "wide";
      const Hearing heard{hearing_kind == "complete" ? complete : market.network, market.keys, market.audiences.customers,
                          hearing_kind == "complete" ? 123.0 : 0.0,
                          kept ? heard_by(market.totals, NeighbourTotals::kCustomers) : TotalsView{}};
      const CustomerDraws draws({3, 0, StreamPurpose::resolution, 1, 0, 0});
      const auto perceive = [&](PerceptionKernel kernel) {
        CustomerState customers = market.customers;
        std::vector<FirmTally> tallies(market.segments.size() * market.offers.size());
        perceive_active(customers, market.block.active, market.segments, default_scenario().word_of_mouth,
                        default_scenario().issues, heard, market.offers, draws, tallies, kernel);
        return std::pair{customers, tallies};
      };
      const auto [fast, fast_tallies] = perceive(PerceptionKernel::fastest);
      const auto [scalar, scalar_tallies] = perceive(PerceptionKernel::scalar);
      INFO(hearing_kind << ", market " << market_kind);
      const auto same_bits = [](const Eigen::ArrayXf& a, const Eigen::ArrayXf& b) {
        return std::memcmp(a.data(), b.data(), sizeof(float) * static_cast<std::size_t>(a.size())) == 0;
      };
      CHECK(same_bits(fast.satisfaction, scalar.satisfaction));
      CHECK(same_bits(fast.trust, scalar.trust));
      CHECK(same_bits(fast.expectation, scalar.expectation));
      CHECK(same_bits(fast.experience, scalar.experience));
      CHECK(same_bits(fast.reference_price, scalar.reference_price));
      CHECK(same_bits(fast.spend, scalar.spend));
      for (std::size_t cell = 0; cell < fast_tallies.size(); ++cell) {
        CHECK(fast_tallies[cell].tickets_resolved == scalar_tallies[cell].tickets_resolved);
      }
      // And the scalar path did perceive: active customers moved, lapsed ones did not.
      std::int64_t moved = 0;
      for (Eigen::Index i = 0; i < scalar.size(); ++i) {
        const bool changed = scalar.satisfaction[i] != market.customers.satisfaction[i];
        if (market.customers.status[i] != customer_status::active) REQUIRE_FALSE(changed);
        moved += changed ? 1 : 0;
      }
      CHECK(moved > 1500);
    }
  }
}
