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
      {"NPS", FirmSeries::nps, "{:.1f}"},
      {"remedial cost", FirmSeries::remedial_cost, "{:.2f}"},
      {"CX annuity NPV", FirmSeries::cx_annuity_npv, "{:.2f}"},
  };
  for (std::int64_t point = 0; point < results.points; ++point) {
    for (std::size_t f = 0; f < results.firm_names.size(); ++f) {
      out += fmt::format("\nFirm '{}'{} at quarter {}{}\n", results.firm_names[f],
                         results.points > 1 ? fmt::format(", {}", results.point_names[static_cast<std::size_t>(point)]) : "",
                         last, results.replicates > 1 ? " (mean, 5-95% over replicates)" : "");
      for (const Row& row : rows) {
        std::vector<double> values;
        for (std::int64_t r = 0; r < results.replicates; ++r) {
          values.push_back(results.run(point, r).firm(row.series, last, static_cast<std::int64_t>(f)));
        }
        const Spread spread = spread_of(values);
        const auto shown = [&](double value) { return fmt::format(fmt::runtime(row.format), value); };
        out += fmt::format("  {:<16}{:>16}", row.label, shown(spread.mean));
        if (results.replicates > 1) out += fmt::format("   [{} .. {}]", shown(spread.low), shown(spread.high));
        out += "\n";
      }
    }
  }
  if (results.points == 2) {
    out += fmt::format("\nCounterfactual minus scenario at quarter {} (paired, 95% interval)\n", last);
    for (std::size_t f = 0; f < results.firm_names.size(); ++f) {
      for (const Row& row : rows) {
        const PairedDifference d = paired_difference(results, row.series, last, static_cast<std::int64_t>(f));
        const auto shown = [&](double value) { return fmt::format(fmt::runtime(row.format), value); };
        out += fmt::format("  {:<16}{:>16}   [{} .. {}]\n", row.label, shown(d.mean), shown(d.low), shown(d.high));
      }
    }
  }
  return out;
}

}  // namespace fulcrum::cli
