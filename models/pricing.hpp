#pragma once
// Price schedules: constant, stepped, or a subsidy below cost paid for by investors (seed 003), and the
// answer to a rival's price war.
#include "sim/scenario.hpp"

namespace fulcrum {

struct PricingView {
  int quarter;
  double market_share;        // last quarter's
  bool funding_stopped;       // the investors have turned the tap off
  double cheapest_rival;      // lowest price among open rivals; +inf when there are none
};

struct PricingState {
  bool subsidy_over = false;
};

struct PriceDecision {
  double price;
  bool subsidy_ended = false;  // this quarter
};

// The price for this quarter. A subsidy ends, for good, when its duration is over, the share target is
// reached or the funding stops. match_price_war lowers the price to the cheapest rival's, never below
// unit cost.
PriceDecision set_price(const PricingParameters& pricing, const FirmParameters& firm, PricingState& state,
                        const PricingView& view);

}  // namespace fulcrum
