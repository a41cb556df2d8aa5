#include "models/wallet.hpp"

#include <algorithm>
#include <cmath>

namespace fulcrum {

double next_reference_price(double reference_price, double price_paid, const CustomerParameters& customers) {
  return reference_price + customers.reference_price_adaptation * (price_paid - reference_price);
}

double next_spend(double spend, double satisfaction, const CustomerParameters& customers) {
  const double grown = spend * std::exp(customers.wallet_growth * (satisfaction - customers.satisfaction_baseline));
  return std::clamp(grown, customers.wallet_floor * customers.spend_per_quarter,
                    customers.wallet_cap * customers.spend_per_quarter);
}

}  // namespace fulcrum
