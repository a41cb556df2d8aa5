#pragma once
// Choosing between firms: multinomial logit on perceived utility (McFadden 1974). Prospects choose the
// firm they join; churners choose between doing without and switching to a rival.
#include <cstdint>
#include <span>
#include <vector>

namespace fulcrum {

// What a firm offers as customers compare firms this quarter.
struct FirmOffer {
  double value;  // value points customers get, network effect included
  double price;  // currency per unit
  bool open;     // false once the firm is bankrupt
  double network_value = 0;  // value points of it that come from the network: lost on leaving
};

// value - price_sensitivity * (price / reference_price - 1); no price term without a reference price.
inline double offer_utility(const FirmOffer& offer, double reference_price, double price_sensitivity) {
  const double price_term = reference_price > 0 ? price_sensitivity * (offer.price / reference_price - 1.0) : 0.0;
  return offer.value - price_term;
}

// exp(u_k / scale) / sum_j exp(u_j / scale), computed stably; closed alternatives (-inf) get 0.
std::vector<double> logit_shares(std::span<const double> utilities, double scale);

// The alternative a uniform in [0, 1) picks from `shares` (which sum to 1): inversion of the CDF.
std::size_t pick(std::span<const double> shares, double uniform);

}  // namespace fulcrum
