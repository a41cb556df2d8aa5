#pragma once
// What customers pay and what they think is a fair price.
#include <algorithm>
#include <cmath>

#include "sim/scenario.hpp"

namespace fulcrum {

// The reference price drifts toward the price paid: prices paid become the anchor (this is what makes
// the end of a subsidy hurt).
inline double next_reference_price(double reference_price, double price_paid, const CustomerParameters& customers) {
  return reference_price + customers.reference_price_adaptation * (price_paid - reference_price);
}

// Satisfied customers expand their wallet, dissatisfied ones shrink it, within [floor, cap] multiples
// of spend_per_quarter: spend * exp(growth * (satisfaction - baseline)).
inline double next_spend(double spend, double satisfaction, const CustomerParameters& customers) {
  const double grown = spend * std::exp(customers.wallet_growth * (satisfaction - customers.satisfaction_baseline));
  return std::clamp(grown, customers.wallet_floor * customers.spend_per_quarter,
                    customers.wallet_cap * customers.spend_per_quarter);
}

}  // namespace fulcrum
