#include "sim/results.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <algorithm>
#include <cmath>
#include <limits>

namespace fulcrum {
namespace {

std::size_t checked_offset(std::int64_t offset, const std::vector<double>& values) {
  return static_cast<std::size_t>(offset) < values.size() ? static_cast<std::size_t>(offset) : values.size();
}

}  // namespace

Trajectory::Trajectory(std::int64_t quarters_recorded, std::int64_t firms, std::int64_t segments)
    : quarters_recorded_(quarters_recorded),
      firms_(firms),
      segments_(segments),
      firm_values_(kFirmSeries.size() * static_cast<std::size_t>(quarters_recorded * firms), 0.0),
      market_values_(kMarketSeries.size() * static_cast<std::size_t>(quarters_recorded), 0.0),
      segment_values_(kSegmentSeries.size() * static_cast<std::size_t>(quarters_recorded * firms * segments), 0.0),
      deciles_(kDeciles * static_cast<std::size_t>(quarters_recorded * firms), 0.0),
      cohorts_(static_cast<std::size_t>(firms * quarters_recorded * quarters_recorded), 0.0) {}

void Trajectory::mark_missing() {
  const double missing = std::numeric_limits<double>::quiet_NaN();
  for (auto* values : {&firm_values_, &market_values_, &segment_values_, &deciles_, &cohorts_}) {
    std::fill(values->begin(), values->end(), missing);
  }
  events.clear();
}

double& Trajectory::firm(FirmSeries series, std::int64_t quarter, std::int64_t firm_index) {
  const auto offset = (static_cast<std::int64_t>(series) * quarters_recorded_ + quarter) * firms_ + firm_index;
  return firm_values_.at(checked_offset(offset, firm_values_));
}

double Trajectory::firm(FirmSeries series, std::int64_t quarter, std::int64_t firm_index) const {
  return const_cast<Trajectory*>(this)->firm(series, quarter, firm_index);
}

double& Trajectory::market(MarketSeries series, std::int64_t quarter) {
  const auto offset = static_cast<std::int64_t>(series) * quarters_recorded_ + quarter;
  return market_values_.at(checked_offset(offset, market_values_));
}

double Trajectory::market(MarketSeries series, std::int64_t quarter) const {
  return const_cast<Trajectory*>(this)->market(series, quarter);
}

double& Trajectory::segment(std::size_t series_index, std::int64_t quarter, std::int64_t firm_index,
                            std::int64_t segment_index) {
  const auto offset =
      ((static_cast<std::int64_t>(series_index) * quarters_recorded_ + quarter) * firms_ + firm_index) * segments_ +
      segment_index;
  return segment_values_.at(checked_offset(offset, segment_values_));
}

double Trajectory::segment(std::size_t series_index, std::int64_t quarter, std::int64_t firm_index,
                           std::int64_t segment_index) const {
  return const_cast<Trajectory*>(this)->segment(series_index, quarter, firm_index, segment_index);
}

double& Trajectory::decile(std::int64_t quarter, std::int64_t firm_index, std::size_t decile_index) {
  const auto offset = (quarter * firms_ + firm_index) * static_cast<std::int64_t>(kDeciles) +
                      static_cast<std::int64_t>(decile_index);
  return deciles_.at(checked_offset(offset, deciles_));
}

double Trajectory::decile(std::int64_t quarter, std::int64_t firm_index, std::size_t decile_index) const {
  return const_cast<Trajectory*>(this)->decile(quarter, firm_index, decile_index);
}

double& Trajectory::cohort(std::int64_t firm_index, std::int64_t cohort_quarter, std::int64_t quarter) {
  const auto offset = (firm_index * quarters_recorded_ + cohort_quarter) * quarters_recorded_ + quarter;
  return cohorts_.at(checked_offset(offset, cohorts_));
}

double Trajectory::cohort(std::int64_t firm_index, std::int64_t cohort_quarter, std::int64_t quarter) const {
  return const_cast<Trajectory*>(this)->cohort(firm_index, cohort_quarter, quarter);
}

PairedDifference paired_difference(const EnsembleResults& results, FirmSeries series, std::int64_t quarter,
                                   std::int64_t firm) {
  const std::int64_t n = results.replicates;
  double sum = 0;
  std::vector<double> differences;
  for (std::int64_t r = 0; r < n; ++r) {
    differences.push_back(results.run(1, r).firm(series, quarter, firm) - results.run(0, r).firm(series, quarter, firm));
    sum += differences.back();
  }
  const double mean = sum / static_cast<double>(n);
  if (n < 2) return {mean, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
  double squares = 0;
  for (const double d : differences) squares += (d - mean) * (d - mean);
  const double standard_error = std::sqrt(squares / static_cast<double>(n - 1) / static_cast<double>(n));
  const double t = boost::math::quantile(boost::math::students_t(static_cast<double>(n - 1)), 0.975);
  return {mean, mean - t * standard_error, mean + t * standard_error};
}

}  // namespace fulcrum
