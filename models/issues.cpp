#include "models/issues.hpp"

#include <cmath>

namespace fulcrum {

std::uint8_t poisson_by_inversion(double mean, double uniform) {
  double probability = std::exp(-mean);
  double cumulative = probability;
  std::uint8_t count = 0;
  while (uniform >= cumulative && count < 255) {
    ++count;
    probability *= mean / count;
    cumulative += probability;
    if (probability < 1e-300) break;  // the tail is exhausted: the remaining mass is rounding
  }
  return count;
}

std::uint8_t binomial_by_inversion(std::uint8_t trials, double probability, double uniform) {
  if (trials == 0 || probability <= 0) return 0;
  if (probability >= 1) return trials;
  const double odds = probability / (1 - probability);
  double mass = std::pow(1 - probability, trials);
  double cumulative = mass;
  std::uint8_t successes = 0;
  while (uniform >= cumulative && successes < trials) {
    mass *= odds * static_cast<double>(trials - successes) / static_cast<double>(successes + 1);
    ++successes;
    cumulative += mass;
  }
  return successes;
}

namespace {

inline void meet_issues(CustomerState& customers, Eigen::Index i, std::span<const double> issue_rate,
                        std::size_t segments, const CustomerDraws& draws, std::vector<FirmTally>& tallies) {
  const double rate = issue_rate[static_cast<std::size_t>(customers.firm[i])];
  const std::uint8_t count = rate > 0 ? poisson_by_inversion(rate, draws(static_cast<std::uint64_t>(i))[0]) : 0;
  customers.issues[i] = count;
  tallies[tally_cell(customers.firm[i], customers.segment[i], segments)].tickets_raised += count;
}

}  // namespace

void issues_of(CustomerState& customers, std::span<const std::uint32_t> active, std::span<const double> issue_rate,
               std::size_t segments, const CustomerDraws& draws, std::vector<FirmTally>& tallies) {
  for (const std::uint32_t customer : active) meet_issues(customers, customer, issue_rate, segments, draws, tallies);
}

}  // namespace fulcrum
