#pragma once
// Choosing between firms: multinomial logit on perceived utility (McFadden 1974). Prospects choose the
// firm they join; churners choose between doing without and switching to a rival.
#include <cstdint>
#include <span>
#include <vector>

#include "sim/lanes.hpp"

namespace fulcrum {

// What a firm offers as customers compare firms this quarter.
struct FirmOffer {
  double value;  // value points customers get, network effect included
  double price;  // currency per unit
  bool open;     // false once the firm is bankrupt
  double network_value = 0;  // value points of it that come from the network: lost on leaving
};

// What a price costs a customer in value points: price_sensitivity * (price / reference_price - 1), a
// gain below the reference price; nothing without a reference price (divided by 1 there, so that no
// lane divides by zero). For one customer or a vector of them (sim/lanes.hpp).
template <class Real>
[[gnu::always_inline]] inline Real price_burden(Real price, Real reference_price, Real price_sensitivity) {
  const LaneMask<Real> anchored = reference_price > splat<Real>(0.0);
  return select(anchored,
                price_sensitivity * (price / select(anchored, reference_price, splat<Real>(1.0)) - splat<Real>(1.0)),
                splat<Real>(0.0));
}

// value - price_burden(price): what an offer is worth to a customer with this reference price.
template <class Real>
[[gnu::always_inline]] inline Real offer_utility(Real value, Real price, Real reference_price, Real price_sensitivity) {
  return value - price_burden(price, reference_price, price_sensitivity);
}
inline double offer_utility(const FirmOffer& offer, double reference_price, double price_sensitivity) {
  return offer_utility(offer.value, offer.price, reference_price, price_sensitivity);
}

// exp(u_k / scale) / sum_j exp(u_j / scale), computed stably; closed alternatives (-inf) get 0.
std::vector<double> logit_shares(std::span<const double> utilities, double scale);
// The same into `shares`, whose room is kept: for a pass that works out shares customer by customer.
void logit_shares(std::span<const double> utilities, double scale, std::vector<double>& shares);

// The alternative a uniform in [0, 1) picks from `shares` (which sum to 1): inversion of the CDF.
std::size_t pick(std::span<const double> shares, double uniform);

}  // namespace fulcrum
