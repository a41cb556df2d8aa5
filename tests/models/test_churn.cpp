#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "models/churn.hpp"
#include "sim/parameters.hpp"

using namespace fulcrum;

namespace {

std::vector<Segment> one_segment(const CustomerParameters& customers, const ChurnParameters& churn) {
  return {Segment{"all", 1.0, customers, churn}};
}

// A churn context with `firms` identical open firms and nobody better than the outside option.
struct Market {
  std::vector<Segment> segments;
  std::vector<RetentionEffort> efforts;
  std::vector<FirmOffer> offers;
  MarketParameters market;
  std::vector<JoiningTerms> terms;
  Market(std::vector<Segment> segment_list, std::vector<RetentionEffort> effort_list)
      : segments(std::move(segment_list)),
        efforts(std::move(effort_list)),
        offers(efforts.size(), FirmOffer{5.0, 10.0, true}),
        market(default_scenario().market) {
    market.outside_option = 100.0;  // churners lapse: no switching unless a test asks for it
    for (std::size_t f = 0; f < efforts.size(); ++f) {
      for (std::size_t s = 0; s < segments.size(); ++s) terms.push_back({static_cast<std::int16_t>(f), 5, 5, 0.5f, 10, 1});
    }
  }
  [[nodiscard]] ChurnContext context() const { return {segments, efforts, offers, market, terms, 1}; }
};

CustomerParameters calm_customers() {
  CustomerParameters customers = default_scenario().customers;
  customers.satisfaction_baseline = 7.0;
  customers.trust_initial = 0.6;
  customers.life_event_rate = 0.0;
  return customers;
}

}  // namespace

TEST_CASE("churn hazard is theta at baseline and grows as satisfaction or trust falls", "[churn]") {
  const CustomerParameters customers = calm_customers();
  ChurnParameters churn = default_scenario().churn;
  churn.satisfaction_sensitivity = 0.3;
  churn.trust_sensitivity = 2.0;
  CHECK(churn_hazard(0.1, 7.0, 0.6, churn, customers) == Approx(0.1));
  CHECK(churn_hazard(0.1, 5.0, 0.6, churn, customers) == Approx(0.1 * std::exp(0.6)));
  CHECK(churn_hazard(0.1, 9.0, 0.6, churn, customers) == Approx(0.1 * std::exp(-0.6)));
  CHECK(churn_hazard(0.1, 7.0, 0.1, churn, customers) == Approx(0.1 * std::exp(1.0)));
  CHECK(churn_hazard(0.9, 0.0, 0.0, churn, customers) == 1.0);  // capped
  churn.satisfaction_sensitivity = 0.0;
  churn.trust_sensitivity = 0.0;
  CHECK(churn_hazard(0.1, 2.0, 0.0, churn, customers) == Approx(0.1));  // no feedback: pure sBG
}

TEST_CASE("base propensities follow the chosen distribution", "[churn]") {
  CustomerState customers(40000);
  ChurnParameters churn = default_scenario().churn;
  churn.propensity_distribution = PropensityDistribution::beta;
  churn.propensity_alpha = 0.668;
  churn.propensity_beta = 3.806;
  RandomEngine engine = make_stream({3, 0, StreamPurpose::churn_propensity, 0, 0, 0});
  draw_base_propensities(customers, {0, 40000}, one_segment(calm_customers(), churn), engine);
  const double mean = customers.base_churn_propensity.cast<double>().mean();
  const double a = 0.668, b = 3.806;
  const double sd = std::sqrt(a * b / ((a + b) * (a + b) * (a + b + 1)));
  CHECK(std::abs(mean - a / (a + b)) < 5 * sd / std::sqrt(40000.0));
  CHECK(customers.base_churn_propensity.minCoeff() >= 0.0f);
  CHECK(customers.base_churn_propensity.maxCoeff() <= 1.0f);

  churn.propensity_distribution = PropensityDistribution::fixed;
  churn.fixed_propensity = 0.05;
  draw_base_propensities(customers, {0, 100}, one_segment(calm_customers(), churn), engine);
  CHECK((customers.base_churn_propensity.head(100) == 0.05f).all());
}

TEST_CASE("churn_block lapses only active customers and counts them by firm", "[churn]") {
  CustomerState customers(10);
  for (int i = 0; i < 10; ++i) {
    customers.status[i] = i < 6 ? customer_status::active : customer_status::prospect;
    customers.firm[i] = i < 3 ? 0 : 1;
    customers.base_churn_propensity[i] = 1.0f;  // certain churn
    customers.satisfaction[i] = 7.0f;
    customers.trust[i] = 0.6f;
  }
  customers.firm[8] = kNoFirm;
  ChurnParameters churn = default_scenario().churn;
  const CustomerDraws engine({1, 0, StreamPurpose::churn, 1, 0, 0});
  std::vector<FirmTally> tallies(2);
  const Market market(one_segment(calm_customers(), churn), std::vector<RetentionEffort>(2));
  churn_block(customers, {0, 10}, market.context(), engine, tallies);
  CHECK(tallies[0].churned == 3);
  CHECK(tallies[1].churned == 3);
  CHECK(tallies[0].life_events == 0);
  for (int i = 0; i < 6; ++i) CHECK(customers.status[i] == customer_status::lapsed);
  for (int i = 6; i < 10; ++i) CHECK(customers.status[i] == customer_status::prospect);
}

TEST_CASE("two segments draw their propensities from their own Beta distributions", "[churn]") {
  const std::int64_t n = 40000;
  CustomerState customers(n);
  for (std::int64_t i = 0; i < n; ++i) customers.segment[i] = static_cast<std::uint16_t>(i % 2);
  ChurnParameters loyal = default_scenario().churn;
  loyal.propensity_alpha = 1.0;
  loyal.propensity_beta = 19.0;  // mean 0.05
  ChurnParameters fickle = loyal;
  fickle.propensity_alpha = 3.0;
  fickle.propensity_beta = 7.0;  // mean 0.3
  const std::vector<Segment> segments{{"loyal", 0.5, calm_customers(), loyal}, {"fickle", 0.5, calm_customers(), fickle}};
  RandomEngine engine = make_stream({6, 0, StreamPurpose::churn_propensity, 0, 0, 0});
  draw_base_propensities(customers, {0, n}, segments, engine);
  double sums[2] = {0, 0};
  for (std::int64_t i = 0; i < n; ++i) sums[i % 2] += customers.base_churn_propensity[i];
  CHECK(sums[0] / (n / 2) == Approx(0.05).epsilon(0.03));
  CHECK(sums[1] / (n / 2) == Approx(0.3).epsilon(0.03));
}

TEST_CASE("life events end relationships whatever the customer feels, or cost a service", "[churn]") {
  const std::int64_t n = 50000;
  CustomerState customers(n);
  for (std::int64_t i = 0; i < n; ++i) {
    customers.status[i] = customer_status::active;
    customers.firm[i] = 0;
    customers.base_churn_propensity[i] = 0.0f;  // would never churn otherwise
    customers.satisfaction[i] = 10.0f;
    customers.trust[i] = 1.0f;
  }
  CustomerParameters parameters = calm_customers();
  parameters.life_event_rate = 0.1;
  parameters.life_event_churn_share = 0.4;
  const CustomerDraws engine({4, 0, StreamPurpose::churn, 1, 0, 0});
  std::vector<FirmTally> tallies(1);
  const Market market(one_segment(parameters, default_scenario().churn), std::vector<RetentionEffort>(1));
  churn_block(customers, {0, n}, market.context(), engine, tallies);
  const auto events = static_cast<double>(tallies[0].life_events);
  const auto churned = static_cast<double>(tallies[0].churned_by_life_event);
  CHECK(tallies[0].churned == tallies[0].churned_by_life_event);
  CHECK(std::abs(events - 0.1 * n) < 5 * std::sqrt(0.1 * 0.9 * n));
  CHECK(std::abs(churned - 0.04 * n) < 5 * std::sqrt(0.04 * 0.96 * n));
}

TEST_CASE("customer success and retention incentives lower the hazard where they apply", "[churn][departments]") {
  const std::int64_t n = 40000;
  CustomerState customers(n);
  for (std::int64_t i = 0; i < n; ++i) {
    customers.status[i] = customer_status::active;
    customers.firm[i] = 0;
    customers.base_churn_propensity[i] = 0.2f;
    customers.satisfaction[i] = i % 2 == 0 ? 4.0f : 7.5f;  // detractors and passives
    customers.trust[i] = 0.6f;
  }
  CustomerParameters parameters = calm_customers();
  parameters.satisfaction_baseline = 7.5;
  ChurnParameters churn = default_scenario().churn;
  churn.satisfaction_sensitivity = 0.0;
  churn.trust_sensitivity = 0.0;
  RetentionEffort effort;
  effort.success_multiplier = 0.5;
  effort.incentivises_detractors = true;
  effort.incentive_multiplier = 0.5;
  const CustomerDraws engine({8, 0, StreamPurpose::churn, 1, 0, 0});
  std::vector<FirmTally> tallies(1);
  const Market market(one_segment(parameters, churn), {effort});
  churn_block(customers, {0, n}, market.context(), engine, tallies);
  std::int64_t detractors_left = 0, passives_left = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    if (customers.status[i] == customer_status::lapsed) ++(i % 2 == 0 ? detractors_left : passives_left);
  }
  const double half = n / 2.0;
  CHECK(tallies[0].incentivised == n / 2);
  CHECK(std::abs(passives_left - 0.1 * half) < 5 * std::sqrt(0.1 * 0.9 * half));      // 0.2 * 0.5
  CHECK(std::abs(detractors_left - 0.05 * half) < 5 * std::sqrt(0.05 * 0.95 * half));  // and * 0.5 again
}

TEST_CASE("churners switch to a rival by logit choice, and a better rival pulls harder", "[churn][market]") {
  const std::int64_t n = 40000;
  const auto fresh = [&]() {
    CustomerState customers(n);
    for (std::int64_t i = 0; i < n; ++i) {
      customers.status[i] = customer_status::active;
      customers.firm[i] = 0;
      customers.base_churn_propensity[i] = 0.1f;
      customers.satisfaction[i] = 7.5f;
      customers.trust[i] = 0.6f;
      customers.reference_price[i] = 10.0f;
    }
    return customers;
  };
  CustomerParameters parameters = calm_customers();
  parameters.satisfaction_baseline = 7.5;
  parameters.price_sensitivity = 2.0;
  parameters.switching_cost = 0.0;
  ChurnParameters churn = default_scenario().churn;
  Market market(one_segment(parameters, churn), std::vector<RetentionEffort>(2));
  market.market.outside_option = 5.0;  // as good as the firms: half of the churners switch
  market.market.choice_scale = 1.0;
  market.market.competitor_sensitivity = 0.0;
  CustomerState customers = fresh();
  std::vector<FirmTally> tallies(2);
  const CustomerDraws engine({9, 0, StreamPurpose::churn, 1, 0, 0});
  churn_block(customers, {0, n}, market.context(), engine, tallies);
  const double churned = static_cast<double>(tallies[0].churned);
  CHECK(std::abs(churned - 0.1 * n) < 5 * std::sqrt(0.09 * n));
  CHECK(tallies[1].switched_in == tallies[0].switched_out);
  CHECK(std::abs(tallies[0].switched_out / churned - 0.5) < 5 * std::sqrt(0.25 / churned));
  std::int64_t at_rival = 0;
  for (std::int64_t i = 0; i < n; ++i) at_rival += customers.firm[i] == 1 && customers.status[i] == customer_status::active;
  CHECK(at_rival == tallies[1].switched_in);

  // A rival one value point better: the logit share of switching is e / (1 + e) and churn rises by e^0.3.
  market.offers[1].value = 6.0;
  market.market.competitor_sensitivity = 0.3;
  CustomerState pulled = fresh();
  std::vector<FirmTally> pulled_tallies(2);
  const CustomerDraws again({9, 0, StreamPurpose::churn, 1, 0, 0});
  churn_block(pulled, {0, n}, market.context(), again, pulled_tallies);
  const double hazard = 0.1 * std::exp(0.3);
  const double pulled_churned = static_cast<double>(pulled_tallies[0].churned);
  CHECK(std::abs(pulled_churned - hazard * n) < 5 * std::sqrt(hazard * (1 - hazard) * n));
  const double switch_share = std::exp(1.0) / (1 + std::exp(1.0));
  CHECK(std::abs(pulled_tallies[0].switched_out / pulled_churned - switch_share) <
        5 * std::sqrt(switch_share * (1 - switch_share) / pulled_churned));

  // A switching cost of a point cancels the rival's advantage in the choice.
  market.segments[0].customers.switching_cost = 1.0;
  market.market.competitor_sensitivity = 0.0;
  CustomerState locked = fresh();
  std::vector<FirmTally> locked_tallies(2);
  const CustomerDraws third({9, 0, StreamPurpose::churn, 1, 0, 0});
  churn_block(locked, {0, n}, market.context(), third, locked_tallies);
  CHECK(std::abs(locked_tallies[0].switched_out / static_cast<double>(locked_tallies[0].churned) - 0.5) < 0.03);

  // A closed firm's customers all move.
  market.offers[0].open = false;
  CustomerState stranded = fresh();
  std::vector<FirmTally> stranded_tallies(2);
  const CustomerDraws fourth({9, 0, StreamPurpose::churn, 1, 0, 0});
  churn_block(stranded, {0, n}, market.context(), fourth, stranded_tallies);
  CHECK(stranded_tallies[0].churned == n);
}

TEST_CASE("the vector hazard kernel decides churn exactly as the scalar path, whatever the market", "[churn][lanes]") {
  if (!churn_kernel_supported(ChurnKernel::fastest)) {
    WARN("no vector kernel on this CPU: nothing to compare");
    return;
  }
  boost::random::mt19937 engine(21);
  boost::random::uniform_real_distribution<double> uniform01(0.0, 1.0);
  // One segment and firm (lanes alike); two segments and three firms (lanes permuted from the tables'
  // fields: six cells); ten segments (more rows than a permute reaches: lanes filled row by row).
  for (const std::string market_kind : {"one", "mixed", "many"}) {
    const bool uniform = market_kind == "one";
    std::vector<Segment> segments;
    for (int s = 0; s < (uniform ? 1 : market_kind == "mixed" ? 2 : 10); ++s) {
      CustomerParameters customers = calm_customers();
      customers.life_event_rate = 0.05;
      customers.satisfaction_baseline = 6.0 + 2.0 * uniform01(engine);
      customers.switching_cost = uniform01(engine);
      ChurnParameters churn = default_scenario().churn;
      churn.satisfaction_sensitivity = 0.5 * uniform01(engine);
      churn.trust_sensitivity = 3.0 * uniform01(engine);
      churn.switching_cost_sensitivity = uniform01(engine);
      segments.push_back({"segment", 1.0, customers, churn});
    }
    std::vector<RetentionEffort> efforts(uniform ? 1 : 3);
    for (RetentionEffort& effort : efforts) effort.success_multiplier = 0.5 + uniform01(engine);
    if (!uniform) {  // a firm that pays its detractors to stay
      efforts[1].incentivises_detractors = true;
      efforts[1].incentive_multiplier = 0.5;
    }
    Market market(segments, efforts);
    market.market.outside_option = 2.0;  // some churners switch
    for (std::size_t f = 0; f < market.offers.size(); ++f) {
      market.offers[f] = {4.0 + 3.0 * uniform01(engine), 8.0 + 6.0 * uniform01(engine), true, uniform01(engine)};
    }
    if (!uniform) market.offers[2].open = false;  // and one gone: its customers all move
    const Eigen::Index n = 4003;  // not a multiple of eight or of the batch
    CustomerState customers(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      customers.status[i] = uniform01(engine) < 0.7 ? customer_status::active : customer_status::lapsed;
      customers.segment[i] = static_cast<std::uint16_t>(engine() % segments.size());
      customers.firm[i] = static_cast<std::int16_t>(engine() % efforts.size());
      customers.base_churn_propensity[i] = static_cast<float>(0.3 * uniform01(engine));
      customers.satisfaction[i] = static_cast<float>(10.0 * uniform01(engine));
      customers.trust[i] = static_cast<float>(uniform01(engine));
      customers.reference_price[i] = static_cast<float>(20.0 * uniform01(engine));
    }
    BlockStatus block;
    take_status(customers, {0, n}, block);
    const CustomerDraws draws({5, 0, StreamPurpose::churn, 1, 0, 0});
    const auto decide = [&](ChurnKernel kernel) {
      CustomerState after = customers;
      std::vector<FirmTally> tallies(segments.size() * efforts.size());
      churn_active(after, block.active, market.context(), draws, tallies, kernel);
      return std::pair{after, tallies};
    };
    // The hazards to the bit (decisions alone would hide a last-bit difference)...
    const std::vector<HazardCell> cells = hazard_cells(market.context());
    std::vector<double> fast_hazards(block.active.size());
    std::vector<double> scalar_hazards(block.active.size());
    own_churn_hazards(customers, block.active, cells, segments.size(), fast_hazards, ChurnKernel::fastest);
    own_churn_hazards(customers, block.active, cells, segments.size(), scalar_hazards, ChurnKernel::scalar);
    CHECK(std::memcmp(fast_hazards.data(), scalar_hazards.data(), sizeof(double) * fast_hazards.size()) == 0);
    // ...and the decisions made with them.
    const auto [fast, fast_tallies] = decide(ChurnKernel::fastest);
    const auto [scalar, scalar_tallies] = decide(ChurnKernel::scalar);
    INFO("market " << market_kind);
    CHECK((fast.status == scalar.status).all());
    CHECK((fast.firm == scalar.firm).all());
    std::int64_t churned = 0;
    for (std::size_t cell = 0; cell < fast_tallies.size(); ++cell) {
      CHECK(fast_tallies[cell].churned == scalar_tallies[cell].churned);
      CHECK(fast_tallies[cell].switched_in == scalar_tallies[cell].switched_in);
      CHECK(fast_tallies[cell].switched_out == scalar_tallies[cell].switched_out);
      CHECK(fast_tallies[cell].life_events == scalar_tallies[cell].life_events);
      CHECK(fast_tallies[cell].churned_by_life_event == scalar_tallies[cell].churned_by_life_event);
      CHECK(fast_tallies[cell].incentivised == scalar_tallies[cell].incentivised);
      churned += scalar_tallies[cell].churned;
    }
    CHECK((fast.reference_price == scalar.reference_price).all());
    CHECK(churned > 200);  // the decisions were not all the same way
    CHECK(churned < static_cast<std::int64_t>(block.active.size()) - 200);
  }
}
