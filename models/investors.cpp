#include "models/investors.hpp"

#include <algorithm>
#include <cmath>

namespace fulcrum {

InvestorState make_investor_state(const InvestorParameters& investor) {
  InvestorState state;
  state.capital_left = investor.capital;
  state.funding = investor.kind != InvestorKind::none;
  return state;
}

InvestorDecision judge_and_fund(const InvestorParameters& investor, InvestorState& state, const InvestorView& view) {
  InvestorDecision decision;
  if (investor.kind == InvestorKind::none || !state.funding) return decision;
  // The milestone each kind of investor judges.
  bool judged = false, hit = false;
  switch (investor.kind) {
    case InvestorKind::growth:
    case InvestorKind::short_termist:
      judged = view.growth_known;
      hit = view.revenue_growth >= investor.growth_milestone;
      break;
    case InvestorKind::patient:
      judged = std::isfinite(state.last_customer_equity);
      hit = view.customer_equity >= state.last_customer_equity;
      state.last_customer_equity = view.customer_equity;
      break;
    case InvestorKind::none: break;
  }
  if (judged) {
    // Short-termists punish a miss harder than they reward a hit.
    const double penalty = investor.kind == InvestorKind::short_termist ? 0.3 : 0.15;
    state.confidence = std::clamp(state.confidence + (hit ? 0.1 : -penalty), 0.0, 1.0);
    state.misses = hit ? 0 : state.misses + 1;
    decision.push_cuts = investor.kind == InvestorKind::short_termist && !hit;
    if (state.misses > investor.patience) {
      state.funding = false;
      decision.tap_off = true;
      return decision;
    }
  }
  if (view.cash < investor.cash_floor && state.capital_left > 0) {
    decision.funding = std::min(investor.round_size, state.capital_left);
    state.capital_left -= decision.funding;
    state.capital_raised += decision.funding;
  }
  return decision;
}

double customer_equity(double active, double margin_per_customer, double retention, double discount_rate) {
  const double r = std::clamp(retention, 0.0, 0.999);
  return active * margin_per_customer * r / (1.0 + discount_rate - r);
}

}  // namespace fulcrum
