#include "sim/census.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>

#include "models/word_of_mouth.hpp"

namespace fulcrum {

Census::Census(std::size_t firm_count, std::size_t segment_count, std::size_t quarters_recorded)
    : firms(firm_count),
      segments(segment_count),
      cohort_quarters(quarters_recorded),
      cells(firm_count * segment_count),
      satisfaction_histogram(firm_count * kSatisfactionBins, 0),
      cohorts(firm_count * quarters_recorded, 0) {}

Census& Census::operator+=(const Census& other) {
  for (std::size_t i = 0; i < cells.size(); ++i) cells[i] += other.cells[i];
  market.prospects += other.market.prospects;
  market.lapsed += other.market.lapsed;
  for (std::size_t i = 0; i < satisfaction_histogram.size(); ++i) satisfaction_histogram[i] += other.satisfaction_histogram[i];
  for (std::size_t i = 0; i < cohorts.size(); ++i) cohorts[i] += other.cohorts[i];
  return *this;
}

FirmTally Census::firm_total(std::size_t firm) const {
  FirmTally total;
  for (std::size_t segment = 0; segment < segments; ++segment) total += cells[firm * segments + segment];
  return total;
}

bool Census::finite() const {
  return std::all_of(cells.begin(), cells.end(), [](const FirmTally& cell) {
    return std::isfinite(cell.satisfaction_sum) && std::isfinite(cell.expectation_sum) && std::isfinite(cell.trust_sum) &&
           std::isfinite(cell.reference_price_sum) && std::isfinite(cell.units_sold);
  });
}

void census_of(const CustomerState& customers, const BlockStatus& block, Census& census) {
  census.market.prospects += static_cast<std::int64_t>(block.prospects.size());
  census.market.lapsed += block.lapsed;
  // Each cell's NPS categories are counted in one word, 21 bits a category (a block has 4,096
  // customers): one addition of a shifted 1, where three counts, one per category, were compiled into
  // branches on the satisfaction, which categories mixed at random make guess wrong.
  constexpr unsigned kCategoryBits = 21;
  static_assert(kCustomersPerBlock < (Eigen::Index{1} << kCategoryBits));
  constexpr std::uint64_t kCount = (std::uint64_t{1} << kCategoryBits) - 1;
  const std::span<const std::uint32_t> active = block.active;
  std::size_t k = 0;
  while (k < active.size()) {
    // A run of customers of one cell is summed in locals, then into the cell: summed in the cell's
    // memory, each addition waited for the store of the one before. The same additions in the same order.
    const std::uint32_t first = active[k];
    const auto firm = static_cast<std::size_t>(customers.firm[first]);
    const std::size_t cell_index = tally_cell(customers.firm[first], customers.segment[first], census.segments);
    FirmTally& cell = census.cells[cell_index];
    std::int64_t count = 0;
    std::uint64_t categories = 0;
    double units_sold = cell.units_sold, satisfaction_sum = cell.satisfaction_sum, expectation_sum = cell.expectation_sum;
    double trust_sum = cell.trust_sum, reference_price_sum = cell.reference_price_sum;
    std::int64_t* histogram = census.satisfaction_histogram.data() + firm * kSatisfactionBins;
    std::int64_t* cohorts = census.cohorts.data() + firm * census.cohort_quarters;
    for (; k < active.size(); ++k) {
      const std::uint32_t i = active[k];
      if (tally_cell(customers.firm[i], customers.segment[i], census.segments) != cell_index) break;
      const float satisfaction = customers.satisfaction[i];
      ++count;
      units_sold += customers.spend[i];
      satisfaction_sum += satisfaction;
      expectation_sum += customers.expectation[i];
      trust_sum += customers.trust[i];
      reference_price_sum += customers.reference_price[i];
      categories += std::uint64_t{1} << (kCategoryBits * nps_index(satisfaction));
      const auto bin = std::min(kSatisfactionBins - 1,
                                static_cast<std::size_t>(std::max(0.0f, satisfaction) * (kSatisfactionBins / 10.0f)));
      ++histogram[bin];
      ++cohorts[static_cast<std::size_t>(customers.acquired_quarter[i])];
    }
    cell.active += count;
    cell.units_sold = units_sold;
    cell.satisfaction_sum = satisfaction_sum;
    cell.expectation_sum = expectation_sum;
    cell.trust_sum = trust_sum;
    cell.reference_price_sum = reference_price_sum;
    cell.detractors += static_cast<std::int64_t>(categories & kCount);
    cell.passives += static_cast<std::int64_t>((categories >> kCategoryBits) & kCount);
    cell.promoters += static_cast<std::int64_t>(categories >> (2 * kCategoryBits));
  }
}

void census_block(const CustomerState& customers, CustomerRange range, Census& census) {
  BlockStatus block;
  take_status(customers, range, block);
  census_of(customers, block, census);
}

std::array<double, kDeciles> satisfaction_deciles(const Census& census, std::size_t firm) {
  std::array<double, kDeciles> deciles{};
  const std::int64_t* histogram = census.satisfaction_histogram.data() + firm * kSatisfactionBins;
  std::int64_t total = 0;
  for (std::size_t bin = 0; bin < kSatisfactionBins; ++bin) total += histogram[bin];
  constexpr double kBinWidth = 10.0 / static_cast<double>(kSatisfactionBins);
  for (std::size_t d = 0; d < kDeciles; ++d) {
    if (total == 0) {
      deciles[d] = std::numeric_limits<double>::quiet_NaN();
      continue;
    }
    const double rank = static_cast<double>(d + 1) / 10.0 * static_cast<double>(total);
    std::int64_t below = 0;
    std::size_t bin = 0;
    while (bin + 1 < kSatisfactionBins && static_cast<double>(below + histogram[bin]) < rank) below += histogram[bin++];
    const double within = histogram[bin] > 0 ? (rank - static_cast<double>(below)) / static_cast<double>(histogram[bin]) : 0.0;
    deciles[d] = (static_cast<double>(bin) + within) * kBinWidth;
  }
  return deciles;
}

}  // namespace fulcrum
