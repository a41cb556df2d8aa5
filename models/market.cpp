#include "models/market.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fulcrum {

void logit_shares(std::span<const double> utilities, double scale, std::vector<double>& shares) {
  double highest = -std::numeric_limits<double>::infinity();
  for (const double u : utilities) highest = std::max(highest, u);
  shares.assign(utilities.size(), 0.0);
  if (!std::isfinite(highest)) return;
  double total = 0;
  for (std::size_t k = 0; k < utilities.size(); ++k) {
    shares[k] = std::isfinite(utilities[k]) ? std::exp((utilities[k] - highest) / scale) : 0.0;
    total += shares[k];
  }
  for (double& share : shares) share /= total;
}

std::vector<double> logit_shares(std::span<const double> utilities, double scale) {
  std::vector<double> shares;
  logit_shares(utilities, scale, shares);
  return shares;
}

std::size_t pick(std::span<const double> shares, double uniform) {
  double cumulative = 0;
  std::size_t last_open = 0;
  for (std::size_t k = 0; k < shares.size(); ++k) {
    if (shares[k] <= 0) continue;
    cumulative += shares[k];
    last_open = k;
    if (uniform < cumulative) return k;
  }
  return last_open;  // rounding left the uniform just above the total
}

}  // namespace fulcrum
