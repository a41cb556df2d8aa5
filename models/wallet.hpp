#pragma once
// What customers pay and what they think is a fair price.
#include "sim/scenario.hpp"

namespace fulcrum {

// The reference price drifts toward the price paid: prices paid become the anchor (this is what makes
// the end of a subsidy hurt).
double next_reference_price(double reference_price, double price_paid, const CustomerParameters& customers);

// Satisfied customers expand their wallet, dissatisfied ones shrink it, within [floor, cap] multiples
// of spend_per_quarter: spend * exp(growth * (satisfaction - baseline)).
double next_spend(double spend, double satisfaction, const CustomerParameters& customers);

}  // namespace fulcrum
