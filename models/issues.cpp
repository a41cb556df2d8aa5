#include "models/issues.hpp"

#include <algorithm>
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

void issues_of(CustomerState& customers, std::span<const std::uint32_t> active, std::span<const double> issue_rate,
               std::size_t segments, const CustomerDraws& draws, std::vector<FirmTally>& tallies) {
  const bool any_issues = std::any_of(issue_rate.begin(), issue_rate.end(), [](double rate) { return rate > 0; });
  if (!any_issues) {  // no draws, and no tickets, where no issue can arise
    for (const std::uint32_t i : active) customers.issues[i] = 0;
    return;
  }
  DrawWords batch;
  for (std::size_t k = 0; k < active.size(); ++k) {
    const std::size_t j = draws.words_at(active, k, 0, batch);
    const std::uint32_t i = active[k];
    const double rate = issue_rate[static_cast<std::size_t>(customers.firm[i])];
    const std::uint8_t count = rate > 0 ? poisson_by_inversion(rate, CustomerDraws::to_uniform(batch.word[0][j])) : 0;
    customers.issues[i] = count;
    tallies[tally_cell(customers.firm[i], customers.segment[i], segments)].tickets_raised += count;
  }
}

}  // namespace fulcrum
