#include <catch2/catch.hpp>
#include <limits>

#include "models/investors.hpp"
#include "models/pricing.hpp"
#include "sim/parameters.hpp"

using namespace fulcrum;

namespace {
constexpr double kNoRival = std::numeric_limits<double>::infinity();
}

TEST_CASE("price schedules: constant, stepped, and a subsidy that ends for good", "[pricing]") {
  Scenario scenario = default_scenario();
  scenario.firm.price = 20;
  scenario.firm.unit_cost = 12;
  PricingParameters pricing = scenario.pricing;
  PricingState state;
  CHECK(set_price(pricing, scenario.firm, state, {3, 0.1, false, kNoRival}).price == 20);

  pricing.kind = PricingKind::stepped;
  pricing.step_quarter = 5;
  pricing.step_price = 25;
  CHECK(set_price(pricing, scenario.firm, state, {4, 0.1, false, kNoRival}).price == 20);
  CHECK(set_price(pricing, scenario.firm, state, {5, 0.1, false, kNoRival}).price == 25);

  pricing.kind = PricingKind::subsidy;
  pricing.subsidy_price = 9;
  pricing.subsidy_quarters = 8;
  pricing.subsidy_share_target = 0.5;
  pricing.post_subsidy_price = 22;
  PriceDecision decision = set_price(pricing, scenario.firm, state, {1, 0.1, false, kNoRival});
  CHECK(decision.price == 9);
  CHECK_FALSE(decision.subsidy_ended);
  decision = set_price(pricing, scenario.firm, state, {4, 0.55, false, kNoRival});  // share target reached
  CHECK(decision.price == 22);
  CHECK(decision.subsidy_ended);
  decision = set_price(pricing, scenario.firm, state, {5, 0.3, false, kNoRival});
  CHECK(decision.price == 22);  // for good, even if the share falls back
  CHECK_FALSE(decision.subsidy_ended);

  PricingState funded;
  CHECK(set_price(pricing, scenario.firm, funded, {2, 0.1, true, kNoRival}).subsidy_ended);  // the tap is off
  PricingState long_run;
  CHECK_FALSE(set_price(pricing, scenario.firm, long_run, {8, 0.1, false, kNoRival}).subsidy_ended);
  CHECK(set_price(pricing, scenario.firm, long_run, {9, 0.1, false, kNoRival}).subsidy_ended);  // duration over
}

TEST_CASE("a price war is matched down to unit cost, never below", "[pricing]") {
  Scenario scenario = default_scenario();
  scenario.firm.price = 20;
  scenario.firm.unit_cost = 12;
  scenario.pricing.match_price_war = true;
  PricingState state;
  CHECK(set_price(scenario.pricing, scenario.firm, state, {1, 0.5, false, 15}).price == 15);
  CHECK(set_price(scenario.pricing, scenario.firm, state, {1, 0.5, false, 9}).price == 12);
  CHECK(set_price(scenario.pricing, scenario.firm, state, {1, 0.5, false, 25}).price == 20);
}

TEST_CASE("growth investors fund below the cash floor until they lose patience", "[investors]") {
  InvestorParameters investor = default_scenario().investor;
  investor.kind = InvestorKind::growth;
  investor.capital = 2.5e6;
  investor.round_size = 1e6;
  investor.cash_floor = 1e5;
  investor.growth_milestone = 0.05;
  investor.patience = 2;
  InvestorState state = make_investor_state(investor);
  InvestorDecision decision = judge_and_fund(investor, state, {0.0, false, 0.0, 5e4});
  CHECK(decision.funding == 1e6);
  decision = judge_and_fund(investor, state, {0.10, true, 0.0, 2e5});  // a hit, cash above the floor
  CHECK(decision.funding == 0);
  CHECK(state.confidence == 1.0);
  decision = judge_and_fund(investor, state, {0.01, true, 0.0, 5e4});  // a miss, still patient
  CHECK(decision.funding == 1e6);
  CHECK(state.confidence == Approx(0.85));
  decision = judge_and_fund(investor, state, {0.01, true, 0.0, 5e4});
  CHECK(decision.funding == Approx(0.5e6));  // the last of the capital
  decision = judge_and_fund(investor, state, {0.01, true, 0.0, 5e4});  // third miss in a row
  CHECK(decision.tap_off);
  CHECK(decision.funding == 0);
  CHECK_FALSE(state.funding);
  CHECK(state.capital_raised == Approx(2.5e6));
  CHECK(judge_and_fund(investor, state, {0.5, true, 0.0, -1.0}).funding == 0);  // off for good
}

TEST_CASE("short-termists punish a miss and push cuts; patient investors judge customer equity", "[investors]") {
  InvestorParameters investor = default_scenario().investor;
  investor.kind = InvestorKind::short_termist;
  investor.growth_milestone = 0.03;
  investor.patience = 5;
  InvestorState state = make_investor_state(investor);
  const InvestorDecision miss = judge_and_fund(investor, state, {0.0, true, 0.0, 1e9});
  CHECK(miss.push_cuts);
  CHECK(state.confidence == Approx(0.7));

  investor.kind = InvestorKind::patient;
  investor.patience = 1;
  InvestorState patient = make_investor_state(investor);
  CHECK_FALSE(judge_and_fund(investor, patient, {-0.5, true, 100.0, 1e9}).tap_off);  // revenue falls: not judged
  CHECK_FALSE(judge_and_fund(investor, patient, {-0.5, true, 120.0, 1e9}).tap_off);
  CHECK_FALSE(judge_and_fund(investor, patient, {0.5, true, 110.0, 1e9}).tap_off);  // equity falls: one miss
  CHECK(judge_and_fund(investor, patient, {0.5, true, 100.0, 1e9}).tap_off);        // two: the tap is off
  CHECK(customer_equity(100, 10, 0.9, 0.02) == Approx(100 * 10 * 0.9 / 0.12));
}
