#include "sim/cli/summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace fulcrum::cli {
namespace {

struct Spread {
  double mean;
  double low;   // 5th percentile
  double high;  // 95th percentile
};

Spread spread_of(std::vector<double> values) {
  std::erase_if(values, [](double v) { return std::isnan(v); });
  if (values.empty()) return {NAN, NAN, NAN};
  std::sort(values.begin(), values.end());
  double sum = 0;
  for (const double v : values) sum += v;
  const auto at = [&](double q) {
    const double position = q * static_cast<double>(values.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const auto above = std::min(below + 1, values.size() - 1);
    return values[below] + (position - std::floor(position)) * (values[above] - values[below]);
  };
  return {sum / static_cast<double>(values.size()), at(0.05), at(0.95)};
}

}  // namespace

std::string summarise(const EnsembleResults& results, const std::string& scenario_name) {
  const std::int64_t last = results.quarters_recorded - 1;
  std::string out = fmt::format("{}: {} replicate{}, {} quarters, {} potential customers\n", scenario_name,
                                results.replicates, results.replicates == 1 ? "" : "s", last,
                                results.scenario.market.population);
  struct Row {
    const char* label;
    FirmSeries series;
    const char* format;
  };
  const Row rows[] = {
      {"customers", FirmSeries::customers_active, "{:.0f}"},
      {"revenue", FirmSeries::revenue, "{:.2f}"},
      {"profit", FirmSeries::profit, "{:.2f}"},
      {"cash", FirmSeries::cash, "{:.2f}"},
      {"satisfaction", FirmSeries::satisfaction_mean, "{:.2f}"},
  };
  for (std::size_t f = 0; f < results.firm_names.size(); ++f) {
    out += fmt::format("\nFirm '{}' at quarter {}{}\n", results.firm_names[f], last,
                       results.replicates > 1 ? " (mean, 5-95% over replicates)" : "");
    for (const Row& row : rows) {
      std::vector<double> values;
      for (const Trajectory& run : results.runs) values.push_back(run.firm(row.series, last, static_cast<std::int64_t>(f)));
      const Spread spread = spread_of(values);
      const auto shown = [&](double value) { return fmt::format(fmt::runtime(row.format), value); };
      out += fmt::format("  {:<14}{:>16}", row.label, shown(spread.mean));
      if (results.replicates > 1) out += fmt::format("   [{} .. {}]", shown(spread.low), shown(spread.high));
      out += "\n";
    }
  }
  return out;
}

}  // namespace fulcrum::cli
