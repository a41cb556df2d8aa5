#include "sim/results.hpp"

namespace fulcrum {

Trajectory::Trajectory(std::int64_t quarters_recorded, std::int64_t firms)
    : quarters_recorded_(quarters_recorded),
      firms_(firms),
      firm_values_(kFirmSeries.size() * static_cast<std::size_t>(quarters_recorded * firms), 0.0),
      market_values_(kMarketSeries.size() * static_cast<std::size_t>(quarters_recorded), 0.0) {}

double& Trajectory::firm(FirmSeries series, std::int64_t quarter, std::int64_t firm_index) {
  const auto offset = (static_cast<std::int64_t>(series) * quarters_recorded_ + quarter) * firms_ + firm_index;
  return firm_values_.at(static_cast<std::size_t>(offset));
}

double Trajectory::firm(FirmSeries series, std::int64_t quarter, std::int64_t firm_index) const {
  return const_cast<Trajectory*>(this)->firm(series, quarter, firm_index);
}

double& Trajectory::market(MarketSeries series, std::int64_t quarter) {
  const auto offset = static_cast<std::int64_t>(series) * quarters_recorded_ + quarter;
  return market_values_.at(static_cast<std::size_t>(offset));
}

double Trajectory::market(MarketSeries series, std::int64_t quarter) const {
  return const_cast<Trajectory*>(this)->market(series, quarter);
}

}  // namespace fulcrum
