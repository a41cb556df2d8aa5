#pragma once
// What customers pay and what they think is a fair price. Written for Real = double and for vectors
// (sim/lanes.hpp).
#include "sim/lanes.hpp"
#include "sim/scenario.hpp"

namespace fulcrum {

// The reference price drifts toward the price paid: prices paid become the anchor (this is what makes
// the end of a subsidy hurt).
template <class Real>
[[gnu::always_inline]] inline Real next_reference_price(Real reference_price, Real price_paid, Real adaptation) {
  return reference_price + adaptation * (price_paid - reference_price);
}
inline double next_reference_price(double reference_price, double price_paid, const CustomerParameters& customers) {
  return next_reference_price(reference_price, price_paid, customers.reference_price_adaptation);
}

// Satisfied customers expand their wallet, dissatisfied ones shrink it, within [floor, cap] multiples
// of spend_per_quarter: spend * exp(growth * (satisfaction - baseline)). `lowest` and `highest` are the
// floor and cap as units.
template <class Real>
[[gnu::always_inline]] inline Real next_spend(Real spend, Real satisfaction, Real growth, Real baseline, Real lowest,
                                              Real highest) {
  return clamp_of(spend * portable_exp(growth * (satisfaction - baseline)), lowest, highest);
}
inline double next_spend(double spend, double satisfaction, const CustomerParameters& customers) {
  return next_spend(spend, satisfaction, customers.wallet_growth, customers.satisfaction_baseline,
                    customers.wallet_floor * customers.spend_per_quarter,
                    customers.wallet_cap * customers.spend_per_quarter);
}

}  // namespace fulcrum
