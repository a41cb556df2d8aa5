#include "models/pricing.hpp"

#include <algorithm>

namespace fulcrum {

PriceDecision set_price(const PricingParameters& pricing, const FirmParameters& firm, PricingState& state,
                        const PricingView& view) {
  PriceDecision decision{firm.price};
  switch (pricing.kind) {
    case PricingKind::constant: break;
    case PricingKind::stepped:
      if (view.quarter >= pricing.step_quarter) decision.price = pricing.step_price;
      break;
    case PricingKind::subsidy:
      if (!state.subsidy_over && (view.quarter > pricing.subsidy_quarters ||
                                  view.market_share >= pricing.subsidy_share_target || view.funding_stopped)) {
        state.subsidy_over = true;
        decision.subsidy_ended = true;
      }
      decision.price = state.subsidy_over ? pricing.post_subsidy_price : pricing.subsidy_price;
      break;
  }
  if (pricing.match_price_war && view.cheapest_rival < decision.price) {
    decision.price = std::max(view.cheapest_rival, firm.unit_cost);
  }
  return decision;
}

}  // namespace fulcrum
