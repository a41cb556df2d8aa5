#include "sim/result_tables.hpp"

#include <functional>

namespace fulcrum {
namespace {

using Gather = std::function<void(const Trajectory&, std::size_t, std::vector<double>&)>;

// One table per series of a group, gathered run by run (point-major, then replicate) in the table's axes.
void add_group(std::vector<ResultTable>& tables, const EnsembleResults& results, const std::string& group,
               std::size_t count, const std::function<SeriesSpec(std::size_t)>& spec_of, std::vector<std::uint64_t> dims,
               const std::string& dimension_names, const Gather& gather) {
  std::uint64_t elements = 1;
  for (const auto dim : dims) elements *= dim;
  for (std::size_t k = 0; k < count; ++k) {
    const SeriesSpec spec = spec_of(k);
    ResultTable table{group, std::string(spec.name), std::string(spec.unit), std::string(spec.description), dims,
                      dimension_names, {}};
    table.values.reserve(elements);
    for (const Trajectory& run : results.runs) gather(run, k, table.values);
    tables.push_back(std::move(table));
  }
}

}  // namespace

std::vector<ResultTable> tabulate(const EnsembleResults& results) {
  const auto points = static_cast<std::uint64_t>(results.points);
  const auto replicates = static_cast<std::uint64_t>(results.replicates);
  const auto quarters = static_cast<std::uint64_t>(results.quarters_recorded);
  const auto firms = static_cast<std::uint64_t>(results.firm_names.size());
  const auto segments = static_cast<std::uint64_t>(results.segment_names.size());
  const auto q_count = results.quarters_recorded;
  const auto f_count = static_cast<std::int64_t>(firms);
  const auto s_count = static_cast<std::int64_t>(segments);
  std::vector<ResultTable> tables;

  add_group(tables, results, "series", kFirmSeries.size(), [](std::size_t k) { return kFirmSeries[k]; },
            {points, replicates, quarters, firms}, "point,replicate,quarter,firm",
            [&](const Trajectory& run, std::size_t k, std::vector<double>& values) {
              for (std::int64_t q = 0; q < q_count; ++q) {
                for (std::int64_t f = 0; f < f_count; ++f) values.push_back(run.firm(FirmSeries(k), q, f));
              }
            });
  add_group(tables, results, "market", kMarketSeries.size(), [](std::size_t k) { return kMarketSeries[k]; },
            {points, replicates, quarters}, "point,replicate,quarter",
            [&](const Trajectory& run, std::size_t k, std::vector<double>& values) {
              for (std::int64_t q = 0; q < q_count; ++q) values.push_back(run.market(MarketSeries(k), q));
            });
  add_group(tables, results, "series_by_segment", kSegmentSeries.size(),
            [](std::size_t k) { return kFirmSeries[static_cast<std::size_t>(kSegmentSeries[k])]; },
            {points, replicates, quarters, firms, segments}, "point,replicate,quarter,firm,segment",
            [&](const Trajectory& run, std::size_t k, std::vector<double>& values) {
              for (std::int64_t q = 0; q < q_count; ++q) {
                for (std::int64_t f = 0; f < f_count; ++f) {
                  for (std::int64_t g = 0; g < s_count; ++g) values.push_back(run.segment(k, q, f, g));
                }
              }
            });
  add_group(tables, results, "distributions", 1, [](std::size_t) { return kSatisfactionDeciles; },
            {points, replicates, quarters, firms, kDeciles}, "point,replicate,quarter,firm,decile",
            [&](const Trajectory& run, std::size_t, std::vector<double>& values) {
              for (std::int64_t q = 0; q < q_count; ++q) {
                for (std::int64_t f = 0; f < f_count; ++f) {
                  for (std::size_t d = 0; d < kDeciles; ++d) values.push_back(run.decile(q, f, d));
                }
              }
            });
  add_group(tables, results, "cohorts", 1, [](std::size_t) { return kCohortsActive; },
            {points, replicates, firms, quarters, quarters}, "point,replicate,firm,cohort,quarter",
            [&](const Trajectory& run, std::size_t, std::vector<double>& values) {
              for (std::int64_t f = 0; f < f_count; ++f) {
                for (std::int64_t c = 0; c < q_count; ++c) {
                  for (std::int64_t q = 0; q < q_count; ++q) values.push_back(run.cohort(f, c, q));
                }
              }
            });
  if (results.points == 2) {
    // The paired counterfactual: per replicate, and summarised with a 95% interval.
    add_group(tables, results, "difference", kFirmSeries.size(), [](std::size_t k) { return kFirmSeries[k]; },
              {replicates, quarters, firms}, "replicate,quarter,firm",
              [&](const Trajectory& run, std::size_t k, std::vector<double>& values) {
                // Only the counterfactual's runs add values: each minus its scenario twin.
                const auto index = &run - results.runs.data();
                if (index < results.replicates) return;
                const Trajectory& twin = results.runs[static_cast<std::size_t>(index - results.replicates)];
                for (std::int64_t q = 0; q < q_count; ++q) {
                  for (std::int64_t f = 0; f < f_count; ++f) {
                    values.push_back(run.firm(FirmSeries(k), q, f) - twin.firm(FirmSeries(k), q, f));
                  }
                }
              });
    for (std::size_t k = 0; k < kFirmSeries.size(); ++k) {
      ResultTable table{"difference_summary", std::string(kFirmSeries[k].name), std::string(kFirmSeries[k].unit),
                        std::string(kFirmSeries[k].description), {quarters, firms, 3}, "quarter,firm,statistic", {}};
      for (std::int64_t q = 0; q < q_count; ++q) {
        for (std::int64_t f = 0; f < f_count; ++f) {
          const PairedDifference difference = paired_difference(results, FirmSeries(k), q, f);
          table.values.insert(table.values.end(), {difference.mean, difference.low, difference.high});
        }
      }
      tables.push_back(std::move(table));
    }
  }
  return tables;
}

}  // namespace fulcrum
